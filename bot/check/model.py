"""The data the check stage passes on: what a provider observed about one target this run
(`Outcome` + a typed observation), what a reader is shown about it (`Facts`), what one
provider's batch returned (`ProviderResult`), the verdict on each link (`Judgement`) and
the result of a whole run (`CheckResult`). Only the judge decides "dead"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from bot import dates
from bot.check.state import State
from bot.parse.markdown import Link

T = TypeVar("T")


class Outcome(StrEnum):
    """What one target's answer said this run."""

    OK = "ok"  # it answered and exists
    FAIL = "fail"  # the target itself is gone or broken (404, 410, DNS, TLS, unknown id)
    UNKNOWN = "unknown"  # could not tell: bot challenge, 429, 5xx, timeouts, our network
    NOT_CHECKED = "not_checked"  # skipped this run (budget), to be checked first next run


class Verdict(StrEnum):
    """Where one link stands after the judge: the durable states a list may show, and
    `unknown` (no durable answer yet: failing, not checked, could not tell)."""

    ALIVE = "alive"
    DEAD = "dead"
    ARCHIVED = "archived"
    MOVED = "moved"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Facts:
    """What a reader of the list is shown about a live target, whatever its service. Each
    observation says which of them it has; what is not known stays empty."""

    counts: tuple[tuple[str, int], ...] = ()  # ("★", 1234), ("♥", 56): the first speaks for a row
    activity: str | None = None  # ISO date of the last commit: code repositories only
    release: str | None = None  # a package's latest release ("2.3.1"), shown as it is
    release_date: str | None = None  # its ISO date: "no release since YYYY" once stale
    archived: bool = False  # read-only at its owner's wish, still reachable
    archived_at: str | None = None  # ISO date it was archived, when known
    version: int | None = None  # a document's latest version (a paper's vN): a newer one is news
    version_date: str | None = None  # ISO date of that version
    version_url: str | None = None  # that version's page, for a template that links it
    labels: tuple[str, ...] = ()  # "gated", "withdrawn", …: shown as they are
    name: str | None = None  # what it is, as people name it (`owner/name`): a row's cell
    # names the repository its figures are about when the row links several


class Observation(Protocol):
    """One provider's answer about one target: everything the judge, the history and the
    outputs read of it, whatever the service (each observation type declares every one)."""

    outcome: Outcome
    error: str | None  # why it failed or could not tell, in a few words
    http_status: int | None
    moved_to: str | None  # the target's new identity (`owner/name`), when renamed
    archived: bool
    server_error: bool  # the target itself answered 5xx (dead after `dead_after_days_5xx`)
    network_error: str | None  # "dns" or "connect": no answer at all (may be our network)
    etag: str | None  # kept with the history and sent next run: an unchanged answer is free

    @property
    def redirect(self) -> str | None:
        """Where a chain of permanent redirects ends, when the list may take it."""
        ...

    def facts(self) -> Facts: ...

    def report_fields(self, stale: bool) -> dict[str, Any]:
        """Its values in the `check --json` report (the keys its provider declares);
        `stale`: this is the last good observation, shown while the link has no answer."""
        ...


@dataclass(frozen=True)
class LinkKind:
    """A kind of link (`scan` names each link's kind) and what it means for the outputs."""

    name: str  # `github_repo`, `web`, …: what `[status] note_kinds` names
    alive_note: bool = True  # an alive link gets a note with its facts (a page: only dead)
    row_speaker: bool = True  # its facts may speak for a table row (a page is only counted)
    noted_by_default: bool = True  # in the default `[status] note_kinds`
    stale_listed: bool = False  # listed as stale when its activity is old (a repository)


@dataclass(frozen=True)
class Inside:
    """A link to something inside a checked target (a file in a repository): its own key
    in the history, whether it exists (None: not checked this run), and what to say when
    it does not."""

    key: str
    exists: bool | None
    missing: str  # "file or folder not found in the repository"


class CredentialsRefused(Exception):  # noqa: N818 - what it says, not an "Error"
    """A service refused the credentials it was given: nothing can be checked with them,
    and the run is incomplete. `str()` is the service's answer; `reason` says it in the
    run's summary, `hint` what to do."""

    def __init__(self, message: str, reason: str, hint: str) -> None:
        super().__init__(message)
        self.reason, self.hint = reason, hint


@dataclass
class Judgement:
    """The verdict on one link, with what it rests on."""

    link: Link
    verdict: Verdict
    failures_in_a_row: int = 0
    failing_since: str | None = None
    error: str | None = None
    not_checked: bool = False
    observation: Observation | None = None
    provider: str | None = None
    moved_to: str | None = None  # the URL the list should use now
    new_version: bool = False  # a version newer than the link names, or than last seen
    previous_version: int | None = None
    stars_before: int | None = None
    archive: str | None = None  # a dead web link's archived copy (the Wayback Machine)
    # A failing link: when it will be called dead if it keeps failing (not before
    # `dead_from`, and after `runs_to_dead` more failed runs).
    dead_from: str | None = None
    runs_to_dead: int = 0
    # Not answered this run: `observation` is the last good one, so what the list shows
    # stays put instead of flapping.
    stale: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def failing(self) -> bool:
        return self.verdict != Verdict.DEAD and self.failures_in_a_row > 0


@dataclass
class CheckResult:
    verdicts: list[Judgement]
    state: State
    requests: dict[str, int]  # per service, retries included
    notes: list[str] = field(default_factory=list)
    down: set[str] = field(default_factory=set)  # services lost during the run
    refused: str | None = None  # a service refused its credentials ("GitHub refused the token")
    cut_short: str | None = None  # a service's part could not finish ("… budget ran out")
    counts: dict[str, int] = field(default_factory=dict)  # distinct targets per provider
    interrupted: str | None = None  # the signal that stopped the run ("SIGINT")
    answered: int = 0  # distinct targets with a good answer (the cache's included)

    @property
    def day(self) -> datetime:
        """When the run was (its history's `updated`), for what is shown as of that day."""
        return dates.parse(self.state.updated) or datetime.now(UTC)

    @property
    def incomplete(self) -> bool:
        """Exit 3 (or 130/143 when interrupted): the check could not be completed."""
        return (bool(self.down) or self.refused is not None or self.cut_short is not None
                or self.interrupted is not None)  # fmt: skip

    @property
    def incomplete_reason(self) -> str:
        if self.interrupted:
            return f"interrupted ({self.interrupted})"
        if self.refused:
            return self.refused
        if self.cut_short:
            return self.cut_short
        return f"could not reach {', '.join(sorted(self.down))}"


def rebuild(cls: type[T], data: dict) -> T | None:
    """An observation of `cls` from a state entry's `data` (it answered well then)."""
    fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}  # type: ignore[attr-defined]
    try:
        return cls(**{**fields, "outcome": Outcome.OK})
    except TypeError:
        return None


@dataclass
class ProviderResult:
    """What one provider returns: observations keyed by target, and what happened."""

    observations: dict[str, Observation] = field(default_factory=dict)
    requests: int = 0  # what it cost (retries included)
    cached: set[str] = field(default_factory=set)  # keys answered from the cache, not asked
    # The service (or our network) was lost for part of the run or all of it: some
    # batch got no usable answer. The run is incomplete: nothing is written.
    lost: bool = False
    # The service's rate-limit budget ran out before every target was asked.
    budget_spent: bool = False
    # Why its part leaves the run incomplete although the service answered (a budget that
    # no later run can make up for, unlike one that only leaves some links for next run).
    incomplete: str | None = None
    notes: list[str] = field(default_factory=list)
