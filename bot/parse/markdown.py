"""Find every link of a Markdown file with its exact position, plus tables and sections.

The links are the ones GitHub shows a reader: what its renderer, cmark-gfm, makes a
link (checked against it in tests/parse/test_gfm_*.py), outside code, comments and front
matter. markdown-it-py, set up in `engine.py`, decides *what* is a link; `links.py`
places each at its span in the source, so `text[link.start:link.end]` is the URL as
written, which is what a later rewrite replaces."""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from itertools import pairwise
from typing import NamedTuple

from markdown_it.token import Token

from bot.parse import blocks, ignore
from bot.parse.blocks import owned_column, status_cells
from bot.parse.engine import block_tokens, expand
from bot.parse.links import LinkFinder
from bot.parse.model import (
    COLUMN_MARK,
    NOTE_CLOSE,
    NOTE_OPEN,
    Cell,
    Document,
    Link,
    Row,
    Section,
    Syntax,
    Table,
    normalise_name,
)

__all__ = [
    "COLUMN_MARK",
    "NOTE_CLOSE",
    "NOTE_OPEN",
    "Cell",
    "Document",
    "Link",
    "Row",
    "Section",
    "Syntax",
    "Table",
    "normalise_name",
    "parse",
    "owned_column",
    "status_cells",
]

# A note is one line: an opening marker without its close never swallows what follows.
_NOTE_RE = re.compile(
    re.escape(NOTE_OPEN) + rf"(?:(?!{re.escape(NOTE_OPEN)})[^\r\n])*?" + re.escape(NOTE_CLOSE)
)


# The block tokens `parse` uses; the others (a million for a 200,000-link list) are dropped
# as each top-level block is parsed.
_KEPT = frozenset(
    {"heading_open", "table_open", "definition", "footnote_open", "footnote_close", "html_block"}
)  # and the inline tokens, as `_Inline`s


def parse(text: str) -> Document:
    """Parse a Markdown document. Raises nothing on odd input: what is not a link is
    simply not reported. The bot's own output, its notes and the cells of its marked
    column, holds no list links."""
    with _collector_paused():
        return _parse(text)


class _Inline(NamedTuple):
    """An inline token, kept small until its links are found (a Token weighs twice as
    much): its content, its lines (the token's `map`), and whether it is a table cell."""

    content: str
    first: int
    last: int
    cell: bool
    type: str = "inline"


def _parse(text: str) -> Document:
    doc = Document(text=text, line_starts=blocks.line_starts(text))
    env: dict = {}
    tokens: list[Token | _Inline] = []

    def keep(chunk: list[Token]) -> None:
        previous = ""
        for tok in chunk:
            if tok.type == "inline":
                if tok.map is not None:
                    cell = previous in ("th_open", "td_open")
                    tokens.append(_Inline(tok.content, tok.map[0], tok.map[1], cell))
            elif tok.type in _KEPT:
                tokens.append(tok)
            previous = tok.type

    keep(block_tokens(blocks.blank_front_matter(text), env, keep))
    owned = [(m.start(), m.end()) for m in _NOTE_RE.finditer(text)]
    doc.sections = blocks.sections(tokens, doc)
    for tok in tokens:
        if tok.type == "table_open" and tok.map:
            table = blocks.table(doc, tok.map, tok.level > 0)
            doc.tables.append(table)
            owned.extend(status_cells(table))
    finder = LinkFinder(doc, owned, env.get("references"))
    for tok in tokens:  # definitions first: uses may come before them
        if tok.type == "definition" and tok.map is not None:
            finder.definition(tok)
    for i, tok in enumerate(tokens):
        tokens[i] = None  # type: ignore[call-overload]  # done with: its memory goes now
        if isinstance(tok, _Inline):
            lines = [tok.first, tok.last]
            finder.inline(tok.content, lines, expand(tok.content, lines, env), tok.cell)
        elif tok.type in ("footnote_open", "footnote_close"):
            finder.footnote(tok)
        elif tok.type == "html_block" and tok.map is not None:
            finder.html_block(tok)
    finder.finish(env.get("footnote_refs", set()))
    ignore.apply(doc, finder.directives, finder.use_offsets)
    links = doc.links
    if any((a.use_line, a.start) > (b.use_line, b.start) for a, b in pairwise(links)):
        links.sort(key=lambda lk: (lk.use_line, lk.start))
    for lk in doc.links:
        lk.section = doc.section_at(lk.use_line)
    for t in doc.tables:
        t.section = doc.section_at(t.first_line)
    return doc


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while parsing: a parse makes millions of objects and
    no cycles, and the collector's full passes over a growing heap cost a 200,000-link
    list a fifth of its parse time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
