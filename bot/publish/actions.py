"""GitHub Actions output: annotations at file and line, grouped log sections, the
job summary, and masking of the token. Only when GITHUB_ACTIONS=true."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.render.groups import Groups


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


# GitHub shows 10 warnings and 10 errors per step (50 per job); the rest vanish unseen.
MAX_ANNOTATIONS = 10


def annotate(file: str, g: Groups) -> int:
    """Dead links as errors, then moved and archived ones as warnings, at their line: at
    most 10 of each (what GitHub shows), and a notice that says how many more the job
    summary lists. Returns the count printed."""
    if not active():
        return 0
    errors = [(i, f"Dead link {i.url}: {i.detail}") for i in g.dead]
    warnings = [(i, f"Moved: {i.url} is {i.detail}") for i in g.moved]
    warnings += [(i, f"Archived repository: {i.url} ({i.detail})") for i in g.archived]
    n = 0
    for level, items in (("error", errors), ("warning", warnings)):
        for item, msg in items[:MAX_ANNOTATIONS]:
            print(f"::{level} file={_prop(file)},line={item.line}::{_data(msg)}")
            n += 1
    rest = max(0, len(errors) - MAX_ANNOTATIONS) + max(0, len(warnings) - MAX_ANNOTATIONS)
    if rest:
        msg = (f"{rest} more dead, moved or archived links are not annotated (GitHub shows 10 "
               "of each kind): the job summary lists every one")  # fmt: skip
        print(f"::notice file={_prop(file)}::{_data(msg)}")
    sys.stdout.flush()
    return n


def step_summary(markdown: str) -> None:
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if active() and path:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(markdown if markdown.endswith("\n") else markdown + "\n")
