"""GitHub Actions output of `check`: annotations, job summary, groups, --fail-on-dead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.world import TOKEN, World


def test_actions_annotations_summary_and_groups(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = world.run("check", "--dead-after", "1")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0] == f"::add-mask::{TOKEN}", "the token is masked before anything else"
    errors = [ln for ln in lines if ln.startswith("::error file=")]
    warnings = [ln for ln in lines if ln.startswith("::warning file=")]
    dead: dict[str, dict] = {}
    for e in run.report["links"]:
        if e["verdict"] == "dead":
            dead.setdefault(e["url"], e)  # annotated at its first line
    moved = {e["url"] for e in run.report["links"] if e["verdict"] == "moved"}
    archived = {e["url"] for e in run.report["links"] if e["verdict"] == "archived"}
    # One per distinct link: dead links are errors, moved and archived ones warnings.
    assert len(errors) == len(dead) and len(warnings) == len(moved) + len(archived)
    for e in dead.values():
        assert any(f",line={e['line']}::Dead link {e['url']}" in w for w in errors)
    assert any("::Moved: " in w for w in warnings) and any("::Archived" in w for w in warnings)
    assert not [ln for ln in lines if ln.startswith("::notice")], "all of them fit: no notice"
    # No empty fold: the check printed no progress line (under 10 s), so no group for it.
    assert "::group::Checking links" not in lines and "::group::Proposed change" in lines
    opened = [i for i, ln in enumerate(lines) if ln.startswith("::group::")]
    assert all(lines[i + 1] != "::endgroup::" for i in opened)
    text = summary.read_text()
    assert text.startswith("## awesome-monitor:") and "### Dead (" in text


def test_fail_on_dead_exits_1_only_when_links_are_dead(world: World) -> None:
    assert world.run("check", "--fail-on-dead").code == 0  # failing, not dead yet
    assert world.run("check", "--fail-on-dead", "--dead-after", "1").code == 1


def test_without_actions_there_are_no_workflow_commands(world: World) -> None:
    run = world.run("check", "--dead-after", "1")
    assert "::warning" not in run.out and "::add-mask::" not in run.out


def test_the_checking_fold_opens_with_its_first_progress_line(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("AWESOME_MONITOR_PROGRESS_INTERVAL", "0.001")
    run = world.run("check")
    assert "progress: " in run.err
    lines = run.out.splitlines()
    start = lines.index("::group::Checking links")
    assert lines[start + 1] == "::endgroup::"  # its lines went to stderr, within the fold
