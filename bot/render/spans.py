"""Where things are in a line of the list: where a link's construct ends, where its note
goes (and where an earlier note of the bot's is), and the link's URL repeated in its text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bot.parse.markdown import NOTE_CLOSE, NOTE_OPEN, Document, Link, Syntax

# A note of the bot's: its markers, and around them (for a link-only list item) parentheses.
_NOTE = re.escape(NOTE_OPEN) + rf"(?:(?!{re.escape(NOTE_OPEN)})[^\r\n])*?" + re.escape(NOTE_CLOSE)
NOTE_AT = re.compile(r"[ \t]*(?:\(" + _NOTE + r"\)|" + _NOTE + r")")
NOTE_AT_END = re.compile(r"[ \t]*(?:\(" + _NOTE + r"\)|" + _NOTE + r")(?=[ \t]*$)", re.M)
_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")


@dataclass(frozen=True)
class Anchor:
    """Where a link's note goes: at `at`, wrapped in parentheses or not."""

    at: int
    paren: bool = False
    line_end: bool = False  # at the end of a one-line list item, after its description


def line_bounds(doc: Document, offset: int) -> tuple[int, int]:
    """(start, end before the line break) of the line holding `offset`."""
    i = bisect.bisect_right(doc.line_starts, offset) - 1
    start = doc.line_starts[i]
    end = doc.line_starts[i + 1] if i + 1 < len(doc.line_starts) else len(doc.text)
    while end > start and doc.text[end - 1] in "\r\n":
        end -= 1
    return start, end


def anchor(doc: Document, lk: Link) -> Anchor | None:
    """Where the note of `lk` goes (None: nowhere safe). A list item's main link, the
    first thing in a one-line item, gets its note at the end of the item, after its
    description (`- [name](url) - Description. ★ 1.2k`), which is where awesome-lint's list
    item rule accepts it; alone in its item, in parentheses. Other links: right after."""
    at = construct_end(doc, lk)
    if at is None:
        return None
    start, end = line_bounds(doc, at)
    item = _ITEM.match(doc.text, start, end)
    if item is None or not _one_line_item(doc, end) or not _first_link(doc, lk, item.end()):
        return Anchor(at)
    rest = doc.text[at:end]
    tail = NOTE_AT_END.search(doc.text, at, end)
    if tail is not None and tail.start() == at:
        rest = ""  # only the bot's own note follows
    if not rest.strip():  # the item's first link ends it: text after it needs a dash
        return Anchor(at, paren=True)
    if not _first_in_item(doc, lk, item.end()):
        return Anchor(at)
    content_end = start + len(doc.text[start:end].rstrip())
    if tail is not None:
        content_end = tail.start()
    return Anchor(content_end, line_end=True)


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


def _first_in_item(doc: Document, lk: Link, after_marker: int) -> bool:
    """Whether the link's construct is the first thing after the list marker."""
    if lk.syntax is Syntax.INLINE:
        return doc.text.startswith("[", after_marker) and doc.text.find("](", after_marker) in (
            lk.start - 2,
            lk.start - 3,
        )
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
