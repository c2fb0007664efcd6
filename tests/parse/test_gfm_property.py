"""Property: for Markdown built from what real lists are made of, the scanner's http(s)
links are exactly the ones cmark-gfm (GitHub's renderer) makes, at the right spans.

The generator writes tables, nested lists, `<details>`/`<summary>`, inline and block
HTML, reference links and definitions (absolute, relative, anchors), footnotes,
autolinks, bare URLs and `www.` next to punctuation and inside emphasis, words with a
dot (`README.md`, `Socket.IO`), percent-escapes, entities, backslash escapes, code spans
and fences (also tab-indented fences in list items). Each example checks:

1. our multiset of http(s) links equals cmark-gfm's (see tests/gfm_oracle.py);
2. every span slices out the URL as written;
3. replacing each span by a marker URL makes GitHub render exactly the markers;
4. nothing without a scheme (relative paths, anchors, footnote text) is reported.

`derandomize=True`: CI runs the same 300 examples every time (a few seconds), and the
generator weighs the constructs of issue 11 so that each of its cases is among them:
with any one of its fixes reverted (words with a dot linked, percent-escaped autolinks
dropped, relative definitions reported, trailing punctuation kept) this test fails."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.parse.markdown import parse
from tests.gfm_oracle import cmark_links, marked, our_links

MAX_EXAMPLES = 300

_SCHEME = st.sampled_from(["https://", "http://", "HTTPS://", "https://www."])
_HOST = st.sampled_from(
    ["example.com", "github.com", "x.io", "a-b.org", "sub.example.co.uk", "münchen.de",
     "a_b.example.com", "example.b_c.com", "localhost", "zh.wikipedia.org"]
)  # fmt: skip
_SEGMENT = st.sampled_from(
    ["a", "b_c", "%20", "%E5%8D%B7%E7%A7%AF", "%CB%9Cwlouyang", "%zz", "100%", "(x)", "x(y",
     "~user", "a&amp;b", "a&b=1", "é", "a*b", "_", "v1.2", "?q=1&r=2", "#frag", "a\\_b",
     "index.html", "README.md", "a-b", "%28c%29", "x;y", "&copy;", "a'b"]
)  # fmt: skip
_TRAIL = st.sampled_from(
    ["", "", "", ".", ",", ")", "_", "~", "&amp;", ";", "'", '"', "*", "?", "!", ":", "))",
     ".)", "&gt;", "~~", "**", "_.", "/"]
)  # fmt: skip
_BEFORE = st.sampled_from(
    ["", "", "", "(", "*", "_", "**", "~", '"', "'", "1", "a", "\\", "[", ">"]
)
_WORD = st.sampled_from(
    ["Edit", "README.md", "or", "setup.py,", "then run", "main.py", "Socket.IO", "integration",
     "YouTube.com", "Deezer.com", "(curl wttr.in)", "e.g.", "v1.2", "foo", "x@y.com", "—",
     "wttr.in", "www", "WWW.example.com", "awww.example.com", "a.b", "ftp://f.example.com/x"]
)  # fmt: skip
_LABEL = st.sampled_from(["r1", "R1", "ref", "d", "x y"])
_TEXT = st.sampled_from(["text", "**bold**", "`code`", "a [b] c", "Name", "x_y"])


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = "www." if draw(st.integers(0, 4)) == 0 else draw(_SCHEME)
    path = "/".join(draw(st.lists(_SEGMENT, max_size=3)))
    slash = "/" if path or draw(st.booleans()) else ""
    return f"{scheme}{draw(_HOST)}{slash}{path}"


@st.composite
def bare(draw: st.DrawFn) -> str:
    return draw(_BEFORE) + draw(urls()) + draw(_TRAIL)


def _full(u: str) -> str:
    return u if "://" in u else "https://" + u


_U = urls()
_F = _U.map(_full)
_PIECES = [
    bare(),
    bare(),
    _WORD,
    _WORD,
    _F.map(lambda f: f"<{f}>"),
    st.builds(lambda t, f: f"[{t}]({f})", _TEXT, _F),
    st.builds(lambda t, f: f'[{t}](<{f}> "Title")', _TEXT, _F),
    _F.map(lambda f: f"![alt]({f})"),
    st.builds(lambda a, b: f"[![badge]({a})]({b})", _F, _F),
    st.builds(lambda t, r: f"[{t}][{r}]", _TEXT, _LABEL),
    _LABEL.map(lambda r: f"[{r}]"),
    _LABEL.map(lambda r: f"[{r}][]"),
    st.builds(lambda t, r: f"![{t}][{r}]", _TEXT, _LABEL),
    _U.map(lambda u: f"`{u}`"),
    _F.map(lambda f: f"``[x]({f})``"),
    st.builds(lambda f, t: f'<a href="{f}">{t}</a>', _F, _TEXT),
    _F.map(lambda f: f'<img src="{f}" alt="i">'),
    st.builds(lambda f, u: f'<a data-href="{f}" title="{u}">t</a>', _F, _U),
    _U.map(lambda u: f"<span>{u}</span>"),
    _F.map(lambda f: f"\\[x\\]({f})"),
    _U.map(lambda u: f"*{u}*"),
    _U.map(lambda u: f"_{u}_"),
    _U.map(lambda u: f"**{u}**"),
    _U.map(lambda u: f"~~{u}~~"),
    _U.map(lambda u: f"({u})"),
    st.sampled_from(["&amp;", "&copy;", "[^1]", "[^actually]", "x"]),
    _U.map(lambda u: f"[see {u}]"),
]
inline_piece = st.one_of(*_PIECES)


@st.composite
def line(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(inline_piece, min_size=1, max_size=4))
    sep = draw(st.sampled_from([" ", " ", " ", "", ", ", " and "]))
    return sep.join(pieces)


def _indent(block: str, prefix: str) -> str:
    return "\n".join(prefix + ln if ln else ln for ln in block.split("\n"))


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 14 if depth == 0 else 6))
    if kind <= 2:
        return "\n".join(draw(st.lists(line(), min_size=1, max_size=3)))
    if kind == 3:
        return "#" * draw(st.integers(1, 3)) + " " + draw(line())
    if kind == 4:
        marker = draw(st.sampled_from(["- ", "* ", "1. "]))
        items = []
        for _ in range(draw(st.integers(1, 3))):
            item = marker + draw(line())
            if depth < 2 and draw(st.booleans()):
                inner = draw(block(depth=depth + 1))
                item += "\n" + _indent(inner, " " * len(marker) if draw(st.booleans()) else "\t")
            items.append(item)
        return "\n".join(items)
    if kind == 5:
        return _indent(draw(line()), "> ")
    if kind == 6:
        fence = draw(st.sampled_from(["```", "~~~", "```python"]))
        return f"{fence}\n{draw(line())}\n{fence[:3]}"
    if kind == 7:
        cols = draw(st.integers(1, 3))
        cells = st.lists(line(), min_size=cols, max_size=cols)
        rows = [draw(cells) for _ in range(draw(st.integers(1, 3)))]
        head = "| " + " | ".join(f"H{i}" for i in range(cols)) + " |"
        sep = "|" + "|".join(["---"] * cols) + "|"
        body = ["| " + " | ".join(c.replace("|", "") for c in r) + " |" for r in rows]
        return "\n".join([head, sep, *body])
    if kind == 8:
        inner = draw(block(depth=depth + 1))
        return f"<details>\n<summary>{draw(line())}</summary>\n\n{inner}\n\n</details>"
    if kind == 9:
        full = draw(_F)
        return f'<p align="center">\n  <a href="{full}"><img src="{full}" width="100"></a>\n</p>'
    if kind == 10:
        full = draw(_F)
        target = draw(
            st.sampled_from(
                [full, f"<{full}>", f'{full} "Title"', "docs/README.md", "#anchor", "not"]
            )
        )
        return f"[{draw(_LABEL)}]: {target}"
    if kind == 11:
        return f"[^{draw(st.sampled_from(['1', 'actually']))}]: {draw(line())}"
    if kind == 12:
        return "    " + draw(line())
    if kind == 13:
        return "-\t" + draw(line()) + "\n\t```\n\t" + draw(line()) + "\n\t```"
    return "<!-- " + draw(line()) + " -->"


@st.composite
def documents(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(block(), min_size=1, max_size=5))
    glue = draw(st.sampled_from(["\n\n", "\n\n", "\n"]))
    return glue.join(blocks) + "\n"


_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|git@")


def check(text: str) -> None:
    doc = parse(text)
    assert our_links(doc) == cmark_links(text), "link sets differ"
    for lk in doc.links:
        assert text[lk.start : lk.end] == lk.raw_url
        assert _SCHEME_RE.match(lk.href.strip()), f"not a web link: {lk.href!r}"
    mutated, expected = marked(text, doc)
    assert cmark_links(mutated) == expected, "a span is not the link GitHub renders"


@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(documents())
def test_links_are_what_github_renders(text: str) -> None:
    check(text)
