"""What a run did, as the first line of its job summary says it: the pull request or the
dashboard issue opened, updated, left or closed (what `bot.publish` reports), the list
written or not, a dry run, or what stopped the run. One small value from the edge that knows
(the command) to the words (`templates/report.md.j2`); a run whose check was incomplete
says so from the check itself (`CheckResult.incomplete`), whatever else it did."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.errors import EXIT_INCOMPLETE, EXIT_OK


class Act(StrEnum):
    # What `bot.publish` did to the pull request or the issue (`PublishOutcome.action`).
    OPENED = "opened"
    UPDATED = "updated"
    REBASED = "rebased"
    UNCHANGED = "unchanged"
    CLOSED = "closed"
    REOPENED = "reopened"
    DISMISSED = "dismissed"
    BLOCKED = "blocked"
    NONE = "none"  # no pull request or issue: nothing to act on
    # What `check` did to the list.
    WROTE = "wrote"
    NOT_WRITTEN = "not written"
    DRY_RUN = "dry run"
    # What stopped the run after (or before) its check: an error with its exit code.
    FAILED = "failed"  # exit 3: a GitHub read or write refused or lost
    STOPPED = "stopped"  # exit 0: another run got there first
    ERROR = "error"  # exit 2: a file, a path, an option
    INTERRUPTED = "interrupted"  # a signal outside the check


@dataclass(frozen=True)
class Done:
    act: Act
    thing: str = ""  # "pull request", "dashboard issue"
    number: int | None = None
    url: str | None = None
    why: str = ""  # what the publisher or the error said, in its own words
    lines: int = 0  # the list's changed lines, when written


DRY_RUN = Done(Act.DRY_RUN)


def for_error(exit_code: int, message: str) -> Done:
    """What a run stopped by an error (`bot.errors.BotError`: its exit code) did."""
    act = {EXIT_OK: Act.STOPPED, EXIT_INCOMPLETE: Act.FAILED}.get(exit_code, Act.ERROR)
    return Done(act, why=message)
