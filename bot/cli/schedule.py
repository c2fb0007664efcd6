"""`awesome-monitor schedule --cron EXPR [--run-now] -- COMMAND…`: run a command on a
cron schedule (UTC) until SIGINT or SIGTERM, which it passes to the run in progress; then it
exits 130 or 143, as the command would. See `bot.scheduler`."""

from __future__ import annotations

import argparse
import signal
from datetime import UTC, datetime
from types import FrameType

from bot.check.stop import Stop
from bot.cli.output import setup_logging
from bot.cli.parser import build_parser
from bot.errors import EXIT_INPUT, EXIT_OK, CronError, InputError
from bot.scheduler import ScheduledCommand, parse_cron, signal_name


def run(args: argparse.Namespace, stop: Stop) -> int:
    """`stop` is unused: the scheduler's own handlers pass a signal to the run in progress."""
    trigger = parse_cron(args.cron)
    if trigger.get_next_fire_time(None, datetime.now(UTC)) is None:
        raise CronError(f"cron expression {args.cron!r} never fires")
    command = list(args.command)
    if command[:1] == ["--"]:
        command = command[1:]
    code = _check_command(command)
    if code is not None:
        return code
    setup_logging(max(args.verbose, 1) if not args.quiet else 0, args.quiet, timestamps=True)
    job = ScheduledCommand(command, trigger)

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        job.stop(f"received {signal_name(signum)}", signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        job.start(run_now=args.run_now)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 128 + job.signum if job.signum else EXIT_OK


def _check_command(command: list[str]) -> int | None:
    """Parse the scheduled command now, so a typo fails at start rather than at the first run."""
    if not command:
        raise InputError("schedule: give the command to run after --, e.g. -- check --write")
    if command[0] == "schedule":
        raise InputError("schedule: the scheduled command cannot be `schedule` itself")
    try:
        build_parser().parse_args(command)
    except SystemExit as exc:  # argparse has printed the problem (or the help)
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    return None
