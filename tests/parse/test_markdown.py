"""The Markdown engine: every link, exactly where it is written."""

import pytest

from bot.parse.markdown import Syntax, normalise_name, parse
from tests.conftest import FIXTURES

FIXTURE = FIXTURES / "syntax.md"


@pytest.fixture(scope="module")
def doc():
    return parse(FIXTURE.read_text(encoding="utf-8"))


def found(doc) -> dict[str, tuple[Syntax, int]]:
    return {lk.raw_url: (lk.syntax, lk.use_line) for lk in doc.links}


def test_every_syntax_is_found_on_its_line(doc) -> None:
    links = found(doc)
    expected = {
        "https://github.com/Owner/Repo": (Syntax.INLINE, 6),
        "https://img.example/a.png": (Syntax.IMAGE, 6),
        "https://example.com/a b": (Syntax.INLINE, 7),
        "https://example.com/t": (Syntax.INLINE, 8),
        "https://auto.example/x": (Syntax.AUTOLINK, 10),
        "https://bare.example/y": (Syntax.BARE, 10),
        "www.wwwonly.com/z": (Syntax.BARE, 10),
        "https://badge.example/b.svg": (Syntax.IMAGE, 11),
        "https://github.com/owner/badged": (Syntax.INLINE, 11),
        "https://after-code.example/": (Syntax.INLINE, 14),
        "https://html-a.example/": (Syntax.HTML, 25),
        "https://html-img.example/i.png": (Syntax.HTML, 26),
        "https://arxiv.org/abs/1409.1556v6": (Syntax.INLINE, 28),
        "https://arxiv.org/pdf/1512.03385.pdf": (Syntax.INLINE, 36),
        "https://html-cell.example/": (Syntax.HTML, 37),
        "https://quote.example/": (Syntax.INLINE, 39),
        "git@github.com:owner/ssh-repo.git": (Syntax.INLINE, 41),
    }
    for url, where in expected.items():
        assert links.get(url) == where, url


def test_reference_uses_point_at_their_definition(doc) -> None:
    uses = [lk for lk in doc.links if lk.syntax is Syntax.REFERENCE]
    assert [(u.text, u.use_line, u.line) for u in uses] == [
        ("ref link", 9, 44),
        ("Ref2", 9, 45),
        ("ref3", 9, 46),
    ]
    defs = [lk for lk in doc.links if lk.syntax is Syntax.DEFINITION]
    assert [d.raw_url for d in defs] == [
        "https://github.com/Owner/Repo/",
        "https://ref2.example/path",
        "https://ref3.example/",
    ]


def test_code_front_matter_comments_and_relative_links_are_not_links(doc) -> None:
    urls = " ".join(lk.raw_url for lk in doc.links)
    for absent in ("code-span", "code2", "fenced", "indented", "commented", "frontmatter",
                   "mailto", "#syntax", "CONTRIBUTING"):  # fmt: skip
        assert absent not in urls


def test_spans_slice_out_exactly_the_url(doc) -> None:
    lines = doc.text.splitlines()
    for lk in doc.links:
        assert doc.text[lk.start : lk.end] == lk.raw_url
        assert lines[lk.line - 1][lk.col_start : lk.col_end] == lk.raw_url


def test_construct_end_is_after_the_whole_link(doc) -> None:
    by_url = {lk.raw_url: lk for lk in doc.links if lk.syntax is not Syntax.DEFINITION}
    assert doc.text[: by_url["https://example.com/a b"].construct_end].endswith('"Title")')
    assert doc.text[: by_url["https://auto.example/x"].construct_end].endswith("x>")
    assert doc.text[: by_url["https://ref2.example/path"].construct_end].endswith("[Ref2][]")


def test_tables_have_cells_with_spans(doc) -> None:
    (table,) = doc.tables
    assert [c.text.strip() for c in table.header.cells] == ["Name", "Link"]
    assert [c.text for c in table.delimiter.cells] == ["------", ":----:"]
    assert [r.cells[0].text.strip() for r in table.rows] == ["One", "Two"]
    for row in [table.header, table.delimiter, *table.rows]:
        for cell in row.cells:
            assert doc.text[cell.start : cell.end] == cell.text


def test_crlf_offsets_point_into_the_original_text() -> None:
    text = "# T\r\n\r\n- [a](https://a.example/) x\r\n- <https://b.example/>\r\n"
    doc = parse(text)
    assert [(lk.raw_url, lk.line) for lk in doc.links] == [
        ("https://a.example/", 3),
        ("https://b.example/", 4),
    ]
    for lk in doc.links:
        assert text[lk.start : lk.end] == lk.raw_url


def test_same_url_twice_on_a_line_gets_two_spans() -> None:
    text = "[https://x.example/](https://x.example/) and [y](https://x.example/)\n"
    doc = parse(text)
    assert [lk.col_start for lk in doc.links] == [21, 49]


def test_sections_nest_and_attribute_links() -> None:
    text = "# A\n## B\n[b](https://b.example)\n### C\n[c](https://c.example)\n## D\n[d](https://d.example)\n"
    doc = parse(text)
    assert {lk.raw_url: lk.section.title for lk in doc.links} == {
        "https://b.example": "B",
        "https://c.example": "C",
        "https://d.example": "D",
    }
    b = next(s for s in doc.sections if s.title == "B")
    assert [lk.raw_url for lk in doc.links_in_section(b)] == [
        "https://b.example",
        "https://c.example",
    ]


def test_normalise_name_ignores_case_space_and_punctuation() -> None:
    assert normalise_name("Inception-ResNet v2") == normalise_name("inception_resnet-V2")


def test_href_is_where_a_click_goes(doc) -> None:
    hrefs = {lk.raw_url: lk.href for lk in doc.links}
    assert hrefs["www.wwwonly.com/z"] == "http://www.wwwonly.com/z"
    assert hrefs["https://example.com/a b"] == "https://example.com/a b"
    assert doc.links[0].url == "https://github.com/Owner/Repo"
    text = "[e](https://x.example/?a=1&amp;b=\\_2) <https://y.example/&amp;>\n"
    assert [lk.href for lk in parse(text).links] == [
        "https://x.example/?a=1&b=_2",
        "https://y.example/&",
    ]
    assert not any(lk.ignored for lk in doc.links)


def test_bot_notes_and_status_cells_are_not_list_links() -> None:
    text = (
        "- [a](https://a.example/) <!-- awesome-monitor -->[v2](https://n.example/)"
        "<!-- /awesome-monitor -->\n\n"
        "| Name | Status <!-- awesome-monitor column --> |\n|---|---|\n"
        "| [b](https://b.example/) | [v1](https://s.example/) |\n"
    )
    assert [lk.raw_url for lk in parse(text).links] == [
        "https://a.example/",
        "https://b.example/",
    ]
    # A Status column without the mark is the maintainer's: its links are list links.
    theirs = text.replace(" <!-- awesome-monitor column -->", "")
    assert "https://s.example/" in [lk.raw_url for lk in parse(theirs).links]
