"""The bot's own rewrite against awesome-lint (pinned, see tests/awesome_lint.py): on the
sample and on every corpus list, no rule reports more problems after the rewrite than
before; an aligned table stays aligned."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.check.providers.github_urls import GitHubKind
from bot.config import StatusConfig
from bot.pipeline import parse_list
from bot.render.rewrite import rewrite
from bot.render.templating import environment
from tests import awesome_lint as al
from tests.conftest import ROOT, corpus_files
from tests.render.test_rewrite import TODAY, fake_verdicts

SAMPLE = ROOT / "data" / "awesome-image-classification-2019.md"


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


def test_the_rewrite_adds_no_awesome_lint_problem() -> None:
    al.skip_unless_available()
    befores = [p.read_text(encoding="utf-8") for p in lists()]
    afters = [rewritten(t) for t in befores]
    assert all(a != b for a, b in zip(afters, befores, strict=True))
    results = al.lint_texts(befores + afters)
    assert results is not None
    n = len(befores)
    for i, path in enumerate(lists()):
        before = al.per_rule(last_row_quirk(befores[i], results[i]))
        after = al.per_rule(last_row_quirk(afters[i], results[n + i]))
        assert al.new_problems(before, after) == {}, path.name


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
