"""The bot's column in a table: which one it owns, and the bytes of its cells.

Ownership: the bot's column carries `<!-- awesome-monitor column -->` in its header cell
(invisible on GitHub, kept when the maintainer renames the header). A column with the
configured name but no mark is the maintainer's and is never touched: the bot adds its own
column under another header and says so.

Layout (what awesome-lint's table rules accept, see tests/render/test_awesome_lint.py): every
cell of the column has the same width W, padded like the document's first table (one space
each side, or none); the delimiter is W dashes. W is the widest cell plus some room, rounded
up to a multiple of 8, and never shrinks, so a status that changes within W rewrites only its
own row. Widths are measured like remark does: UTF-16 code units of the source."""

from __future__ import annotations

from dataclasses import dataclass

from bot.parse.markdown import COLUMN_MARK, Document, Row, Table

STEP = 8
# Room left when the width is set or grows, so a cell that gains "· 1 archived" next week
# still fits and does not re-pad every row of the table.
SLACK = 12
FALLBACK_HEADERS = ("Link status", "Status (awesome-monitor)")


def width(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def header_for(table: Table, wanted: str) -> tuple[str, str | None]:
    """The header of a new bot column, and a notice when the configured name is taken."""
    taken = {c.text.strip().casefold() for c in table.header.cells}
    if wanted.strip().casefold() not in taken:
        return f"{wanted} {COLUMN_MARK}", None
    name = next((h for h in FALLBACK_HEADERS if h.casefold() not in taken), FALLBACK_HEADERS[-1])
    return f"{name} {COLUMN_MARK}", (
        f"the table at line {table.first_line} has its own '{wanted}' column, which stays as "
        f"it is: the bot's column is '{name}'"
    )


def padded(doc: Document) -> bool:
    """The padding style of the document, as remark-lint-table-cell-padding reads it: the
    last cell (header, delimiter, body; left to right) that is the widest of its column in
    the first table decides: padded when a space follows its opening pipe."""
    if not doc.tables:
        return True
    table = doc.tables[0]
    rows = [table.header, table.delimiter, *table.rows]
    widest: dict[int, int] = {}
    for r in rows:
        for i, c in enumerate(r.cells):
            widest[i] = max(widest.get(i, 0), width(c.text.strip(" ")))
    style = True
    for r in rows:
        for i, c in enumerate(r.cells):
            w = width(c.text.strip(" "))
            if w and w == widest[i]:
                style = c.text.startswith(" ") or (i == 0 and not r.leading_pipe)
    return style


def aligned(doc: Document, table: Table) -> bool:
    """Whether every row's pipes sit at the same columns (a table someone aligned)."""

    def pipes(row: Row) -> list[int]:
        line = doc.text[row.start : row.end].rstrip()
        return [
            width(line[:i]) for i, ch in enumerate(line) if ch == "|" and line[i - 1 : i] != "\\"
        ]

    rows = [table.header, table.delimiter, *table.rows]
    return len({tuple(pipes(r)) for r in rows}) == 1


@dataclass(frozen=True)
class CellEdit:
    start: int
    end: int
    new: str
    old_text: str  # the cell's text before (stripped), "" for a new cell


class Column:
    """Writes one table's bot column: cell contents in, byte edits out."""

    def __init__(self, doc: Document, table: Table, index: int | None, pad: bool) -> None:
        self.doc, self.table, self.index = doc, table, index
        self.p = " " if pad else ""
        self.old_width = 0
        if index is not None and index < len(table.delimiter.cells):
            dashes = table.delimiter.cells[index].text.strip().strip(":")
            self.old_width = len(dashes) if set(dashes) == {"-"} else 0

    def current(self, row: Row) -> str | None:
        """The text a row's bot cell shows now (None: the row has no such cell)."""
        if self.index is None or self.index >= len(row.cells):
            return None
        return row.cells[self.index].text.strip()

    def edits(self, header: str, texts: list[str]) -> list[CellEdit]:
        """Edits that make the column show `texts` (one per body row, in order)."""
        head = self.current(self.table.header) or header
        w = max([3, width(head), *(width(t) for t in texts)])
        w = self.old_width if w <= self.old_width else -(-(w + SLACK) // STEP) * STEP
        out = [self._cell(self.table.header, head, w), self._cell(self.table.delimiter, "-" * w, w)]
        out += [self._cell(row, t, w) for row, t in zip(self.table.rows, texts, strict=True)]
        return [e for e in out if e is not None]

    def _cell(self, row: Row, text: str, w: int) -> CellEdit | None:
        body = self.p + text + " " * (w - width(text)) + self.p
        line = self.doc.text[row.start : row.end]
        content_end = row.start + len(line.rstrip())
        cells = row.cells
        i = self.index
        if i is not None and i < len(cells):
            cell = cells[i]
            old = self.doc.text[cell.start : cell.end]
            if i == len(cells) - 1 and not row.trailing_pipe:  # `a | b | status`
                if not text and cell.start > row.start:
                    # An empty last cell would read as a closing pipe: drop it, pipe and all.
                    return CellEdit(cell.start - 1, cell.end, "", old.strip())
                new = f" {text}"
            else:
                new = body
            return None if old == new else CellEdit(cell.start, cell.end, new, old.strip())
        # A new cell: after the row's last pipe, or ` | text` on a row without one; a short
        # (ragged) row first gets the empty cells it lacks.
        columns = len(self.table.header.cells) if i is None else i
        if len(cells) > columns:  # surplus cells (GFM ignores them): the new one goes first
            surplus = cells[columns]
            return CellEdit(surplus.start, surplus.start, body + "|", "")
        missing = columns - len(cells)
        if row.trailing_pipe:
            fill = f"{self.p}{self.p}|" * missing
            return CellEdit(content_end, content_end, fill + body + "|", "")
        if not text:  # nothing to say, and an empty last cell would read as a closing pipe
            return None
        fill = " |" * missing  # after the line's trailing blanks: they belong to its last cell
        return CellEdit(row.end, row.end, f"{fill} | {text}", "")
