"""What the networked commands share: HTTP settings from config and options, progress
bars, and the exit code of a check (DESIGN.md §2)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.check import CheckResult
from bot.config import Config
from bot.judge import summary
from bot.model import HttpSettings

EXIT_OK, EXIT_DEAD, EXIT_INPUT, EXIT_INCOMPLETE = 0, 1, 2, 3


def http_settings(cfg: Config, args: argparse.Namespace) -> HttpSettings:
    return HttpSettings(
        timeout=args.timeout or cfg.check.timeout,
        concurrency=args.concurrency or cfg.check.concurrency,
        per_host=cfg.check.per_host,
        retries=cfg.check.retries,
        backoff=cfg.check.backoff,
        max_wait=cfg.check.max_wait,
        min_interval=cfg.check.arxiv_interval,
    )


class _Ticker:
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
def progress_ticker(quiet: bool) -> Iterator[_Ticker]:
    """Progress bars on a terminal (on stderr, so stdout stays clean); none otherwise."""
    console = Console(stderr=True, highlight=False)
    if quiet or not console.is_terminal:
        yield _Ticker(None)
        return
    columns = (TextColumn("{task.description:>7}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console, transient=True) as progress:
        yield _Ticker(progress)


def exit_code(result: CheckResult, fail_on_dead: bool) -> int:
    if result.incomplete:
        reason = (
            "GitHub refused the token"
            if result.token_refused
            else "the GitHub API budget ran out"
            if result.budget_spent_with_token
            else f"could not reach {', '.join(sorted(result.down))}"
        )
        print(f"awesome-monitor: check incomplete: {reason}; nothing was flagged dead for it",
              file=sys.stderr)  # fmt: skip
        return EXIT_INCOMPLETE
    if fail_on_dead and summary(result.verdicts)["dead"]:
        return EXIT_DEAD
    return EXIT_OK
