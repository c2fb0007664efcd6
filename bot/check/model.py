"""Plain data passed between the stages: what a provider observed about one target.

Providers fill these in; `judge` combines them with history into verdicts. An
observation says what happened *this run*; only `judge` decides "dead"."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.config import CheckConfig


class Outcome(StrEnum):
    OK = "ok"  # the target answered and exists
    FAIL = "fail"  # the target itself is gone or broken (404, 410, DNS, TLS, unknown id)
    UNKNOWN = "unknown"  # could not tell: bot challenge, 429, our budget or network
    NOT_CHECKED = "not_checked"  # skipped this run (budget), to be checked first next run


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
    etag: str | None = None
    http_status: int | None = None
    error: str | None = None


_CHECK = CheckConfig()


@dataclass
class HttpSettings:
    """Knobs shared by the HTTP providers; the defaults are the config's (`[check]`)."""

    timeout: float = _CHECK.timeout
    concurrency: int = _CHECK.concurrency  # global limit of requests in flight
    per_host: int = _CHECK.per_host  # limit per host
    retries: int = _CHECK.retries  # extra attempts on 5xx / timeouts / resets
    backoff: float = _CHECK.backoff  # first retry delay in seconds, doubled each time
    max_wait: float = _CHECK.max_wait  # total seconds spent waiting on Retry-After / backoff
    min_interval: float = _CHECK.arxiv_interval  # arXiv: seconds between requests
    user_agent: str = (
        "Mozilla/5.0 (compatible; awesome-monitor/0.1; +https://github.com/awesome-monitor)"
    )

    @classmethod
    def from_config(cls, c: CheckConfig) -> HttpSettings:
        return cls(timeout=c.timeout, concurrency=c.concurrency, per_host=c.per_host,
                   retries=c.retries, backoff=c.backoff, max_wait=c.max_wait,
                   min_interval=c.arxiv_interval)  # fmt: skip


@dataclass
class ProviderResult:
    """What one provider returns: observations keyed by target, and what it cost."""

    observations: dict[str, object] = field(default_factory=dict)
    requests: int = 0
    # True when the service itself (or our network) was unreachable: judge must not
    # count failures from this run.
    network_down: bool = False
    # The service's rate-limit budget ran out before every target was asked.
    budget_spent: bool = False
    notes: list[str] = field(default_factory=list)
