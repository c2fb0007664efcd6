"""What the terminal shows besides the report: log lines and progress (bars on a terminal,
a line every few seconds in a CI log)."""

from __future__ import annotations

import logging
import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

# Libraries that log on their own; quiet unless -vv asks for HTTP detail. PyGithub and
# markdown-it stay quiet even then: their debug output is bodies and parser internals.
HTTP_LOGGERS = ("urllib3",)
QUIET_LOGGERS = ("github", "markdown_it", "apscheduler", "hypothesis")
PROGRESS_INTERVAL = 10.0  # seconds between progress lines when stderr is not a terminal
INTERVAL_ENV = "AWESOME_MONITOR_PROGRESS_INTERVAL"


def setup_logging(verbose: int, quiet: bool, timestamps: bool = False) -> None:
    """-q: errors only; default: warnings; -v: what the bot does (requests per service,
    batches, waits); -vv: also every HTTP request."""
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    handler = logging.StreamHandler(sys.stderr)
    fmt = "%(asctime)s %(levelname)s %(message)s" if timestamps else "%(levelname)s %(message)s"
    formatter = logging.Formatter(fmt, "%Y-%m-%dT%H:%M:%SZ")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("bot").setLevel(level)
    for name in HTTP_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose >= 2 else logging.ERROR)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


class Ticker:
    """Progress per service (thread-safe: the providers tick from their own threads),
    shown as rich bars when given a `Progress`, else only counted for `line()`."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}
        self.done: dict[str, int] = {}
        self.totals: dict[str, int] = {}
        self._lock = threading.Lock()

    def __call__(self, name: str, advance: int, total: int) -> None:
        with self._lock:
            self.done[name] = self.done.get(name, 0) + advance
            self.totals[name] = total
            if self.progress is None:
                return
            if name not in self.tasks:
                self.tasks[name] = self.progress.add_task(name, total=total)
            self.progress.advance(self.tasks[name], advance)

    def line(self, elapsed: float) -> str:
        """`progress: github 114/114, arxiv 43/43, web 1,234/3,000 (1m05s)`."""
        with self._lock:
            parts = [f"{n} {d:,}/{self.totals[n]:,}" for n, d in self.done.items()]
        return f"progress: {', '.join(parts) or 'starting'} ({_duration(elapsed)})"


def _duration(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m}m{s:02d}s" if m else f"{s}s"


def progress_interval(env: Mapping[str, str] | None = None) -> float:
    """Seconds between progress lines: `AWESOME_MONITOR_PROGRESS_INTERVAL`, else 10."""
    raw = (os.environ if env is None else env).get(INTERVAL_ENV, "")
    try:
        value = float(raw)
    except ValueError:
        return PROGRESS_INTERVAL
    return value if math.isfinite(value) and value > 0 else PROGRESS_INTERVAL


class _Lines:
    """A progress line on stderr every `interval` seconds, from a thread of its own (so a
    provider that ticks rarely, or a long wait, still shows the run is alive)."""

    def __init__(self, ticker: Ticker, interval: float,
                 first: Callable[[], None] | None = None) -> None:  # fmt: skip
        """`first`: called before the first line (it opens the log's group)."""
        self.ticker, self.interval, self.first = ticker, interval, first
        self.stopped = threading.Event()
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._run, name="progress", daemon=True)

    def _run(self) -> None:
        while not self.stopped.wait(self.interval):
            if self.first is not None:
                self.first()
                self.first = None
            print(self.ticker.line(time.monotonic() - self.started), file=sys.stderr, flush=True)

    def __enter__(self) -> _Lines:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()


def is_terminal(stream: TextIO) -> bool:
    """A real terminal, whatever FORCE_COLOR says: bars and colours only there."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def progress_ticker(quiet: bool, first: Callable[[], None] | None = None) -> Iterator[Ticker]:
    """On stderr, so stdout stays clean: rich bars on a terminal (colour unless NO_COLOR),
    a progress line every `progress_interval()` seconds anywhere else (a CI log), nothing
    with -q."""
    if quiet:
        yield Ticker()
        return
    if not is_terminal(sys.stderr):
        ticker = Ticker()
        with _Lines(ticker, progress_interval(), first):
            yield ticker
        return
    console = Console(stderr=True, highlight=False, no_color=bool(os.environ.get("NO_COLOR")))
    columns = (TextColumn("{task.description:>11}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console, transient=True) as progress:
        yield Ticker(progress)
