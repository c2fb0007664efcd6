"""One check run: collect → every provider (concurrently, through one HTTP policy) → judge.
No printing here, and nothing written: the caller prints, and saves state only with
--write (or on the state branch).

A run stopped by a signal (`bot.check.stop`) ends within about a second: the providers return
what they have (`GRACE`), the judge keeps only good answers (`Rules.count_failures`), no
archived copy is asked, and the result says it was `interrupted`; the new state carries the
mark `meta["interrupted"]` until a complete run saves it again."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

from bot import dates
from bot.check import cache, wayback
from bot.check.collect import Work, collect
from bot.check.http import Http, HttpSettings
from bot.check.judge import Rules, judge
from bot.check.model import (
    CheckResult,
    CredentialsRefused,
    Judgement,
    Outcome,
    ProviderResult,
    Verdict,
)
from bot.check.providers import REGISTRY, Context
from bot.check.state import INTERRUPTED, State
from bot.check.stop import Stop
from bot.config import Config
from bot.parse.markdown import Document

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (provider, advance, total)
GRACE = 1.0  # seconds the providers get to return what they have once the run stops


def _order(state: State, history: str) -> Callable[[list[str]], list[str]]:
    """Never-checked and skipped-last-time first, then the longest unchecked."""

    def order(keys: list[str]) -> list[str]:
        entries = state.entries(history)

        def rank(key: str) -> tuple[int, str]:
            e = entries.get(key)
            if e is None or e.not_checked or not e.last_checked:
                return (0, "")
            return (1, e.last_checked)

        return sorted(keys, key=rank)

    return order


def run_check(
    doc: Document,
    cfg: Config,
    state: State,
    progress: Progress | None = None,
    now: str | None = None,
    env: Mapping[str, str] | None = None,
    stop: Stop | None = None,
) -> CheckResult:
    """The check of `doc`; `stop` ends it early (a first signal only sets it meanwhile)."""
    stop = stop or Stop()
    with stop.graceful():
        run = _Run(doc, cfg, state, progress, now or dates.now(), env, stop)
        return run.judged(_providers(run.provider, stop))


class _Run:
    """One run's shared parts: the work, the HTTP policy, the notes, what was refused."""

    def __init__(self, doc: Document, cfg: Config, state: State, progress: Progress | None,
                 now: str, env: Mapping[str, str] | None, stop: Stop) -> None:  # fmt: skip
        self.cfg, self.state, self.now, self.stop = cfg, state, now, stop
        self.env = dict(os.environ) if env is None else env
        self.work = collect(doc, cfg.check.exclude)
        self.http = Http(HttpSettings.from_config(cfg.check), stop)
        self.tick = progress or (lambda name, n, total: None)
        self.notes: list[str] = []
        self.refused: str | None = None  # a service refused its credentials

    def provider(self, index: int) -> ProviderResult | None:
        """Run one provider on its targets (those the cache cannot answer)."""
        p, cfg = REGISTRY[index], self.cfg
        targets = self.work.targets.get(p.name, [])
        if not targets:
            return None
        total = self.work.counts.get(p.name, len(targets))
        entries = self.state.entries(p.history)
        ask, reused = cache.split(p, targets, entries, self.now, cfg.check.recheck_after)
        self.tick(p.name, len(reused), total)  # the total shows from the start
        ctx = Context(http=self.http, config=cfg, env=self.env, previous=entries,
                      progress=lambda n: self.tick(p.name, n, total),
                      order=_order(self.state, p.history))  # fmt: skip
        try:
            res = p.check(ask, ctx) if ask else ProviderResult()
        except CredentialsRefused as exc:
            self.refused = self.refused or exc.reason
            self.notes.append(f"{exc}: {exc.hint}")
            res = ProviderResult(lost=True)
        if reused:
            res.observations.update(reused)
            res.cached = set(reused)
            days = cfg.check.recheck_after
            res.notes.append(f"{len(reused)} {p.noun} answered well less than {days:g} "
                             "day(s) ago: not asked again")  # fmt: skip
        log.info("%s: %d requests, %d from the cache", p.name, self.http.counts[p.name],
                 len(reused))  # fmt: skip
        return res

    def judged(self, results: dict[str, ProviderResult]) -> CheckResult:
        """The verdicts, the new history and the run's account, from what answered."""
        stopped, notes, c = self.stop.is_set(), self.notes, self.cfg.check
        down = {name for name, r in results.items() if r.lost}
        for r in results.values():
            notes.extend(r.notes)
        cut_short = next((r.incomplete for r in results.values() if r.incomplete), None)
        _discount_network_errors(results, notes)
        rules = Rules(dead_after=c.dead_after, dead_after_days=c.dead_after_days,
                      dead_after_days_5xx=c.dead_after_days_5xx, star_history=c.star_history,
                      fix_redirects=c.fix_redirects, redirect_domains=tuple(c.redirect_domains),
                      count_failures=not stopped)  # fmt: skip
        verdicts, state = judge(self.work.links, results, self.state, self.now, rules)
        if c.archive and not down and not self.refused and not stopped:
            _archived_copies(verdicts, state, self.http, self.cfg, self.env, notes)
        answered = sum(o.outcome is Outcome.OK for r in results.values()
                       for o in r.observations.values())  # fmt: skip
        interrupted = self.stop.name if stopped else None
        if interrupted:
            state.meta[INTERRUPTED] = {"at": self.now, "by": interrupted, "answered": answered,
                                       "of": sum(self.work.counts.values())}  # fmt: skip
        else:
            state.meta.pop(INTERRUPTED, None)
        counts = self.http.counts
        requests = {p.name: counts[p.name] for p in REGISTRY}
        if counts[wayback.NAME]:
            requests[wayback.NAME] = counts[wayback.NAME]
        return CheckResult(verdicts=verdicts, state=state, requests=requests, notes=notes,
                           down=down, refused=self.refused, cut_short=cut_short,
                           counts=self.work.counts, interrupted=interrupted,
                           answered=answered)  # fmt: skip


def _providers(
    run: Callable[[int], ProviderResult | None], stop: Stop
) -> dict[str, ProviderResult]:
    """Every provider at once. Once the run stops they get `GRACE` seconds to return what
    they have; one still going then (a GitHub request in flight, a connection that hangs
    before it is made) is left behind, and its part of the run goes unjudged."""
    pool = ThreadPoolExecutor(max_workers=len(REGISTRY), thread_name_prefix="provider")
    futures = {pool.submit(run, i): p.name for i, p in enumerate(REGISTRY)}
    pending, deadline = set(futures), float("inf")
    try:
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_EXCEPTION)
            for f in done:
                f.result()  # a bug in a provider is raised here
            if stop.is_set():
                deadline = min(deadline, time.monotonic() + GRACE)
                if time.monotonic() >= deadline:
                    break
    finally:
        pool.shutdown(wait=not stop.is_set(), cancel_futures=True)
    out = {futures[f]: f.result() for f in futures if f.done() and not f.cancelled()}
    return {name: res for name, res in out.items() if res is not None}


def _archived_copies(verdicts: list[Judgement], state: State, http: Http, cfg: Config,
                     env: Mapping[str, str], notes: list[str]) -> None:  # fmt: skip
    """Dead web links get their archived copy; with `use_archive` it takes their place."""
    budget = cfg.check.archive_budget
    done = wayback.offer(verdicts, state, http, wayback.endpoint(cfg, env), budget)
    if done.unreachable and done.left:
        notes.append(f"the Wayback Machine did not answer: {done.left} dead links' archived "
                     "copies are looked up next run")  # fmt: skip
    elif done.left:
        notes.append(f"{done.left} dead links' archived copies are looked up next run "
                     f"([check] archive_budget = {budget} a run)")  # fmt: skip
    if not cfg.check.use_archive:
        return
    for v in verdicts:
        if v.verdict == Verdict.DEAD and v.archive:
            v.verdict, v.moved_to = Verdict.MOVED, v.archive


def _discount_network_errors(results: dict[str, ProviderResult], notes: list[str]) -> None:
    """Another service was unreachable: a link that got no answer at all (DNS, refused)
    says more about our network than about the link. Not counted."""
    lost = {name for name, r in results.items() if r.lost}
    for name, r in results.items():
        if not lost - {name}:
            continue
        hits = [o for o in r.observations.values()
                if o.outcome is Outcome.FAIL and o.network_error]  # fmt: skip
        for o in hits:
            o.outcome = Outcome.UNKNOWN
        if hits:
            notes.append(f"{len(hits)} {name} links got no answer while other services were "
                         "unreachable: not counted as failures")  # fmt: skip


__all__ = ["Work", "run_check"]
