"""One severity for every finding, the same wherever the bot says it: a dead link is an
error, a moved or archived one a warning, a stale one a note. The annotations, the SARIF log
and the review's annotations all read it here; GitHub names a note `notice` in a workflow
command and `note` in SARIF."""

from __future__ import annotations

ERROR, WARNING, NOTE = "error", "warning", "note"
LEVELS = {"dead": ERROR, "moved": WARNING, "archived": WARNING, "stale": NOTE}
ORDER = (ERROR, WARNING, NOTE)  # most severe first: what GitHub shows first
COMMAND = {ERROR: "error", WARNING: "warning", NOTE: "notice"}  # `::error`, …


def level(finding: str, blocking: bool = False) -> str:
    """A finding's level (`dead`, `moved`, …; a review's own kinds are warnings); one that
    fails the run (a review's `[review] fail_on`) is an error whatever it is."""
    return ERROR if blocking else LEVELS.get(finding, WARNING)
