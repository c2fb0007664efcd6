"""The whole evaluation of one list: parse → claim → check → judge → rewrite. Shared by
`check` (a local file) and `pr`/`issue` (the file read from GitHub), so all show the same
diff; and the one place the list's history is loaded from its store and saved back
(`check_list`, `keep`), with what the run did: the refresh policy, what people did to the
bot's last pull request, what the new one is."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot import dates
from bot.check.model import CheckResult
from bot.check.providers import classify_links
from bot.check.run import Progress, run_check
from bot.check.state import DASHBOARD, DECLINED, NOTES, PULL, REFRESHED, State
from bot.check.stop import Stop
from bot.check.store import Store
from bot.config import Config
from bot.parse.ignore import ignore_sections
from bot.parse.markdown import Document, parse
from bot.publish.platform import PublishOutcome
from bot.render.boxes import Asks
from bot.render.rewrite import Memory, RewriteResult, rewrite
from bot.render.templating import environment


@dataclass
class Evaluation:
    doc: Document
    result: CheckResult
    rewritten: RewriteResult | None  # None when the check was incomplete
    refresh_due: bool = False  # drift alone may now be written (`[pr] refresh_after`)

    @property
    def text(self) -> str:
        """The new text of the list (the old one when nothing may change)."""
        return self.rewritten.text if self.rewritten else self.doc.text


def parse_list(text: str, cfg: Config | None = None) -> Document:
    """The list as the bot sees it: its links, each claimed by the provider that checks it;
    those under the `[check] exclude_sections` headings are ignored like those under a
    disable comment."""
    doc = parse(text)
    ignore_sections(doc, cfg.check.exclude_sections if cfg else [])
    return classify_links(doc)


def evaluate(
    text: str,
    cfg: Config,
    state: State,
    progress: Progress | None = None,
    env: Mapping[str, str] | None = None,
    stop: Stop | None = None,
) -> Evaluation:
    doc = parse_list(text, cfg)
    result = run_check(doc, cfg, state, progress, env=env, stop=stop)
    if result.incomplete:
        # Half an answer (a service lost, a signal) must not rewrite the list: statuses would flap.
        return Evaluation(doc, result, None)
    asked = state.record(DASHBOARD).get("silence")
    memory = Memory(declined=frozenset(state.record(DECLINED)), notes=state.record(NOTES),
                    silence=frozenset(x for x in asked or () if isinstance(x, str)))  # fmt: skip
    rewritten = rewrite(doc, result.verdicts, cfg.status, environment(cfg.templates), result.day,
                        memory)  # fmt: skip
    remember_notes(result.state, doc, rewritten)
    due = refresh_due(result.state, cfg.pr.refresh_after, result.state.updated or "")
    return Evaluation(doc, result, rewritten, due)


def check_list(
    store: Store,
    text: str,
    cfg: Config,
    progress: Progress | None = None,
    stop: Stop | None = None,
    catch_up: Callable[[State], None] | None = None,
) -> Evaluation:
    """The check of `text` from the history in `store` (brought up to date first by
    `catch_up`: what people did since the last run). A run stopped by a signal keeps what
    it learned (when the store saves); the caller says so and writes nothing else."""
    state = store.load()
    if catch_up is not None:
        catch_up(state)
    ev = evaluate(text, cfg, state, progress, stop=stop)
    if ev.result.interrupted:
        store.save(ev.result.state)
    return ev


def keep(
    store: Store, ev: Evaluation, written: bool = False, published: PublishOutcome | None = None
) -> None:
    """Save what the run learned, with what it did: the list `written` with every drift, or
    a pull request `published` (what to remember of it, and whether it is a refresh)."""
    state = ev.result.state
    if published is not None and published.memory is not None:
        state.meta[PULL] = published.memory
    if written or (published is not None and published.refreshed):
        state.meta[REFRESHED] = state.updated
    store.save(state)


def refresh_due(state: State, days: int, now: str) -> bool:
    """Whether drift alone may now be proposed: `days` since the list last got it all."""
    last = state.meta.get(REFRESHED)
    if not days or not isinstance(last, str):
        return False
    age = dates.days_between(last, now)
    return age is None or age >= days


def pull_request_fate(state: State, fate: str | None) -> None:
    """What people did to the bot's last pull request (`bot.publish.pull_request.sync`),
    into the history: a merged one's notes are the list's now (so one deleted right after
    the merge is known as deleted); a closed one's changes are declined until they change."""
    if fate is None:
        return
    last = state.record(PULL)
    if fate == "merged":
        state.meta[NOTES] = {**state.record(NOTES), **(last.get("notes") or {})}
    elif fate == "closed":
        declined = state.meta.setdefault(DECLINED, {})
        day = (state.updated or "")[:10] or None
        said = last.get("words") if isinstance(last.get("words"), dict) else {}
        for item in last.get("items") or []:
            words = said.get(item) if isinstance(said.get(item), dict) else {}
            declined.setdefault(item, {**words, "day": day, "pr": last.get("number")})
    # The branch goes on; what its body listed is not listed again by the next one.
    state.meta[PULL] = {k: v for k, v in last.items() if k in ("branch", "listed")}


def remember_notes(state: State, doc: Document, rw: RewriteResult) -> None:
    """What each note shows in the list now; a link without one keeps what it showed
    last (so a note deleted by hand is known as such); links gone from the list are
    forgotten."""
    before = state.record(NOTES)
    urls = {lk.url for lk in doc.links}
    notes = {u: k for u, k in before.items() if u in urls}
    notes.update(rw.notes_seen)
    if notes or before:
        state.meta[NOTES] = dict(sorted(notes.items()))


def dashboard_asks(state: State, asks: Asks | None) -> None:
    """What the dashboard's ticked boxes ask (`None`: there is no open dashboard), into the
    history before the check: the links to silence (the rewrite proposes their disable
    comment), and the declined changes to propose again (no longer declined)."""
    record = state.record(DASHBOARD)
    if asks is None:
        record.pop("silence", None)
        return
    state.meta[DASHBOARD] = {**record, "silence": sorted(asks.silence)}
    declined = state.record(DECLINED)
    for item in asks.undecline:
        declined.pop(item, None)


def keep_dashboard(store: Store, ev: Evaluation, number: int | None) -> None:
    """Where the dashboard issue is, so that `pr` reads its boxes (one request); saved
    again only when it is news."""
    state = ev.result.state
    record = state.record(DASHBOARD)
    if number is None or record.get("number") == number:
        return
    state.meta[DASHBOARD] = {**record, "number": number}
    store.save(state)
