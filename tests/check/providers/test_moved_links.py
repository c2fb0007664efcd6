"""A moved repository's links are fixed in place, end to end (the real CLI against the
emulators): everything after owner/name is kept (path, query, fragment, trailing slash,
`.git`), the host and scheme as written, nothing else on the line changes but the bot's own
note or cell, and a second run changes nothing."""

from __future__ import annotations

import re

import pytest

from bot.check.providers import classify as claim
from bot.check.providers.github import GitHub
from bot.check.providers.github_urls import GitHubKind
from bot.parse.target import classify
from bot.render.spans import ANY_NOTE
from tests.world import MakeWorld, World

LIST = """\
# Awesome moved

| Name | Link |
| --- | --- |
| ScienceQA | [ScienceQA](https://github.com/lupantech/ScienceQA#ghost-download-the-dataset) |
| Other | [other](https://github.com/o/r/tree/main/docs) |

## Items

- [ScienceQA](https://github.com/lupantech/ScienceQA#ghost-download-the-dataset) - The data.
- [clone](https://github.com/o/r.git) - A clone address.
- [slash](https://github.com/o/r/) - A trailing slash.
- [query](https://github.com/o/r?tab=readme-ov-file) - A query.
- [docs](https://github.com/o/r/tree/main/docs) - A folder.
- [line](https://github.com/o/r/blob/main/README.md#L10) - A line of a file.
- [case](https://www.github.com/O/R) - Another case and host.
- [both](https://github.com/o/r?tab=x#y) - A query and a fragment.
- <https://github.com/o/r/blob/main/README.md> - An autolink.
- [reference][r] - A reference.

[r]: https://github.com/o/r#x
"""

RENAMES = {"lupantech/ScienceQA": "lupantech-lab/ScienceQA-v2", "o/r": "New-Owner/new.name"}

# Every URL of the list and what it becomes once the repositories moved.
FIXED = {
    "https://github.com/lupantech/ScienceQA#ghost-download-the-dataset":
        "https://github.com/lupantech-lab/ScienceQA-v2#ghost-download-the-dataset",
    "https://github.com/o/r.git": "https://github.com/New-Owner/new.name.git",
    "https://github.com/o/r/": "https://github.com/New-Owner/new.name/",
    "https://github.com/o/r?tab=readme-ov-file":
        "https://github.com/New-Owner/new.name?tab=readme-ov-file",
    "https://github.com/o/r/tree/main/docs": "https://github.com/New-Owner/new.name/tree/main/docs",
    "https://github.com/o/r/blob/main/README.md#L10":
        "https://github.com/New-Owner/new.name/blob/main/README.md#L10",
    "https://www.github.com/O/R": "https://www.github.com/New-Owner/new.name",
    "https://github.com/o/r?tab=x#y": "https://github.com/New-Owner/new.name?tab=x#y",
    "https://github.com/o/r/blob/main/README.md":
        "https://github.com/New-Owner/new.name/blob/main/README.md",
    "https://github.com/o/r#x": "https://github.com/New-Owner/new.name#x",
}  # fmt: skip

_URL = re.compile(r"https?://[^\s)>\]]+")


@pytest.fixture
def moved_world(make_world: MakeWorld) -> World:
    wd = make_world(LIST, web_cases=False)
    scenario = wd.github.scenario
    scenario.repos.clear()
    scenario.redirects.clear()
    scenario.add("lupantech/ScienceQA", stars=1500)
    scenario.add("o/r", stars=42, files={"README.md": "# r\n" * 20, "docs/index.md": "docs\n"})
    return wd


def _without_bot_text(line: str) -> str:
    """The line without the bot's note and, in a table, without its last (Status) cell."""
    line = ANY_NOTE.sub("", line)
    if line.startswith("|"):
        line = "|".join(line.split("|")[:-2])
    return line


def test_a_moved_repository_keeps_everything_after_owner_and_name(moved_world: World) -> None:
    world = moved_world
    first = world.run("check", "--write")
    assert first.code == 0, first.err
    before = world.list_path.read_text(encoding="utf-8")
    assert {e["verdict"] for e in first.report["links"]} == {"alive"}, first.report

    for old, new in RENAMES.items():
        world.github.scenario.rename(old, new)
    moved = world.run("check", "--write")
    assert moved.code == 0, moved.err
    after = world.list_path.read_text(encoding="utf-8")
    by_url = moved.by_url()
    for old, new in FIXED.items():
        assert by_url[old]["verdict"] == "moved", old
        assert by_url[old]["moved_to"] == new, old
    assert set(_URL.findall(after)) == set(FIXED.values())

    # Line by line: the URLs fixed, nothing else but the bot's own text.
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old_lines) == len(new_lines)
    for old_line, new_line in zip(old_lines, new_lines, strict=True):
        expected = _URL.sub(lambda m: FIXED.get(m[0], m[0]), old_line)
        assert _without_bot_text(new_line) == _without_bot_text(expected), new_line

    # The list links the new names now: a second run has nothing to change.
    second = world.run("check", "--write")
    assert second.code == 0, second.err
    assert world.list_path.read_text(encoding="utf-8") == after
    assert {e["verdict"] for e in second.report["links"]} == {"alive"}


@pytest.mark.parametrize(
    ("url", "fixed"),
    [
        ("https://github.com/o/r#a?b", "https://github.com/n/m#a?b"),
        ("https://github.com/o/r?a#b/c", "https://github.com/n/m?a#b/c"),
        ("http://github.com:8080/o/r/issues", "http://github.com:8080/n/m/issues"),
        ("https://github.com/O/R.git", "https://github.com/n/m.git"),
        ("https://github.com/%6F/r", "https://github.com/n/m"),
        ("https://raw.githubusercontent.com/o/r/main/a.txt",
         "https://raw.githubusercontent.com/n/m/main/a.txt"),
        ("https://github.com/o/r/issues/12#issuecomment-1",
         "https://github.com/n/m/issues/12#issuecomment-1"),
    ],
)  # fmt: skip
def test_moved_url_keeps_the_rest(url: str, fixed: str) -> None:
    target = claim(classify(url))
    assert target.repo_key == "o/r", target
    assert GitHub().moved_url(target, url, "n/m") == fixed


def test_moved_url_of_another_repository_is_none() -> None:
    target = claim(classify("https://github.com/o/r"))
    assert target.kind is GitHubKind.REPO
    assert GitHub().moved_url(target, "https://github.com/o/other", "n/m") is None
    assert GitHub().moved_url(target, "https://github.com/x/r", "n/m") is None
    assert GitHub().moved_url(target, "https://github.com/o/r", "not-a-full-name") is None
