"""Find every link of a Markdown file with its exact position, plus tables and sections.

markdown-it-py decides *what* is a link (so code spans, code blocks and escaped
brackets are handled the way GitHub renders them), but it does not say *where* an
inline link sits. We locate each link in the source of its block by walking the
block's inline tokens in order with a cursor, matching the destination exactly as
markdown-it would normalise it. The result: `text[link.start:link.end]` is the URL
as written, which is what a later rewrite replaces."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference, unescapeAll
from markdown_it.rules_core import inline as core_inline
from markdown_it.rules_core import linkify as core_linkify
from markdown_it.rules_core import text_join as core_text_join
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

from bot.parse.target import Target, classify

# Bot-owned notes look like `<!-- awesome-monitor -->…<!-- /awesome-monitor -->`;
# links inside them are the bot's own output, never part of the list.
NOTE_OPEN = "<!-- awesome-monitor -->"
NOTE_CLOSE = "<!-- /awesome-monitor -->"
_NOTE_RE = re.compile(re.escape(NOTE_OPEN) + r".*?" + re.escape(NOTE_CLOSE), re.S)


class Syntax(StrEnum):
    INLINE = "inline"  # [t](u)
    IMAGE = "image"  # ![a](u)
    REFERENCE = "reference"  # [t][r] — position is the definition's URL
    DEFINITION = "definition"  # [r]: u
    AUTOLINK = "autolink"  # <u>
    BARE = "bare"  # u (GFM linkify)
    HTML = "html"  # <a href="u">, <img src="u">


@dataclass
class Section:
    title: str
    level: int
    line: int  # 1-based line of the heading
    end_line: int  # last line of the section (inclusive)

    @property
    def key(self) -> str:
        return normalise_name(self.title)


@dataclass
class Cell:
    start: int  # absolute offsets of the cell text between its pipes
    end: int
    text: str


@dataclass
class Row:
    line: int  # 1-based
    start: int  # absolute offset of the line start
    end: int  # absolute offset of the line end (before the newline)
    cells: list[Cell]
    leading_pipe: bool
    trailing_pipe: bool


@dataclass
class Table:
    header: Row
    delimiter: Row
    rows: list[Row]
    section: Section | None = None
    nested: bool = False  # inside a list item or block quote: rows carry a prefix

    def column(self, name: str) -> int | None:
        """Index of the header cell named `name` (case and padding ignored)."""
        want = name.strip().casefold()
        for i, cell in enumerate(self.header.cells):
            if cell.text.strip().casefold() == want:
                return i
        return None

    @property
    def first_line(self) -> int:
        return self.header.line

    @property
    def last_line(self) -> int:
        return self.rows[-1].line if self.rows else self.delimiter.line


@dataclass
class Link:
    raw_url: str  # exactly text[start:end]
    target: Target
    syntax: Syntax
    text: str  # link text, alt text, or the label
    line: int  # 1-based line of the URL text
    col_start: int  # 0-based, in characters, within that line
    col_end: int
    start: int  # absolute character offsets in the document text
    end: int
    use_line: int  # where a reader sees the link (differs for reference uses)
    construct_end: int  # offset just after the whole link construct, for notes
    section: Section | None = None

    @property
    def kind(self) -> str:
        return self.target.kind.value

    @property
    def url(self) -> str:
        return self.target.url


@dataclass
class Document:
    text: str
    links: list[Link] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)

    def section_at(self, line: int) -> Section | None:
        """The innermost section holding a 1-based line (the last of equals)."""
        key = (id(self.sections), len(self.sections))
        cache = self.__dict__.get("_section_index")
        if cache is None or cache[0] != key:
            # One pass over the sections, not one per lookup: a 50,000-link list
            # with 500 headings otherwise spends seconds here.
            by_line: dict[int, Section] = {}
            for s in self.sections:
                for n in range(s.line, s.end_line + 1):
                    best = by_line.get(n)
                    if best is None or s.level >= best.level:
                        by_line[n] = s
            cache = self.__dict__["_section_index"] = (key, by_line)
        return cache[1].get(line)

    def links_in_section(self, section: Section) -> list[Link]:
        return [lk for lk in self.links if section.line <= lk.use_line <= section.end_line]


def normalise_name(name: str) -> str:
    """Case, spaces and punctuation ignored: `Inception-ResNet-v2` → `inceptionresnetv2`."""
    return re.sub(r"[\W_]+", "", name.casefold())


@cache
def _md() -> MarkdownIt:
    return MarkdownIt("gfm-like", {"linkify": True, "inline_definitions": True})


# markdown-it's core rules that work inside one inline token at a time. `parse` runs
# them token by token and drops each token's children once its links are found: the
# whole inline tree of a 50,000-link list at once is ~160 MB of Token objects.
_PER_INLINE_RULES = (core_inline, core_linkify, core_text_join)


@cache
def _md_blocks() -> MarkdownIt:
    md = MarkdownIt("gfm-like", {"linkify": True, "inline_definitions": True})
    md.core.ruler.disable(["inline", "linkify", "text_join"])
    return md


def _tokens(text: str, env: dict) -> list[Token]:
    """Block tokens; inline tokens get their children from `_expand`. The same tokens
    as `_md().parse(text, env)`, as every rule left out works on one inline token."""
    active = _md().core.ruler.getRules("")
    assert [r.__name__ for r in active[2:]] == [r.__name__ for r in _PER_INLINE_RULES]
    return _md_blocks().parse(text, env)


def _expand(tok: Token, env: dict) -> None:
    state = StateCore("", _md(), env, [tok])
    for rule in _PER_INLINE_RULES:
        rule(state)


_HTML_ATTR = re.compile(
    r"""<(?P<tag>a|img|source|link|iframe|video|audio|embed)\b[^>]*?\b(?P<attr>href|src)\s*=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s>"']+))""",
    re.I,
)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# What may follow a destination up to the closing parenthesis: a title in "", '' or ().
_AFTER_DEST = re.compile(
    r"""[ \t]*(?:\r?\n[ \t]*)?"""
    r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\))?"""
    r"""[ \t]*(?:\r?\n[ \t]*)?\)"""
)
# `[text][label]`, `[text][]` or `[label]` (no nested brackets: enough to spot a use).
_REFERENCE_USE = re.compile(
    r"(?<![\\!])\[((?:[^\[\]\\]|\\.)+)\](?!\()(?:\[((?:[^\[\]\\]|\\.)*)\])?"
)
_DEFINITION = re.compile(r"(?m)^[ \t>]*\[[^\]\n]+\]:[ \t]*(?:\r?\n[ \t]*)?(<[^>\n]*>|\S+)")


def parse(text: str, status_column: str | None = None) -> Document:
    """Parse a Markdown document. Raises nothing on odd input: what is not a link
    is simply not reported. With `status_column`, that column of every table is
    the bot's own output (like the notes): links in its cells are not list links."""
    doc = Document(text=text, line_starts=_line_starts(text))
    env: dict = {}
    tokens = _tokens(_blank_front_matter(text), env)
    owned = [(m.start(), m.end()) for m in _NOTE_RE.finditer(text)]
    doc.sections = _sections(tokens, doc)
    for tok in tokens:
        if tok.type == "table_open" and tok.map:
            table = _table(doc, tok.map, tok.level > 0)
            doc.tables.append(table)
            if status_column:
                owned.extend(status_cells(table, status_column))
    finder = _LinkFinder(doc, owned, env.get("references"))
    for tok in tokens:
        if tok.map is None:
            continue
        if tok.type == "inline":
            _expand(tok, env)
            finder.inline(tok)
            tok.children = None
        elif tok.type == "html_block":
            finder.html_block(tok)
        elif tok.type == "definition":
            finder.definition(tok)
    doc.links.sort(key=lambda lk: (lk.use_line, lk.start))
    for lk in doc.links:
        lk.section = doc.section_at(lk.use_line)
    for t in doc.tables:
        t.section = doc.section_at(t.first_line)
    return doc


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*$", re.S | re.M)


def _blank_front_matter(text: str) -> str:
    """YAML front matter is not Markdown: blank it out (same length, same line
    breaks) so every offset still points into the original text."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return text
    blanked = re.sub(r"[^\r\n]", " ", m.group(0))
    return blanked + text[m.end() :]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer(r"\r\n|\n|\r", text):
        starts.append(m.end())
    return starts


def _line_end(doc: Document, idx0: int) -> int:
    """Offset of the end of 0-based line idx0, before its line break."""
    if idx0 + 1 < len(doc.line_starts):
        end = doc.line_starts[idx0 + 1]
        while end > doc.line_starts[idx0] and doc.text[end - 1] in "\r\n":
            end -= 1
        return end
    return len(doc.text)


def _position(doc: Document, offset: int) -> tuple[int, int]:
    """Absolute offset → (1-based line, 0-based column)."""
    idx = bisect.bisect_right(doc.line_starts, offset) - 1
    return idx + 1, offset - doc.line_starts[idx]


def _sections(tokens: list[Token], doc: Document) -> list[Section]:
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
    start, end = doc.line_starts[idx0], _line_end(doc, idx0)
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


def _table(doc: Document, span: list[int], nested: bool = False) -> Table:
    first, last = span
    rows = [_split_row(doc, i) for i in range(first, last)]
    return Table(header=rows[0], delimiter=rows[1], rows=rows[2:], nested=nested)


def status_cells(table: Table, column: str) -> list[tuple[int, int]]:
    """Spans of the body cells of the bot-owned column, if the table has one."""
    idx = None if table.nested else table.column(column)
    if idx is None:
        return []
    return [(r.cells[idx].start, r.cells[idx].end) for r in table.rows if idx < len(r.cells)]


class _LinkFinder:
    def __init__(
        self,
        doc: Document,
        owned: list[tuple[int, int]],
        references: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.doc = doc
        self.references = references or {}  # normalised label → markdown-it's definition
        self.owned = _merge(owned)
        self._owned_starts = [a for a, _ in self.owned]
        self.definitions: dict[str, Link] = {}  # href → definition link
        self._cursor_map: tuple[int, int] | None = None
        self._cursor = 0

    # -- helpers ------------------------------------------------------------
    def _block(self, span: list[int]) -> tuple[int, int]:
        start = self.doc.line_starts[span[0]]
        end = self.doc.line_starts[span[1]] if span[1] < len(self.doc.line_starts) else None
        return start, len(self.doc.text) if end is None else end

    def _is_owned(self, offset: int) -> bool:
        i = bisect.bisect_right(self._owned_starts, offset) - 1
        return i >= 0 and offset < self.owned[i][1]

    def _add(
        self,
        raw: str,
        start: int,
        syntax: Syntax,
        text: str,
        construct_end: int,
        href: str | None = None,
        use_offset: int | None = None,
    ) -> Link | None:
        if self._is_owned(start) or not _monitorable(href or raw):
            return None
        line, col = _position(self.doc, start)
        use_line = _position(self.doc, use_offset)[0] if use_offset is not None else line
        plain = unescapeAll(raw)
        use_href = href and (syntax is Syntax.BARE or any(c.isspace() for c in plain))
        target = classify(href if use_href else plain)
        link = Link(
            raw_url=raw,
            target=target,
            syntax=syntax,
            text=text,
            line=line,
            col_start=col,
            col_end=col + len(raw),
            start=start,
            end=start + len(raw),
            use_line=use_line,
            construct_end=construct_end,
        )
        self.doc.links.append(link)
        return link

    # -- block kinds --------------------------------------------------------
    def definition(self, tok: Token) -> None:
        start, end = self._block(tok.map)
        src = self.doc.text[start:end]
        m = re.search(r"\]:[ \t]*(?:\r?\n[ \t]*)?(<[^>\n]*>|\S+)", src)
        if not m:
            return
        raw, off = m.group(1), start + m.start(1)
        if raw.startswith("<"):
            raw, off = raw[1:-1], off + 1
        link = self._add(raw, off, Syntax.DEFINITION, tok.meta.get("label", ""), off + len(raw))
        if link:
            self.definitions.setdefault(tok.meta.get("url", ""), link)

    def html_block(self, tok: Token) -> None:
        start, end = self._block(tok.map)
        self._html(start, self.doc.text[start:end])

    def _html(self, base: int, src: str) -> None:
        comments = [(m.start(), m.end()) for m in _HTML_COMMENT.finditer(src)]
        for m in _HTML_ATTR.finditer(src):
            if any(a <= m.start() < b for a, b in comments):
                continue
            group = next(g for g in ("dq", "sq", "uq") if m.group(g) is not None)
            raw = m.group(group)
            lead = len(raw) - len(raw.lstrip())
            raw = raw.strip()
            if raw:
                off = base + m.start(group) + lead
                self._add(raw, off, Syntax.HTML, m.group("tag").lower(), base + m.end())

    def inline(self, tok: Token) -> None:
        block_start, block_end = self._block(tok.map)
        key = (tok.map[0], tok.map[1])
        if self._cursor_map != key:  # table cells of one row share a map: keep going
            self._cursor_map, self._cursor = key, block_start
        self._end = block_end
        stack: list[tuple[Token, list[str]]] = []
        for child in tok.children or []:
            if child.type == "link_open":
                stack.append((child, []))
            elif child.type == "link_close" and stack:
                opener, parts = stack.pop()
                self._link(opener, "".join(parts))
            elif child.type == "image":
                self._dest(str(child.attrs.get("src", "")), Syntax.IMAGE, child.content)
                if stack:
                    stack[-1][1].append(child.content)
            elif child.type == "code_inline":
                self._skip_code(child)
                if stack:
                    stack[-1][1].append(child.content)
            elif child.type == "html_inline":
                self._html_inline(child.content)
            elif child.type == "text" and stack:
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
            self._literal(text, Syntax.BARE, text, href)
        elif opener.markup == "autolink":
            self._literal(text, Syntax.AUTOLINK, text, href)
        elif not self._dest(href, Syntax.INLINE, text):
            self._reference_use(href, text)

    def _literal(self, raw: str, syntax: Syntax, text: str, href: str) -> None:
        pos = self._find(raw)
        if pos < 0:
            return
        end = pos + len(raw)
        if syntax is Syntax.AUTOLINK and self.doc.text.startswith(">", end):
            end += 1
        self._add(raw, pos, syntax, text, end, href=href)
        self._cursor = pos + len(raw)

    def _dest(self, href: str, syntax: Syntax, text: str) -> bool:
        """Find `](dest` for this href after the cursor; record the link."""
        md = _md()
        pos = self._cursor
        while True:
            pos = self.doc.text.find("](", pos, self._end)
            if pos < 0:
                return False
            if self._reference_before(href, pos):
                return False  # this link is a reference use; the `](` is a later link's
            raw, off = _read_destination(self.doc.text, pos + 2, self._end)
            if raw is not None and _same_destination(md, raw, href):
                angled = off > 0 and self.doc.text[off - 1] == "<"
                after = _AFTER_DEST.match(self.doc.text, off + len(raw) + angled)
                construct_end = after.end() if after else off + len(raw)
                self._add(raw, off, syntax, text, construct_end, href=href)
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
        for m in _REFERENCE_USE.finditer(self.doc.text, self._cursor, pos):
            label = m.group(2) if m.group(2) else m.group(1)
            ref = refs.get(normalizeReference(label))
            if ref is not None and ref.get("href") == href:
                return True
        return False

    def _reference_use(self, href: str, text: str) -> None:
        definition = self.definitions.get(href) or _find_definition(self, href)
        if definition is None:
            return
        pos = self._find(text) if text else -1
        use = pos if pos >= 0 else self._cursor
        close = self.doc.text.find("]", use + len(text) if pos >= 0 else use, self._end)
        construct_end = close + 1 if close >= 0 else use
        label = re.match(r"\[[^\]\n]*\]", self.doc.text[construct_end : self._end])
        if label:
            construct_end += label.end()
        self._cursor = max(self._cursor, construct_end)
        link = Link(
            raw_url=definition.raw_url,
            target=definition.target,
            syntax=Syntax.REFERENCE,
            text=text,
            line=definition.line,
            col_start=definition.col_start,
            col_end=definition.col_end,
            start=definition.start,
            end=definition.end,
            use_line=_position(self.doc, use)[0],
            construct_end=construct_end,
        )
        if not self._is_owned(use):
            self.doc.links.append(link)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans covering the same offsets."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _find_definition(finder: _LinkFinder, href: str) -> Link | None:
    """Definitions may follow their uses: look them up by a forward scan."""
    md = _md()
    for m in _DEFINITION.finditer(finder.doc.text):
        raw = m.group(1)
        off = m.start(1)
        if raw.startswith("<"):
            raw, off = raw[1:-1], off + 1
        if md.normalizeLink(unescapeAll(raw)) == href:
            line, col = _position(finder.doc, off)
            return Link(raw, classify(unescapeAll(raw)), Syntax.DEFINITION, "", line, col,
                        col + len(raw), off, off + len(raw), line, off + len(raw))  # fmt: skip
    return None


def _same_destination(md: MarkdownIt, raw: str, href: str) -> bool:
    """Whether the destination as written is the one markdown-it normalised to `href`.
    Most are written normalised already: skip normalizeLink (half the parse time of a
    50,000-link list went there)."""
    plain = unescapeAll(raw)
    return plain == href or md.normalizeLink(plain) == href


def _read_destination(text: str, pos: int, end: int) -> tuple[str | None, int]:
    """Read a link destination starting right after `](`, as CommonMark does:
    optional whitespace (one line break), then `<…>` or a run of non-space
    characters with balanced parentheses. Returns (raw, offset) of the URL text."""
    m = re.compile(r"[ \t]*(?:\r?\n[ \t]*)?").match(text, pos, end)
    pos = m.end() if m else pos
    if pos < end and text[pos] == "<":
        close = text.find(">", pos + 1, end)
        if close < 0 or "\n" in text[pos + 1 : close]:
            return None, pos
        return text[pos + 1 : close], pos + 1
    depth, i = 0, pos
    while i < end:
        c = text[i]
        if c == "\\" and i + 1 < end:
            i += 2
            continue
        if c.isspace() or ord(c) < 0x20:
            break
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return (text[pos:i], pos) if i > pos else (None, pos)


def _monitorable(url: str) -> bool:
    """Relative links, anchors, mail and phone links are not ours to check."""
    u = url.strip().strip("<>").lower()
    if u.startswith(("#", "mailto:", "tel:")):
        return False
    return bool(re.match(r"[a-z][a-z0-9+.-]*:", u)) or u.startswith("git@") or "://" in u
