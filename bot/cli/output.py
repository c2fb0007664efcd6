"""What the terminal shows besides the report: log lines and progress bars."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

# Libraries that log on their own; quiet unless -vv asks for HTTP detail. PyGithub and
# markdown-it stay quiet even then: their debug output is bodies and parser internals.
HTTP_LOGGERS = ("urllib3",)
QUIET_LOGGERS = ("github", "markdown_it", "apscheduler", "hypothesis")


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
    """Progress per provider: rich bars on a terminal, nothing otherwise."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def __call__(self, name: str, advance: int, total: int) -> None:
        if self.progress is None:
            return
        if name not in self.tasks:
            self.tasks[name] = self.progress.add_task(name, total=total)
        self.progress.advance(self.tasks[name], advance)


@contextmanager
def progress_ticker(quiet: bool) -> Iterator[Ticker]:
    """Progress bars on a terminal (on stderr, so stdout stays clean); none otherwise."""
    console = Console(stderr=True, highlight=False)
    if quiet or not console.is_terminal:
        yield Ticker(None)
        return
    columns = (TextColumn("{task.description:>11}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console, transient=True) as progress:
        yield Ticker(progress)
