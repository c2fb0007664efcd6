"""Find every link of a Markdown file with its exact position, plus tables and sections.

The links are the ones GitHub shows a reader: what its renderer, cmark-gfm, makes a
link (checked against it in tests/test_gfm_*.py), outside code, comments and front
matter. markdown-it-py, set up in `engine.py`, decides *what* is a link; `links.py`
places each at its span in the source, so `text[link.start:link.end]` is the URL as
written, which is what a later rewrite replaces."""

from __future__ import annotations

import re

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


def parse(text: str) -> Document:
    """Parse a Markdown document. Raises nothing on odd input: what is not a link is
    simply not reported. The bot's own output, its notes and the cells of its marked
    column, holds no list links."""
    doc = Document(text=text, line_starts=blocks.line_starts(text))
    env: dict = {}
    tokens = block_tokens(blocks.blank_front_matter(text), env)
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
    previous = ""
    for tok in tokens:
        kind = tok.type
        if kind in ("footnote_open", "footnote_close"):
            finder.footnote(tok)
        elif tok.map is None:
            pass
        elif kind == "inline":
            expand(tok, env)
            finder.inline(tok, cell=previous in ("th_open", "td_open"))
            tok.children = None
        elif kind == "html_block":
            finder.html_block(tok)
        previous = kind
    finder.finish(env.get("footnote_refs", set()))
    ignore.apply(doc, finder.directives, finder.use_offsets)
    doc.links.sort(key=lambda lk: (lk.use_line, lk.start))
    for lk in doc.links:
        lk.section = doc.section_at(lk.use_line)
    for t in doc.tables:
        t.section = doc.section_at(t.first_line)
    return doc
