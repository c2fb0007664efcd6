"""Properties of the rewrite on generated Markdown: nothing but the bot's own regions
change, links are kept, and a second rewrite is byte-identical."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.check.model import Judgement, Outcome, Verdict
from bot.check.providers.arxiv import ArxivTarget, PaperObservation
from bot.check.providers.github_api import RepoObservation
from bot.check.providers.github_urls import GitHubKind, GitHubTarget
from bot.parse.markdown import NOTE_OPEN, Document
from bot.pipeline import parse_list
from bot.render.rewrite import rewrite
from bot.render.templating import environment
from tests.render.test_rewrite import STATUS, carry, link_set, strip_bot

ENV = environment()

repo_urls = st.builds("https://github.com/o{}/r{}".format, st.integers(0, 4), st.integers(0, 4))
paper_urls = st.builds("https://arxiv.org/abs/1409.{:04d}".format, st.integers(1550, 1553))
web_urls = st.builds("https://example.com/p{}".format, st.integers(0, 3))
urls = st.one_of(repo_urls, paper_urls, web_urls)
words = st.sampled_from(
    [
        "alpha",
        "beta gamma",
        "😀",
        "✨ ok",
        "naïve",
        "x_y",
        "1.0",
        "-",
        "(see)",
        "[lit]",
        "a\tb",
        "**bold**",
        "`code [x](https://github.com/c/c)`",
        "é",
        "\\|",
        "a\\",
    ]
)
labels = st.sampled_from(["ref0", "Ref1", "ref2"])


@st.composite
def links(draw: st.DrawFn) -> str:
    u = draw(urls)
    form = draw(st.integers(0, 7))
    return [
        lambda: f"[{draw(words)}]({u})",
        lambda: f"[{u}]({u})",
        lambda: f"[name : {u}]({u})",
        lambda: f"<{u}>",
        lambda: u,
        lambda: f'[{draw(words)}]({u} "t")',
        lambda: f"*[{draw(words)}]({u})*",
        lambda: f"[{draw(words)}][{draw(labels)}]",
    ][form]()


@st.composite
def inline(draw: st.DrawFn, bar: bool = False) -> str:
    parts = draw(st.lists(st.one_of(words, links()), min_size=1, max_size=4))
    text = " ".join(parts)
    return text.replace("|", "\\|") if bar and "\\|" not in text else text


@st.composite
def paragraph(draw: st.DrawFn) -> list[str]:
    lines = draw(st.lists(inline(), min_size=1, max_size=3))
    return [ln + draw(st.sampled_from(["", " ", "  ", "\t"])) for ln in lines]


@st.composite
def listing(draw: st.DrawFn) -> list[str]:
    bullet = draw(st.sampled_from(["- ", "* ", "1. "]))
    items = draw(st.lists(inline(), min_size=1, max_size=4))
    return [bullet + it + draw(st.sampled_from(["", " ", "\t"])) for it in items]


@st.composite
def cell(draw: st.DrawFn) -> str:
    return draw(st.one_of(st.just(""), st.sampled_from(["x", "1.0", "😀", "-"]), links()))


@st.composite
def table(draw: st.DrawFn) -> list[str]:
    n = draw(st.integers(1, 4))
    outer = n == 1 or draw(st.booleans())  # one column needs the pipes to be a table

    def row(cells: list[str], lead: bool, trail: bool) -> str:
        body = " | ".join(cells)
        line = ("| " if lead else "") + body + (" |" if trail else "")
        return line + draw(st.sampled_from(["", " ", "   "]))

    header = [draw(st.sampled_from(["Name", "Code", "Paper", "n"])) for _ in range(n)]
    aligns = [draw(st.sampled_from(["---", ":---", "---:", ":---:", "-"])) for _ in range(n)]
    lines = [row(header, outer, outer), row(aligns, outer, outer)]
    for _ in range(draw(st.integers(0, 4))):
        k = draw(st.integers(1, n + 1))
        cells = [draw(cell()) for _ in range(k)]
        lead, trail = draw(st.booleans()), draw(st.booleans())
        if not (lead or trail) and k == 1:
            lead = True
        if not any(cells) and not (lead and trail):
            cells[0] = "x"
        lines.append(row(cells, lead, trail))
    return lines


@st.composite
def code(draw: st.DrawFn) -> list[str]:
    return ["```", draw(inline()), "```"]


@st.composite
def heading(draw: st.DrawFn) -> list[str]:
    return [draw(st.sampled_from(["# ", "## ", "### "])) + draw(inline())]


@st.composite
def html(draw: st.DrawFn) -> list[str]:
    return ['<div align="center">', f'<a href="{draw(urls)}">{draw(words)}</a>', "</div>"]


@st.composite
def definitions(draw: st.DrawFn) -> list[str]:
    return [f"[{label}]: {draw(urls)}" for label in ("ref0", "ref1", "ref2")]


@st.composite
def documents(draw: st.DrawFn) -> str:
    blocks = draw(
        st.lists(
            st.one_of(paragraph(), listing(), table(), code(), heading(), html()),
            min_size=1,
            max_size=6,
        )
    )
    if draw(st.booleans()):
        blocks.append(draw(definitions()))
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    text = (nl + nl).join(nl.join(b) for b in blocks)
    return text + (nl if draw(st.booleans()) else "")


STATES = ["alive", "archived", "dead", "failing", "not_checked", "moved"]


def verdicts_for(doc: Document, data: st.DataObject) -> tuple[list[Judgement], dict[str, str]]:
    """One random state per distinct URL (as the judge gives one per target)."""
    state: dict[str, str] = {}
    stars: dict[str, int] = {}
    moved: dict[str, str] = {}
    out = []
    for lk in doc.links:
        url, t = lk.raw_url, lk.target
        if url not in state:
            choices = STATES if t.kind is GitHubKind.REPO else STATES[:-1]
            state[url] = data.draw(st.sampled_from(choices))
            stars[url] = data.draw(st.integers(0, 2_000_000))
            if state[url] == "moved":
                moved[url] = f"https://github.com/moved{len(moved):04d}/r{len(moved):04d}"
        s = state[url]
        v = Judgement(lk, Verdict.ALIVE)
        if s == "dead":
            v.verdict, v.failures_in_a_row, v.failing_since = (
                Verdict.DEAD,
                2,
                "2026-10-01T00:00:00Z",
            )
        elif s == "failing":
            v.verdict, v.failures_in_a_row = Verdict.UNKNOWN, 1
        elif s == "not_checked":
            v.verdict, v.not_checked = Verdict.UNKNOWN, True
        elif isinstance(t, GitHubTarget):
            new = moved.get(url)
            v.observation = RepoObservation(
                t.repo_key,
                Outcome.OK,
                stars=stars[url],
                last_commit="2025-01-02T00:00:00Z",
                archived=s == "archived",
                moved_to=new[19:] if new else None,
            )
            v.verdict = (
                Verdict.MOVED if new else Verdict.ARCHIVED if s == "archived" else Verdict.ALIVE
            )
            v.moved_to = new
        elif isinstance(t, ArxivTarget):
            v.observation = PaperObservation(
                t.arxiv_id, Outcome.OK, version=stars[url] % 9 + 1, updated="2020-02-02T00:00:00Z"
            )
        out.append(v)
    return out, moved


# REWRITE_EXAMPLES=3000 for a longer hunt.
@settings(
    max_examples=int(os.environ.get("REWRITE_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=documents(), data=st.data())
def test_rewrite_changes_only_bot_regions_and_is_idempotent(text: str, data: st.DataObject):
    doc = parse_list(text)
    verdicts, moved = verdicts_for(doc, data)
    result = rewrite(doc, verdicts, STATUS, ENV)
    out = result.text
    pairs = [(old, new) for old, new in moved.items() if new in out]
    # Bot regions stripped and moved URLs put back: the input, byte for byte.
    assert strip_bot(out, doc, moved=pairs) == text
    # Same lines, same line endings, the same links (moved aside).
    assert out.splitlines(keepends=True).__len__() == text.splitlines(keepends=True).__len__()
    assert out.count("\r\n") == text.count("\r\n") and out.count("\n") == text.count("\n")
    doc2 = parse_list(out)
    assert link_set(doc2, pairs) == link_set(doc)
    # Idempotent: the same verdicts again change nothing.
    again = rewrite(doc2, carry(verdicts, doc2), STATUS, ENV)
    assert again.text == out
    # Every note is right after a link that wants one.
    assert out.count(NOTE_OPEN) == result.notes
