"""The command line: `scan`, `check`, `pr`, `issue`, `schedule`. `main` is the one place
where an error becomes a line on stderr and an exit code (see `bot.errors` for the codes),
and where SIGINT and SIGTERM are handled (`bot.cli.signals`)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable

from bot.check.stop import Stop
from bot.cli import check, issue, pr, scan, schedule, signals
from bot.cli.output import setup_logging
from bot.cli.parser import build_parser
from bot.errors import (
    EXIT_BUG,
    EXIT_INTERRUPTED,
    EXIT_PIPE,
    EXIT_TERMINATED,
    BotError,
    Interrupted,
)
from bot.publish import actions

log = logging.getLogger(__name__)

RUN: dict[str, Callable] = {
    "scan": scan.run,
    "check": check.run,
    "pr": pr.run,
    "issue": issue.run,
    "schedule": schedule.run,
}


def entry() -> None:
    """The `awesome-monitor` command and `python -m bot`: `main`, then exit. A run stopped by
    a signal does not wait for a thread it left behind (a GitHub request in flight, a
    connection still being made: see `bot.check.run.GRACE`); what it learned is saved by then."""
    code = main()
    if code in (EXIT_INTERRUPTED, EXIT_TERMINATED) and threading.active_count() > 1:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        code = exc.code
        if isinstance(code, int) or code is None:
            return code or 0
        raise
    actions.mask_env_token()  # in GitHub Actions: the very first line of output
    setup_logging(getattr(args, "verbose", 0), getattr(args, "quiet", False))
    with signals.handled() as stop:
        return _run(args, stop)


def _run(args: argparse.Namespace, stop: Stop) -> int:
    try:
        code = int(RUN[args.subcommand](args, stop))
        sys.stdout.flush()  # here, so that a closed pipe is seen here
        return code
    except BotError as exc:
        print(f"awesome-monitor: {exc}", file=sys.stderr)
        return exc.exit_code
    except Interrupted as exc:  # SIGINT or SIGTERM: one line, 130 or 143
        print(f"awesome-monitor: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("awesome-monitor: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_PIPE
    except Exception as exc:  # a bug: say so, with what a report needs
        print(f"awesome-monitor: internal error ({type(exc).__name__}: {exc}); this is a bug, "
              "please report it with the lines below", file=sys.stderr)  # fmt: skip
        traceback.print_exc(file=sys.stderr)
        return EXIT_BUG


def _quiet_stdout() -> None:
    """The reader went away (`| head`): send what is left to /dev/null, so the interpreter's
    last flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a real file (tests)
