"""The rewrite engine: a parsed list + this run's verdicts → the list's new text.

Pure and byte-careful. The result is the input with a few edits, each at an exact
offset and never across a line break (so line endings and line numbers are kept):

- tables: the bot owns one column (`status.column`), added at the end of the header,
  the alignment row and every body row, then updated in place (found by its header);
- lists and paragraphs: a note right after a monitored link,
  ` <!-- awesome-monitor -->★ 1.2k · 2024-03<!-- /awesome-monitor -->`, replaced in
  place on later runs (a note the link no longer wants is removed);
- moved repositories: the URL (and the link text, where it is the URL verbatim).

Every edit lands in a canonical form that the next run finds and rewrites to the same
bytes, so a second rewrite with the same verdicts is byte-identical."""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field

from jinja2 import Environment

from bot.check.judge import Judgement
from bot.check.model import Verdict
from bot.config import StatusConfig
from bot.parse.markdown import (
    NOTE_CLOSE,
    NOTE_OPEN,
    Document,
    Link,
    Row,
    Syntax,
    Table,
    status_cells,
)
from bot.render.sections import match_sections, row_name
from bot.render.status import escape_cell, render_cell, render_note

# An existing note right at a link's end (same line; the space before it is ours too).
_NOTE_AT = re.compile(r"[ \t]*" + re.escape(NOTE_OPEN) + r"[^\r\n]*?" + re.escape(NOTE_CLOSE))
# A replacement URL we can write into any link syntax (and table cell) unquoted.
_SAFE_URL = re.compile(r"[^\s<>()\[\]\"'`\\|]+")
_NOTE_SYNTAX = {Syntax.INLINE, Syntax.REFERENCE, Syntax.AUTOLINK, Syntax.BARE}


@dataclass(frozen=True)
class Edit:
    start: int  # span in the input text
    end: int
    new: str
    kind: str  # cell | note | url | url_text
    line: int  # 1-based line (the same in input and output)


@dataclass
class RewriteResult:
    text: str
    unmatched_rows: list[str] = field(default_factory=list)  # row names without a status
    changed_lines: set[int] = field(default_factory=set)  # 1-based, same in input and output
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old URL, new URL) replaced
    edits: list[Edit] = field(default_factory=list)  # the edits that changed bytes
    tables: int = 0  # tables with a status column
    notes: int = 0  # notes written

    @property
    def changed(self) -> bool:
        return bool(self.changed_lines)


def _key(link: Link) -> tuple[str, int, int, int]:
    return link.syntax.value, link.start, link.use_line, link.construct_end


class _Rewriter:
    def __init__(
        self, doc: Document, verdicts: list[Judgement], status: StatusConfig, env: Environment
    ) -> None:
        self.doc, self.status, self.env = doc, status, env
        self.kinds = set(status.note_kinds)
        owned = sorted(span for t in doc.tables for span in status_cells(t, status.column))
        starts = [a for a, _ in owned]

        def in_cell(offset: int) -> bool:
            i = bisect.bisect_right(starts, offset) - 1
            return i >= 0 and offset < owned[i][1]

        # Links in the bot's own cells are its output (when the caller parsed without
        # `status_column`): never list links.
        self.links = [lk for lk in doc.links if not in_cell(lk.start)]
        keys = {_key(lk) for lk in self.links}
        self.by_link: dict[tuple[str, int, int, int], Judgement] = {}
        for v in verdicts:
            if _key(v.link) in keys:
                self.by_link.setdefault(_key(v.link), v)
        self.by_line: dict[int, list[Link]] = {}
        for lk in self.links:
            self.by_line.setdefault(lk.use_line, []).append(lk)
        self.edits: list[Edit] = []
        self.result = RewriteResult(text=doc.text)

    def verdicts_of(self, links: list[Link]) -> list[Judgement]:
        return [v for lk in links if (v := self.by_link.get(_key(lk))) is not None]

    def add(self, start: int, end: int, new: str, kind: str) -> None:
        line = bisect.bisect_right(self.doc.line_starts, start)
        self.edits.append(Edit(start, end, new, kind, line))

    # -- tables ---------------------------------------------------------------
    def table(self, table: Table) -> None:
        if table.nested:  # rows carry a list or quote prefix: cells are not ours to count
            return
        col = table.column(self.status.column)
        own = [self.by_line.get(row.line, []) for row in table.rows]
        named = _without_column(table, col)  # rows are named by their own cells only
        sections = match_sections(self.doc, named, self.status.sections)
        for i, s in sections.items():  # a heading holding the table is no row's own section
            if s is not None and s.line <= table.first_line <= s.end_line:
                sections[i] = None
        monitored = any(lk.kind in self.kinds for links in own for lk in links)
        if col is None and not monitored and not any(sections.values()):
            return
        self.result.tables += 1
        target = len(table.header.cells) if col is None else col
        texts: list[str] = []
        for i in range(len(table.rows)):
            mine = [lk for lk in own[i] if lk.kind in self.kinds]
            if mine:
                source = self.verdicts_of(mine)
            elif sections[i] is not None:
                source = self.verdicts_of(self.doc.links_in_section(sections[i]))
            elif own[i]:
                source = self.verdicts_of(own[i])
            else:
                source = []
                self.result.unmatched_rows.append(row_name(named, named.rows[i]))
            texts.append(render_cell(self.env, source))
        # Cells are not padded to a common width: one changed cell must not rewrite
        # every row of the table.
        if col is None:
            self.cell(table.header, target, escape_cell(self.status.column), insert=True)
            self.cell(table.delimiter, target, _alignment(table), insert=True)
        for row, text in zip(table.rows, texts, strict=True):
            self.cell(row, target, text, insert=col is None)

    def cell(self, row: Row, index: int, text: str, insert: bool) -> None:
        """Write `text` as cell `index` of `row`, in one canonical form per row shape:
        ` text |` after a trailing pipe, ` | text` at the end of a row without one,
        padding a short (ragged) row with empty cells first."""
        line = self.doc.text[row.start : row.end]
        content_end = row.start + len(line.rstrip())
        cells = row.cells
        if index < len(cells):
            cell = cells[index]
            if insert:  # a new column before surplus cells (GFM ignores those anyway)
                self.add(cell.start, cell.start, f" {text} |", "cell")
            elif index < len(cells) - 1 or row.trailing_pipe:
                self.add(cell.start, cell.end, f" {text} ", "cell")
            elif text:
                self.add(cell.start, cell.end, f" {text}", "cell")
            elif cell.start > row.start:
                # Empty and last without a closing pipe: drop the cell, pipe and all,
                # as a row without it is the stable form of an empty status.
                self.add(cell.start - 1, cell.end, "", "cell")
            return
        pieces = [""] * (index - len(cells)) + [text]
        if row.trailing_pipe:
            self.add(content_end, content_end, "".join(f" {p} |" for p in pieces), "cell")
        elif text:
            self.add(row.end, row.end, "".join(f" | {p}" for p in pieces), "cell")

    # -- notes ----------------------------------------------------------------
    def notes(self) -> None:
        table_lines = {n for t in self.doc.tables for n in range(t.first_line, t.last_line + 1)}
        heading_lines = {s.line for s in self.doc.sections}
        done: set[int] = set()
        for lk in self.links:
            at = _construct_end(self.doc, lk)
            if at is None or at in done or lk.syntax is Syntax.DEFINITION:
                continue
            done.add(at)
            existing = _NOTE_AT.match(self.doc.text, at)
            wanted = (
                self.status.notes
                and lk.kind in self.kinds
                and lk.syntax in _NOTE_SYNTAX
                and lk.use_line not in table_lines
                and lk.use_line not in heading_lines
            )
            end = existing.end() if existing else at
            if not wanted:
                if existing:
                    self.add(at, end, "", "note")
                continue
            v = self.by_link.get(_key(lk))
            if v is None:  # nothing known this run: leave any note as it is
                continue
            self.add(at, end, f" {NOTE_OPEN}{render_note(self.env, v)}{NOTE_CLOSE}", "note")
            self.result.notes += 1

    # -- moved ----------------------------------------------------------------
    def moved(self) -> None:
        spans: set[tuple[int, int]] = set()
        for lk in self.links:
            v = self.by_link.get(_key(lk))
            new = v.moved_to if v is not None and v.verdict == Verdict.MOVED else None
            if not new or new == lk.raw_url or not _SAFE_URL.fullmatch(new):
                continue
            if (lk.start, lk.end) not in spans:
                spans.add((lk.start, lk.end))
                self.add(lk.start, lk.end, new, "url")
                if (lk.raw_url, new) not in self.result.moved:
                    self.result.moved.append((lk.raw_url, new))
            if lk.syntax is Syntax.INLINE:
                for a, b in _url_in_text(self.doc.text, lk):
                    self.add(a, b, new, "url_text")

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
    doc: Document, verdicts: list[Judgement], status: StatusConfig, env: Environment
) -> RewriteResult:
    """The document with the bot's status written in: see the module docstring.
    `doc` should be parsed with `status_column=status.column`; verdicts for links the
    document does not hold are ignored."""
    r = _Rewriter(doc, verdicts, status, env)
    for table in doc.tables:
        r.table(table)
    r.notes()
    r.moved()
    return r.apply()


def _without_column(table: Table, col: int | None) -> Table:
    if col is None:
        return table

    def drop(row: Row) -> Row:
        return dataclasses.replace(row, cells=[c for i, c in enumerate(row.cells) if i != col])

    return dataclasses.replace(table, rows=[drop(r) for r in table.rows])


def _alignment(table: Table) -> str:
    """The new column aligns like the last one: `---`, `:---`, `---:` or `:---:`."""
    last = table.delimiter.cells[-1].text.strip() if table.delimiter.cells else ""
    left, right = last.startswith(":"), last.endswith(":") and len(last) > 1
    return f"{':' if left else ''}---{':' if right else ''}"


_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_BRACKETS = re.compile(r"\\.|\[|\]|[\r\n]")
_LABEL = re.compile(r"\[(?:[^\[\]\\\r\n]|\\.)*\]")


def _depth(s: str) -> int:
    """Unescaped `[` minus `]`, code spans left out."""
    s = _CODE_SPAN.sub("", re.sub(r"\\.", "", s))
    return s.count("[") - s.count("]")


def _construct_end(doc: Document, lk: Link) -> int | None:
    """Where a link's note goes. For reference uses the parser's end can fall inside
    the link text (`[![alt][badge]][ref]`): check that the brackets opened on the line
    are closed there, else walk on to the closing `]` and its `[label]`; None when
    unsure (no note is better than a note inside a link)."""
    at = lk.construct_end
    # The construct must end as its syntax does; anything else means the parser lost
    # track (a reference use and an inline link to the same URL in one paragraph).
    closing = {Syntax.INLINE: ")", Syntax.REFERENCE: "]", Syntax.AUTOLINK: ">"}.get(lk.syntax)
    if closing and not doc.text.startswith(closing, at - 1):
        return None
    if lk.syntax is Syntax.REFERENCE and doc.text.startswith(("(", "["), at):
        return None  # really the text of a following inline link: a note would break it
    if lk.syntax is not Syntax.REFERENCE:
        return at
    line_start = doc.line_starts[bisect.bisect_right(doc.line_starts, at) - 1]
    depth = _depth(doc.text[line_start:at])
    if depth <= 0:
        return at
    for m in _BRACKETS.finditer(doc.text, at):
        tok = m.group()
        if tok in "\r\n":
            return None
        depth += {"[": 1, "]": -1}.get(tok, 0)
        if depth == 0:
            label = _LABEL.match(doc.text, m.end())
            return label.end() if label else m.end()
    return None


_URL_TAIL = r"(?![\w/#?%~+=&@-]|\.\w)"


def _url_in_text(text: str, lk: Link) -> list[tuple[int, int]]:
    """Spans of the link's old URL written verbatim in its text (`[https://x](https://x)`,
    `[name : https://x](https://x)`); nothing when the text holds other links."""
    i = lk.start
    if i > 0 and text[i - 1] == "<":
        i -= 1
    while i > 0 and text[i - 1] in " \t\r\n":
        i -= 1
    if not text.startswith("](", i - 2):
        return []
    close = i - 2
    depth, j = 0, close - 1
    while j >= 0:
        c = text[j]
        escaped = j > 0 and text[j - 1] == "\\"
        if c == "]" and not escaped:
            depth += 1
        elif c == "[" and not escaped:
            if depth == 0:
                break
            depth -= 1
        j -= 1
    if j < 0:
        return []
    inner = text[j + 1 : close]
    if "](" in inner or "<" in inner:
        return []
    pattern = re.compile(r"(?<![\w/.:%-])" + re.escape(lk.raw_url) + _URL_TAIL)
    return [(j + 1 + m.start(), j + 1 + m.end()) for m in pattern.finditer(inner)]
