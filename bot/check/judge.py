"""Judge: this run's observations + the history → a verdict per link, and the new history.
Pure: no I/O; the caller decides whether the new state is saved.

A target is `dead` only after `dead_after` failed runs in a row **and** `dead_after_days`
since its first failure: two runs minutes apart never make a link dead. Before that it
is failing (verdict `unknown`, with its failure count) and keeps showing its last good
observation. An unknown answer (429, 5xx, timeouts, a bot challenge, a budget, our
network) neither counts as a failure nor resets one.

A run stopped by a signal (`Rules.count_failures = False`) learns only good answers: a link
that answered is alive (its failures reset, its facts kept), but a failure seen in half a run
counts nothing, so an interrupted run can delay "dead", never hasten it. A complete run
would have had the whole list to tell a dead link from our network (the web provider's
network-down rule, GitHub or arXiv lost), and a request cut by the stop is no evidence."""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass
from datetime import timedelta

from bot import dates
from bot.check.model import Judgement, Observation, Outcome, ProviderResult, Verdict
from bot.check.providers import Provider, owner, target_of
from bot.check.redirects import refusal
from bot.check.state import Entry, State
from bot.parse.markdown import Link
from bot.parse.target import Kind

INSIDE = "paths"  # the history's section of what is inside a target (files in repositories)


@dataclass(frozen=True)
class Rules:
    dead_after: int = 2  # failed runs in a row …
    dead_after_days: float = 3.0  # … over at least this many days
    dead_after_days_5xx: float = 30.0  # a 5xx on every run this long is dead too
    star_history: int = 12  # counts kept per target
    fix_redirects: bool = False  # a permanent redirect makes a web link "moved"
    redirect_domains: tuple[str, ...] = ()  # other registrable domains it may lead to
    count_failures: bool = True  # False for a run stopped by a signal: only answers count


@dataclass
class Status:
    """Where one target stands after this run."""

    outcome: Outcome
    failures: int = 0
    first_failure: str | None = None
    error: str | None = None
    dead: bool = False


def judge(
    links: list[Link],
    results: dict[str, ProviderResult],
    state: State,
    now: str,
    rules: Rules | None = None,
) -> tuple[list[Judgement], State]:
    """Verdicts for `links` and the updated copy of `state`."""
    rules = rules or Rules()
    new = copy.deepcopy(state)
    new.updated = now
    j = _Judge(new, now, rules)
    statuses: dict[tuple[str, str], Status] = {}
    for link in links:
        found = owner(link.target)
        if found is None:
            continue
        p, key = found
        res = results.get(p.name, ProviderResult())
        obs = res.observations.get(key)
        if obs is None or (p.history, key) in statuses:
            continue
        if key in res.cached:  # its history stands as it is: the cache must expire
            statuses[(p.history, key)] = Status(Outcome.OK)
            continue
        statuses[(p.history, key)] = j.update(p.history, key, obs.outcome, obs.error, obs)
        if obs.moved_to and obs.outcome is Outcome.OK:
            _carry_history(new, p, link, key, obs.moved_to)
    verdicts = []
    for link in links:
        found = owner(link.target)
        if found is None:
            v = Judgement(link, Verdict.UNKNOWN, error="not checked", not_checked=True)
        else:
            p, key = found
            obs = results.get(p.name, ProviderResult()).observations.get(key)
            before = state.entries(p.history).get(key)
            v = _verdict(j, p, link, obs, statuses.get((p.history, key)), before, rules)
            if v.failing:
                _deadline(v, rules)
        if link.target.kind == Kind.INVALID:
            fix = f"; use {link.target.suggestion}" if link.target.suggestion else ""
            v.error = f"malformed link: {link.target.problem}{fix}"
        verdicts.append(v)
    return verdicts, new


def _deadline(v: Judgement, rules: Rules) -> None:
    """When a failing link will be called dead if it keeps failing: not before
    `dead_after_days` from its first failure, and after `dead_after` failed runs."""
    first = dates.parse(v.failing_since)
    if first is not None:
        v.dead_from = (first + timedelta(days=rules.dead_after_days)).strftime(dates.FORMAT)
    v.runs_to_dead = max(rules.dead_after - v.failures_in_a_row, 1)


def _carry_history(state: State, p: Provider, link: Link, key: str, moved_to: str) -> None:
    """The list will link the new name: its history starts from the old one's."""
    url = p.moved_url(link.target, link.target.url, moved_to)
    found = owner(target_of(url)) if url else None
    if found is None or found[1] == key:
        return
    entry = copy.deepcopy(state.entries(p.history)[key])
    entry.data.pop("moved_to", None)
    entry.etag = None  # a validator of the old name's answer
    state.entries(p.history).setdefault(found[1], entry)


class _Judge:
    def __init__(self, state: State, now: str, rules: Rules) -> None:
        self.state, self.now, self.rules = state, now, rules

    def update(
        self, history: str, key: str, outcome: Outcome, error: str | None, obs: Observation | None
    ) -> Status:
        if outcome is not Outcome.OK and not self.rules.count_failures:
            return self._unchanged(self.state.entries(history).get(key), outcome, error)
        entry = self.state.entries(history).setdefault(key, Entry())
        entry.first_seen = entry.first_seen or self.now
        entry.not_checked = outcome is Outcome.NOT_CHECKED
        if obs is not None and obs.server_error and outcome is Outcome.UNKNOWN:
            entry.server_errors += 1
            entry.first_server_error = entry.first_server_error or self.now
        elif outcome is not Outcome.NOT_CHECKED:  # any other answer ends the streak
            entry.server_errors, entry.first_server_error = 0, None
        if self._dead_5xx(entry):
            since = (entry.first_server_error or "")[:10]
            why = f"{error} on every run since {since}"
            return Status(outcome, entry.server_errors, entry.first_server_error, why, True)
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
            dead=outcome is not Outcome.OK and self._dead(entry),
        )

    def _dead_5xx(self, entry: Entry) -> bool:
        """A page that answers a server error on every run, `dead_after` runs and
        `dead_after_days_5xx` days long: a reader sees a broken page all the same."""
        if entry.server_errors < self.rules.dead_after or not entry.first_server_error:
            return False
        return _days(entry.first_server_error, self.now) >= self.rules.dead_after_days_5xx

    def _unchanged(self, entry: Entry | None, outcome: Outcome, error: str | None) -> Status:
        """A stopped run's failure: the history stays as it was."""
        entry = entry or Entry()
        return Status(outcome=outcome, failures=entry.failures, first_failure=entry.first_failure,
                      error=error, dead=self._dead(entry) or self._dead_5xx(entry))  # fmt: skip

    def _dead(self, entry: Entry) -> bool:
        if entry.failures < self.rules.dead_after or not entry.first_failure:
            return False
        return _days(entry.first_failure, self.now) >= self.rules.dead_after_days

    def _remember(self, entry: Entry, obs: Observation) -> None:
        data = asdict(obs)  # type: ignore[call-overload]  # every observation is a dataclass
        data.pop("outcome", None)
        data.pop("etag", None)  # kept beside the data, as the validator of the next request
        entry.etag = obs.etag or entry.etag
        facts = obs.facts()
        if facts.counts and (not entry.stars or entry.stars[-1][1] != facts.counts[0][1]):
            entry.stars.append([self.now, facts.counts[0][1]])
            del entry.stars[: -self.rules.star_history]
        if facts.version:
            entry.version = facts.version
        entry.data = {k: v for k, v in data.items() if v not in (None, [], {}, False)}


def _days(since: str, now: str) -> float:
    return dates.days_between(since, now) or 0.0


def _verdict(
    j: _Judge,
    p: Provider,
    link: Link,
    obs: Observation | None,
    st: Status | None,
    before: Entry | None,
    rules: Rules,
) -> Judgement:
    v = Judgement(link, Verdict.UNKNOWN, observation=obs, provider=p.name)
    if obs is None or st is None:
        v.error, v.not_checked = "not checked", True
        return v
    if before and before.stars:
        v.stars_before = before.stars[-1][1]
    if st.outcome is not Outcome.OK:
        return _restored(_failing(v, st), p, before)
    inside = p.inside(link.target, obs)
    if inside is not None:
        exists = inside.exists
        outcome = Outcome.UNKNOWN if exists is None else Outcome.OK if exists else Outcome.FAIL
        err = inside.missing if exists is False else None
        ps = j.update(INSIDE, inside.key, outcome, err, None)
        if ps.outcome is Outcome.FAIL:
            return _failing(v, ps)
        # Something inside not checked this run (a budget) shows its target's status.
    if obs.moved_to:
        v.verdict = Verdict.MOVED
        v.moved_to = p.moved_url(link.target, link.raw_url, obs.moved_to)
    elif obs.archived:
        v.verdict = Verdict.ARCHIVED
    else:
        v.verdict = Verdict.ALIVE
    if obs.redirect:
        v.moved_to = obs.redirect  # reported; fixed only when allowed
        why = refusal(link.url, obs.redirect, rules.redirect_domains)
        if rules.fix_redirects and why is None:
            v.verdict = Verdict.MOVED
        elif rules.fix_redirects:
            v.notes.append(f"redirect not written: {why}")
    version = obs.facts().version
    if version:
        v.previous_version = link.target.linked_version or (before.version if before else None)
        v.new_version = bool(v.previous_version and version > v.previous_version)
    return v


def _failing(v: Judgement, st: Status) -> Judgement:
    v.failures_in_a_row, v.failing_since, v.error = st.failures, st.first_failure, st.error
    v.verdict = Verdict.DEAD if st.dead else Verdict.UNKNOWN
    v.not_checked = st.outcome is Outcome.NOT_CHECKED
    return v


def _restored(v: Judgement, p: Provider, before: Entry | None) -> Judgement:
    """A target without a durable answer this run shows its last good observation."""
    if v.verdict == Verdict.DEAD or before is None or not before.data:
        return v
    obs = p.restore(before.data)
    if obs is not None:
        v.observation, v.stale = obs, True
    return v
