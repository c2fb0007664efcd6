"""`awesome-monitor schedule --cron EXPR [--run-now] -- COMMAND…`: run a command on a schedule.

Cron expressions keep standard cron meaning and are read in UTC:

- five fields, `minute hour day-of-month month day-of-week`; or six with the **seconds first**,
  `second minute hour day-of-month month day-of-week` (as in Quartz), mostly useful for tests;
  or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`;
- day of week: 0 or 7 = Sunday, 1 = Monday … 6 = Saturday, or names (`mon`, `mon-fri`).
  APScheduler 3.x counts 0 = Monday, so numbers are turned into names before the trigger is built;
- when both day-of-month and day-of-week are restricted (neither starts with `*`), a day that
  matches either fires, as in cron (APScheduler alone would require both).

Each run is a child process, `python -m bot COMMAND…`: a crash, a leak or a hang in one run cannot
take the scheduler down, every run starts from fresh code, config and logging, and a run still
going at shutdown can be stopped. Runs never overlap (a fire time that comes while a run is going
is skipped and logged); a failed run is logged and the loop goes on. SIGINT or SIGTERM stops the
loop and is passed to the run in progress, which stops as the command would by itself (what it
learned kept, nothing else written); the scheduler then exits 130 or 143 like any command. The
child has its own session, so a Ctrl-C in a terminal reaches it once, through the scheduler."""

from __future__ import annotations

import logging
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_SCHEDULER_STARTED, JobSubmissionEvent
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

from bot.errors import EXIT_INPUT, CronError

log = logging.getLogger(__name__)

JOB_ID = "awesome-monitor"
STOP_GRACE = 10.0  # seconds a run in progress gets to end after SIGTERM before it is killed

_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # APScheduler's order, 0 = Monday
_NAMES_RE = re.compile(r"[a-z]{3}(?:-[a-z]{3})?")
_NUMBERS_RE = re.compile(r"(?:(\*)|(\d+)(?:-(\d+))?)(?:/(\d+))?")

Runner = Callable[[list[str]], int]


# --------------------------------------------------------------------------- cron expressions


def cron_day_of_week(field: str) -> str:
    """A standard cron day-of-week field (0 or 7 = Sunday) as APScheduler day names.

    `1-5` → `mon-fri`, `0,3` → `wed,sun`, `*/2` → `tue,thu,sat-sun`; names pass through."""
    parts = []
    for part in field.strip().lower().split(","):
        if part == "*" or _NAMES_RE.fullmatch(part):
            parts.append(part)
            continue
        days = _cron_days(part)
        parts.append(_day_names(days))
    return ",".join(parts)


def _cron_days(part: str) -> set[int]:
    """Cron day numbers (0 = Sunday … 6; 7 folded into 0) that one numeric list element means."""
    m = _NUMBERS_RE.fullmatch(part)
    if not m:
        raise CronError(f"day of week {part!r}: use 0-7 (0 or 7 = Sunday) or names like mon")
    star, first, last, step = m.groups()
    if star:
        lo, hi = 0, 7
    else:
        lo = int(first)
        hi = int(last) if last is not None else (7 if step else lo)
    n = int(step) if step else 1
    if not (0 <= lo <= 7 and 0 <= hi <= 7):
        raise CronError(f"day of week {part!r}: days are 0-7 (0 or 7 = Sunday)")
    if lo > hi:
        raise CronError(f"day of week {part!r}: a range must go upwards")
    if n < 1:
        raise CronError(f"day of week {part!r}: the step must be at least 1")
    return {d % 7 for d in range(lo, hi + 1, n)}


def _day_names(days: set[int]) -> str:
    """Cron day numbers as APScheduler names, contiguous days as ranges (`mon-fri`)."""
    idx = sorted((d + 6) % 7 for d in days)  # cron 1 (Monday) → 0 … cron 0 (Sunday) → 6
    runs: list[list[int]] = []
    for i in idx:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return ",".join(_WEEK[r[0]] if len(r) == 1 else f"{_WEEK[r[0]]}-{_WEEK[r[-1]]}" for r in runs)


def parse_cron(expr: str) -> BaseTrigger:
    """A trigger (UTC) for a cron expression with standard meaning; CronError if unusable."""
    text = " ".join(expr.split())
    fields = _MACROS.get(text.lower(), text).split()
    if len(fields) == 5:
        second, (minute, hour, day, month, dow) = "0", fields
    elif len(fields) == 6:
        second, minute, hour, day, month, dow = fields
    else:
        raise CronError(
            f"invalid cron expression {expr!r}: expected 5 fields (minute hour day month "
            f"day-of-week) or 6 with the seconds first, got {len(fields)}"
        )
    try:
        weekdays = cron_day_of_week(dow)
        common = {"second": second, "minute": minute, "hour": hour, "month": month}
        if day.startswith("*") or dow.startswith("*"):
            return CronTrigger(**common, day=day, day_of_week=weekdays, timezone=UTC)
        # Both restricted: cron fires on a day matching either field.
        return OrTrigger(
            [
                CronTrigger(**common, day=day, timezone=UTC),
                CronTrigger(**common, day_of_week=weekdays, timezone=UTC),
            ]
        )
    except (ValueError, CronError) as exc:
        raise CronError(f"invalid cron expression {expr!r}: {exc}") from None


# --------------------------------------------------------------------------- running commands


class SubprocessRunner:
    """Runs `python -m bot ARGS` as a child process; `terminate()` passes a signal to the one
    running."""

    def __init__(self, python: str = sys.executable) -> None:
        self.python = python
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def __call__(self, args: list[str]) -> int:
        with self._lock:
            self._proc = subprocess.Popen([self.python, "-m", "bot", *args], start_new_session=True)
        try:
            return self._proc.wait()
        finally:
            with self._lock:
                self._proc = None

    def terminate(self, kill: bool = False, signum: int = signal.SIGTERM) -> None:
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                self._proc.kill() if kill else self._proc.send_signal(signum)


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _fmt(when: datetime | None) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if when else "never"


class ScheduledCommand:
    """An awesome-monitor command run on a trigger by a BlockingScheduler, one run at a time.

    `trigger`, `runner` and `clock` are injectable, so tests can fire every fraction of a second
    and run a fake command in-process."""

    def __init__(
        self,
        command: list[str],
        trigger: BaseTrigger,
        runner: Runner | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.command = command
        self.trigger = trigger
        self.runner: Runner = runner or SubprocessRunner()
        self.clock = clock
        self.runs = 0
        self.stopping = False
        self.signum: int | None = None  # the signal that stopped the loop
        self._idle = threading.Event()
        self._idle.set()
        self.scheduler = BlockingScheduler(timezone=UTC)
        self.scheduler.add_listener(self._skipped, EVENT_JOB_MAX_INSTANCES)
        # A stop that came between `start()` deciding to start and the loop running.
        self.scheduler.add_listener(self._started, EVENT_SCHEDULER_STARTED)

    def _started(self, _event: object) -> None:
        if self.stopping:
            self.scheduler.shutdown(wait=False)

    def next_fire_time(self) -> datetime | None:
        return self.trigger.get_next_fire_time(None, self.clock())

    def run_once(self) -> None:
        """One run, logged (start, end, exit code, next fire time); never raises."""
        self._idle.clear()
        self.runs += 1
        n, started = self.runs, time.monotonic()
        log.info("run #%d started: awesome-monitor %s", n, shlex.join(self.command))
        try:
            try:
                code = self.runner(self.command)
            except SystemExit as exc:  # an in-process runner that calls sys.exit
                code = exc.code if isinstance(exc.code, int) else EXIT_INPUT
            took = time.monotonic() - started
            if code == 0:
                log.info("run #%d ended: exit code 0 in %.1f s", n, took)
            elif self.stopping:
                log.info("run #%d stopped by the shutdown: exit code %d in %.1f s", n, code, took)
            else:
                why = f" (killed by {signal_name(-code)})" if code < 0 else ""
                log.warning("run #%d failed: exit code %d%s in %.1f s", n, code, why, took)
        except Exception as exc:
            log.error("run #%d failed: %s: %s", n, type(exc).__name__, exc)
        finally:
            self._idle.set()
        if not self.stopping:
            log.info("next run at %s", _fmt(self.next_fire_time()))

    def _skipped(self, event: JobSubmissionEvent) -> None:
        log.warning(
            "run skipped at %s: run #%d is still going (runs never overlap); next run at %s",
            _fmt(event.scheduled_run_times[-1] if event.scheduled_run_times else None),
            self.runs,
            _fmt(self.next_fire_time()),
        )

    def start(self, run_now: bool = False) -> None:
        """Block, running the command on the trigger, until `stop()`."""
        extra = {"next_run_time": self.clock()} if run_now else {}
        self.scheduler.add_job(
            self.run_once,
            self.trigger,
            id=JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            **extra,
        )
        first = "now" if run_now else _fmt(self.next_fire_time())
        log.info("scheduled: awesome-monitor %s; %s (UTC); first run %s",
                 shlex.join(self.command), self.trigger, first)  # fmt: skip
        if not self.stopping:
            self.scheduler.start()
        self._finish()

    def stop(self, reason: str = "stop requested", signum: int | None = None) -> None:
        """Stop the loop (safe from a signal handler or another thread); a run going gets
        `signum` (SIGTERM by default), again on each further stop."""
        terminate = getattr(self.runner, "terminate", None)
        again = self.stopping
        self.stopping = True
        self.signum = self.signum or signum
        if not again:
            log.info("%s: stopping the scheduler", reason)
        if terminate and not self._idle.is_set():
            terminate(signum=signum or signal.SIGTERM)
        if again:
            return
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def _finish(self, grace: float = STOP_GRACE) -> None:
        if not self._idle.wait(grace):
            log.warning("run #%d did not end within %.0f s: killing it", self.runs, grace)
            terminate = getattr(self.runner, "terminate", None)
            if terminate:
                terminate(kill=True)
            self._idle.wait(grace)
        log.info("scheduler stopped after %d run(s)", self.runs)
