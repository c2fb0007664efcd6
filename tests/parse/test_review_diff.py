"""What a change adds to a list (bot.parse.diff) and what is the same target however it is
written (bot.check.identity): pure, no network."""

from __future__ import annotations

import pytest

from bot.check.identity import duplicates, identity
from bot.config import Config
from bot.parse.diff import added_links, written
from bot.parse.target import classify as parse_target
from bot.pipeline import parse_list

BASE = """# Awesome things

## Tools

- [Tool](https://github.com/owner/tool) - A tool.
- [Site](https://example.com/docs) - A site, [used twice][ref].
- [Paper](https://arxiv.org/abs/1512.03385) - A paper.

## More

- [Other][ref] - By reference.

[ref]: https://example.org/ref
"""


def added(old: str, new: str) -> list[tuple[int, str]]:
    cfg = Config()
    return [(lk.line, lk.raw_url) for lk in added_links(parse_list(old, cfg), parse_list(new, cfg))]


def test_rewording_moving_and_reusing_a_reference_add_nothing() -> None:
    reworded = BASE.replace("A tool.", "A better tool, reworded.")
    assert added(BASE, reworded) == []
    lines = BASE.splitlines(keepends=True)
    moved = "".join(lines[:4] + lines[5:10] + [lines[4]] + lines[10:])  # the tool, moved down
    assert "github.com/owner/tool" in moved and added(BASE, moved) == []
    reused = BASE.replace("- [Other][ref]", "- [Again][ref] - Reused.\n- [Other][ref]")
    assert added(BASE, reused) == []
    cosmetic = BASE.replace("github.com/owner/tool)", "github.com/owner/tool/)")
    assert added(BASE, cosmetic) == [], "the same repository written another way adds none"


def test_new_entries_altered_addresses_and_a_repeated_address_are_added() -> None:
    new = BASE.replace(
        "- [Paper]", "- [New](https://github.com/new/thing) - New.\n- [Paper]"
    ).replace("https://example.com/docs", "https://example.com/docs/v2")
    new += "\n- [Tool again](https://github.com/owner/tool) - Listed twice now.\n"
    assert added(BASE, new) == [
        (6, "https://example.com/docs/v2"),
        (7, "https://github.com/new/thing"),
        (16, "https://github.com/owner/tool"),
    ]


def test_a_new_reference_definition_is_added_where_its_address_is() -> None:
    new = BASE.replace("- [Other][ref]", "- [Fresh][fresh] - New.\n- [Other][ref]")
    new += "[fresh]: https://github.com/fresh/one\n"
    assert added(BASE, new) == [(15, "https://github.com/fresh/one")]


def test_a_new_list_adds_every_written_address_and_line_endings_do_not_matter() -> None:
    doc = parse_list(BASE, Config())
    assert [lk.raw_url for lk in added_links(parse_list("", Config()), doc)] == [
        lk.raw_url for lk in written(doc)
    ]
    crlf = BASE.replace("\n", "\r\n")
    assert added(BASE, crlf) == []
    assert added(crlf, crlf.replace("A tool.", "A tool. https://new.example.com/x")) == [
        (5, "https://new.example.com/x")
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://github.com/owner/repo", "https://github.com/Owner/Repo.git/"),
        ("https://github.com/owner/repo", "http://www.github.com/OWNER/repo#readme"),
        ("https://github.com/o/r/blob/main/a.py", "https://github.com/O/R/tree/main/a.py/"),
        (
            "https://github.com/o/r/blob/main/a.py",
            "https://raw.githubusercontent.com/o/r/main/a.py",
        ),
        ("https://arxiv.org/abs/1512.03385", "https://arxiv.org/pdf/1512.03385v2"),
        ("https://arxiv.org/abs/1512.03385v1", "http://export.arxiv.org/pdf/1512.03385.pdf"),
        ("https://example.com/docs", "http://www.EXAMPLE.com:80/docs/"),
        ("https://example.com/a?x=1", "https://www.example.com/a/?x=1"),
        ("https://huggingface.co/Org/Model", "https://huggingface.co/org/model"),
        ("https://github.com/o/r/issues/3", "https://github.com/O/R/issues/3/"),
    ],
)
def test_the_same_target_written_differently(a: str, b: str) -> None:
    ta, tb = (parse_list(f"[x]({u})\n", Config()).links[0].target for u in (a, b))
    assert identity(ta) is not None and identity(ta) == identity(tb)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://github.com/owner/repo", "https://github.com/owner/repo2"),
        ("https://github.com/o/r", "https://github.com/o/r/blob/main/README.md"),
        ("https://github.com/o/r/blob/main/A.py", "https://github.com/o/r/blob/main/a.py"),
        ("https://github.com/o/r/issues/3", "https://github.com/o/r/issues/4"),
        ("https://arxiv.org/abs/1512.03385", "https://arxiv.org/abs/1512.03386"),
        ("https://example.com/Docs", "https://example.com/docs"),
        ("https://example.com/docs#a", "https://example.com/docs#b"),
        ("https://example.com:8443/x", "https://example.com/x"),
    ],
)
def test_different_targets(a: str, b: str) -> None:
    ta, tb = (parse_list(f"[x]({u})\n", Config()).links[0].target for u in (a, b))
    assert identity(ta) != identity(tb)


def test_no_identity_for_what_names_nothing() -> None:
    for raw in ("mailto:a@b.c", "#anchor", "docs/x.md", "ftp://x.org/y", "https://"):
        assert identity(parse_target(raw)) is None, raw


def test_a_duplicate_points_at_the_first_listed_link_else_an_earlier_new_one() -> None:
    new = BASE + (
        "\n- [Dup](https://github.com/Owner/Tool.git/) - Again.\n"
        "- [New](https://github.com/fresh/x) - New.\n"
        "- [New again](http://github.com/FRESH/x) - Twice in one change.\n"
    )
    cfg = Config()
    doc = parse_list(new, cfg)
    add = added_links(parse_list(BASE, cfg), doc)
    same = duplicates(add, written(doc))
    got = {
        lk.raw_url: (same[lk.start].line, same[lk.start].raw_url) for lk in add if lk.start in same
    }
    assert got == {
        "https://github.com/Owner/Tool.git/": (5, "https://github.com/owner/tool"),
        "http://github.com/FRESH/x": (16, "https://github.com/fresh/x"),
    }
