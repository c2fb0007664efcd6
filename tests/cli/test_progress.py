"""A quiet CI log that still shows life: when stderr is not a terminal, a progress line every
few seconds (done/total per service; the interval comes from
AWESOME_MONITOR_PROGRESS_INTERVAL, so no test sleeps ten seconds), nothing with -q; colours
only on a terminal and never with NO_COLOR; and after `check --write` one closing line that
says what was written and where the history went."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest

from bot.cli import output
from tests.conftest import ROOT
from tests.world import World

pytestmark = pytest.mark.usefixtures("no_proxy_env", "offline_dns")

PART = r"\w+ [\d,]+/[\d,]+"
LINE = re.compile(rf"progress: ({PART}(?:, {PART})*|starting) \((\d+m)?\d+s\)")
SGR = re.compile(r"\x1b\[([\d;]*)m")


def test_the_line_says_done_and_total_per_service() -> None:
    ticker = output.Ticker()
    assert ticker.line(0.4) == "progress: starting (0s)"
    ticker("github", 0, 114)
    ticker("web", 1200, 3000)
    ticker("github", 100, 114)
    ticker("web", 34, 3000)
    assert ticker.line(65.2) == "progress: github 100/114, web 1,234/3,000 (1m05s)"


DEFAULT = None  # the default interval


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("0.05", 0.05), ("15", 15.0), ("", DEFAULT), ("0", DEFAULT), ("-3", DEFAULT),
     ("inf", DEFAULT), ("x", DEFAULT)],
)  # fmt: skip
def test_the_interval(value: str, seconds: float | None) -> None:
    default = output.PROGRESS_INTERVAL
    got = output.progress_interval({"AWESOME_MONITOR_PROGRESS_INTERVAL": value})
    assert got == (default if seconds is None else seconds)
    assert 10 <= default <= 15


def test_a_ci_log_gets_progress_lines_and_q_gets_none(world: World, monkeypatch) -> None:
    monkeypatch.setenv("AWESOME_MONITOR_PROGRESS_INTERVAL", "0.05")
    world.web.latency = 0.3  # the run lasts several intervals
    run = world.run("check")  # stderr is not a terminal here, as in CI
    assert run.code == 0, run.err
    lines = [ln for ln in run.err.splitlines() if ln.startswith("progress:")]
    assert len(lines) >= 2, run.err
    assert all(LINE.fullmatch(ln) for ln in lines), lines
    services = dict(re.findall(r"(\w+) [\d,]+/([\d,]+)", lines[-1]))
    summary = run.report["summary"]
    assert int(services["web"]) == sum(1 for e in run.report["links"] if e["kind"] == "web")
    assert set(services) >= {"github", "arxiv", "web"} and summary["links"] > 0
    for ln in lines:
        for done, total in re.findall(r"([\d,]+)/([\d,]+)", ln):
            assert int(done.replace(",", "")) <= int(total.replace(",", ""))
    quiet = world.run("check", "-q")
    assert quiet.code == 0 and quiet.err == "" and quiet.out == ""


def _colours(text: str) -> list[str]:
    """The SGR sequences that set a colour (foreground or background)."""
    found = []
    for params in SGR.findall(text):
        codes = [int(p) for p in params.split(";") if p.isdigit()]
        if any(30 <= c <= 38 or 40 <= c <= 48 or 90 <= c <= 97 or 100 <= c <= 107 for c in codes):
            found.append(params)
    return found


def _check(world: World, env: dict[str, str], tty: bool) -> str:
    """`check` in a child process, its stderr a terminal (a pty) or a pipe; its stderr."""
    env = {**{k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")},
           **world.env(), "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", **env}  # fmt: skip
    cmd = [sys.executable, "-m", "bot", "check", "--config", str(world.config_path)]
    if not tty:
        proc = subprocess.run(cmd, env=env, cwd=world.tmp, capture_output=True, text=True,
                              timeout=120)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert "\x1b" not in proc.stdout
        return proc.stderr
    master, slave = pty.openpty()
    proc2 = subprocess.Popen(cmd, env=env, cwd=world.tmp, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc2.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_colours_only_on_a_terminal_and_never_with_no_color(world: World) -> None:
    world.web.latency = 0.3  # bars get drawn a few times
    on_terminal = _check(world, {}, tty=True)
    assert _colours(on_terminal), "bars in colour on a terminal"
    assert not _colours(_check(world, {"NO_COLOR": "1"}, tty=True)), "NO_COLOR: no colour"
    assert not _colours(_check(world, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, tty=True))
    piped = _check(world, {"FORCE_COLOR": "1", "AWESOME_MONITOR_PROGRESS_INTERVAL": "0.05"},
                   tty=False)  # fmt: skip
    assert "\x1b" not in piped, "a CI log gets plain lines, even with FORCE_COLOR"
    assert "progress: " in piped


def test_check_write_ends_with_one_line_what_was_written_and_where_the_history_is(
    world: World,
) -> None:
    seen = set()
    for _ in range(4):  # the first run writes; the failing links die on the second; then calm
        before = world.list_path.read_text().splitlines()
        run = world.run("check", "--write")
        assert run.code == 0, run.err
        after = world.list_path.read_text().splitlines()
        last = run.out.splitlines()[-1]
        history = f"; history saved in {world.state_path}"
        changed = sum(a != b for a, b in zip(before, after, strict=True))
        if changed:
            s = "s" if changed > 1 else ""
            assert last == f"wrote {world.list_path}: {changed} line{s} changed{history}"
            seen.add("wrote")
        else:
            assert last == f"{world.list_path} not changed (nothing to update){history}"
            seen.add("unchanged")
    assert seen == {"wrote", "unchanged"}
    world.arxiv.stop()  # arXiv lost: the run is incomplete, the list is not written
    run = world.run("check", "--write")
    assert run.code == 3
    assert run.out.splitlines()[-1] == (
        f"{world.list_path} not changed (the check was incomplete); history saved in "
        f"{world.state_path}"
    )
    assert "dry run" not in run.out
    assert world.run("check").out.splitlines()[-1].startswith("dry run: nothing written")


def test_quiet_write_prints_nothing(world: World) -> None:
    run = world.run("check", "--write", "-q")
    assert run.code == 0 and run.out == "" and run.err == ""
