"""GitHub Actions output: annotations at file and line, grouped log sections, the
job summary, and masking of the token. Only when GITHUB_ACTIONS=true."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.render.templating import command_data


def active() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


_masked: set[str] = set()


def mask(secret: str | None) -> None:
    """Ask the runner to hide the token from every later log line (once per run: the
    token must appear in the log on that one line only)."""
    if active() and secret and secret not in _masked:
        _masked.add(secret)
        print(f"::add-mask::{secret}", flush=True)


def new_run() -> None:
    """A new command run in this process (tests, `schedule`): mask again."""
    _masked.clear()


def mask_env_token() -> None:
    """Mask GITHUB_TOKEN / GH_TOKEN / HF_TOKEN before anything else is printed, whatever the
    command (`check`, `pr`, `schedule`) and whatever goes wrong later."""
    new_run()
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "HF_TOKEN"):
        mask((os.environ.get(name) or "").strip() or None)


@contextmanager
def group(title: str) -> Iterator[None]:
    if not active():
        yield
        return
    print(f"::group::{command_data(title)}", flush=True)
    try:
        yield
    finally:
        print("::endgroup::", flush=True)


class LazyGroup:
    """A log group opened only when something is printed in it (`open()`, by the first
    line): an empty `::group::` is a fold with nothing inside."""

    def __init__(self, title: str) -> None:
        self.title, self.opened = title, False

    def open(self) -> None:
        if active() and not self.opened:
            self.opened = True
            print(f"::group::{command_data(self.title)}", flush=True)

    def __enter__(self) -> LazyGroup:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.opened:
            print("::endgroup::", flush=True)


def annotations(text: str) -> None:
    """Annotations at file and line (`bot.render.outputs`: workflow commands, one a line)."""
    if active() and text:
        sys.stdout.write(text)
        sys.stdout.flush()


def step_summary(markdown: str) -> None:
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if active() and path:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(markdown if markdown.endswith("\n") else markdown + "\n")
