"""The rewrite engine: a parsed list + this run's judgements → the list's new text, and
why each changed line changed.

Pure and byte-careful. The result is the input with a few edits, each at an exact offset
and never across a line break (so line endings and line numbers are kept), all in places
the bot owns:

- tables: the column whose header carries `<!-- awesome-monitor -->` (`bot.render.columns`),
  added when missing (never over a maintainer's column of the same name);
- lists: a note between `<!-- awesome-monitor -->` markers on each entry, and `dead since`
  wherever a dead link is (`bot.render.notes` says which, `bot.render.spans` where),
  replaced in place on later runs;
- moved repositories: the URL (and the link text, where it is the URL verbatim).

Every edit carries a reason: an actionable one (`new`, `dead`, `revived`, `archived`,
`new version`, `withdrawn`, `moved`) or `drift` / `layout` / `removed`, which ride along
but never justify a rewrite on their own. A second rewrite with the same judgements is
byte-identical."""

from __future__ import annotations

import bisect
import dataclasses
import re
from datetime import UTC, datetime

from jinja2 import Environment

from bot.check.model import Judgement, Verdict
from bot.config import StatusConfig
from bot.parse.markdown import (
    Document,
    Link,
    Row,
    Syntax,
    Table,
    owned_column,
)
from bot.render import silence
from bot.render.columns import Column, aligned, header_for, padded, width
from bot.render.display import ShownText, change_reason
from bot.render.draft import Draft, link_key
from bot.render.edits import Edit, Held, Memory, RewriteResult, item_id
from bot.render.notes import write_notes
from bot.render.sections import match_sections, row_name
from bot.render.spans import NOTE_AT_END, url_in_text
from bot.render.status import render_cell, speaks_for_row

# A replacement URL we can write into any link syntax (and table cell) unquoted.
_SAFE_URL = re.compile(r"[^\s<>()\[\]\"'`\\|]+")


class _Rewriter(Draft):
    def __init__(
        self,
        doc: Document,
        verdicts: list[Judgement],
        status: StatusConfig,
        env: Environment,
        today: datetime,
        memory: Memory,
    ) -> None:
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
        links = [lk for lk in doc.links if not in_cell(lk.start)]
        super().__init__(doc, links, verdicts, status, env, today, memory)
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

    # -- moved ----------------------------------------------------------------
    def moved(self) -> None:
        safe = _SAFE_URL
        spans: set[tuple[int, int]] = set()
        for lk in self.links:
            v = self.by_link.get(link_key(lk))
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
    write_notes(r)
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
