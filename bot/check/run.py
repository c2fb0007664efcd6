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
from bot.check.model import CheckResult, Judgement, Outcome, ProviderResult, Verdict, WebObservation
from bot.check.providers import REGISTRY, Context
from bot.check.providers.github_api import TokenRefused
from bot.check.state import State
from bot.check.stop import Stop
from bot.config import Config
from bot.parse.markdown import Document

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (provider, advance, total)
GRACE = 1.0  # seconds the providers get to return what they have once the run stops
INTERRUPTED = "interrupted"  # state.meta: the last save came from a stopped run


def _order(state: State, section: str) -> Callable[[list[str]], list[str]]:
    """Never-checked and skipped-last-time first, then the longest unchecked."""

    def order(keys: list[str]) -> list[str]:
        entries = state.section(section)

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
        return _check(doc, cfg, state, progress, now, env, stop)


def _check(
    doc: Document,
    cfg: Config,
    state: State,
    progress: Progress | None,
    now: str | None,
    env: Mapping[str, str] | None,
    stop: Stop,
) -> CheckResult:
    now = now or dates.now()
    env = dict(os.environ) if env is None else env
    work = collect(doc, cfg.check.exclude)
    http = Http(HttpSettings.from_config(cfg.check), stop)
    tick = progress or (lambda name, n, total: None)
    flags = {"token_refused": False, "budget": False}
    notes: list[str] = []

    def run(p_index: int) -> ProviderResult | None:
        p = REGISTRY[p_index]
        targets = work.targets.get(p.name, [])
        if not targets:
            return None
        total = work.counts.get(p.name, len(targets))
        entries = state.section(p.section)
        ask, reused = cache.split(p, targets, entries, now, cfg.check.recheck_after)
        tick(p.name, len(reused), total)  # the total shows from the start
        ctx = Context(http=http, config=cfg, env=env, previous=entries,
                      progress=lambda n: tick(p.name, n, total),
                      order=_order(state, p.section))  # fmt: skip
        try:
            res = p.check(ask, ctx) if ask else ProviderResult()
        except TokenRefused as exc:
            flags["token_refused"] = True
            notes.append(f"{exc}: check GITHUB_TOKEN")
            res = ProviderResult(lost=True)
        if reused:
            res.observations.update(reused)
            res.cached = set(reused)
            days = cfg.check.recheck_after
            res.notes.append(f"{len(reused)} {p.what} answered well less than {days:g} "
                             "day(s) ago: not asked again")  # fmt: skip
        log.info("%s: %d requests, %d from the cache", p.name, http.counts[p.name], len(reused))
        return res

    results = _providers(run, stop)
    stopped = stop.is_set()
    down = {name for name, r in results.items() if r.lost}
    for name, r in results.items():
        notes.extend(r.notes)
        if name == "github" and r.budget_spent and env_token(env):
            flags["budget"] = True
    if down - {"web"} and "web" in results:
        _discount_web_network_errors(results["web"], notes)
    verdicts, new_state = judge(
        work.links,
        results,
        state,
        now,
        Rules(
            dead_after=cfg.check.dead_after,
            dead_after_days=cfg.check.dead_after_days,
            dead_after_days_5xx=cfg.check.dead_after_days_5xx,
            star_history=cfg.check.star_history,
            fix_redirects=cfg.check.fix_redirects,
            redirect_domains=tuple(cfg.check.redirect_domains),
            count_failures=not stopped,
        ),
    )
    if cfg.check.archive and not down and not flags["token_refused"] and not stopped:
        _archived_copies(verdicts, new_state, http, cfg, env, notes)
    answered = sum(o.outcome is Outcome.OK for r in results.values()
                   for o in r.observations.values())  # fmt: skip
    interrupted = stop.name if stop.is_set() else None
    if interrupted:
        new_state.meta[INTERRUPTED] = {"at": now, "by": interrupted, "answered": answered,
                                       "of": sum(work.counts.values())}  # fmt: skip
    else:
        new_state.meta.pop(INTERRUPTED, None)
    return CheckResult(
        verdicts=verdicts,
        state=new_state,
        requests={
            **{p.name: http.counts[p.name] for p in REGISTRY},
            **({wayback.NAME: http.counts[wayback.NAME]} if http.counts[wayback.NAME] else {}),
        },  # fmt: skip
        notes=notes,
        down=down,
        token_refused=flags["token_refused"],
        budget_spent_with_token=flags["budget"],
        counts=work.counts,
        interrupted=interrupted,
        answered=answered,
    )


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


def env_token(env: Mapping[str, str]) -> bool:
    return bool((env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or "").strip())


def _discount_web_network_errors(web: ProviderResult, notes: list[str]) -> None:
    """GitHub or arXiv was unreachable: a web link that got no answer at all (DNS,
    refused) says more about our network than about the link. Not counted."""
    hits = [
        o
        for o in web.observations.values()
        if isinstance(o, WebObservation) and o.outcome is Outcome.FAIL and o.network_error
    ]
    for o in hits:
        o.outcome = Outcome.UNKNOWN
    if hits:
        notes.append(f"{len(hits)} web links got no answer while other services were "
                     "unreachable: not counted as failures")  # fmt: skip


__all__ = ["Work", "run_check"]
