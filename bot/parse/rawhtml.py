"""Links in raw HTML as GitHub keeps them, and the comments around them.

GitHub passes raw HTML through its sanitizer, which keeps an address a reader can
follow in two places only: `<a href>` and `<img src>`. `<iframe>`, `<video>`,
`<embed>`, `<link>`, `<script>` and friends are removed, and `data-src`, `srcset`,
`data-href` are not followed; so those are not list links. Tags are read the way an
HTML tokenizer reads them (quoted values may hold `>` or `<a`), the first of a
repeated attribute counts, and nothing inside a comment is a tag."""

from __future__ import annotations

import re
from dataclasses import dataclass

LINK_ATTRS = {"a": "href", "img": "src"}
_SPACE = " \t\n\f\r"
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
_NAME = re.compile(r"[^\s/>][^\s/>=]*")
_UNQUOTED = re.compile(r"[^\s>]*")


@dataclass(frozen=True)
class HtmlLink:
    tag: str  # `a` or `img`
    start: int  # span of the attribute value as written (offsets into the scanned text)
    end: int
    tag_end: int  # just after the tag's `>`


@dataclass(frozen=True)
class Comment:
    start: int
    end: int
    body: str


def _skip_space(src: str, p: int) -> int:
    n = len(src)
    while p < n and src[p] in _SPACE:
        p += 1
    return p


def _tag(src: str, lt: int, m: re.Match[str], links: list[HtmlLink]) -> int:
    """Read one tag's attributes; record its link attribute; return its end."""
    wanted = None if m.group(1) else LINK_ATTRS.get(m.group(2).lower())
    found: tuple[int, int] | None = None
    n, p = len(src), m.end()
    while True:
        while p < n and (src[p] in _SPACE or src[p] == "/"):
            p += 1
        if p >= n:
            break
        if src[p] == ">":
            p += 1
            break
        name = _NAME.match(src, p)
        if name is None:  # a lone `=`: part of the next name, as in HTML
            p += 1
            continue
        attr, p = name.group().lower(), name.end()
        q = _skip_space(src, p)
        span = None
        if q < n and src[q] == "=":
            q = _skip_space(src, q + 1)
            if q < n and src[q] in "\"'":
                close = src.find(src[q], q + 1)
                span = (q + 1, n if close < 0 else close)
                p = n if close < 0 else close + 1
            else:
                end = _UNQUOTED.match(src, q).end()
                span, p = (q, end), end
        if wanted and attr == wanted and found is None and span is not None:
            found = span
    if found is not None:
        links.append(HtmlLink(m.group(2).lower(), found[0], found[1], p))
    return p


def scan(src: str) -> tuple[list[HtmlLink], list[Comment]]:
    """The `<a href>` / `<img src>` values and the comments of an HTML fragment."""
    links: list[HtmlLink] = []
    comments: list[Comment] = []
    pos = 0
    while True:
        lt = src.find("<", pos)
        if lt < 0:
            return links, comments
        if src.startswith("<!--", lt):
            if src.startswith(("<!-->", "<!--->"), lt):
                end = src.index(">", lt) + 1
            else:
                close = src.find("-->", lt + 4)
                end = len(src) if close < 0 else close + 3  # unclosed: to the end
            comments.append(Comment(lt, end, src[lt + 4 : max(lt + 4, end - 3)]))
            pos = end
            continue
        m = _TAG.match(src, lt)
        if m is not None:
            pos = _tag(src, lt, m, links)
        elif src.startswith(("<!", "<?"), lt):
            close = src.find(">", lt)
            pos = len(src) if close < 0 else close + 1
        else:
            pos = lt + 1
