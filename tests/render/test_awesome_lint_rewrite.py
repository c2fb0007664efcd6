"""The bot's own rewrite against awesome-lint (pinned, see tests/awesome_lint.py), compared
per rule in both directions on the sample and on every corpus list: no rule reports more
problems after the rewrite than before, and no problem the author had disappears (a note
must never hide one: a note at an item's end made awesome-lint skip that item's punctuation
and casing checks, 34 problems on Awesome-LLM). An aligned table stays aligned."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.check.providers.github_urls import GitHubKind
from bot.config import StatusConfig
from bot.pipeline import parse_list
from bot.render.rewrite import rewrite
from bot.render.templating import environment
from tests import awesome_lint as al
from tests.conftest import ROOT, SHARED, corpus_files
from tests.render.test_rewrite import TODAY, fake_verdicts

SAMPLE = ROOT / "data" / "awesome-image-classification-2019.md"
LLM = SHARED / "corpus" / "Hannibal046__Awesome-LLM.md"


def rewritten(text: str) -> str:
    """The list after the bot's rewrite, with some links dead, archived and moved."""
    doc = parse_list(text)
    repos = sorted({lk.raw_url for lk in doc.links if lk.target.kind == GitHubKind.REPO})
    moved = {u: f"https://github.com/moved{i:03d}/r" for i, u in enumerate(repos[::13])}
    verdicts = fake_verdicts(doc, moved=moved, archived=set(repos[1::5]), dead=set(repos[2::7]))
    return rewrite(doc, verdicts, StatusConfig(), environment(), TODAY).text


def last_row_quirk(text: str, problems: list[al.Problem]) -> list[al.Problem]:
    """remark-lint-table-pipe-alignment drops its report on the last cell of a table that
    ends the file: once the bot's cell is last, the cell before it is measured again and a
    misalignment the author's row always had is reported. That report is not the bot's:
    leave the file's last line out of both counts."""
    last = len(text.rstrip("\n").split("\n"))
    return [p for p in problems if not (p.rule == "table-pipe-alignment" and p.line == last)]


def lists() -> list[Path]:
    return [SAMPLE, *corpus_files()]


def test_the_rewrite_adds_no_awesome_lint_problem_and_hides_none() -> None:
    al.skip_unless_available()
    befores = [p.read_text(encoding="utf-8") for p in lists()]
    afters = [rewritten(t) for t in befores]
    assert all(a != b for a, b in zip(afters, befores, strict=True))
    results = al.lint_texts(befores + afters)
    assert results is not None
    n = len(befores)
    items = {}
    for i, path in enumerate(lists()):
        before = last_row_quirk(befores[i], results[i])
        after = last_row_quirk(afters[i], results[n + i])
        assert al.differences(before, after) == {}, path.name
        items[path.name] = al.per_rule(after)["awesome-list-item"]
    if LLM in lists():  # its authors' own list-item problems, all still reported
        assert items[LLM.name] == 101


NOTE = "<!-- awesome-monitor -->★ 1.2k<!-- /awesome-monitor -->"
ITEMS = (  # the author's item has no final punctuation: awesome-lint says so
    "- [name](https://github.com/a/b) - Does a thing",
    "- <span>{note}</span> [name](https://github.com/a/b) - Does a thing",  # in front: seen
    "- [name](https://github.com/a/b) - Does a thing {note}",  # at the end: hidden
    "- {note} [name](https://github.com/a/b) - Does a thing",  # bare in front: an HTML block
)


def test_the_comparison_sees_a_problem_hidden_by_a_note() -> None:
    """The check above can fail: a note at the item's end hides the author's missing
    punctuation, and an item that starts with a comment is no item at all (an HTML block:
    awesome-lint calls it invalid, GitHub shows its link as text); in front, in a <span>,
    the author's problem is reported as before."""
    al.skip_unless_available()
    head = "# Awesome X\n\n> A list.\n\n## Contents\n\n- [Tools](#tools)\n\n## Tools\n\n"
    texts = [head + item.format(note=NOTE) + "\n" for item in ITEMS]
    results = al.lint_texts(texts)
    assert results is not None
    plain, front, end, comment = results
    (own,) = [p for p in plain if p.rule == "awesome-list-item"]
    assert own.message == "List item description must end with proper punctuation"
    assert al.differences(plain, front) == {}
    assert al.differences(plain, end) == {
        "fewer": {"awesome-list-item": 1},
        "hidden": [(11, "awesome-list-item", own.message)],
    }
    assert "Invalid list item" in [p.message for p in comment]


ALIGNED = """# Awesome Aligned

> A list.

## Contents

- [Models](#models)

## Models

| Name  | Code                                    |
| ----- | --------------------------------------- |
| Alpha | [alpha](https://github.com/alpha/alpha) |
| Beta  | [beta](https://github.com/beta/beta)    |

## Contributing

Contributions welcome.
"""


@pytest.mark.parametrize("compact", [False, True])
def test_an_aligned_table_stays_aligned(compact: bool) -> None:
    al.skip_unless_available()
    text = ALIGNED
    if compact:
        text = text.replace("| ", "|").replace(" |", "|")
    after = rewritten(text)
    assert "awesome-monitor column" in after
    results = al.lint_texts([text, after])
    assert results is not None
    table_rules = {"table-pipe-alignment", "table-cell-padding", "table-pipes"}
    for problems in results:  # before (it is aligned) and after (it still is)
        assert not [p for p in problems if p.rule in table_rules], problems


def test_the_end_of_file_quirk_is_only_the_last_line() -> None:
    problems = [al.Problem(5, 1, "table-pipe-alignment", "x"), al.Problem(4, 1, "other", "y")]
    assert last_row_quirk("a\nb\nc\nd\ne\n", problems) == [problems[1]]
    assert last_row_quirk("a\nb\nc\nd\ne\nf\n", problems) == problems
