"""Disable comments (issue 13, item 1): links a list's author asked not to check stay in
the document, marked `ignored`; markdown-link-check's comments mean the same."""

from __future__ import annotations

import pytest

from bot.parse.markdown import Syntax, parse
from bot.pipeline import parse_list

TOOLS = ["awesome-monitor", "markdown-link-check"]


def ignored(text: str) -> dict[str, bool]:
    doc = parse(text)
    for lk in doc.links:
        assert text[lk.start : lk.end] == lk.raw_url
    return {f"{lk.syntax.value}:{lk.raw_url}": lk.ignored for lk in doc.links}


@pytest.mark.parametrize("tool", TOOLS)
def test_disable_next_line_covers_only_the_next_line(tool: str) -> None:
    text = (
        f"- [a](https://a.example/)\n<!-- {tool}-disable-next-line -->\n"
        "- [b](https://b.example/) https://b2.example/ <https://b3.example/>\n"
        "- [c](https://c.example/)\n"
    )
    assert ignored(text) == {
        "inline:https://a.example/": False,
        "inline:https://b.example/": True,
        "bare:https://b2.example/": True,
        "autolink:https://b3.example/": True,
        "inline:https://c.example/": False,
    }


@pytest.mark.parametrize("tool", TOOLS)
def test_disable_line_covers_the_links_of_its_own_line(tool: str) -> None:
    text = (
        "- [a](https://a.example/)\n"
        f'- <a href="https://b.example/">b</a> [c](https://c.example/) '
        f"<!-- {tool}-disable-line -->\n"
        "- [d](https://d.example/)\n"
    )
    assert ignored(text) == {
        "inline:https://a.example/": False,
        "html:https://b.example/": True,
        "inline:https://c.example/": True,
        "inline:https://d.example/": False,
    }


@pytest.mark.parametrize("tool", TOOLS)
def test_disable_and_enable_cover_a_region(tool: str) -> None:
    text = (
        "# List\n\n- [a](https://a.example/)\n\n"
        f"<!-- {tool}-disable -->\n\n"
        "- [b](https://b.example/)\n- [c](https://c.example/)\n\n"
        f"<!-- {tool}-enable -->\n\n"
        "- [d](https://d.example/)\n"
    )
    assert ignored(text) == {
        "inline:https://a.example/": False,
        "inline:https://b.example/": True,
        "inline:https://c.example/": True,
        "inline:https://d.example/": False,
    }


def test_a_region_may_start_and_end_within_a_line() -> None:
    text = (
        "[a](https://a.example/) <!-- awesome-monitor-disable --> [b](https://b.example/) "
        "<!-- awesome-monitor-enable --> [c](https://c.example/)\n"
    )
    assert ignored(text) == {
        "inline:https://a.example/": False,
        "inline:https://b.example/": True,
        "inline:https://c.example/": False,
    }


def test_disable_without_enable_runs_to_the_end() -> None:
    text = "[a](https://a.example/)\n\n<!-- markdown-link-check-disable -->\n\n" + "".join(
        f"- [x{i}](https://x{i}.example/)\n" for i in range(3)
    )
    flags = ignored(text)
    assert flags.pop("inline:https://a.example/") is False
    assert set(flags.values()) == {True}


def test_enable_without_disable_and_a_second_disable_change_nothing() -> None:
    text = (
        "<!-- awesome-monitor-enable -->\n[a](https://a.example/)\n\n"
        "<!-- awesome-monitor-disable -->\n<!-- awesome-monitor-disable -->\n"
        "[b](https://b.example/)\n\n<!-- awesome-monitor-enable -->\n[c](https://c.example/)\n"
    )
    assert ignored(text) == {
        "inline:https://a.example/": False,
        "inline:https://b.example/": True,
        "inline:https://c.example/": False,
    }


@pytest.mark.parametrize(
    "comment",
    [
        "`<!-- awesome-monitor-disable-next-line -->`",  # a code span
        "```\n<!-- awesome-monitor-disable-next-line -->\n```",  # a fence
        "    <!-- awesome-monitor-disable-next-line -->",  # an indented code block
    ],
)
def test_a_comment_in_code_is_not_a_directive(comment: str) -> None:
    text = f"Before.\n\n{comment}\n[a](https://a.example/)\n"
    assert ignored(text) == {"inline:https://a.example/": False}


def test_a_reference_is_covered_by_its_use_or_its_definition() -> None:
    text = (
        "[a][r] <!-- awesome-monitor-disable-line -->\n\n[b][s]\n\n"
        "<!-- awesome-monitor-disable-next-line -->\n[s]: https://s.example/\n"
        "[r]: https://r.example/\n"
    )
    doc = parse(text)
    assert [(lk.syntax, lk.raw_url, lk.ignored) for lk in doc.links] == [
        (Syntax.REFERENCE, "https://r.example/", True),
        (Syntax.REFERENCE, "https://s.example/", True),
        (Syntax.DEFINITION, "https://s.example/", True),
        (Syntax.DEFINITION, "https://r.example/", False),
    ]


def test_directives_inside_html_blocks_and_without_spaces() -> None:
    text = (
        "<details>\n<summary>More</summary>\n"
        '<!--awesome-monitor-disable-next-line-->\n<a href="https://a.example/">a</a>\n'
        '<a href="https://b.example/">b</a>\n</details>\n'
    )
    assert ignored(text) == {"html:https://a.example/": True, "html:https://b.example/": False}


def test_other_comments_and_the_bots_notes_are_not_directives() -> None:
    text = (
        "<!-- awesome-monitor-disable-please -->\n[a](https://a.example/)\n"
        "[b](https://b.example/) <!-- awesome-monitor -->★ 3<!-- /awesome-monitor -->\n"
        "<!-- disable-next-line -->\n[c](https://c.example/)\n"
    )
    assert set(ignored(text).values()) == {False}


def test_ignored_links_keep_their_place_in_the_document() -> None:
    text = "<!-- awesome-monitor-disable-next-line -->\n- [a](https://github.com/o/r)\n"
    (lk,) = parse_list(text).links
    assert (lk.ignored, lk.line, lk.col_start, lk.target.url) == (
        True,
        2,
        6,
        "https://github.com/o/r",
    )
