"""cmark-gfm — the renderer GitHub runs — as the judge of which http(s) links a list has.

`cmark_links(text)` renders the text the way GitHub does (cmark-gfm with the table,
autolink, strikethrough, tagfilter and tasklist extensions, footnotes on, raw HTML
passed through) and collects the links a reader can follow from the HTML: `<a href>`
and `<img src>`, the two element/attribute pairs that carry a URL and that GitHub's
HTML sanitizer keeps (`<iframe>`, `<video>`, `<embed>`, `<link>`, `<script>` … are
removed; `data-src`, `srcset` and friends are not followed).

`our_links(doc)` is the same view of a parsed document. Both go through `canon`, the
escaping cmark applies to an href (facts from cmark's `houdini_escape_href`: ASCII
letters and digits and ``-_.+!*'(),%#@?=;:/&$~`` are kept, `%` is kept as written,
every other character is percent-encoded as UTF-8), so that a URL written with or
without escapes compares equal exactly when GitHub would link the same address.

The comparison is a multiset (a `Counter`), not a set: a link written twice renders
twice, and the scanner must report both (each use gets a note, each spelling a fix);
a set would let a missed second occurrence pass. Reference *definitions* are not
rendered, only their uses, so the scanner's `definition` entries are left out."""

from __future__ import annotations

import re
import string
from collections import Counter
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

from bot.parse.markdown import Document, Syntax

# GitHub: cmark-gfm with its extensions, footnotes, and raw HTML passed to the sanitizer.
OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
LINK_ATTRS = {("a", "href"), ("img", "src")}
_HREF_SAFE = frozenset(string.ascii_letters + string.digits + "-_.+!*'(),%#@?=;:/&$~")
_HTTP = re.compile(r"https?://", re.I)


def canon(url: str) -> str:
    """An href as cmark writes it: surrounding whitespace dropped (browsers do), every
    character outside cmark's safe set percent-encoded; idempotent."""
    out = []
    for ch in url.strip(" \t\n\r\f"):
        if ch in _HREF_SAFE:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
    return "".join(out)


def render(text: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(text, options=OPTIONS)


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in LINK_ATTRS and value is not None:
                self.urls.append(value)
                break  # the first one counts, as in a browser


def cmark_links(text: str) -> Counter[str]:
    """The http(s) links GitHub renders for `text`, canonical, with their counts."""
    p = _Hrefs()
    p.feed(render(text))
    p.close()
    return Counter(u for u in map(canon, p.urls) if _HTTP.match(u))


def our_links(doc: Document) -> Counter[str]:
    """The scanner's http(s) links, as rendered: every use, no definitions."""
    urls = (canon(lk.href) for lk in doc.links if lk.syntax is not Syntax.DEFINITION)
    return Counter(u for u in urls if _HTTP.match(u))


def disagreement(text: str, doc: Document) -> tuple[Counter[str], Counter[str]]:
    """(links GitHub renders that we miss, links we report that GitHub does not)."""
    ours, theirs = our_links(doc), cmark_links(text)
    return theirs - ours, ours - theirs


def marked(text: str, doc: Document) -> tuple[str, Counter[str]]:
    """The text with the span of every http(s) link we report replaced by a distinct
    marker URL, and what GitHub must then render: exactly the markers, each as often
    as we report its span. That holds only if every span is the link a reader clicks
    (not another copy of the same URL, not a piece of it)."""
    spans: dict[tuple[int, int], str] = {}
    expected: Counter[str] = Counter()
    for lk in doc.links:
        if lk.syntax is Syntax.DEFINITION or not _HTTP.match(canon(lk.href)):
            continue
        www = lk.syntax is Syntax.BARE and lk.raw_url.startswith("www.")
        marker = spans.setdefault(
            (lk.start, lk.end),
            f"www.mark{len(spans)}.example/m" if www else f"https://mark{len(spans)}.example/m",
        )
        expected[canon("http://" + marker if www else marker)] += 1
    out, pos = [], 0
    for (a, b), marker in sorted(spans.items()):
        out += [text[pos:a], marker]
        pos = b
    out.append(text[pos:])
    return "".join(out), expected


class _Where(HTMLParser):
    """Where each marker word lands in the rendered HTML: in code, in a link's text, in
    other text, or nowhere a reader sees (a comment, an attribute)."""

    def __init__(self, markers: dict[str, int]) -> None:
        super().__init__(convert_charrefs=True)
        self.markers, self.open = markers, []
        self.found: dict[int, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("br", "img", "hr", "input"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        for m in _MARKER.finditer(data):
            where = (
                "code"
                if {"code", "pre"} & set(self.open)
                else "link"
                if "a" in self.open
                else "text"
            )
            self.found.setdefault(self.markers[m.group()], where)


_MARKER = re.compile(r"zqm\d+qz")


def rendered_as(text: str, offsets: list[int]) -> dict[int, str]:
    """For each offset, where GitHub renders what starts there: `code` (a code span or
    block), `link` (a link's text), `text` (plain text), or `hidden` (a comment, an
    attribute, a reference definition: nothing a reader sees). A marker word is put at
    each offset and looked for in cmark-gfm's HTML."""
    markers = {f"zqm{i}qz": off for i, off in enumerate(sorted(set(offsets)))}
    out, pos = [], 0
    for word, off in markers.items():
        out += [text[pos:off], word]
        pos = off
    out.append(text[pos:])
    p = _Where(markers)
    p.feed(render("".join(out)))
    p.close()
    return {off: p.found.get(off, "hidden") for off in markers.values()}
