"""The engine on the real lists in ../shared/corpus (skipped in a clone without it)."""

import bisect
import re
from pathlib import Path

import pytest

from bot.check.providers.arxiv import ArxivKind
from bot.check.providers.github_urls import GitHubKind
from bot.config import load
from bot.parse.markdown import Syntax
from bot.parse.target import Kind
from bot.pipeline import parse_list
from bot.render.sections import match_sections, row_name
from tests.conftest import ROOT, corpus_files
from tests.gfm_oracle import cmark_links, disagreement, marked, rendered_as

CORPUS = corpus_files()
needs_corpus = pytest.mark.skipif(not CORPUS, reason="../shared/corpus is absent")
SAMPLE = ROOT / "data" / "awesome-image-classification-2019.md"


def _fences(text: str) -> list[tuple[int, int]]:
    """Line ranges (1-based, inclusive) of fenced code blocks, found independently."""
    out, start = [], None
    for i, line in enumerate(text.splitlines(), 1):
        if re.match(r"^ {0,3}(```|~~~)", line):
            if start is None:
                start = i
            else:
                out.append((start, i))
                start = None
    return out


@needs_corpus
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_links_are_exact(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = parse_list(text)
    assert doc.links, "a real list has links"
    lines = text.splitlines()
    fences = _fences(text)
    for lk in doc.links:
        assert lk.raw_url in lines[lk.line - 1]
        assert text[lk.start : lk.end] == lk.raw_url
        assert not any(a <= lk.line <= b for a, b in fences), f"link in code block: {lk.raw_url}"


@needs_corpus
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_http_url_outside_code_is_found(path: Path) -> None:
    """Each `http(s)://` in the file is a link we report, or GitHub renders it as code, as
    a link's text (`[https://x](https://x)`) or not at all (a comment, an attribute):
    cmark-gfm judges, so a fence indented by a tab inside a list item is code too."""
    text = path.read_text(encoding="utf-8")
    doc = parse_list(text)
    spans = sorted((lk.start, lk.end) for lk in doc.links)
    starts = [a for a, _ in spans]
    rest = [
        m.start()
        for m in re.finditer(r"https?://", text)
        if not _in_spans(m.start(), spans, starts)
    ]
    where = rendered_as(text, rest)
    missed = [off for off in rest if where[off] == "text"]
    lines = text.splitlines()
    assert not missed, [
        f"{path.name}:{text.count(chr(10), 0, o) + 1}: {lines[text.count(chr(10), 0, o)][:120]}"
        for o in missed[:5]
    ]


def _in_spans(offset: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and offset < spans[i][1]


def _renders_as_github_does(text: str) -> None:
    doc = parse_list(text)
    missing, extra = disagreement(text, doc)
    assert not missing, f"GitHub links these, the scanner does not: {dict(missing)}"
    assert not extra, f"the scanner reports these, GitHub does not link them: {dict(extra)}"
    mutated, expected = marked(text, doc)
    assert cmark_links(mutated) == expected, "a span is not the link GitHub renders"


@needs_corpus
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_links_are_what_github_renders(path: Path) -> None:
    """Our http(s) links (every use, as often as written) are cmark-gfm's, and every
    span is the link a reader clicks."""
    _renders_as_github_does(path.read_text(encoding="utf-8"))


def test_sample_links_are_what_github_renders() -> None:
    _renders_as_github_does(SAMPLE.read_text(encoding="utf-8"))


@needs_corpus
def test_same_repo_in_other_case_or_trailing_slash_is_one_repo() -> None:
    for path in CORPUS:
        doc = parse_list(path.read_text(encoding="utf-8"))
        by_key: dict[str, set[str]] = {}
        for lk in doc.links:
            if lk.target.kind is GitHubKind.REPO:
                by_key.setdefault(lk.target.repo_key, set()).add(lk.raw_url)
        for key, spellings in by_key.items():
            for s in spellings:
                bare = re.split(r"[?#]", s.lower())[0].rstrip("/").removesuffix(".git")
                assert bare.endswith("github.com/" + key), s
    doc = parse_list("[a](https://github.com/Foo/Bar) [b](https://github.com/foo/bar/)\n")
    assert len({lk.target.repo_key for lk in doc.links}) == 1


@needs_corpus
def test_2018_ssh_link_is_invalid_and_names_the_repo() -> None:
    path = next(p for p in CORPUS if p.name == "awesome-image-classification-2018.md")
    doc = parse_list(path.read_text(encoding="utf-8"))
    (bad,) = [lk for lk in doc.links if lk.target.kind is Kind.INVALID]
    assert bad.raw_url == "git@github.com:weiaicunzai/pytorch-cifar.git"
    assert bad.target.repo == "weiaicunzai/pytorch-cifar"


def test_sample_sections_hold_their_links() -> None:
    """Every `### Name` section of the bundled sample owns the links under it."""
    text = SAMPLE.read_text(encoding="utf-8")
    doc = parse_list(text)
    papers = [s for s in doc.sections if s.level == 3]
    assert len(papers) > 40
    for s in papers:
        links = doc.links_in_section(s)
        assert links, s.title
        assert all(lk.section is s for lk in links)
        assert any(lk.syntax is Syntax.INLINE and lk.target.kind is ArxivKind.PAPER for lk in links)


def test_sample_performance_table_rows_name_their_sections() -> None:
    doc = parse_list(SAMPLE.read_text(encoding="utf-8"))
    (table,) = doc.tables
    matches = match_sections(doc, table, load(None).status.sections)
    unmatched = [row_name(table, table.rows[i]) for i, s in matches.items() if s is None]
    assert unmatched == []
    names = {row_name(table, r): matches[i].title for i, r in enumerate(table.rows)}
    assert names["Vgg"] == "VGG"
    assert names["Inception-ResNet-v2"] == "Inceptionv4 && Inception-ResNetv2"
    assert names["MnasNet"] == "MNasNet"


def test_config_mapping_overrides_a_guess() -> None:
    doc = parse_list(SAMPLE.read_text(encoding="utf-8"))
    (table,) = doc.tables
    matches = match_sections(doc, table, {"Vgg": "ResNet"})
    first = row_name(table, table.rows[0])
    assert first == "Vgg" and matches[0].title == "ResNet"


def test_short_names_and_the_tables_own_heading_are_not_guessed() -> None:
    text = (
        "# Models\n\n| Name | x |\n|---|---|\n| x | 1 |\n| Res | 2 |\n\n"
        "## Examples\n[e](https://github.com/a/examples)\n"
        "## ResNet\n[r](https://github.com/a/resnet)\n"
    )
    doc = parse_list(text)
    (table,) = doc.tables
    matches = match_sections(doc, table)
    assert matches[0] is None  # "x" is not guessed inside "Examples", nor in "Models"
    assert matches[1].title == "ResNet"


def test_cmark_says_where_a_url_is_rendered() -> None:
    """The judge of the test above: code spans, a fence indented by a tab in a list item,
    a link's text, a comment, and plain text each land where GitHub puts them."""
    text = (
        "- `https://a.example` and plain https://c.example too\n"
        "- item:\n\n\t```\n\tgit clone https://b.example/x\n\t```\n"
        "- [https://d.example](https://e.example) <!-- https://f.example -->\n"
    )
    at = {u: text.index("https://" + u) for u in ("a", "b", "c", "d", "f")}
    where = rendered_as(text, list(at.values()))
    assert {u: where[o] for u, o in at.items()} == {
        "a": "code", "b": "code", "c": "text", "d": "link", "f": "hidden",
    }  # fmt: skip
