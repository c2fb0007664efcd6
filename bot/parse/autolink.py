"""GFM's extended autolinks, as cmark-gfm (GitHub's renderer) finds them.

Only two shapes are links (https://github.github.com/gfm/#autolinks-extension-):

- a scheme `http://`, `https://` (or `ftp://`), any case, right after a character
  that is not an ASCII letter, followed by a host character;
- `www.` (lower case) at the start of the text or after whitespace, `*`, `_`, `~`, `(`.

`README.md`, `Socket.IO` or `wttr.in` are words, not links. A link runs to the next
whitespace or `<`, then loses its trailing punctuation `?!.,:*_~'"`, a `)` that has no
`(` partner inside the link, and an entity-like `&name;` tail (a lone `;` goes alone).
The host (up to the first character that is not a letter, digit, `-`, `_` or `.`) must
not hold `_` in its last two labels, and a `www.` link needs a dot in its host.

These are facts about cmark-gfm's behaviour, checked against it in the tests, written
here on the text as markdown-it hands it to an inline rule (the raw source of the
paragraph or cell: entities and escapes not yet decoded, exactly like cmark's)."""

from __future__ import annotations

import re
import unicodedata

SCHEMES = ("http", "https", "ftp")
_ASCII_SPACE = frozenset("\t\n\x0b\x0c\r ")  # where a link ends (cmark_isspace)
_UNICODE_SPACE = frozenset(  # cmark's Unicode space: not a host character
    "\t\n\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u202f\u205f\u3000"
)
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_TRAILING = frozenset("?!.,:*_~'\"")
_WWW_AFTER = _ASCII_SPACE | frozenset("*_~(")
_RUN_END = re.compile(r"[\t\n\x0b\x0c\r <]")


def _is_alpha(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _host_char(ch: str) -> bool:
    """Not a space and not punctuation (Unicode-aware, as cmark decides it)."""
    if ch in _UNICODE_SPACE:
        return False
    if ch < "\x80":
        return ch not in _ASCII_PUNCT
    return not unicodedata.category(ch).startswith("P")


def _domain_ok(src: str, start: int, need_dot: bool) -> bool:
    """The host rule. cmark walks the rest of the text *bytes* from the second
    character, skipping the character after a backslash, and stops at the first one that
    is not `-`, `_`, `.` or a host character; a non-ASCII character always ends that
    walk (its second byte is no character), so only ASCII is counted here. The last
    character of the text is never looked at."""
    size = len(src) - start
    i, dots, under_last, under_prev = 1, 0, 0, 0
    while i < size - 1:
        ch = src[start + i]
        if ch == "\\" and i < size - 2:
            i += 1
            ch = src[start + i]
        if ch == "_":
            under_last += 1
        elif ch == ".":
            under_prev, under_last = under_last, 0
            dots += 1
        elif ch != "-" and (ch >= "\x80" or not _host_char(ch)):
            break
        i += 1
    if (under_prev or under_last) and dots <= 10:
        return False  # an underscore in one of the last two labels (long hosts pass)
    return dots > 0 or not need_dot


def _run_end(src: str, pos: int) -> int:
    """The first whitespace or `<` at or after pos (or the end of the text)."""
    m = _RUN_END.search(src, pos)
    return m.start() if m else len(src)


def trim(src: str, start: int, end: int) -> int:
    """The end of the link once trailing punctuation, unbalanced `)` and an
    entity-like `&name;` tail are dropped (start: where the counting begins)."""
    opening = src.count("(", start, end)
    closing = src.count(")", start, end)
    while end > start:
        ch = src[end - 1]
        if ch == ")":
            if closing <= opening:
                return end
            closing -= 1
            end -= 1
        elif ch in _TRAILING:
            end -= 1
        elif ch == ";":
            j = end - 2
            while j > start and _is_alpha(src[j]):
                j -= 1
            end = j if j < end - 2 and src[j] == "&" else end - 1
        else:
            return end
    return end


def scheme_start(src: str, colon: int) -> int:
    """Where the letters before a `:` begin (the scheme candidate)."""
    begin = colon
    while begin > 0 and _is_alpha(src[begin - 1]):
        begin -= 1
    return begin


def match_scheme(src: str, colon: int) -> tuple[int, int] | None:
    """A `scheme://…` link whose `:` is at `colon`: its (start, end) in src, or None."""
    if len(src) - colon < 4 or src[colon + 1] != "/" or src[colon + 2] != "/":
        return None
    begin = scheme_start(src, colon)
    if src[begin:colon].lower() not in SCHEMES or not _host_char(src[colon + 3]):
        return None
    if not _domain_ok(src, colon + 3, need_dot=False):
        return None
    end = trim(src, colon, _run_end(src, colon + 3))
    return (begin, end) if end > colon else None


def match_www(src: str, pos: int) -> tuple[int, int] | None:
    """A `www.…` link starting at pos: its (start, end) in src, or None."""
    if pos > 0 and src[pos - 1] not in _WWW_AFTER:
        return None
    if not src.startswith("www.", pos) or len(src) - pos < 4:
        return None
    if not _domain_ok(src, pos, need_dot=True):
        return None
    end = trim(src, pos, _run_end(src, pos))
    return (pos, end) if end > pos else None


def www_candidate(src: str, start: int, end: int) -> int:
    """The first place in [start, end) where a `www.` link could begin, or -1."""
    at = src.find("www.", start, end)
    while at >= 0:
        if at == 0 or src[at - 1] in _WWW_AFTER:
            return at
        at = src.find("www.", at + 1, end)
    return -1
