"""Place every link markdown-it found at its exact span in the source.

markdown-it decides *what* is a link; it does not say *where* an inline link sits.
Autolinks carry their offset in the inline content (see `engine.py`), which maps back
onto the line it came from. Other links are located by walking the block's inline
tokens in order with a cursor, matching the destination exactly as markdown-it would
normalise it. Either way `text[link.start:link.end]` is the URL as written (escapes,
entities and percent-escapes as they are in the file), which is what a rewrite
replaces; `link.href` is where a click goes."""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Sequence
from typing import Any

from markdown_it.common.utils import normalizeReference, unescapeAll
from markdown_it.token import Token

from bot.parse import rawhtml
from bot.parse.blocks import line_end, position
from bot.parse.dest import (
    AFTER_DEST,
    DEFINITION_DEST,
    LABEL,
    REFERENCE_USE,
    decode_entities,
    merge,
    monitorable,
    read_destination,
    reference_label,
    same_destination,
)
from bot.parse.engine import md
from bot.parse.ignore import Directive, directive
from bot.parse.model import Document, Link, Syntax
from bot.parse.target import classify

_SPACE = re.compile(r"\s")


class LinkFinder:
    def __init__(
        self,
        doc: Document,
        owned: list[tuple[int, int]],
        references: dict[str, dict] | None = None,
    ) -> None:
        self.doc = doc
        self.references = references or {}  # normalised label → markdown-it's definition
        self.owned = merge(owned)
        self._owned_starts = [a for a, _ in self.owned]
        self.definitions: dict[str, Link] = {}  # href → first definition of that URL
        self._def_at: dict[int, Link] = {}  # 0-based line → definition written there
        self._used: set[int] = set()  # starts of definitions some link uses
        self._footnote: list[str | None] = []  # labels of the footnotes being walked
        self._in_footnote: list[tuple[Link, str | None]] = []
        self.use_offsets: dict[int, int] = {}  # id(reference link) → offset of its use
        self.directives: list[Directive] = []
        self._cursor_map: tuple[int, int] | None = None
        self._cursor = 0
        self._end = 0
        self._src = ""
        self._src_lines: list[int] | None = None
        self._map0 = 0
        self._cell: int | None = None  # a table cell's content offset, when found
        self._cell_end = 0

    # -- helpers ------------------------------------------------------------
    def _block(self, span: list[int]) -> tuple[int, int]:
        start = self.doc.line_starts[span[0]]
        end = self.doc.line_starts[span[1]] if span[1] < len(self.doc.line_starts) else None
        return start, len(self.doc.text) if end is None else end

    def _is_owned(self, offset: int) -> bool:
        i = bisect.bisect_right(self._owned_starts, offset) - 1
        return i >= 0 and offset < self.owned[i][1]

    def _make(
        self,
        raw: str,
        start: int,
        syntax: Syntax,
        text: str,
        construct_end: int,
        href: str,
    ) -> Link | None:
        if self._is_owned(start) or not monitorable(href):
            return None
        line, col = position(self.doc, start)
        checked = href
        if syntax is not Syntax.HTML and _SPACE.search(href):
            checked = md().normalizeLink(href)  # `<a b>` destinations: percent-encoded
        return Link(
            raw_url=raw,
            target=classify(checked),
            syntax=syntax,
            text=text,
            line=line,
            col_start=col,
            col_end=col + len(raw),
            start=start,
            end=start + len(raw),
            use_line=line,
            construct_end=construct_end,
            href=href,
        )

    def _keep(self, link: Link) -> None:
        self.doc.links.append(link)
        if self._footnote:
            self._in_footnote.append((link, self._footnote[-1]))

    def _add(
        self, raw: str, start: int, syntax: Syntax, text: str, construct_end: int, href: str
    ) -> None:
        link = self._make(raw, start, syntax, text, construct_end, href)
        if link is not None:
            self._keep(link)

    def finish(self, referenced: set[str]) -> None:
        """Definitions no link uses are not links (GitHub renders nothing for them), nor
        are the links of a footnote nothing refers to (GitHub leaves it out)."""
        drop = {id(lk) for lk, label in self._in_footnote if label not in referenced}
        for link in self._def_at.values():
            if link.start in self._used:
                self.doc.links.append(link)
        if drop:
            self.doc.links[:] = [lk for lk in self.doc.links if id(lk) not in drop]

    # -- block kinds --------------------------------------------------------
    def footnote(self, tok: Token) -> None:
        if tok.type == "footnote_open":
            self._footnote.append(tok.meta.get("label"))
        elif self._footnote:
            self._footnote.pop()

    def definition(self, tok: Token) -> None:
        start, end = self._block(tok.map)
        m = DEFINITION_DEST.search(self.doc.text, start, end)
        if not m:
            return
        raw, off = m.group(1), m.start(1)
        if raw.startswith("<"):
            raw, off = raw[1:-1], off + 1
        label = tok.meta.get("label", "")
        link = self._make(raw, off, Syntax.DEFINITION, label, off + len(raw), unescapeAll(raw))
        if link is not None:
            self._def_at.setdefault(tok.map[0], link)
            self.definitions.setdefault(tok.meta.get("url", ""), link)

    def html_block(self, tok: Token) -> None:
        start, end = self._block(tok.map)
        self._html(start, self.doc.text[start:end])

    def _html(self, base: int, src: str) -> None:
        links, comments = rawhtml.scan(src)
        for c in comments:
            kind = directive(c.body)
            if kind:
                self.directives.append(Directive(kind, base + c.start, base + c.end))
        for h in links:
            value = src[h.start : h.end]
            raw = value.strip(" \t\n\f\r")
            if raw:
                off = base + h.start + value.index(raw[0])
                self._add(raw, off, Syntax.HTML, h.tag, base + h.tag_end, html.unescape(raw))

    def inline(self, content: str, lines: list[int], children: Sequence[Any], cell: bool) -> None:
        """The links of an inline token: its `content`, its `lines` (`map`) and the
        `children` markdown-it made of it; `cell`: the content of a table cell."""
        block_start, block_end = self._block(lines)
        key = (lines[0], lines[1])
        if self._cursor_map != key:  # table cells of one row share a map: keep going
            self._cursor_map, self._cursor, self._cell_end = key, block_start, block_start
        self._end = block_end
        self._src, self._src_lines, self._map0, self._cell = content, None, lines[0], None
        if cell:  # the cells of a row, in order: each after the one before
            at = self.doc.text.find(content, max(self._cursor, self._cell_end), block_end)
            if at >= 0 and content:
                self._cell, self._cell_end = at, at + len(content)
                self._cursor = max(self._cursor, at)
        stack: list[tuple[Any, list[str]]] = []
        for child in children:
            kind = child.type
            if kind == "link_open":
                stack.append((child, []))
            elif kind == "link_close" and stack:
                opener, parts = stack.pop()
                self._link(opener, "".join(parts))
            elif kind == "image":
                src = str(child.attrs.get("src", ""))
                self._construct(child, src, child.content, Syntax.IMAGE, "![")
                if stack:
                    stack[-1][1].append(child.content)
            elif kind == "code_inline":
                self._skip_code(child)
                if stack:
                    stack[-1][1].append(child.content)
            elif kind == "html_inline":
                self._html_inline(child.content)
            elif kind == "text" and stack:
                stack[-1][1].append(child.content)

    def _find(self, needle: str) -> int:
        return self.doc.text.find(needle, self._cursor, self._end)

    def _skip_code(self, child: Token) -> None:
        opening = self._find(child.markup)
        if opening < 0:
            return
        closing = self.doc.text.find(child.markup, opening + len(child.markup), self._end)
        if closing >= 0:
            self._cursor = closing + len(child.markup)

    def _html_inline(self, content: str) -> None:
        pos = self._find(content)
        if pos < 0:
            return
        self._html(pos, content)
        self._cursor = pos + len(content)

    def _link(self, opener: Token, text: str) -> None:
        href = str(opener.attrs.get("href", ""))
        if opener.markup == "linkify":
            self._autolink(opener.meta, Syntax.BARE, href)
        elif opener.markup == "autolink":
            self._autolink(opener.meta, Syntax.AUTOLINK, "")
        else:
            self._construct(opener, href, text, Syntax.INLINE, "[")

    def _construct(self, tok: Token, href: str, text: str, syntax: Syntax, opening: str) -> None:
        """A `[t](u)` / `![a](u)` link, or a use `[t][label]`, `[t][]`, `[t]` (the
        construct as markdown-it read it tells which, and where it starts)."""
        meta = tok.meta or {}
        at, end = meta.get("src"), meta.get("end")
        written = self._src[at:end] if at is not None and end is not None else None
        off = self._offset(at) if written else None
        if off is not None and self.doc.text.startswith(opening, off):
            self._cursor = max(self._cursor, off)
        else:
            off = None
        if written is None:
            if not self._dest(href, syntax, text):
                self._reference_use(href, text, Syntax.REFERENCE if opening == "[" else syntax)
        elif written.endswith(")"):
            self._dest(href, syntax, text)
        else:
            kind = Syntax.REFERENCE if syntax is Syntax.INLINE else syntax
            self._reference_use(href, text, kind, written, off)

    def _offset(self, at: int) -> int | None:
        """The document offset of offset `at` of the inline content, or None. The rest
        of its line is the rest of the source line (container prefixes and indentation
        are only ever cut from a line's start; the last line's trailing space too); a
        heading's line also holds its closing `#`s; a table cell was found in its row."""
        if self._cell is not None:
            return self._cell + at
        src, text = self._src, self.doc.text
        if self._src_lines is None:
            self._src_lines = [0, *(m.end() for m in re.finditer("\n", src))]
        k = bisect.bisect_right(self._src_lines, at) - 1
        nl = src.find("\n", at)
        tail = src[at : len(src) if nl < 0 else nl]
        idx0 = self._map0 + k
        if not tail or idx0 >= len(self.doc.line_starts):
            return None
        start, end = self.doc.line_starts[idx0], line_end(self.doc, idx0)
        line = text[start:end]
        for stop in (end, start + len(line.rstrip())):
            if stop - len(tail) >= start and text.startswith(tail, stop - len(tail)):
                return stop - len(tail)
        found = line.find(src[self._src_lines[k] : at + len(tail)])
        return start + found + at - self._src_lines[k] if found >= 0 else None

    def _locate(self, at: int, raw: str) -> int:
        """Where `raw`, at offset `at` of the inline content, is in the document (else
        the first copy after the cursor)."""
        off = self._offset(at)
        if off is not None and self.doc.text.startswith(raw, off):
            return off
        return self._find(raw)

    def _autolink(self, meta: dict | None, syntax: Syntax, href: str) -> None:
        if not meta:
            return
        raw = meta["raw"]
        off = self._locate(meta["src"], raw)
        if off < 0:
            return
        end = off + len(raw)
        if syntax is Syntax.AUTOLINK:
            href = decode_entities(raw)
            if self.doc.text.startswith(">", end):
                end += 1
        self._add(raw, off, syntax, raw, end, href)
        self._cursor = max(self._cursor, end)

    def _dest(self, href: str, syntax: Syntax, text: str) -> bool:
        """Find `](dest` for this href after the cursor; record the link."""
        pos = self._cursor
        while True:
            pos = self.doc.text.find("](", pos, self._end)
            if pos < 0:
                return False
            if self._reference_before(href, pos):
                return False  # this link is a reference use; the `](` is a later link's
            raw, off = read_destination(self.doc.text, pos + 2, self._end)
            if raw is not None and same_destination(raw, href):
                angled = off > 0 and self.doc.text[off - 1] == "<"
                after = AFTER_DEST.match(self.doc.text, off + len(raw) + angled)
                construct_end = after.end() if after else off + len(raw)
                self._add(raw, off, syntax, text, construct_end, unescapeAll(raw))
                self._cursor = off + len(raw)
                return True
            pos += 2

    def _reference_before(self, href: str, pos: int) -> bool:
        """Whether a reference use of `href` (`[t][label]`, `[t][]`, `[label]`) is
        written between the cursor and `pos`: then the link being located is that use,
        and a `](` further on with the same URL belongs to another link."""
        refs = self.references
        if not refs:
            return False
        for m in REFERENCE_USE.finditer(self.doc.text, self._cursor, pos):
            label = m.group(2) if m.group(2) else m.group(1)
            ref = refs.get(normalizeReference(label))
            if ref is not None and ref.get("href") == href:
                return True
        return False

    def _definition_of(self, href: str, label: str | None) -> Link | None:
        """The definition a use resolves to: by its label (the first definition of
        that label, as markdown-it resolves it), else the first with that URL."""
        if label is not None:
            ref = self.references.get(normalizeReference(label))
            if ref is not None and ref.get("href") == href and ref.get("map"):
                found = self._def_at.get(ref["map"][0])
                if found is not None:
                    return found
        return self.definitions.get(href)

    def _reference_use(
        self,
        href: str,
        text: str,
        syntax: Syntax,
        written: str | None = None,
        at: int | None = None,
    ) -> None:
        """A use of a definition: the link's span is the definition's URL; `use_line`
        and `construct_end` are the use's. With the construct as markdown-it read it
        (`written`) and its offset (`at`), exact; else found from the cursor."""
        doc = self.doc
        if written is not None and at is not None and doc.text.startswith(written, at):
            use, construct_end = at, at + len(written)
        else:  # not known, or over several lines
            use, construct_end, label = self._reference_use_near(text)
        if written is not None:
            label = reference_label(written)
        self._cursor = max(self._cursor, construct_end)
        definition = self._definition_of(href, label)
        if definition is None or self._is_owned(use):
            return
        self._used.add(definition.start)
        link = Link(
            raw_url=definition.raw_url,
            target=definition.target,
            syntax=syntax,
            text=text,
            line=definition.line,
            col_start=definition.col_start,
            col_end=definition.col_end,
            start=definition.start,
            end=definition.end,
            use_line=position(doc, use)[0],
            construct_end=construct_end,
            href=definition.href,
        )
        self.use_offsets[id(link)] = use
        self._keep(link)

    def _reference_use_near(self, text: str) -> tuple[int, int, str | None]:
        """(use offset, construct end, label) of a use found from the cursor by its
        text: `[text]` then `[label]`, `[]` or nothing."""
        text_at = self._find(text) if text else -1
        use = text_at if text_at >= 0 else self._cursor
        close = self.doc.text.find("]", use + len(text) if text_at >= 0 else use, self._end)
        construct_end = close + 1 if close >= 0 else use
        label = None
        m = LABEL.match(self.doc.text, construct_end, self._end)
        if m:
            construct_end = m.end()
            label = m.group(1) or None
        if label is None and close >= 0:
            opening = self.doc.text.rfind("[", self._cursor, use + 1)
            label = self.doc.text[opening + 1 : close] if opening >= 0 else None
        return use, construct_end, label
