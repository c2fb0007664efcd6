"""`awesome-monitor schedule`: cron meaning (day-of-week numbering), the run loop, signals."""

from __future__ import annotations

import logging
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from bot.cli import build_parser, main
from bot.scheduler import CronError, ScheduledCommand, cron_day_of_week, parse_cron
from tests.conftest import ROOT

START = datetime(2024, 1, 3, 12, 0, tzinfo=UTC)  # a Wednesday


def fire_times(expr: str, n: int, start: datetime = START) -> list[datetime]:
    trigger = parse_cron(expr)
    out: list[datetime] = []
    now = start
    for _ in range(n):
        t = trigger.get_next_fire_time(None, now)
        assert t is not None
        out.append(t)
        now = t + timedelta(microseconds=1)
    return out


# --------------------------------------------------------------------------- day of week


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("0", "sun"),
        ("7", "sun"),
        ("1", "mon"),
        ("6", "sat"),
        ("1-5", "mon-fri"),
        ("1,3", "mon,wed"),
        ("0-3", "mon-wed,sun"),
        ("5-7", "fri-sun"),
        ("*/2", "tue,thu,sat-sun"),  # cron: 0,2,4,6 = Sun, Tue, Thu, Sat
        ("1-5/2", "mon,wed,fri"),
        ("*", "*"),
        ("mon", "mon"),
        ("MON-FRI", "mon-fri"),
        ("sat,0", "sat,sun"),
    ],
)
def test_day_of_week_numbers_become_names(field: str, expected: str) -> None:
    assert cron_day_of_week(field) == expected


@pytest.mark.parametrize("field", ["8", "5-1", "1-9", "x", "mon-fri/2", "1/0", "", "1,,2"])
def test_day_of_week_invalid(field: str) -> None:
    with pytest.raises(CronError):
        parse_cron(f"0 0 * * {field}")


def test_every_five_minutes_on_mondays() -> None:
    times = fire_times("*/5 * * * 1", 300)  # 300 × 5 min = 25 h: crosses into Tuesday if wrong
    assert {t.weekday() for t in times} == {0}
    assert times[0] == datetime(2024, 1, 8, 0, 0, tzinfo=UTC)
    assert all(t.minute % 5 == 0 and t.second == 0 for t in times)
    assert times[288] == datetime(2024, 1, 15, 0, 0, tzinfo=UTC)  # 288 = one Monday's slots


@pytest.mark.parametrize("day", ["0", "7", "sun"])
def test_sunday_is_zero_and_seven(day: str) -> None:
    times = fire_times(f"0 9 * * {day}", 4)
    assert all(t.weekday() == 6 and (t.hour, t.minute) == (9, 0) for t in times)
    assert times[0] == datetime(2024, 1, 7, 9, 0, tzinfo=UTC)


def test_weekdays_range() -> None:
    times = fire_times("0 9 * * 1-5", 10)
    assert [t.weekday() for t in times] == [3, 4, 0, 1, 2, 3, 4, 0, 1, 2]


def test_step_follows_cron_numbering() -> None:
    assert {t.weekday() for t in fire_times("0 0 * * */2", 8)} == {6, 1, 3, 5}


def test_day_of_month_or_day_of_week_as_in_cron() -> None:
    times = fire_times("0 0 13 * 5", 6)  # the 13th, and every Friday
    assert all(t.day == 13 or t.weekday() == 4 for t in times)
    assert datetime(2024, 1, 13, tzinfo=UTC) in times
    assert datetime(2024, 1, 5, tzinfo=UTC) in times
    # A day-of-month starting with * keeps AND (it is not "restricted" in cron's sense).
    assert all(t.weekday() == 4 and t.day % 2 for t in fire_times("0 0 */2 * 5", 6))


def test_six_fields_have_seconds_first() -> None:
    times = fire_times("*/1 * * * * *", 3)
    assert [t - times[0] for t in times] == [timedelta(0), timedelta(seconds=1),
                                             timedelta(seconds=2)]  # fmt: skip
    assert fire_times("30 0 9 * * 1", 1)[0] == datetime(2024, 1, 8, 9, 0, 30, tzinfo=UTC)


def test_macros() -> None:
    assert fire_times("@weekly", 1)[0] == datetime(2024, 1, 7, 0, 0, tzinfo=UTC)
    assert fire_times("@daily", 1)[0] == datetime(2024, 1, 4, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("61 * * * *", "higher than the maximum"),
        ("* * *", "expected 5 fields"),
        ("0 0 * * 8", "0 or 7 = Sunday"),
        ("@fortnightly", "expected 5 fields"),
        ("a * * * mon", "Unrecognized expression"),
    ],
)
def test_invalid_cron_is_a_one_line_error(expr: str, message: str, capsys) -> None:
    assert main(["schedule", "--cron", expr, "--", "check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("awesome-monitor: ")


def test_command_is_required_and_checked(capsys) -> None:
    assert main(["schedule", "--cron", "0 6 * * 1"]) == 2
    assert "after --" in capsys.readouterr().err
    assert main(["schedule", "--cron", "0 6 * * 1", "--", "chek"]) == 2
    assert "invalid choice: 'chek'" in capsys.readouterr().err
    assert main(["schedule", "--cron", "0 6 * * 1", "--", "schedule", "--cron", "x"]) == 2


def test_parser_keeps_the_command_options() -> None:
    args = build_parser().parse_args(
        ["schedule", "--cron", "0 6 * * 1", "--run-now", "--", "check", "--write", "-q"]
    )
    assert (args.cron, args.run_now) == ("0 6 * * 1", True)
    assert args.command == ["--", "check", "--write", "-q"]


# --------------------------------------------------------------------------- the loop, in-process


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_loop_skips_overlaps_survives_failures_and_stops() -> None:
    records = _Records()
    logger = logging.getLogger("bot.scheduler")
    logger.addHandler(records)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    calls: list[list[str]] = []

    def runner(args: list[str]) -> int:
        calls.append(args)
        if len(calls) == 1:
            time.sleep(0.5)  # longer than the interval: the next fire times are skipped
            return 0
        if len(calls) == 2:
            raise RuntimeError("boom")
        if len(calls) == 3:
            return 3
        job.stop("test done")
        return 0

    job = ScheduledCommand(["check", "-q"], IntervalTrigger(seconds=0.2), runner=runner)
    guard = threading.Timer(8, job.stop, args=("guard",))
    guard.start()
    try:
        t0 = time.monotonic()
        job.start(run_now=True)
        assert time.monotonic() - t0 < 5
    finally:
        guard.cancel()
        logger.removeHandler(records)
        logger.setLevel(old_level)
    text = "\n".join(records.lines)
    assert len(calls) == 4 and calls[0] == ["check", "-q"]
    assert "run #1 started: awesome-monitor check -q" in text
    assert re.search(r"run skipped at .*: run #1 is still going", text)
    assert "run #2 failed: RuntimeError: boom" in text
    assert "run #3 failed: exit code 3" in text
    assert "test done: stopping the scheduler" in text
    assert "scheduler stopped after 4 run(s)" in text
    assert text.count("next run at") >= 3
    assert not job.scheduler.running


# --------------------------------------------------------------------------- the real command


class _Child:
    """`python -m bot schedule …` with its merged output read line by line."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "schedule", *args],
            cwd=cwd, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, pattern: str, timeout: float = 6.0) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if re.search(pattern, line):
                return line
        self.stop()
        raise AssertionError(f"no line matching {pattern!r}; output:\n" + "\n".join(self.lines))

    def finish(self, sig: int) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=8)
        while (line := self._queue.get(timeout=2)) is not None:
            self.lines.append(line)
        return code

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def test_every_second_survives_a_failure_and_stops_on_sigterm(tmp_path: Path) -> None:
    listing = tmp_path / "list.md"  # missing at first: the first run fails with exit code 2
    child = _Child(["--cron", "*/1 * * * * *", "--run-now", "--", "scan", "-q", str(listing)],
                   tmp_path)  # fmt: skip
    try:
        child.wait_for(r"run #1 started: awesome-monitor scan -q ")
        child.wait_for(r"run #1 failed: exit code 2 in")
        listing.write_text("# List\n\n- [x](https://github.com/o/r)\n")
        child.wait_for(r"run #\d+ ended: exit code 0 in")
        code = child.finish(signal.SIGTERM)
    finally:
        child.stop()
    text = "\n".join(child.lines)
    assert code == 143, text  # 128 + SIGTERM, as every command stopped by it
    assert len(re.findall(r"run #\d+ started", text)) >= 2
    assert "no such file" in text  # the child's own error, passed through
    assert "received SIGTERM: stopping the scheduler" in text
    assert re.search(r"scheduler stopped after \d+ run\(s\)", text)
    assert re.search(r"next run at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", text)


def test_sigint_stops_cleanly(tmp_path: Path) -> None:
    child = _Child(["--cron", "0 0 1 1 *", "--", "check", "-q"], tmp_path)
    try:
        line = child.wait_for(r"scheduled: awesome-monitor check -q")
        assert "first run 20" in line and "UTC" in line
        code = child.finish(signal.SIGINT)
    finally:
        child.stop()
    text = "\n".join(child.lines)
    assert code == 130, text  # 128 + SIGINT
    assert "received SIGINT: stopping the scheduler" in text
    assert "scheduler stopped after 0 run(s)" in text
