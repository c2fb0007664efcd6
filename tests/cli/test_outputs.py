"""One set of outputs for every command that checks a list (`bot.render.outputs`): `check`,
`pr` and `issue` take the same flags (`--json OUT`, `--sarif OUT`, `-` for standard output),
and write the same reports for the same list, end to end against the emulators."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli.parser import build_parser
from bot.render.outputs import FILES, OUTPUTS
from tests.world import LIST_REPO, World

COMMANDS = ("check", "pr", "issue")


def options(command: str) -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "subcommand").choices[command]  # type: ignore[union-attr]
    return {opt for action in sub._actions for opt in action.option_strings}


def test_every_command_that_checks_a_list_takes_every_file_output() -> None:
    assert [o.name for o in FILES] == ["json", "sarif"]
    assert set(OUTPUTS) == {"terminal", "json", "sarif", "annotations", "summary"}
    for command in COMMANDS:
        assert {"--json", "--sarif"} <= options(command), command


def remote(world: World, command: str, *extra: str) -> Any:
    return world.run(command, "--repo", LIST_REPO, "--dead-after", "1", "--dry-run",
                     "--config", str(world.config_path), *extra)  # fmt: skip


def links(path: Path) -> list[dict[str, Any]]:
    report = json.loads(path.read_text(encoding="utf-8"))
    return report["links"]


def findings(path: Path) -> set[tuple[str, str]]:
    (run,) = json.loads(path.read_text(encoding="utf-8"))["runs"]
    return {(r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"])
            for r in run["results"]}  # fmt: skip


def test_check_pr_and_issue_write_the_same_reports(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(world.tmp)
    world.add_list_repo()
    check = world.run("check", "--dead-after", "1", "--sarif", "check.sarif")
    assert check.code == 0, check.err
    (world.tmp / "check.json").write_text(json.dumps(check.report), encoding="utf-8")
    for command in ("pr", "issue"):
        run = remote(world, command, "--json", f"{command}.json", "--sarif", f"{command}.sarif")
        assert run.code == 0, run.err
        assert links(world.tmp / f"{command}.json") == links(world.tmp / "check.json"), command
        assert findings(world.tmp / f"{command}.sarif") == findings(world.tmp / "check.sarif")
        report = json.loads((world.tmp / f"{command}.json").read_text(encoding="utf-8"))
        assert report["file"] == "README.md"  # the list's path in the repository
        assert report["summary"] == check.report["summary"]


def test_a_report_on_standard_output_is_the_only_thing_there(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    world.add_list_repo()
    run = remote(world, "issue", "--json", "-")
    assert run.code == 0, run.err
    report = json.loads(run.out)  # nothing else on stdout
    assert report["file"] == "README.md" and report["links"]
    assert "would open the dashboard issue" in run.err and "requests:" in run.err
    both = remote(world, "pr", "--json", "-", "--sarif", "-")
    assert both.code == 2
    assert "only one of --json and --sarif can be - (standard output)" in both.err


def test_an_incomplete_run_writes_its_json_but_no_sarif(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(world.tmp)
    world.add_list_repo()
    world.arxiv.stop()  # arXiv lost: the run cannot complete
    run = remote(world, "pr", "--json", "pr.json", "--sarif", "pr.sarif")
    assert run.code == 3, run.err
    assert links(world.tmp / "pr.json")
    assert not (world.tmp / "pr.sarif").exists(), "half an answer would close alerts"


def test_an_output_file_that_cannot_be_written_is_refused_before_the_run(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(world.tmp)
    world.add_list_repo()
    (world.tmp / "folder").mkdir()
    before = world.github.total_requests()
    run = remote(world, "issue", "--sarif", "folder")
    assert run.code == 2
    assert "folder" in run.err and "SARIF log" in run.err
    assert world.arxiv.total_requests() == 0
    assert world.github.total_requests() == before  # not even the repository was asked
