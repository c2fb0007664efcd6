"""No real list makes `pr` crash: tables with rows of the same name, rows with and without
papers, several repositories in a row, run through the rewrite, the fingerprint and the
pull request's words (Awesome-LLM's two `2022-06` rows, one with a paper version and one
without, once made `fingerprint` raise a TypeError)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.check.model import CheckResult
from bot.check.state import State
from bot.config import Config
from bot.pipeline import parse_list
from bot.publish.pull_request import fingerprint
from bot.render.edits import Memory
from bot.render.pr_text import render
from bot.render.rewrite import rewrite
from bot.render.templating import environment
from tests.render.test_rewrite import STATUS
from tests.render.test_rewrite_props import verdicts_for

ENV = environment()
names = st.sampled_from(["2022-06", "2022-06", "GPT", "Vgg", "x", ""])
repos = st.builds("https://github.com/o{}/r{}".format, st.integers(0, 5), st.integers(0, 3))
papers = st.builds("https://arxiv.org/abs/2206.{:05d}".format, st.integers(1, 4))


@st.composite
def row(draw: st.DrawFn) -> str:
    links = [f"[code]({u})" for u in draw(st.lists(repos, max_size=3))]
    if draw(st.booleans()):
        links.append(f"[paper]({draw(papers)})")
    return f"| {draw(names)} | {' '.join(links) or '-'} |"


@st.composite
def lists(draw: st.DrawFn) -> str:
    tables = []
    for _ in range(draw(st.integers(1, 3))):
        rows = draw(st.lists(row(), min_size=1, max_size=6))
        tables.append("\n".join(["| Date | Links |", "| --- | --- |", *rows]))
    items = [f"- [{draw(names) or 'item'}]({draw(st.one_of(repos, papers))}) - A thing."
             for _ in range(draw(st.integers(0, 4)))]  # fmt: skip
    return "# List\n\n" + "\n\n".join(tables) + "\n\n## More\n\n" + "\n".join(items) + "\n"


@settings(
    max_examples=int(os.environ.get("PR_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=lists(), data=st.data())
def test_rewrite_fingerprint_and_pr_text_never_fail(text: str, data: st.DataObject) -> None:
    doc = parse_list(text)
    verdicts, _ = verdicts_for(doc, data)
    rw = rewrite(doc, verdicts, STATUS, ENV)
    items = [e.identity for e in rw.actionable]
    assert fingerprint(items) == fingerprint(list(reversed(items)))  # order does not matter
    result = CheckResult(verdicts, State(updated="2026-12-07T06:17:00Z"), {}, counts={})
    texts = render(Config(), "README.md", result, rw, "main", {"fingerprint": "x"})
    assert texts.title and len(texts.title) <= 256 and len(texts.body) <= 65_536
    # Declining every change leaves nothing to act on, and the list as it was but drift.
    held = rewrite(doc, verdicts, STATUS, ENV, memory=Memory(declined=frozenset(items)))
    assert not held.actionable
    assert {h.why for h in held.held} <= {"declined"}
