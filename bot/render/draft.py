"""A rewrite in progress (`bot.render.rewrite`): the list, this run's judgements by link,
the edits made so far and what the result records. The parts of the rewrite (the table
column, the notes in `bot.render.notes`, moved links) each work on one `Draft`."""

from __future__ import annotations

import bisect
from datetime import datetime

from jinja2 import Environment

from bot.check.model import Judgement
from bot.config import StatusConfig
from bot.parse.markdown import Document, Link
from bot.render.display import ACTIONABLE, ShownText
from bot.render.edits import Edit, Held, Memory, RewriteResult, item_id
from bot.render.status import StatusContext

Key = tuple[str, int, int, int]


def link_key(link: Link) -> Key:
    """One use of a link in the list (a link and its judgement are matched by it)."""
    return link.syntax.value, link.start, link.use_line, link.construct_end


class Draft:
    """What the parts of a rewrite share; `links` are the list's links (those in the bot's
    own cells left out by the caller)."""

    def __init__(self, doc: Document, links: list[Link], verdicts: list[Judgement],
                 status: StatusConfig, env: Environment, today: datetime,
                 memory: Memory) -> None:  # fmt: skip
        self.doc, self.links, self.status, self.env = doc, links, status, env
        self.today, self.memory = today, memory
        self.kinds = set(status.note_kinds)
        keys = {link_key(lk) for lk in links}
        self.by_link: dict[Key, Judgement] = {}
        for v in verdicts:
            if link_key(v.link) in keys:
                self.by_link.setdefault(link_key(v.link), v)
        self.by_line: dict[int, list[Link]] = {}
        for lk in links:
            self.by_line.setdefault(lk.use_line, []).append(lk)
        self.edits: list[Edit] = []
        self.result = RewriteResult(text=doc.text)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.doc.line_starts, offset)

    def view(self, shown: str | None) -> StatusContext:
        return StatusContext(self.today, self.status, ShownText.read(shown or ""))

    def declined(self, reason: str, subject: str, text: str, line: int) -> bool:
        """Whether a closed pull request declined this very change (then it is held)."""
        if reason not in ACTIONABLE or item_id(reason, subject, text) not in self.memory.declined:
            return False
        self.result.held.append(Held("declined", reason, subject, line, text))
        return True

    def verdicts_of(self, links: list[Link]) -> list[Judgement]:
        return [v for lk in links if (v := self.by_link.get(link_key(lk))) is not None]

    def add(self, start: int, end: int, new: str, kind: str, reason: str, subject: str = "",
            text: str = "", before: str = "") -> None:  # fmt: skip
        line = self.line_of(start)
        self.edits.append(Edit(start, end, new, kind, line, reason, subject, text, before))
