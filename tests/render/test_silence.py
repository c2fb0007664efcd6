"""Silencing a link (its box ticked on the dashboard): the rewrite proposes the disable
comment at the end of its line, and the list, parsed again, ignores that line's links, as
GitHub renders it (the comment shows nowhere, a table keeps its cells)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import StatusConfig
from bot.parse.markdown import NOTE_OPEN
from bot.pipeline import parse_list
from bot.render.boxes import link_id
from bot.render.edits import Memory, item_id
from bot.render.rewrite import RewriteResult, rewrite
from bot.render.silence import MARK, REASON, TEXT
from bot.render.templating import environment
from tests.gfm_oracle import render
from tests.render.test_rewrite import fake_verdicts

TODAY = datetime(2026, 12, 2, tzinfo=UTC)
GONE = "https://github.com/gone/repo"
OTHER = "https://github.com/alive/repo"


def silenced(text: str, *urls: str, declined: frozenset[str] = frozenset()) -> RewriteResult:
    doc = parse_list(text)
    memory = Memory(silence=frozenset(link_id(u) for u in urls), declined=declined)
    return rewrite(doc, fake_verdicts(doc, dead=[GONE]), StatusConfig(), environment(),
                   TODAY, memory)  # fmt: skip


def ignored(text: str) -> set[str]:
    return {lk.raw_url for lk in parse_list(text).links if lk.ignored}


def test_a_list_item_gets_the_comment_at_its_end_and_is_ignored_from_then_on() -> None:
    # CRLF line endings and a hard line break (two trailing spaces) are kept.
    text = (
        f"# L\r\n\r\n- [Gone]({GONE}) - gone now.  \r\n  more words\r\n- [Alive]({OTHER}) - ok.\r\n"
    )
    first = rewrite(parse_list(text), fake_verdicts(parse_list(text), dead=[GONE]),
                    StatusConfig(), environment(), TODAY)  # fmt: skip
    assert NOTE_OPEN in first.text.splitlines()[2], "the dead link has its note"
    r = silenced(first.text, GONE)
    line = r.text.split("\r\n")[2]
    assert line == f"- [Gone]({GONE}) - gone now. {MARK}  ", "its note goes, the comment comes"
    assert [e.reason for e in r.edits if e.line == 3] == [REASON, REASON]
    assert {e.line for e in r.actionable} == {3} and r.text.count("\r\n") == text.count("\r\n")
    assert ignored(r.text) == {GONE}
    assert "<br />" in render(r.text) and MARK in render(r.text)  # a comment: not shown
    # Merged: the next rewrite with the same ticks has nothing to add.
    again = silenced(r.text, GONE)
    assert again.text == r.text and not again.edits


def test_a_table_row_gets_the_comment_in_the_link_s_cell() -> None:
    text = (f"| Name | Code | Paper |\n| --- | --- | --- |\n"
            f"| Gone | [code]({GONE}) | [p](https://arxiv.org/abs/1409.1556) |\n")  # fmt: skip
    r = silenced(text, GONE)
    row = r.text.splitlines()[2]
    assert f"[code]({GONE}) {MARK} |" in row, row
    assert ignored(r.text) == {GONE, "https://arxiv.org/abs/1409.1556"}, "the whole line"
    html = render(r.text)
    assert html.count("<td>") == 3 and MARK in html


def test_a_reference_link_gets_it_on_the_line_it_is_used_on() -> None:
    text = f"# L\n\n- [Gone][g] - gone.\n\n[g]: {GONE}\n"
    r = silenced(text, GONE)
    lines = r.text.splitlines()
    assert lines[2].endswith(f"- gone. {MARK}") and lines[4] == f"[g]: {GONE}"
    assert ignored(r.text) == {GONE}


def test_a_declined_silence_is_held_and_the_link_left_as_it_was() -> None:
    text = f"# L\n\n- [Gone]({GONE}) - gone.\n"
    r = silenced(text, GONE, declined=frozenset({item_id(REASON, GONE, TEXT)}))
    assert MARK not in r.text and NOTE_OPEN in r.text, "dead as before"
    assert [(h.why, h.reason, h.subject) for h in r.held] == [("declined", REASON, GONE)]


def test_a_link_already_disabled_or_not_ticked_gets_nothing() -> None:
    text = f"# L\n\n- [Gone]({GONE}) <!-- awesome-monitor-disable-line -->\n- [A]({OTHER})\n"
    r = silenced(text, GONE)
    assert MARK not in r.text.replace(text.splitlines()[2], "")
    assert not [e for e in r.edits if e.reason == REASON]
