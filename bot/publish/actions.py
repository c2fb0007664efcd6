"""GitHub Actions output: annotations at file and line, grouped log sections, the
job summary, and masking of the token. Only when GITHUB_ACTIONS=true."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.check.judge import Judgement
from bot.check.model import Verdict


def active() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


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
    print(f"::group::{_data(title)}", flush=True)
    try:
        yield
    finally:
        print("::endgroup::", flush=True)


def annotate(file: str, verdicts: list[Judgement]) -> int:
    """One warning per dead, moved or archived link, at its line. Returns the count."""
    if not active():
        return 0
    n = 0
    for v in verdicts:
        if v.verdict == Verdict.DEAD:
            msg = f"Dead link {v.link.raw_url}: {v.error or 'failed'}"
        elif v.verdict == Verdict.MOVED:
            msg = f"Moved: {v.link.raw_url} is now {v.moved_to}"
        elif v.verdict == Verdict.ARCHIVED:
            msg = f"Archived repository: {v.link.raw_url}"
        else:
            continue
        print(f"::warning file={_prop(file)},line={v.link.use_line}::{_data(msg)}")
        n += 1
    sys.stdout.flush()
    return n


def step_summary(markdown: str) -> None:
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if active() and path:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(markdown if markdown.endswith("\n") else markdown + "\n")
