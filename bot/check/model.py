"""The data the check stage passes on: what a provider observed about one target this run
(`Outcome` + a typed observation), what a reader is shown about it (`Facts`), what one
provider's batch returned (`ProviderResult`), the verdict on each link (`Judgement`) and
the result of a whole run (`CheckResult`). Only the judge decides "dead"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol, TypeVar

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
    """What a reader of the list is shown about a live target, whatever its service."""

    counts: tuple[tuple[str, int], ...] = ()  # ("★", 1234), ("♥", 56), ("↓", 7890)
    activity: str | None = None  # ISO date of the last commit or modification
    archived: bool = False
    version: int | None = None  # arXiv: the latest version
    version_date: str | None = None
    labels: tuple[str, ...] = ()  # "gated", "withdrawn", …


class Observation(Protocol):
    """One provider's answer about one target."""

    outcome: Outcome
    error: str | None
    http_status: int | None

    @property
    def moved_to(self) -> str | None: ...  # the target's new identity, when renamed

    @property
    def archived(self) -> bool: ...

    def facts(self) -> Facts: ...


@dataclass
class WebObservation:
    url: str
    outcome: Outcome
    http_status: int | None = None
    final_url: str | None = None
    # Each hop of the redirect chain: (status, absolute target URL).
    redirects: list[tuple[int, str]] = field(default_factory=list)
    # Set when every hop is permanent (301/308): the URL the list should use.
    permanent_redirect: str | None = None
    error: str | None = None
    # "dns" or "connect" when no HTTP answer came at all: such a failure may be ours.
    network_error: str | None = None
    moved_to: str | None = None  # web links are never "moved": redirects are reported
    archived: bool = False
    server_error: bool = False  # the page itself answered 5xx (not a bot challenge)

    def facts(self) -> Facts:
        return Facts()


@dataclass
class PaperObservation:
    arxiv_id: str  # without version
    outcome: Outcome
    version: int | None = None  # latest version
    updated: str | None = None  # ISO 8601, date of the latest version
    published: str | None = None  # ISO 8601, date of v1
    title: str | None = None
    journal_ref: str | None = None
    withdrawn: bool = False
    error: str | None = None
    http_status: int | None = None
    moved_to: str | None = None
    archived: bool = False

    def facts(self) -> Facts:
        return Facts(version=self.version, version_date=self.updated,
                     labels=("withdrawn",) if self.withdrawn else ())  # fmt: skip


@dataclass
class RepoObservation:
    repo: str  # owner/name as asked (normalised lower case)
    outcome: Outcome
    full_name: str | None = None  # what GitHub calls it now
    moved_to: str | None = None  # new owner/name when renamed or transferred
    stars: int | None = None
    archived: bool = False
    archived_at: str | None = None
    disabled: bool = False
    is_empty: bool = False
    pushed_at: str | None = None
    last_commit: str | None = None
    # "ref:path" -> True (exists), False (gone), None (not checked)
    paths: dict[str, bool | None] = field(default_factory=dict)
    # issue or pull request number -> True (exists), False (gone), None (not checked)
    numbers: dict[str, bool | None] = field(default_factory=dict)
    etag: str | None = None
    http_status: int | None = None
    error: str | None = None

    def facts(self) -> Facts:
        counts = (("★", self.stars),) if self.stars is not None else ()
        return Facts(counts=counts, activity=self.last_commit or self.pushed_at,
                     archived=self.archived)  # fmt: skip


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
    new_version: bool = False  # the paper has a version newer than linked / last seen
    previous_version: int | None = None
    stars_before: int | None = None
    archive: str | None = None  # a dead web link's archived copy (the Wayback Machine)
    # Not answered this run: `observation` is the last good one, so what the list shows
    # stays put instead of flapping.
    stale: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def failing(self) -> bool:
        return self.verdict != Verdict.DEAD and self.failures_in_a_row > 0

    @property
    def repo(self) -> RepoObservation | None:
        return self.observation if isinstance(self.observation, RepoObservation) else None

    @property
    def paper(self) -> PaperObservation | None:
        return self.observation if isinstance(self.observation, PaperObservation) else None

    @property
    def web(self) -> WebObservation | None:
        return self.observation if isinstance(self.observation, WebObservation) else None

    @property
    def withdrawn(self) -> bool:
        return bool(self.paper and self.paper.withdrawn)


@dataclass
class CheckResult:
    verdicts: list[Judgement]
    state: State
    requests: dict[str, int]  # per service, retries included
    notes: list[str] = field(default_factory=list)
    down: set[str] = field(default_factory=set)  # services lost during the run
    token_refused: bool = False
    budget_spent_with_token: bool = False
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
        return (bool(self.down) or self.token_refused or self.budget_spent_with_token
                or self.interrupted is not None)  # fmt: skip

    @property
    def incomplete_reason(self) -> str:
        if self.interrupted:
            return f"interrupted ({self.interrupted})"
        if self.token_refused:
            return "GitHub refused the token"
        if self.budget_spent_with_token:
            return "the GitHub API budget ran out"
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
    notes: list[str] = field(default_factory=list)
