"""The rewrite engine: a parsed list + this run's judgements → the list's new text, and
why each changed line changed.

Pure and byte-careful. The result is the input with a few edits, each at an exact offset
and never across a line break (so line endings and line numbers are kept), all in places
the bot owns:

- tables: the column whose header carries `<!-- awesome-monitor -->` (`bot.render.columns`),
  added when missing (never over a maintainer's column of the same name);
- lists and paragraphs: a note between `<!-- awesome-monitor -->` markers (`bot.render.spans`
  says where), replaced in place on later runs;
- moved repositories: the URL (and the link text, where it is the URL verbatim).

Every edit carries a reason: an actionable one (`new`, `dead`, `revived`, `archived`,
`new version`, `withdrawn`, `moved`) or `drift` / `layout` / `removed`, which ride along
but never justify a rewrite on their own. A second rewrite with the same judgements is
byte-identical."""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from jinja2 import Environment

from bot.check.model import Judgement, Verdict
from bot.config import StatusConfig
from bot.parse.markdown import (
    NOTE_CLOSE,
    NOTE_OPEN,
    Document,
    Link,
    Row,
    Syntax,
    Table,
    owned_column,
)
from bot.render import silence
from bot.render.columns import Column, aligned, header_for, padded, width
from bot.render.display import ACTIONABLE, ShownText, change_reason
from bot.render.edits import Edit, Held, Memory, RewriteResult, item_id, note_key
from bot.render.sections import match_sections, row_name
from bot.render.spans import NOTE_AT, NOTE_AT_END, Anchor, anchor, url_in_text
from bot.render.status import StatusContext, render_cell, render_note, speaks_for_row

_NOTE_SYNTAX = {Syntax.INLINE, Syntax.REFERENCE, Syntax.AUTOLINK, Syntax.BARE}
# A replacement URL we can write into any link syntax (and table cell) unquoted.
_SAFE_URL = re.compile(r"[^\s<>()\[\]\"'`\\|]+")


def _key(link: Link) -> tuple[str, int, int, int]:
    return link.syntax.value, link.start, link.use_line, link.construct_end


class _Rewriter:
    def __init__(
        self,
        doc: Document,
        verdicts: list[Judgement],
        status: StatusConfig,
        env: Environment,
        today: datetime,
        memory: Memory,
    ) -> None:
        self.doc, self.status, self.env, self.today = doc, status, env, today
        self.memory = memory
        self.kinds = set(status.note_kinds)
        owned = sorted(
            (r.cells[c].start, r.cells[c].end)
            for t in doc.tables
            if (c := owned_column(t)) is not None and not t.nested
            for r in t.rows
            if c < len(r.cells)
        )
        starts = [a for a, _ in owned]

        def in_cell(offset: int) -> bool:
            i = bisect.bisect_right(starts, offset) - 1
            return i >= 0 and offset < owned[i][1]

        # Links in the bot's own cells are its output, never list links.
        self.links = [lk for lk in doc.links if not in_cell(lk.start)]
        keys = {_key(lk) for lk in self.links}
        self.by_link: dict[tuple[str, int, int, int], Judgement] = {}
        for v in verdicts:
            if _key(v.link) in keys:
                self.by_link.setdefault(_key(v.link), v)
        self.by_line: dict[int, list[Link]] = {}
        for lk in self.links:
            self.by_line.setdefault(lk.use_line, []).append(lk)
        self.pad = padded(doc)
        self.cell_at = {  # a link's offset → its cell, in a table someone aligned
            lk.start: c
            for t in doc.tables
            if not t.nested and aligned(doc, t)
            for r in t.rows
            for c in r.cells
            for lk in self.by_line.get(r.line, [])
            if c.start <= lk.start < c.end
        }
        self.edits: list[Edit] = []
        self.result = RewriteResult(text=doc.text)

    def view(self, shown: str | None) -> StatusContext:
        return StatusContext(self.today, self.status, ShownText.read(shown or ""))

    def declined(self, reason: str, subject: str, text: str, line: int) -> bool:
        """Whether a closed pull request declined this very change (then it is held)."""
        if reason not in ACTIONABLE or item_id(reason, subject, text) not in self.memory.declined:
            return False
        self.result.held.append(Held("declined", reason, subject, line, text))
        return True

    def verdicts_of(self, links: list[Link]) -> list[Judgement]:
        return [v for lk in links if (v := self.by_link.get(_key(lk))) is not None]

    def add(self, start: int, end: int, new: str, kind: str, reason: str, subject: str = "",
            text: str = "", before: str = "") -> None:  # fmt: skip
        line = bisect.bisect_right(self.doc.line_starts, start)
        self.edits.append(Edit(start, end, new, kind, line, reason, subject, text, before))

    # -- tables ---------------------------------------------------------------
    def table(self, table: Table) -> None:
        if table.nested:  # rows carry a list or quote prefix: cells are not ours to count
            return
        col = owned_column(table)
        own = [self.by_line.get(row.line, []) for row in table.rows]
        mines = [[lk for lk in ls if lk.kind in self.kinds and speaks_for_row(lk)]
                 for ls in own]  # fmt: skip
        named = _without_column(table, col)  # rows are named by their own cells only
        # Only a row without monitored links of its own takes a section's status; a
        # heading holding the table is no row's own section (match_sections leaves those).
        wanted = [i for i, mine in enumerate(mines) if not mine]
        sections = match_sections(self.doc, named, self.status.sections, wanted)
        # Web links alone make no column (an alive one has nothing to say), but once a
        # table has the column, its dead web links are counted in their row.
        monitored = any(mines)
        if col is None and not monitored and not any(sections.values()):
            return
        if col is None and self.declined("new", "", "", table.first_line):
            return  # a pull request that added the column was closed: no column
        header, notice = header_for(table, self.status.column) if col is None else ("", None)
        column = Column(self.doc, table, col, self.pad)
        texts: list[str] = []
        for i, row in enumerate(table.rows):
            mine, section = mines[i], sections.get(i)
            web = [lk for lk in own[i] if not speaks_for_row(lk) and lk.kind in self.kinds]
            if mine:
                source = self.verdicts_of(mine)
            elif section is not None:
                source = self.verdicts_of(self.doc.links_in_section(section))
            else:
                source = self.verdicts_of(own[i])
                if not own[i]:
                    self.result.unmatched_rows.append(row_name(named, named.rows[i]))
            if mine or section is not None:
                source += self.verdicts_of(web)  # a dead web link is counted in its row
            current = column.current(row)
            text = render_cell(self.env, source, self.view(current))
            if text is not None:
                reason = change_reason(ShownText.read(current or ""), ShownText.read(text))
                if reason and self.declined(reason, row_name(named, named.rows[i]), text,
                                            row.line):  # fmt: skip
                    text = None
            texts.append((current or "") if text is None else text)
        if col is None and not any(texts):
            return  # every row's status was declined: no column
        self.result.tables += 1
        self.result.rows += sum(1 for t in texts if t)
        if col is None:
            self.result.new_columns += 1
            if notice:
                self.result.notices.append(notice)
        rows = {r.start: (named.rows[i], texts[i]) for i, r in enumerate(table.rows)}
        for e in column.edits(header, texts):
            starts = self.doc.line_starts
            row = rows.get(starts[bisect.bisect_right(starts, e.start) - 1])
            if row is None:  # the header or the delimiter
                reason = "new" if col is None else "layout"
                self.add(e.start, e.end, e.new, "cell", reason)
                continue
            old, new = ShownText.read(e.old_text), ShownText.read(row[1])
            reason = change_reason(old, new) or "layout"
            name = row_name(named, row[0])
            self.add(e.start, e.end, e.new, "cell", reason, name, row[1], e.old_text)

    # -- notes ----------------------------------------------------------------
    def notes(self) -> None:
        table_lines = {n for t in self.doc.tables for n in range(t.first_line, t.last_line + 1)}
        heading_lines = {s.line for s in self.doc.sections}
        slots: dict[int, _Slot] = {}
        for lk in self.links:
            if lk.syntax is Syntax.DEFINITION:
                continue
            host = self._host(lk) if lk.syntax is Syntax.IMAGE else None
            where = anchor(self.doc, host or lk)
            if where is None:
                continue
            slot = slots.setdefault(where.at, _Slot(where, host or lk))
            if host is not None:
                slot.images.append(lk)  # a badge: its note goes after the link it is in

        def wanted(lk: Link) -> bool:  # an ignored link (disable comment, …) gets none
            return (
                self.status.notes
                and not lk.ignored
                and lk.kind in self.kinds
                and lk.use_line not in table_lines
                and lk.use_line not in heading_lines
            )

        for slot in slots.values():
            where, lk = slot.where, slot.link
            after = NOTE_AT.match(self.doc.text, lk.construct_end)
            existing = NOTE_AT.match(self.doc.text, where.at)
            if where.line_end and after is not None:  # an earlier note right after the link
                self.add(after.start(), after.end(), "", "note", "layout", lk.raw_url)
            view = self.view(_note_text(existing))
            if lk.syntax is Syntax.IMAGE:  # an image says something only when dead
                main: str | None = self._image_note(lk, view) if wanted(lk) else ""
            elif not wanted(lk) or lk.syntax not in _NOTE_SYNTAX:
                main = ""
            else:
                v = self.by_link.get(_key(lk))
                main = render_note(self.env, v, view) if v else None
            if main is None:  # nothing durable known: what the list shows stays
                if existing is not None:
                    self.result.notes_after[lk.url] = note_key(_note_text(existing) or "")
                continue
            images = [(im, self._image_note(im, view)) for im in slot.images if wanted(im)]
            shown = [(im, n) for im, n in images if n]
            subject = lk if main or not shown else shown[0][0]
            note = " · ".join(n for n in (main, *(n for _, n in shown)) if n)
            self._note(where, existing, note, subject)

    def _host(self, image: Link) -> Link | None:
        """The link whose text is this image (`[![alt](img)](url)`, a badge), if any."""
        if not self.doc.text.startswith("]", image.construct_end):
            return None
        around = [
            lk
            for lk in self.by_line.get(image.use_line, [])
            if lk.syntax in (Syntax.INLINE, Syntax.REFERENCE)
            and lk.construct_end > image.construct_end
        ]
        return min(around, key=lambda lk: lk.construct_end, default=None)

    def _image_note(self, image: Link, view: StatusContext) -> str:
        """An image's note: `image dead since …` when it is dead, else nothing."""
        v = self.by_link.get(_key(image))
        if v is None or v.verdict != Verdict.DEAD:
            return ""
        return render_note(self.env, v, view, image=True) or ""

    def _note(self, where: Anchor, existing, note: str, lk: Link) -> None:  # noqa: ANN001
        old = _note_text(existing)
        if old is not None:
            self.result.notes_seen[lk.url] = note_key(old)
        elif note and self.memory.notes.get(lk.url) == note_key(note):
            # The list had this very note and a person deleted it: theirs is the last word
            # until the link's state changes.
            line = bisect.bisect_right(self.doc.line_starts, where.at)
            self.result.held.append(Held("deleted by hand", "new", lk.raw_url, line, note))
            return
        if note:
            self.result.notes_after[lk.url] = note_key(note)
        end = existing.end() if existing else where.at
        body = f"{NOTE_OPEN}{note}{NOTE_CLOSE}"
        new = (f" ({body})" if where.paren else f" {body}") if note else ""
        if new:
            self.result.notes += 1
        if self.doc.text[where.at : end] == new:
            return
        reason = change_reason(ShownText.read(old or ""), ShownText.read(note)) or "layout"
        line = bisect.bisect_right(self.doc.line_starts, where.at)
        if self.declined(reason, lk.raw_url, note, line):
            if old:
                self.result.notes_after[lk.url] = note_key(old)
            else:
                self.result.notes_after.pop(lk.url, None)
            return
        self.add(where.at, end, new, "note", reason, lk.raw_url, note, old or "")

    # -- moved ----------------------------------------------------------------
    def moved(self) -> None:
        safe = _SAFE_URL
        spans: set[tuple[int, int]] = set()
        for lk in self.links:
            v = self.by_link.get(_key(lk))
            new = v.moved_to if v is not None and v.verdict == Verdict.MOVED else None
            if not new or new == lk.raw_url or not safe.fullmatch(new):
                continue
            if self.declined("moved", lk.raw_url, new, lk.use_line):
                continue
            if (lk.start, lk.end) not in spans:
                spans.add((lk.start, lk.end))
                self.add(lk.start, lk.end, new, "url", "moved", lk.raw_url, new)
                if (lk.raw_url, new) not in self.result.moved:
                    self.result.moved.append((lk.raw_url, new))
            grown = width(new) - width(lk.raw_url)
            if lk.syntax is Syntax.INLINE:
                for a, b in url_in_text(self.doc.text, lk):
                    self.add(a, b, new, "url_text", "moved", lk.raw_url, new)
                    grown += width(new) - width(lk.raw_url)
            self._keep_pipe(lk, grown, new)

    def _keep_pipe(self, lk: Link, grown: int, new: str) -> None:
        """A fixed URL in a cell of an aligned table: the cell's trailing blanks take up the
        difference, so the table stays aligned (an unaligned one is left as it is)."""
        cell = self.cell_at.get(lk.start)
        if cell is None or not grown:
            return
        text = self.doc.text[cell.start : cell.end]
        blanks = len(text) - len(text.rstrip(" "))
        keep = 1 if blanks else 0
        if blanks - grown >= keep:
            self.add(cell.end - blanks, cell.end, " " * (blanks - grown), "url_text", "moved",
                     lk.raw_url, new)  # fmt: skip

    # -- apply ----------------------------------------------------------------
    def apply(self) -> RewriteResult:
        out: list[str] = []
        pos = 0
        for e in sorted(self.edits, key=lambda e: (e.start, e.end)):
            if e.start < pos:  # overlapping edits cannot happen by construction; be safe
                continue
            out.append(self.doc.text[pos : e.start])
            out.append(e.new)
            pos = e.end
            if self.doc.text[e.start : e.end] != e.new:
                self.result.edits.append(e)
                self.result.changed_lines.add(e.line)
        out.append(self.doc.text[pos:])
        self.result.text = "".join(out)
        return self.result


@dataclass
class _Slot:
    """One place a note goes: after `link`, also speaking for the `images` in its text."""

    where: Anchor
    link: Link
    images: list[Link] = field(default_factory=list)


def _note_text(match) -> str | None:  # noqa: ANN001
    if match is None:
        return None
    text = match.group(0)
    return text[text.index(NOTE_OPEN) + len(NOTE_OPEN) : text.rindex(NOTE_CLOSE)]


def rewrite(
    doc: Document,
    verdicts: list[Judgement],
    status: StatusConfig,
    env: Environment,
    today: datetime | None = None,
    memory: Memory | None = None,
) -> RewriteResult:
    """The document with the bot's status written in: see the module docstring. Verdicts
    for links the document does not hold are ignored; what `memory` holds is respected."""
    doc, verdicts, asked = silence.prepare(doc, verdicts, memory or Memory())
    r = _Rewriter(doc, verdicts, status, env, today or datetime.now(UTC), memory or Memory())
    for table in doc.tables:
        r.table(table)
    r.notes()
    r.moved()
    r.edits = asked.joined(r.edits)
    r.result.held += asked.held
    return r.apply()


def _without_column(table: Table, col: int | None) -> Table:
    if col is None:
        return table

    def drop(row: Row) -> Row:
        return dataclasses.replace(row, cells=[c for i, c in enumerate(row.cells) if i != col])

    return dataclasses.replace(table, rows=[drop(r) for r in table.rows])


__all__ = ["NOTE_AT_END", "Edit", "Held", "Memory", "RewriteResult", "item_id", "rewrite"]
