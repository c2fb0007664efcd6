"""Where things are in a line of the list: where a link's construct ends, where its note
goes and whether the link is an entry of the list (`anchor`), the bot's notes wherever an
earlier version put them, and the link's URL repeated in its text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bot.parse.markdown import NOTE_CLOSE, NOTE_OPEN, Document, Link, Syntax

# A note of the bot's: its markers, and around them (for a link-only list item) parentheses.
_NOTE = re.escape(NOTE_OPEN) + rf"(?:(?!{re.escape(NOTE_OPEN)})[^\r\n])*?" + re.escape(NOTE_CLOSE)
NOTE_AT = re.compile(r"[ \t]*(?:\(" + _NOTE + r"\)|" + _NOTE + r")")
NOTE_AT_END = re.compile(r"[ \t]*(?:\(" + _NOTE + r"\)|" + _NOTE + r")(?=[ \t]*$)", re.M)
# In front of a list item's main link the note is wrapped in a `<span>`: a line whose
# content starts with `<!--` is an HTML block (CommonMark), which would turn the whole item
# into raw HTML (its links no longer links, awesome-lint's "Invalid list item").
FRONT_OPEN, FRONT_CLOSE = "<span>", "</span>"
FRONT_NOTE = re.compile(re.escape(FRONT_OPEN) + _NOTE + re.escape(FRONT_CLOSE) + r"[ \t]")
ANY_NOTE = re.compile(f"{FRONT_NOTE.pattern}|{NOTE_AT.pattern}")  # every note, wherever it is
_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")


@dataclass(frozen=True)
class Anchor:
    """Where a link's note goes: at `at`, wrapped in parentheses or not; `front`: before
    the list item's main link (`- <span>NOTE</span> [name](url) - Description.`); `entry`:
    the link is an entry of the list (a list item's), so its note may show alive facts;
    elsewhere (prose, an item's description, a badge) only `dead since` reaches the list."""

    at: int
    paren: bool = False
    front: bool = False
    entry: bool = True


def front_note(doc: Document, offset: int) -> re.Match[str] | None:
    """The bot's note in front of the list item on the line holding `offset`, if any."""
    start, end = line_bounds(doc, offset)
    item = _ITEM.match(doc.text, start, end)
    return FRONT_NOTE.match(doc.text, item.end()) if item is not None else None


def line_bounds(doc: Document, offset: int) -> tuple[int, int]:
    """(start, end before the line break) of the line holding `offset`."""
    i = bisect.bisect_right(doc.line_starts, offset) - 1
    start = doc.line_starts[i]
    end = doc.line_starts[i + 1] if i + 1 < len(doc.line_starts) else len(doc.text)
    while end > start and doc.text[end - 1] in "\r\n":
        end -= 1
    return start, end


def anchor(doc: Document, lk: Link) -> Anchor | None:
    """Where the note of `lk` goes (None: nowhere safe).

    A list item's main link, the first thing in the item, gets its note in front of it
    (`- <span>NOTE</span> [name](url) - Description.`): awesome-lint judges an item by what
    follows the link it pairs with the description, so it sees the author's description
    exactly as written, its problems included (a note at the end would hide them). A link
    that ends a one-line item (`- [name](url)`, `- code: [name](url)`) gets it in
    parentheses after it. The item's other links before its description (`[pdf](…)
    [code](…)`) get theirs right after them. A link in the description (after ` - `), the
    one paired with it, or on a line that is no list item (a paragraph, a continuation line,
    a quote) is no entry (`entry=False`): its note says only that it is dead."""
    at = construct_end(doc, lk)
    if at is None:
        return None
    start, end = line_bounds(doc, at)
    item = _ITEM.match(doc.text, start, end)
    if item is None:
        return Anchor(at, entry=False)
    content = item.end()
    front = FRONT_NOTE.match(doc.text, content)
    if front is not None:
        content = front.end()
    described = _description_start(doc, start, end)
    if described is not None and at > described:
        return Anchor(at, entry=False)  # in the description: prose
    starts_item = _first_in_item(doc, lk, content, at)
    if starts_item or _first_link(doc, lk, content):
        rest = doc.text[at:end]
        tail = NOTE_AT_END.search(doc.text, at, end)
        if tail is not None and tail.start() == at:
            rest = ""  # only the bot's own note follows
        if not rest.strip() and _one_line_item(doc, end):  # the link ends its item
            return Anchor(at, paren=True)
        if starts_item:
            return Anchor(item.end(), front=True)
        # Text comes first (`- 🔥 [name](url) - …`): awesome-lint skips such an item, and
        # a note in front would make it lint the item. Right after the link.
        return Anchor(at)
    if described is not None and _SEPARATOR.match(_mask(doc.text[at:end])):
        # The link awesome-lint pairs with the description: a note between them would
        # change what the linter checks. Its facts go unsaid; dead, it is said anyway.
        return Anchor(at, entry=False)
    return Anchor(at)


# An item's description starts at ` - ` (or an en or em dash) after its first link, or at a
# colon right after a link; link texts, URLs and code spans are no separators.
_SEPARATOR = re.compile(r"[ \t]+[-\u2013\u2014][ \t]|[ \t]*:[ \t]")


def _description_start(doc: Document, start: int, end: int) -> int | None:
    """The offset where a list item's description starts on its first line, if it has one."""
    cache = doc.__dict__.setdefault("_description_start", {})
    if start in cache:
        return cache[start]
    ends = construct_ends(doc).get(start, [])
    found = None
    if ends:
        masked = _mask(doc.text[ends[0] : end])
        for m in _SEPARATOR.finditer(masked):
            colon = m.group().lstrip(" \t").startswith(":")
            if colon and ends[0] + m.start() not in ends:
                continue  # a colon is a separator only right after a link
            found = ends[0] + m.start()
            break
    cache[start] = found
    return found


def construct_ends(doc: Document) -> dict[int, list[int]]:
    """Line start → the ends of the link constructs used on that line, in order."""
    found = doc.__dict__.get("_construct_ends")
    if found is None:
        found = {}
        for lk in doc.links:
            if lk.syntax is Syntax.DEFINITION:
                continue
            i = bisect.bisect_right(doc.line_starts, lk.construct_end - 1) - 1
            found.setdefault(doc.line_starts[i], []).append(lk.construct_end)
        for ends in found.values():
            ends.sort()
        doc.__dict__["_construct_ends"] = found
    return found


def _mask(s: str) -> str:
    """`s` with link texts (`[…]`), link destinations (`](…)`) and code spans blanked, so
    that a dash inside them is not read as the description's separator."""
    out = list(s)
    depth = parens = 0
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            out[i : i + 2] = " " * len(out[i : i + 2])
            i += 2
            continue
        if c == "`" and not depth and not parens:
            close = _CODE_SPAN.match(s, i)
            if close:
                out[i : close.end()] = " " * (close.end() - i)
                i = close.end()
                continue
        if c == "[":
            depth += 1
        elif c == "]" and depth:
            depth -= 1
            if not depth and s.startswith("(", i + 1):
                parens, i = 1, i + 1
                out[i - 1 : i + 1] = "  "
                i += 1
                while i < len(s) and parens:
                    parens += {"(": 1, ")": -1}.get(s[i], 0)
                    out[i] = " "
                    i += 1
                continue
        if depth or c in "[]":
            out[i] = " "
        i += 1
    return "".join(out)


def _first_link(doc: Document, lk: Link, after_marker: int) -> bool:
    """Whether no other link of the line comes before this one (a URL in the link's own
    text is no link)."""
    firsts = doc.__dict__.get("_first_link_by_line")
    if firsts is None:
        firsts = {}
        for other in doc.links:
            if other.syntax is not Syntax.DEFINITION and other.line == other.use_line:
                firsts[other.use_line] = min(firsts.get(other.use_line, other.start), other.start)
        doc.__dict__["_first_link_by_line"] = firsts
    return firsts.get(lk.use_line, lk.start) >= lk.start and lk.start >= after_marker


def _first_in_item(doc: Document, lk: Link, after_marker: int, at: int) -> bool:
    """Whether the link's construct (ending at `at`) is the first thing after the list
    marker."""
    if lk.syntax is Syntax.INLINE:
        return doc.text.startswith("[", after_marker) and doc.text.find("](", after_marker) in (
            lk.start - 2,
            lk.start - 3,
        )
    if lk.syntax is Syntax.REFERENCE:  # `[name][label]`, `[name][]`, `[name]`
        line_start = line_bounds(doc, at)[0]
        first = construct_ends(doc).get(line_start, [at])[0] == lk.construct_end
        blank = not _mask(doc.text[after_marker:at]).strip()
        return first and blank and doc.text.startswith("[", after_marker)
    if lk.syntax is Syntax.AUTOLINK:
        return after_marker == lk.start - 1
    if lk.syntax is Syntax.BARE:
        return after_marker == lk.start
    return False


def _one_line_item(doc: Document, line_end: int) -> bool:
    """The item's paragraph ends on this line (the next line is blank, an item or EOF).
    Only the next line is looked at, never a copy of the rest of the document: this runs
    once per link."""
    text = doc.text
    if line_end >= len(text) or text.startswith(("\n\n", "\r\n\r\n"), line_end):
        return True
    start = line_end
    while start < len(text) and text[start] in "\r\n":
        start += 1
    end = text.find("\n", start)
    nxt = text[start : len(text) if end < 0 else end]
    return not nxt.strip() or bool(_ITEM.match(nxt)) or nxt.lstrip().startswith("#")


_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_BRACKETS = re.compile(r"\\.|\[|\]|[\r\n]")
_LABEL = re.compile(r"\[(?:[^\[\]\\\r\n]|\\.)*\]")


def _depth(s: str) -> int:
    """Unescaped `[` minus `]`, code spans left out."""
    s = _CODE_SPAN.sub("", re.sub(r"\\.", "", s))
    return s.count("[") - s.count("]")


def construct_end(doc: Document, lk: Link) -> int | None:
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


def url_in_text(text: str, lk: Link) -> list[tuple[int, int]]:
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
