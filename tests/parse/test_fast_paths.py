"""The shortcuts that keep a big list's run linear give exactly what the general path gives:
markdown-it's own normalizeLink for a URL it would not change, markdown-it's own inline
parse for `[text](url) words`, the general classification for `https://github.com/o/r`,
difflib's unified diff for lines changed in place. Checked on generated text and on every
inline token of the sample and the corpus."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink

from bot.check.providers import github_urls, target_of
from bot.parse.engine import NORMALISED, md, simple_children
from bot.parse.target import classify as parse_target
from bot.render.report import unified_diff
from tests.conftest import ROOT, corpus_files

URL_PIECES = ["http://", "https://", "HTTPS://", "//", "www.", "github.com", "x.org", ":80",
              ":", "@", "/", "?", "#", "%20", "%zz", "%", "xn--n3h", "a", "Z", "0", "..", "-",
              "_", "~", "(", ")", "'", "*", "$", ",", ";", "=", "!", "&", "+", " ", "ü", "|",
              "[", "]", "\\", "`", "<", '"', "{"]  # fmt: skip
SAFE_URL_PIECES = ["/", "a", "Z", "0", "-", "_", "~", ".", "?", "=", "&", "#", "%20", "(", ")",
                   "'", "*", "$", ",", ";", "!", "+", ":", "@", "%3a"]  # fmt: skip
urls = st.lists(st.sampled_from(URL_PIECES), max_size=12).map("".join)
safe_urls = st.lists(st.sampled_from(SAFE_URL_PIECES * 8 + URL_PIECES), max_size=12).map("".join)
hosts = st.sampled_from(
    ["github.com", "x.org", "a", "xn--n3h.com", "a-b.c", "GitHub.COM", "1.2.3.4"]
)
web_urls = st.builds(lambda s, h, rest: s + h + rest,
                     st.sampled_from(["http://", "https://", "HtTp://"]), hosts,
                     st.one_of(urls, safe_urls))  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.one_of(urls, web_urls, web_urls, web_urls))
def test_a_url_the_shortcut_keeps_is_one_markdown_it_keeps(url: str) -> None:
    if NORMALISED.fullmatch(url):
        assert normalizeLink(url) == url


TEXT_PIECES = ["item", " ", "5", "-", ".", "(", ")", ":", "w", "www.", "WWW.", "http://x",
               "*", "_", "~", "~~", "`", "<", ">", "&amp;", "&", "\\", "!", "[", "]", "^",
               "#", "|", '"', "'", "\n", "é", "@", "{", "$"]  # fmt: skip
SAFE_TEXT = ["item", " ", "5", "-", ".", "(", ")", "w", "'", '"', "é", "@", "#", "$", "!", "|"]
texts = st.lists(st.sampled_from(SAFE_TEXT * 6 + TEXT_PIECES), max_size=8).map("".join)
link_urls = st.one_of(web_urls, urls, st.sampled_from(["https://github.com/o/r"]))


def full_parse(content: str) -> list[tuple]:
    """What markdown-it makes of an inline content, in the fields the link finder reads."""
    (tok,) = md().parseInline(content)
    return [(c.type, c.content, dict(c.attrs), dict(c.meta or {}), c.markup, c.level)
            for c in tok.children or []]  # fmt: skip


def shortcut(content: str) -> list[tuple] | None:
    pieces = simple_children(content)
    if pieces is None:
        return None
    return [(p.type, p.content, p.attrs, p.meta, p.markup, p.level) for p in pieces]


@settings(max_examples=4000, deadline=None)
@given(texts, link_urls, texts)
def test_the_inline_shortcut_is_what_markdown_it_makes(text: str, url: str, words: str) -> None:
    content = f"[{text}]({url}){words}"
    got = shortcut(content)
    if got is not None:
        assert got == full_parse(content), content


def test_the_inline_shortcut_takes_the_common_items_and_nothing_doubtful() -> None:
    assert shortcut("[item 5](https://github.com/o/r) - does thing 5.") is not None
    assert shortcut("[a(b)](https://x.org/a_b?c=d#e) (2019)") is not None
    for doubtful in [
        "[a](https://x.org) see www.y.org",  # an autolink after it
        "[a](https://x.org) see https://y.org",
        "[a](https://x.org) *em*",
        "[a](<https://x.org>)",
        "[a](https://x.org 'title')",
        "[a](https://x.org/a%zz)",  # markdown-it would encode it
        "[a](javascript:alert(1))",
        "[a &amp; b](https://x.org)",
        "[a](https://x.org)\nmore",
        "[^1](https://x.org)",
    ]:
        assert shortcut(doubtful) is None, doubtful


def _inline_contents(paths: list[Path]) -> list[str]:
    contents = []
    for path in paths:
        for tok in md().parse(path.read_text(encoding="utf-8")):
            if tok.type == "inline":
                contents.append(tok.content)
    return contents


def test_on_the_sample_and_the_corpus_the_shortcut_agrees_with_the_parse() -> None:
    paths = [ROOT / "data" / "awesome-image-classification-2019.md", *corpus_files()]
    taken = 0
    for content in _inline_contents(paths):
        got = shortcut(content)
        if got is not None:
            taken += 1
            assert got == full_parse(content), content
    assert taken > 100


GITHUB = st.builds(
    lambda pre, owner, name, suf: f"{pre}{owner}/{name}{suf}",
    st.sampled_from(["https://github.com/", "http://github.com/", "https://GitHub.com/",
                     " <https://github.com/", "https://www.github.com/"]),
    st.sampled_from(["o", "Owner-1", "a--b", "-x", "x-", "orgs", "Topics", "a" * 39, "a" * 40,
                     "ab_c", "x.y", "%41"]),
    st.sampled_from(["r", "repo.git", ".git", "a.b-c_d", "x" * 100, "x" * 101, "..", ".",
                     "r.git.git", "-", "r.GIT", "%72"]),
    st.sampled_from(["", "/", "#x", "?a", ">", "/issues", "/blob/main/a.md"]),
)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(GITHUB)
def test_the_repository_shortcut_classifies_as_the_general_path(url: str) -> None:
    parsed = parse_target(url)  # GitHub claims only web links
    assert parsed.kind != "web" or github_urls.claim(parsed) == github_urls._claim(parsed.url)


@pytest.mark.parametrize("url", ["https://github.com/o/r", "https://github.com/o/r.git"])
def test_the_repository_shortcut_is_taken(url: str) -> None:
    assert github_urls._PLAIN_REPO.fullmatch(url)
    assert target_of(url).repo == "o/r"


lines = st.lists(st.sampled_from(["a\n", "b\n", "| x |\n", "\n", "- [r](u)\n"]), max_size=30)


def apply(diff: str, old: list[str]) -> list[str]:
    """Apply a unified diff to `old` (the lines, with their ends), as `patch` would."""
    out, at = [], 0
    body = diff.splitlines(keepends=True)[2:]
    k = 0
    while k < len(body):
        start = int(re.match(r"@@ -(\d+)", body[k])[1])
        start = (
            start - 1
            if "," not in body[k].split()[1] or not body[k].split()[1].endswith(",0")
            else start
        )
        out += old[at:start]
        at = start
        k += 1
        while k < len(body) and not body[k].startswith("@@"):
            sign, line = body[k][0], body[k][1:]
            if sign in " -":
                assert old[at] == line, (old[at], line)
                at += 1
            if sign in " +":
                out.append(line)
            k += 1
    return out + old[at:]


@settings(max_examples=1500, deadline=None)
@given(lines, st.lists(st.tuples(st.integers(0, 29), st.sampled_from([" ★ 1k", "x", ""]))))
def test_the_line_for_line_diff_is_a_unified_diff(
    old: list[str], edits: list[tuple[int, str]]
) -> None:
    """The rewrite changes lines in place: the diff pairs them as they stand. `patch` would
    make the new text of it, and with lines all different it is what difflib says."""
    new = list(old)
    for i, extra in edits:
        if i < len(new):
            body = new[i].rstrip("\n")
            new[i] = body + extra + new[i][len(body) :]
    a, b = "".join(old), "".join(new)
    diff = unified_diff("l.md", a, b)
    assert "".join(apply(diff, a.splitlines(True))) == b if diff else a == b
    numbered = "".join(f"{i}{line}" for i, line in enumerate(old))
    renumbered = "".join(f"{i}{line}" for i, line in enumerate(new))
    expected = "".join(difflib.unified_diff(numbered.splitlines(True), renumbered.splitlines(True),
                                            fromfile="a/l.md", tofile="b/l.md"))  # fmt: skip
    assert unified_diff("l.md", numbered, renumbered) == expected
