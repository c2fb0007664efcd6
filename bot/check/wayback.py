"""Archived copies of dead web links, from the Wayback Machine's availability API
(`GET {api}/wayback/available?url=…&timestamp=YYYYMMDD`): the latest snapshot from
before the link started failing that answered 200. It is offered in the report and the PR;
with `[check] use_archive = true` it replaces the dead link in the list.

One request per dead link, once: the answer is kept in the link's history (a dead link's
last good observation), so later runs ask nothing; it goes away when the link comes back."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import requests

from bot.check.http import Http, net_error
from bot.check.judge import Judgement
from bot.check.model import Verdict, WebObservation
from bot.check.state import State
from bot.config import Config

log = logging.getLogger(__name__)

NAME = "wayback"
PUBLIC_API = "https://archive.org"
KEY = "archive_snapshot"  # in the URL's state entry: the snapshot URL, or "" for none


def endpoint(cfg: Config, env: Mapping[str, str]) -> str:
    return (cfg.check.archive_api or env.get("WAYBACK_API_URL") or PUBLIC_API).rstrip("/")


def offer(verdicts: list[Judgement], state: State, http: Http, api: str) -> int:
    """Attach a snapshot to every dead web link that has one (`Judgement.archive`);
    returns how many were asked for. Asks nothing for a link asked before."""
    entries = state.section("urls")
    asked: dict[str, str | None] = {}
    session = None
    unanswered = 0  # in a row: after two, the archive is out of reach for this run
    try:
        for v in verdicts:
            if v.verdict != Verdict.DEAD or not isinstance(v.observation, WebObservation):
                continue
            url = v.link.url
            entry = entries.get(url)
            if entry is None:
                continue
            if KEY not in entry.data and url not in asked and unanswered < 2:
                session = session or http.session(NAME, headers={"Accept": "application/json"})
                asked[url] = _ask(http, session, api, url, v.failing_since or "")
                unanswered = unanswered + 1 if asked[url] is None else 0
                if asked[url] is not None:
                    entry.data[KEY] = asked[url]
            v.archive = entry.data.get(KEY) or None
    finally:
        if session is not None:
            session.close()
    return len(asked)


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
