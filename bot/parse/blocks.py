"""Lines, sections and tables of a document: offsets into the text as written."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from bot.parse.model import COLUMN_MARK, Cell, Document, Row, Section, Table

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*$", re.S | re.M)


def blank_front_matter(text: str) -> str:
    """YAML front matter is not Markdown: blank it out (same length, same line
    breaks) so every offset still points into the original text."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return text
    blanked = re.sub(r"[^\r\n]", " ", m.group(0))
    return blanked + text[m.end() :]


def line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer(r"\r\n|\n|\r", text):
        starts.append(m.end())
    return starts


def line_end(doc: Document, idx0: int) -> int:
    """Offset of the end of 0-based line idx0, before its line break."""
    if idx0 + 1 < len(doc.line_starts):
        end = doc.line_starts[idx0 + 1]
        while end > doc.line_starts[idx0] and doc.text[end - 1] in "\r\n":
            end -= 1
        return end
    return len(doc.text)


def position(doc: Document, offset: int) -> tuple[int, int]:
    """Absolute offset → (1-based line, 0-based column)."""
    idx = bisect.bisect_right(doc.line_starts, offset) - 1
    return idx + 1, offset - doc.line_starts[idx]


def sections(tokens: Sequence[Any], doc: Document) -> list[Section]:
    """The headings of `tokens` (block tokens, or anything with their `type`, `map`, `tag`
    and, for the token after a heading's, `content`)."""
    heads: list[Section] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map:
            title = tokens[i + 1].content.strip()
            heads.append(Section(title, int(tok.tag[1:]), tok.map[0] + 1, 0))
    last_line = len(doc.line_starts)
    for i, s in enumerate(heads):
        nxt = next((h for h in heads[i + 1 :] if h.level <= s.level), None)
        s.end_line = nxt.line - 1 if nxt else last_line
    return heads


def _split_row(doc: Document, idx0: int) -> Row:
    """Split one table line into cells on unescaped pipes (GFM rule)."""
    start, end = doc.line_starts[idx0], line_end(doc, idx0)
    line = doc.text[start:end]
    pipes = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
    stripped = line.strip()
    leading = stripped.startswith("|")
    trailing = stripped.endswith("|") and not stripped.endswith("\\|") and len(stripped) > 1
    bounds = [-1, *pipes, len(line)] if not leading else [*pipes, len(line)]
    if trailing:
        bounds = bounds[:-1]
    cells = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        cells.append(Cell(start + a + 1, start + b, line[a + 1 : b]))
    return Row(idx0 + 1, start, end, cells, leading, trailing)


def table(doc: Document, span: list[int], nested: bool = False) -> Table:
    first, last = span
    rows = [_split_row(doc, i) for i in range(first, last)]
    return Table(header=rows[0], delimiter=rows[1], rows=rows[2:], nested=nested)


def owned_column(table: Table) -> int | None:
    """The index of the bot's column: the one whose header cell carries `COLUMN_MARK`."""
    cells = table.header.cells
    return next((i for i, c in enumerate(cells) if COLUMN_MARK in c.text), None)


def status_cells(table: Table) -> list[tuple[int, int]]:
    """Spans of the body cells of the bot's column, if the table has one."""
    idx = None if table.nested else owned_column(table)
    if idx is None:
        return []
    return [(r.cells[idx].start, r.cells[idx].end) for r in table.rows if idx < len(r.cells)]
