"""Links exactly as GitHub renders them (issue 11): each case, checked against cmark-gfm.

Every case asserts what the scanner reports and that it agrees with cmark-gfm, the
renderer GitHub runs (tests/gfm_oracle.py): the same http(s) links, as often, and
each span is the link a reader clicks (replacing it changes exactly that link)."""

from __future__ import annotations

import pytest

from bot.parse.markdown import Syntax, parse
from tests.gfm_oracle import canon, cmark_links, marked, our_links, render


def agree(text: str):  # noqa: ANN201
    """Parse, and check the document against cmark-gfm; return it."""
    doc = parse(text)
    assert our_links(doc) == cmark_links(text)
    for lk in doc.links:
        assert text[lk.start : lk.end] == lk.raw_url
        assert text.splitlines()[lk.line - 1][lk.col_start : lk.col_end] == lk.raw_url
    mutated, expected = marked(text, doc)
    assert cmark_links(mutated) == expected
    return doc


def urls(text: str) -> list[str]:
    return [lk.raw_url for lk in agree(text).links]


# -- words with a dot are not links ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Edit README.md or setup.py, then run main.py\n",
        "* [Flask-SocketIO](https://github.com/miguelgrinberg/Flask-SocketIO) - Socket.IO "
        "integration for Flask.\n",  # vinta__awesome-python.md line 298
        "- Stream music from YouTube.com and Deezer.com\n",
        "- Weather in the terminal (curl wttr.in)\n",
        "Version v1.2.3, e.g. this, WWW.EXAMPLE.COM and awww.example.com\n",
    ],
)
def test_words_with_a_dot_are_not_links(text: str) -> None:
    words = ("README.md", "setup.py", "main.py", "Socket.IO", "YouTube", "Deezer", "wttr")
    assert not [u for u in urls(text) if any(w in u for w in words)]
    assert not [u for u in urls(text) if "EXAMPLE" in u or "awww" in u]


def test_www_links_render_as_http() -> None:
    doc = agree("See www.example.com/a. (www.example.org) *www.x.io*\n")
    assert [(lk.raw_url, lk.href, lk.url) for lk in doc.links] == [
        ("www.example.com/a", "http://www.example.com/a", "http://www.example.com/a"),
        ("www.example.org", "http://www.example.org", "http://www.example.org"),
        ("www.x.io", "http://www.x.io", "http://www.x.io"),
    ]


# -- percent-escapes and entities are kept as written ------------------------------


@pytest.mark.parametrize(
    ("text", "raw", "syntax"),
    [
        (
            "- DeepID <http://www.ee.cuhk.edu.hk/%CB%9Cwlouyang/projects/imagenetDeepId/"
            "index.html>\n",
            "http://www.ee.cuhk.edu.hk/%CB%9Cwlouyang/projects/imagenetDeepId/index.html",
            Syntax.AUTOLINK,
        ),
        (
            "卷积 https://zh.wikipedia.org/wiki/%E5%8D%B7%E7%A7%AF 神经\n",
            "https://zh.wikipedia.org/wiki/%E5%8D%B7%E7%A7%AF",
            Syntax.BARE,
        ),
        ("Slides: https://example.com/a%20b.pdf.\n", "https://example.com/a%20b.pdf", Syntax.BARE),
        ("<https://x.example/a%2Fb?q=%zz>\n", "https://x.example/a%2Fb?q=%zz", Syntax.AUTOLINK),
        ("[t](https://x.example/%E5%8D%B7)\n", "https://x.example/%E5%8D%B7", Syntax.INLINE),
    ],
)
def test_percent_escapes_are_found_as_written(text: str, raw: str, syntax: Syntax) -> None:
    (lk,) = agree(text).links
    assert (lk.raw_url, lk.syntax, lk.url) == (raw, syntax, raw)


def test_entities_stay_in_the_span_and_are_decoded_in_the_href() -> None:
    text = "<https://x.example/?a=1&amp;b=2> [t](https://y.example/?a=1&amp;b=2)\n"
    doc = agree(text)
    assert [lk.raw_url for lk in doc.links] == [
        "https://x.example/?a=1&amp;b=2",
        "https://y.example/?a=1&amp;b=2",
    ]
    assert {lk.href for lk in doc.links} == {
        "https://x.example/?a=1&b=2",
        "https://y.example/?a=1&b=2",
    }


def test_a_bare_url_keeps_an_entity_inside_as_github_does() -> None:
    (lk,) = agree("https://x.example/a&amp;b\n").links
    assert lk.raw_url == lk.href == "https://x.example/a&amp;b"


# -- definitions that are not web links ----------------------------------------------


def test_relative_anchor_and_footnote_definitions_are_not_links() -> None:
    text = "See [d], [x] and [^actually].\n\n[d]: docs/README.md\n[x]: #anchor\n[^actually]: not\n"
    assert agree(text).links == []


def test_footnote_links_are_links_when_the_footnote_is_referred_to() -> None:
    text = "A claim[^1].\n\n[^1]: See https://paper.example/1 and [b](https://b.example/).\n"
    assert urls(text) == ["https://paper.example/1", "https://b.example/"]
    assert urls("No reference.\n\n[^1]: https://paper.example/1\n") == []


def test_only_definitions_that_are_used_are_listed() -> None:
    text = "[used][u]\n\n[u]: https://u.example/\n[unused]: https://n.example/\n"
    doc = agree(text)
    assert [(lk.syntax, lk.raw_url) for lk in doc.links] == [
        (Syntax.REFERENCE, "https://u.example/"),
        (Syntax.DEFINITION, "https://u.example/"),
    ]


def test_reference_images_point_at_their_definition() -> None:
    text = "[![Awesome][badge]][list]\n\n[badge]: https://b.example/b.svg\n[list]: https://l.example/\n"
    doc = agree(text)
    uses = [(lk.syntax, lk.raw_url, lk.line, lk.use_line) for lk in doc.links]
    assert uses[:2] == [
        (Syntax.IMAGE, "https://b.example/b.svg", 3, 1),
        (Syntax.REFERENCE, "https://l.example/", 4, 1),
    ]


def test_same_url_under_two_labels_keeps_each_definition() -> None:
    text = "[a][one] [b][two]\n\n[one]: https://x.example/\n[two]: https://x.example/\n"
    doc = agree(text)
    uses = [lk for lk in doc.links if lk.syntax is Syntax.REFERENCE]
    assert [lk.line for lk in uses] == [3, 4]


# -- trailing characters GitHub drops --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("_https://x.com/b_\n", "https://x.com/b"),
        ("https://x.com/e~\n", "https://x.com/e"),
        ("https://x.com/d&amp;\n", "https://x.com/d"),
        ("https://example.com/_\n", "https://example.com/"),
        ("(see https://x.com/wiki/A_(b))\n", "https://x.com/wiki/A_(b)"),
        ("https://x.com/a).\n", "https://x.com/a"),
        ("**https://x.com/s**\n", "https://x.com/s"),
        ("~~https://x.com/s~~\n", "https://x.com/s"),
        ('"https://x.com/q"\n', "https://x.com/q"),
        ("https://x.com/p;\n", "https://x.com/p"),
        ("https://x.com/p?!:,\n", "https://x.com/p"),
        ("https://x.com/<b>\n", "https://x.com/"),
    ],
)
def test_trailing_characters_github_drops(text: str, raw: str) -> None:
    assert urls(text) == [raw]


def test_hosts_with_an_underscore_near_the_end_are_not_links() -> None:
    assert urls("http://a.b_c.example/ and http://x_y.example and www.a_b.example\n") == []
    assert urls("http://a_b.c.example/\n") == ["http://a_b.c.example/"]


# -- what cmark-gfm does that markdown-it alone does not ----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[see https://x.example/a] https://x.example/a\n",  # no autolink inside brackets
        "[see https://x.example/a\n",
        "\\https://x.example/after-backslash\n",
        "1https://x.example/digit ahttps://x.example/letter\n",
        '[t](https://x.example/a(b "title")\n',  # an unbalanced `(` that a space ends
        "[r]: https://x.example/a(b\n\n[r]\n",
        "[r]: https://x.example/r\n    [t][r] is a paragraph, not code\n",
        "[r]: https://x.example/r\n<b>still the paragraph</b> https://x.example/p\n",
        "[r]: https://x.example/r\n| h |\n|---|\n\n[r]\n",  # a table takes the definition
        '| h |\n|---|\n<img alt="a tag line ends the table">\n<https://x.example/raw>\n',
        '- item\n<img alt="ends the list">\nhttps://x.example/raw\n',
        "x[^1]\n\n[^1]: first https://x.example/1\n[^1]: second https://x.example/2\n",
        "c](https://x.example/t)[a](https://x.example/t)\n",
        "[R]: https://x.example/i\n\n![a][R](https://x.example/i)\n",
        "| a | b |\n|---|---|\n| [see www.x.example] | **www.x.example** |\n",
        "| a |\n|---|\n| **https://x.example/a_b.c** <https://x.example/a_b.c> |\n",
        "# [see https://x.example/h] https://x.example/h ##\n",
        "- a\n\t```\n\thttps://x.example/fenced\n\t```\n- https://x.example/item\n",
        "> quote\n    >www.x.example/ is lazy text, not a quote\n",
    ],
)
def test_agrees_with_cmark_gfm(text: str) -> None:
    agree(text)


# -- raw HTML: what GitHub's sanitizer keeps ----------------------------------------


def test_html_links_are_a_href_and_img_src_only() -> None:
    text = (
        '<p align="center">\n'
        '<a title="see <a href=x>" href="https://a.example/">a</a>\n'
        "<img data-src='https://lazy.example/' src=https://img.example/i.png>\n"
        '<a data-href="https://data.example/">d</a> <img srcset="https://s.example/ 2x">\n'
        '<iframe src="https://frame.example/"></iframe> <video src="https://v.example/">\n'
        '<!-- <a href="https://commented.example/"> -->\n'
        "</p>\n"
    )
    assert urls(text) == ["https://a.example/", "https://img.example/i.png"]


def test_the_oracle_escapes_hrefs_like_cmark() -> None:
    assert canon("https://x.example/a b/ü?q=[1]") == "https://x.example/a%20b/%C3%BC?q=%5B1%5D"
    assert canon(canon("https://x.example/%zz é")) == canon("https://x.example/%zz é")
    assert 'href="https://x.example/a%20b"' in render("[t](<https://x.example/a b>)")
