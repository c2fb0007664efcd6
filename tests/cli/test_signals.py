"""SIGINT (Ctrl-C) and SIGTERM (a cancelled GitHub Actions job) on the real command, a child
process, in the middle of a big emulated list: the run stops without waiting for the pending
requests, the history keeps what was answered and counts no failure (the rule is in
`bot.check.judge`), the list, the pull request and the issue are untouched, one line says
so, and the exit code is 130 or 143. `schedule` passes the signal to its run.

No timed assertions: "stopped early" is counted in requests (the ones made after the signal
are at most the ones in flight), and a bound on the wait that is far below what the rest of
the list would take (1,500 links at 0.1 s, four at a time, plus links that hang for a
minute)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.emulators import web as w
from tests.world import LIST_REPO, SAMPLE, MakeWorld, World

pytestmark = pytest.mark.usefixtures("no_proxy_env")

N_OK = 1500  # web links that answer, 0.1 s each, 4 at a time: ~40 s for the whole list
DEAD = [f"/dead{i}" for i in range(8)]  # first in the list: answered before the signal
HANG = ["/hang0", "/hang1"]  # answer after a minute: in flight when the signal comes
STOP_WAIT = 20.0  # far less than the rest of the list (or one hanging link) would take
CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}  # 128 + the signal (bot.errors)


def _world(make_world: MakeWorld, folder: str) -> World:
    """The sample list plus 1,510 web links on a slow web emulator, with a history in
    which every dead link has failed once (a complete run would make it dead)."""
    wd = make_world(SAMPLE, web_cases=False, folder=folder)
    wd.web.latency = 0.1
    for path in HANG:
        wd.web.script(path, w.slow(60))
    paths = [*DEAD, *HANG, *(f"/p{i}" for i in range(N_OK))]
    for path in paths[len(DEAD) + len(HANG) :]:
        wd.web.script(path, w.ok())
    wd.list_path.write_text(
        SAMPLE + "\n## Web\n\n" + "".join(f"- [{p}]({wd.web.link(p)})\n" for p in paths),
        encoding="utf-8",
    )
    text = wd.config_path.read_text()
    text = text.replace("timeout = 2.0\n", "timeout = 120.0\n")  # only the stop cuts a hang
    text = text.replace("[check]\n", "[check]\nconcurrency = 4\nper_host = 4\n")
    text = text.replace("recheck_after = 0\n", "recheck_after = 1\n")  # the cache: see rerun
    wd.config_path.write_text(text)
    history = {"version": 1, "urls": {
        wd.web.link(p): {"failures": 1, "first_failure": "2020-01-01T00:00:00Z",
                         "last_error": "HTTP 404"} for p in DEAD}}  # fmt: skip
    wd.state_path.write_text(json.dumps(history))
    return wd


@pytest.fixture
def big(make_world: MakeWorld) -> Callable[[str], World]:
    return lambda name="w": _world(make_world, name)


def _env(wd: World) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "HF_TOKEN")}
    return {**env, **wd.env(), "PYTHONPATH": str(ROOT),
            "AWESOME_MONITOR_PROGRESS_INTERVAL": "3600"}  # fmt: skip


def _start(wd: World, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=wd.tmp, env=_env(wd),
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def _when(what: Callable[[], bool], proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"never got there (exit {proc.returncode}):\n{out}\n{err}")
        time.sleep(0.01)


def _mid_run(wd: World, proc: subprocess.Popen[str], sig: int) -> tuple[int, int, str, str]:
    """Signal `proc` once it has asked for 100 web links; (web requests after the signal,
    exit code, stdout, stderr)."""
    _when(lambda: wd.web.total_requests() >= 100, proc)
    before = wd.web.total_requests()
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=STOP_WAIT)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"still running {STOP_WAIT:.0f} s after the signal:\n{err}") from None
    return wd.web.total_requests() - before, proc.returncode, out, err


def _one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("awesome-monitor: interrupted"), err
    return lines[0]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_check_write_stops_at_once_and_keeps_what_was_answered(big, sig: int) -> None:
    wd = big()
    before = wd.list_path.read_bytes()
    proc = _start(wd, "check", "--write", "--config", str(wd.config_path))
    after_signal, code, out, err = _mid_run(wd, proc, sig)
    assert code == CODES[sig], err
    assert after_signal <= 20, "the pending requests were cancelled, not sent"
    line = _one_line(err)
    name = signal.Signals(sig).name
    assert f"interrupted ({name}) after " in line and "kept in the history (state.json)" in line
    assert wd.list_path.read_bytes() == before and out == ""
    state = json.loads(wd.state_path.read_text())
    assert state["meta"]["interrupted"]["by"] == name
    urls = state["urls"]
    answered = [u for u, e in urls.items() if e.get("last_ok")]
    assert len(answered) >= 80 and all(urls[u].get("failures", 0) == 0 for u in answered)
    for path in DEAD:  # asked and answered 404 before the signal, yet not counted
        assert wd.web.hits[path] >= 1
        assert urls[wd.web.link(path)]["failures"] == 1, "half a run counts no failure"
    for path in HANG:  # cut in flight: no observation at all
        assert wd.web.hits[path] == 1 and "last_ok" not in urls.get(wd.web.link(path), {})
    assert state["repos"] and state["papers"], "the other services' answers are kept too"
    if sig != signal.SIGINT:
        return
    # The next run is complete: it asks only what the stopped one did not learn, and the
    # links failing since 2020 are dead now, as a complete run says.
    wd.web.latency = 0
    for path in HANG:
        wd.web.script(path, w.ok())
    hits = dict(wd.web.hits)
    run = wd.run("check", "--write")
    assert run.code == 0, run.err
    asked_again = [u for u in answered if wd.web.hits[u.removeprefix(wd.web.url)] > hits.get(
        u.removeprefix(wd.web.url), 0)]  # fmt: skip
    assert asked_again == [], "what the stopped run learned is not asked again"
    report = run.by_url()
    assert all(report[wd.web.link(p)]["verdict"] == "dead" for p in DEAD)
    assert "interrupted" not in json.loads(wd.state_path.read_text())["meta"]


def test_a_github_request_in_flight_does_not_hold_the_exit(big) -> None:
    """PyGithub's own connections are not cut: the run waits a second for them (GRACE),
    then saves what the other services answered and exits without that thread."""
    wd = big()
    wd.github.latency = 60.0  # GitHub's GraphQL answer comes after a minute
    proc = _start(wd, "check", "--write", "--config", str(wd.config_path))
    _, code, out, err = _mid_run(wd, proc, signal.SIGINT)
    assert code == 130 and "kept in the history" in _one_line(err), err
    state = json.loads(wd.state_path.read_text())
    assert not state["repos"], "GitHub's part went unjudged"
    assert sum(1 for e in state["urls"].values() if e.get("last_ok")) >= 80


def test_a_dry_run_stopped_writes_nothing(big) -> None:
    wd = big()
    wd.state_path.unlink()
    proc = _start(wd, "check", "--config", str(wd.config_path))
    _, code, out, err = _mid_run(wd, proc, signal.SIGINT)
    assert code == 130 and "nothing written (dry run)" in _one_line(err) and out == ""
    assert not wd.state_path.exists()


@pytest.mark.parametrize("command", ["pr", "issue"])
def test_pr_and_issue_stopped_keep_the_history_and_touch_nothing_else(big, command) -> None:
    wd = big()
    spec = wd.add_list_repo()
    proc = _start(wd, command, "--repo", LIST_REPO, "--config", str(wd.config_path))
    after_signal, code, out, err = _mid_run(wd, proc, signal.SIGTERM)
    assert code == 143 and after_signal <= 20, err
    thing = "issue" if command == "issue" else "pull request"
    line = _one_line(err)
    assert f"the list and the {thing} were not touched" in line
    assert "kept in the history on branch awesome-monitor/state" in line
    assert not spec.pulls and not spec.open_issues()
    assert set(spec.branches()) == {spec.default_branch, "awesome-monitor/state"}
    state = json.loads(spec.file_text("state.json", "awesome-monitor/state") or "{}")
    assert state["meta"]["interrupted"]["by"] == "SIGTERM"
    assert all(state["urls"].get(wd.web.link(p), {}).get("failures", 0) == 0 for p in DEAD), (
        "a fresh history: the 404s seen before the signal are not counted"
    )


def _catches(pid: int, sig: int) -> bool:
    """Whether process `pid` has a handler for `sig` (Linux: /proc/PID/status, SigCgt)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = next(int(ln.split()[1], 16) for ln in status.splitlines() if ln.startswith("SigCgt"))
    return bool(mask >> (sig - 1) & 1)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_scan_stops_at_once_on_sigterm(tmp_path: Path) -> None:
    big = tmp_path / "big.md"  # parsing takes seconds: the signal comes in the middle
    big.write_text("".join(f"- [r{i}](https://github.com/o/r{i}) and https://x{i}.org/p\n"
                           for i in range(100_000)))  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "scan", str(big)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    _when(lambda: _catches(proc.pid, signal.SIGTERM), proc)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=STOP_WAIT)
    assert proc.returncode == 143, err
    assert err == "awesome-monitor: interrupted (SIGTERM)\n" and out == ""


def test_schedule_passes_the_signal_to_its_run_and_exits_the_same_way(big) -> None:
    wd = big()
    before = wd.list_path.read_bytes()
    proc = _start(wd, "schedule", "--cron", "0 0 1 1 *", "--run-now", "--",
                  "check", "--write", "--config", str(wd.config_path))  # fmt: skip
    after_signal, code, out, err = _mid_run(wd, proc, signal.SIGINT)
    assert code == 130, err
    assert after_signal <= 20
    assert "received SIGINT: stopping the scheduler" in err
    assert "run #1 stopped by the shutdown: exit code 130" in err
    lines = [ln for ln in err.splitlines() if ln.startswith("awesome-monitor: ")]
    assert len(lines) == 1 and "interrupted (SIGINT) after" in lines[0], "the run's own line"
    assert wd.list_path.read_bytes() == before
    assert json.loads(wd.state_path.read_text())["meta"]["interrupted"]["by"] == "SIGINT"
