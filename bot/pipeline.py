"""The whole evaluation of one list: parse → claim → check → judge → rewrite. Shared by
`check` (a local file) and `pr` (the file read from GitHub), so both show the same diff."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.check.model import CheckResult
from bot.check.providers import classify_links
from bot.check.run import Progress, run_check
from bot.check.state import DECLINED, NOTES, State
from bot.check.stop import Stop
from bot.config import Config
from bot.parse.ignore import ignore_sections
from bot.parse.markdown import Document, parse
from bot.render.rewrite import Memory, RewriteResult, rewrite
from bot.render.templating import environment


@dataclass
class Evaluation:
    doc: Document
    result: CheckResult
    rewritten: RewriteResult | None  # None when the check was incomplete

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
    memory = Memory(declined=frozenset(declined(state)), notes=dict(state.meta.get(NOTES) or {}))
    rewritten = rewrite(doc, result.verdicts, cfg.status, environment(cfg.templates), result.day,
                        memory)  # fmt: skip
    remember_notes(result.state, doc, rewritten)
    return Evaluation(doc, result, rewritten)


def declined(state: State) -> dict[str, str]:
    found = state.meta.get(DECLINED)
    return found if isinstance(found, dict) else {}


def remember_notes(state: State, doc: Document, rw: RewriteResult) -> None:
    """What each note shows in the list now; a link without one keeps what it showed
    last (so a note deleted by hand is known as such); links gone from the list are
    forgotten."""
    before = state.meta.get(NOTES)
    before = before if isinstance(before, dict) else {}
    urls = {lk.url for lk in doc.links}
    notes = {u: k for u, k in before.items() if u in urls}
    notes.update(rw.notes_seen)
    if notes or before:
        state.meta[NOTES] = dict(sorted(notes.items()))
