"""Judge: this run's observations + the history → a verdict per link, and the new
history. Pure: no I/O; the caller decides whether the new state is saved.

A target is `dead` only after `dead_after` failed runs in a row; before that it is
failing (verdict `unknown`, with its failure count). An unknown answer (429, bot
challenge, budget, our network) neither counts as a failure nor resets one."""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.check.collect import path_key
from bot.check.model import Outcome, PaperObservation, RepoObservation, WebObservation
from bot.check.state import Entry, State
from bot.parse.markdown import Link
from bot.parse.target import Kind

ALIVE, DEAD, ARCHIVED, MOVED, UNKNOWN = "alive", "dead", "archived", "moved", "unknown"


@dataclass
class Status:
    """Where one target stands after this run."""

    outcome: Outcome
    failures: int = 0
    first_failure: str | None = None
    error: str | None = None
    dead: bool = False


@dataclass
class Verdict:
    link: Link
    verdict: str
    failures_in_a_row: int = 0
    failing_since: str | None = None
    error: str | None = None
    not_checked: bool = False
    repo: RepoObservation | None = None
    paper: PaperObservation | None = None
    web: WebObservation | None = None
    moved_to: str | None = None  # the URL the list should use now
    new_version: bool = False  # the paper has a version newer than linked / last seen
    previous_version: int | None = None
    stars_before: int | None = None
    withdrawn: bool = False
    # Not answered this run, but `repo`/`paper` hold the last good observation, so the
    # status shown in the list stays put instead of flapping to "not checked".
    stale: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def failing(self) -> bool:
        return self.verdict != DEAD and self.failures_in_a_row > 0


@dataclass
class Observations:
    repos: dict[str, RepoObservation] = field(default_factory=dict)
    papers: dict[str, PaperObservation] = field(default_factory=dict)
    urls: dict[str, WebObservation] = field(default_factory=dict)
    # Providers whose service (or our network) was unreachable: failures not counted.
    down: set[str] = field(default_factory=set)


def judge(
    links: list[Link],
    obs: Observations,
    state: State,
    now: str,
    dead_after: int = 2,
    star_history: int = 12,
) -> tuple[list[Verdict], State]:
    """Verdicts for `links` and the updated copy of `state`."""
    new = copy.deepcopy(state)
    new.updated = now
    j = _Judge(new, now, dead_after, star_history, obs.down)
    repo_status = {k: j.update("repos", k, o.outcome, o.error, o) for k, o in obs.repos.items()}
    for o in obs.repos.values():
        if o.moved_to and o.outcome is Outcome.OK:
            # The list will link the new name: its history starts from the old one's.
            entry = copy.deepcopy(new.repos[o.repo])
            entry.data.update(repo=o.moved_to.lower(), full_name=o.moved_to)
            entry.data.pop("moved_to", None)
            entry.etag = None
            new.repos.setdefault(o.moved_to.lower(), entry)
    paper_status = {k: j.update("papers", k, o.outcome, o.error, o) for k, o in obs.papers.items()}
    url_status = {k: j.update("urls", k, o.outcome, o.error, o) for k, o in obs.urls.items()}
    path_status: dict[str, Status] = {}
    for key, ro in obs.repos.items():
        for spec, exists in ro.paths.items():
            ref, _, path = spec.partition(":")
            outcome = Outcome.UNKNOWN if exists is None else Outcome.OK if exists else Outcome.FAIL
            err = "file or folder not found in the repository" if exists is False else None
            path_status[path_key(key, ref, path)] = j.update("paths", path_key(key, ref, path),
                                                             outcome, err, None)  # fmt: skip
    verdicts = []
    for link in links:
        t = link.target
        if t.repo_key:
            v = _repo_verdict(link, obs.repos.get(t.repo_key), repo_status.get(t.repo_key),
                              state.repos.get(t.repo_key))  # fmt: skip
            if t.kind is Kind.GITHUB_PATH and v.verdict not in (DEAD, UNKNOWN):
                ps = path_status.get(path_key(t.repo_key, t.ref or "", t.path or ""))
                if ps is not None and ps.outcome is Outcome.FAIL:
                    v.verdict = DEAD if ps.dead else UNKNOWN
                    v.failures_in_a_row, v.failing_since = ps.failures, ps.first_failure
                    v.error = ps.error
                # A file not checked this run (budget) shows its repository's status.
        elif t.kind is Kind.ARXIV and t.arxiv_id:
            v = _paper_verdict(link, obs.papers.get(t.arxiv_id), paper_status.get(t.arxiv_id),
                               state.papers.get(t.arxiv_id))  # fmt: skip
        elif t.kind is Kind.WEB and t.url in obs.urls:
            v = _web_verdict(link, obs.urls[t.url], url_status[t.url])
        else:
            v = Verdict(link, UNKNOWN, error="not checked")
        if t.kind is Kind.INVALID:
            fix = f"; use {t.suggestion}" if t.suggestion else ""
            v.error = f"malformed link: {t.problem}{fix}"
        verdicts.append(v)
    return verdicts, new


class _Judge:
    def __init__(self, state: State, now: str, dead_after: int, keep: int, down: set[str]):
        self.state, self.now, self.dead_after, self.keep, self.down = (
            state, now, dead_after, keep, down,
        )  # fmt: skip

    def update(self, section: str, key: str, outcome: Outcome, error: str | None, obs: Any):
        provider = {"repos": "github", "paths": "github", "papers": "arxiv", "urls": "web"}
        if outcome is Outcome.FAIL and provider[section] in self.down:
            outcome = Outcome.UNKNOWN  # our network, not the link
        entry = self.state.section(section).setdefault(key, Entry())
        entry.first_seen = entry.first_seen or self.now
        entry.not_checked = outcome is Outcome.NOT_CHECKED
        if outcome is Outcome.OK:
            entry.failures, entry.first_failure, entry.last_error = 0, None, None
            entry.last_ok = entry.last_checked = self.now
            if obs is not None:
                self._remember(entry, obs)
        elif outcome is Outcome.FAIL:
            entry.failures += 1
            entry.first_failure = entry.first_failure or self.now
            entry.last_checked, entry.last_error = self.now, error
        elif error:
            entry.last_error = error
        return Status(
            outcome=outcome,
            failures=entry.failures,
            first_failure=entry.first_failure,
            error=error if outcome is not Outcome.OK else None,
            # Dead stays dead while nothing new is learned (unknown, not checked).
            dead=outcome is not Outcome.OK and entry.failures >= self.dead_after,
        )

    def _remember(self, entry: Entry, obs: Any) -> None:
        data = asdict(obs)
        data.pop("outcome", None)
        if isinstance(obs, RepoObservation):
            entry.etag = obs.etag or entry.etag
            data.pop("etag", None)
            if obs.stars is not None and (not entry.stars or entry.stars[-1][1] != obs.stars):
                entry.stars.append([self.now, obs.stars])
                del entry.stars[: -self.keep]
        if isinstance(obs, PaperObservation) and obs.version:
            entry.version = obs.version
        entry.data = {k: v for k, v in data.items() if v not in (None, [], {}, False)}


def _failing(v: Verdict, st: Status) -> Verdict:
    v.failures_in_a_row, v.failing_since, v.error = st.failures, st.first_failure, st.error
    v.verdict = DEAD if st.dead else UNKNOWN
    v.not_checked = st.outcome is Outcome.NOT_CHECKED
    return v


def _stale(v: Verdict, before: Entry | None, cls: type) -> Verdict:
    """An unanswered (not failed) target keeps showing its last good observation."""
    if v.verdict != UNKNOWN or v.failures_in_a_row or before is None or not before.data:
        return v
    fields = {k: val for k, val in before.data.items() if k in cls.__dataclass_fields__}
    fields["outcome"] = Outcome.OK
    try:
        obs = cls(**fields)
    except TypeError:
        return v
    if cls is RepoObservation:
        v.repo = obs
    else:
        v.paper = obs
    v.stale = True
    return v


def _repo_verdict(
    link: Link, ro: RepoObservation | None, st: Status | None, before: Entry | None
) -> Verdict:
    v = Verdict(link, UNKNOWN, repo=ro)
    if ro is None or st is None:
        v.error, v.not_checked = "not checked", True
        return v
    if before and before.stars:
        v.stars_before = before.stars[-1][1]
    if st.outcome is not Outcome.OK:
        return _stale(_failing(v, st), before, RepoObservation)
    if ro.moved_to:
        v.verdict = MOVED
        v.moved_to = _moved_url(link, ro.moved_to)
    elif ro.archived:
        v.verdict = ARCHIVED
    else:
        v.verdict = ALIVE
    return v


def _moved_url(link: Link, new_repo: str) -> str | None:
    """The link's URL with the repository's new owner/name."""
    t = link.target
    if t.kind is Kind.GITHUB_REPO:
        return f"https://github.com/{new_repo}"
    if t.kind is Kind.GITHUB_PATH and t.repo and t.repo in link.url:
        return link.url.replace(t.repo, new_repo, 1)
    if t.kind is Kind.INVALID:
        return f"https://github.com/{new_repo}"
    return None


def _paper_verdict(
    link: Link, po: PaperObservation | None, st: Status | None, before: Entry | None
) -> Verdict:
    v = Verdict(link, UNKNOWN, paper=po)
    if po is None or st is None:
        v.error, v.not_checked = "not checked", True
        return v
    if st.outcome is not Outcome.OK:
        return _stale(_failing(v, st), before, PaperObservation)
    v.verdict = ALIVE
    v.withdrawn = po.withdrawn
    pinned = link.target.arxiv_version
    v.previous_version = pinned or (before.version if before else None)
    if po.version and v.previous_version and po.version > v.previous_version:
        v.new_version = True
    return v


def _web_verdict(link: Link, wo: WebObservation, st: Status) -> Verdict:
    v = Verdict(link, UNKNOWN, web=wo)
    if st.outcome is not Outcome.OK:
        return _failing(v, st)
    v.verdict = ALIVE
    v.moved_to = wo.permanent_redirect  # reported, the rewrite decides
    return v


def summary(verdicts: list[Verdict]) -> dict[str, int]:
    return {
        "links": len(verdicts),
        "dead": sum(v.verdict == DEAD for v in verdicts),
        "archived": sum(
            v.verdict == ARCHIVED or bool(v.repo and v.repo.archived) for v in verdicts
        ),  # fmt: skip
        "moved": sum(v.verdict == MOVED for v in verdicts),
        "new_versions": sum(v.new_version for v in verdicts),
        "unknown": sum(v.verdict == UNKNOWN for v in verdicts),
        "failing": sum(v.failing for v in verdicts),
        "not_checked": sum(v.not_checked for v in verdicts),
        "invalid": sum(v.link.target.kind is Kind.INVALID for v in verdicts),
    }
