"""The one error edge: every failure a user can meet is one line on stderr and its
documented exit code (README "Exit codes"); a bug says it is a bug."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.check import providers as providers_mod
from bot.check import run as run_mod
from bot.check.model import ProviderResult
from bot.check.providers.web import Web
from bot.cli import main
from tests.conftest import ROOT
from tests.emulators.base import Fault
from tests.world import LIST_REPO, World

SAMPLE = ROOT / "data" / "awesome-image-classification-2019.md"


def one_line_error(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.startswith("awesome-monitor: ")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_a_403_on_updating_the_pull_request_is_one_line_and_exit_3(world: World) -> None:
    world.add_list_repo()
    first = world.run("pr", "--repo", LIST_REPO, "--dead-after", "1")
    assert first.code == 0, first.err
    # Something new to propose: an entry's repository archived.
    world.github.scenario["KaimingHe/resnet-1k-layers"].archived = True
    world.github.inject(
        Fault(403, "PATCH", f"/repos/{LIST_REPO}/pulls", times=None,
              body=b'{"message": "Resource not accessible by integration"}')
    )  # fmt: skip
    run = world.run("pr", "--repo", LIST_REPO, "--dead-after", "1")
    assert run.code == 3
    line = one_line_error(run.err)
    assert "updating the pull request" in line and "permissions" in line


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    big = tmp_path / "big.md"  # more output than a pipe buffers
    big.write_text("".join(f"- [r{i}](https://github.com/o/r{i})\n" for i in range(5000)))
    script = f"{sys.executable} -m bot scan -v {big} | head -1; echo ${{PIPESTATUS[0]}}"
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)  # fmt: skip
    out = proc.stdout.splitlines()
    assert len(out) == 2 and out[0].startswith(str(big))
    assert out[1] == "141", "128 + SIGPIPE, not 1 (which means dead links)"
    assert proc.stderr == ""


def test_a_cron_expression_that_never_fires_is_a_usage_error(capsys) -> None:
    assert main(["schedule", "--cron", "0 0 31 2 *", "--", "check"]) == 2
    assert "never fires" in one_line_error(capsys.readouterr().err)


@pytest.mark.parametrize("command", [["check", str(SAMPLE)], ["pr", "--repo", "o/r"]])
def test_bad_option_values_are_refused_the_same_way_by_every_command(
    command: list[str], capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "x")
    assert main([*command, "--dead-after", "-1"]) == 2
    line = one_line_error(capsys.readouterr().err)
    assert line.endswith("--dead-after must be at least 1, not -1")
    assert main([*command, "--timeout", "0"]) == 2
    assert "--timeout must be greater than 0" in capsys.readouterr().err


class _BrokenWeb(Web):
    """A provider with a bug in it (not an outage)."""

    def check(self, targets, ctx) -> ProviderResult:  # noqa: ANN001
        raise KeyError("a bug in a provider")


def test_a_bug_in_a_provider_is_reported_as_a_bug(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = (*providers_mod.REGISTRY[:-1], _BrokenWeb())
    monkeypatch.setattr(providers_mod, "REGISTRY", registry)
    monkeypatch.setattr(run_mod, "REGISTRY", registry)
    before = world.list_path.read_text()
    run = world.run("check", "--write")
    assert run.code == 70
    assert "internal error (KeyError" in run.err and "this is a bug" in run.err
    assert "could not reach" not in run.err
    assert world.list_path.read_text() == before and not world.state_path.exists()


def test_ctrl_c_is_130(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    class _Interrupted(Web):
        def check(self, targets, ctx) -> ProviderResult:  # noqa: ANN001
            raise KeyboardInterrupt

    registry = (*providers_mod.REGISTRY[:-1], _Interrupted())
    monkeypatch.setattr(providers_mod, "REGISTRY", registry)
    monkeypatch.setattr(run_mod, "REGISTRY", registry)
    run = world.run("check", "--write")
    assert run.code == 130 and one_line_error(run.err) == "awesome-monitor: interrupted"


def test_verbose_says_what_the_bot_does_and_third_parties_stay_quiet(world: World) -> None:
    v = world.run("check", "-v")
    assert v.code == 0, v.err
    assert re.search(r"github: \d+ requests", v.err) and "arxiv: 1 requests" in v.err
    assert "GraphQL batch of" in v.err
    vv = world.run("check", "-vv")
    assert vv.code == 0, vv.err
    assert "markdown_it" not in vv.err and "entering" not in vv.err
    assert '"POST /graphql HTTP/1.1" 200' in vv.err  # HTTP detail at -vv
    assert len(vv.err.splitlines()) < 2000
    quiet = world.run("check", "-q")
    assert quiet.out == "" and quiet.err == ""
    assert json.loads((world.tmp / "report.json").read_text())["summary"]["links"]
