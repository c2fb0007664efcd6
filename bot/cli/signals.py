"""SIGINT (Ctrl-C) and SIGTERM (a cancelled GitHub Actions job: SIGINT, then SIGTERM, then
SIGKILL) for every command but `schedule`, which passes them to its run.

A first signal while the links are being checked sets the run's `Stop`: the check ends
within about a second with what it learned, the command saves that history (`check
--write`, `pr`, `issue`), touches neither the list nor the pull request nor the issue, says
so in one line and exits 130 or 143. A signal at any other moment, or a second one, stops
the command at once (`Interrupted`): files are written atomically, so nothing is left
half-written."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from bot.check.model import CheckResult
from bot.check.stop import Stop
from bot.errors import Interrupted

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def handled() -> Iterator[Stop]:
    """The run's `Stop`, set by SIGINT and SIGTERM while the block runs (in the main
    thread; elsewhere Python delivers no signal, and the stop is only the caller's)."""
    stop = Stop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        if not stop.is_set():
            stop.set(signum)
            if stop.in_graceful:
                return  # the check ends by itself, with what it learned
        raise Interrupted(signum, f"interrupted ({signal.Signals(signum).name})")

    previous = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield stop
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def interrupted(stop: Stop, result: CheckResult, what: str) -> Interrupted:
    """The one line of a check stopped by a signal: how far it got, and what was kept."""
    total = sum(result.counts.values())
    return Interrupted(
        stop.signum or signal.SIGINT,
        f"interrupted ({result.interrupted}) after {result.answered:,} of {total:,} distinct "
        f"links answered: {what}",
    )
