"""Every real list, checked against the emulators and written twice: the second run
changes nothing, and the first changes only lines the bot may touch."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.parse.markdown import parse
from tests.conftest import corpus_files
from tests.world import MakeWorld

CORPUS = corpus_files()


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is absent")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_check_write_twice_is_idempotent_and_touches_only_owned_lines(
    path: Path, make_world: MakeWorld
) -> None:
    original = path.read_text(encoding="utf-8")
    # Web links of real lists point at real hosts: only GitHub and arXiv are checked.
    world = make_world(original, web_cases=False, check_web=False)
    first = world.run("check", "--write", "--dead-after", "1")
    assert first.code == 0, first.err
    once = world.list_path.read_text(encoding="utf-8")
    second = world.run("check", "--write", "--dead-after", "1")
    assert second.code == 0, second.err
    assert world.list_path.read_text(encoding="utf-8") == once
    doc = parse(original)
    allowed = {lk.line for lk in doc.links} | {lk.use_line for lk in doc.links}
    for table in doc.tables:
        allowed |= set(range(table.first_line, table.last_line + 1))
    old, new = original.splitlines(), once.splitlines()
    assert len(old) == len(new)
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True), 1) if a != b]
    assert changed, "the first run writes the status"
    stray = [i for i in changed if i not in allowed]
    assert not stray, f"lines changed that hold no link and no table: {stray[:5]}"
