"""Archived copies of dead web links, from the Wayback Machine's availability API
(`GET {api}/wayback/available?url=…&timestamp=YYYYMMDD`): the latest snapshot from
before the link started failing that answered 200. It is offered in the report and the PR;
with `[check] use_archive = true` it replaces the dead link in the list.

One lookup per dead link, once: the answer is kept in the link's history (a dead link's
last good observation), so later runs ask nothing; it goes away when the link comes back.
A run asks at most `[check] archive_budget` links (those dead longest first); the rest,
and any lookup the archive did not answer, are asked next run, as nothing was kept for
them. Lookups go in parallel, as many as the run's HTTP policy allows per host
(`[check] per_host`), after a first one alone: when the archive does not answer that one
(or two in a row later), the run asks it nothing more."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from bot.check.http import Http, Sessions, net_error
from bot.check.model import Judgement, Verdict
from bot.check.providers import by_name
from bot.check.state import Entry, State
from bot.config import Config

log = logging.getLogger(__name__)

NAME = "wayback"
PUBLIC_API = "https://archive.org"
KEY = "archive_snapshot"  # in the URL's state entry: the snapshot URL, or "" for none
UNANSWERED_STOP = 2  # lookups in a row without an answer: the archive is out of reach


@dataclass
class Lookups:
    """What one run asked the archive."""

    asked: int = 0  # lookups sent (retries not counted)
    answered: int = 0
    left: int = 0  # dead links without a lookup yet: next run
    unreachable: bool = False  # the archive stopped answering: the rest next run


def endpoint(cfg: Config, env: Mapping[str, str]) -> str:
    return (cfg.check.archive_api or env.get("WAYBACK_API_URL") or PUBLIC_API).rstrip("/")


def offer(verdicts: list[Judgement], state: State, http: Http, api: str,
          budget: int = 100) -> Lookups:  # fmt: skip
    """Attach a snapshot to every dead link that may have one (`Judgement.archive`: a web
    page's, a provider that is `archivable`), asking the archive about at most `budget`
    links never asked (or not answered) before."""
    dead: list[tuple[Judgement, Entry]] = []
    for v in verdicts:
        p = by_name(v.provider)
        entry = state.entries(p.history).get(v.link.url) if p and p.archivable else None
        if v.verdict == Verdict.DEAD and entry is not None:
            dead.append((v, entry))
    since: dict[str, str] = {}
    entries: dict[str, Entry] = {}
    for v, entry in dead:
        entries[v.link.url] = entry
        if KEY not in entry.data:
            since.setdefault(v.link.url, v.failing_since or "")
    todo = sorted(since, key=lambda u: (since[u], u))  # dead longest first, then stable
    answers, lookups = _ask_all(http, api, [(u, since[u]) for u in todo[: max(0, budget)]])
    for url, answer in answers.items():
        if answer is not None:
            entries[url].data[KEY] = answer
    for v, entry in dead:
        v.archive = entry.data.get(KEY) or None
    lookups.left = sum(1 for u in todo if answers.get(u) is None)
    return lookups


def _ask_all(http: Http, api: str, asks: list[tuple[str, str]]
             ) -> tuple[dict[str, str | None], Lookups]:  # fmt: skip
    """The first lookup alone, then the others `per_host` at a time, until two in a row go
    unanswered (in the order they end) or the run stops."""
    answers: dict[str, str | None] = {}
    lookups = Lookups()
    if not asks:
        return answers, lookups
    sessions = Sessions(lambda: http.session(NAME, headers={"Accept": "application/json"},
                                             final_errors=True))  # fmt: skip
    queue = iter(asks)
    lock = threading.Lock()
    unanswered = [0]  # in a row

    def one() -> bool:
        """Ask the next link; False when there is none left or it is time to stop."""
        with lock:
            item = next(queue, None)
            if item is None or unanswered[0] >= UNANSWERED_STOP or http.stop.is_set():
                return False
            lookups.asked += 1
        answer = _ask(http, sessions.get(), api, *item)
        with lock:
            answers[item[0]] = answer
            lookups.answered += answer is not None
            unanswered[0] = 0 if answer is not None else unanswered[0] + 1
        return True

    def worker() -> None:
        while one():
            pass

    try:
        one()
        if unanswered[0]:  # the first lookup went unanswered: ask nothing more
            unanswered[0] = UNANSWERED_STOP
        workers = max(1, min(http.settings.per_host, len(asks) - 1))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=NAME) as pool:
            for future in [pool.submit(worker) for _ in range(workers)]:
                future.result()
    finally:
        sessions.close()
    lookups.unreachable = unanswered[0] >= UNANSWERED_STOP
    return answers, lookups


def _ask(http: Http, session: requests.Session, api: str, url: str, since: str) -> str | None:
    """The snapshot's URL, "" when there is none, None when the API did not answer."""
    stamp = since[:10].replace("-", "")
    try:
        resp = http.get(NAME, session, f"{api}/wayback/available",
                        params={"url": url, "timestamp": stamp})  # fmt: skip
    except requests.RequestException as exc:
        log.info("wayback: no answer for a dead link (%s)", net_error(exc).message)
        return None
    if resp.status_code != 200:
        log.info("wayback: HTTP %d", resp.status_code)
        return None
    try:
        closest = (resp.json().get("archived_snapshots") or {}).get("closest") or {}
    except (ValueError, AttributeError):
        return None
    ok = closest.get("available") and str(closest.get("status")) == "200"
    taken = str(closest.get("timestamp") or "")
    if not ok or (stamp and taken[:8] > stamp):  # a copy made after it died shows the error
        return ""
    return str(closest.get("url") or "").replace(
        "http://web.archive.org/", "https://web.archive.org/"
    )
