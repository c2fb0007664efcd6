"""Shared fixtures. The emulator fixtures live next to their emulators."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import bot.check.providers  # noqa: F401  # registers the providers' config sections and kinds

pytest_plugins = [
    "tests.emulators.github_fixtures",
    "tests.emulators.arxiv_fixtures",
    "tests.emulators.web_fixtures",
    "tests.emulators.huggingface_fixtures",
]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def shared_dir() -> Path:
    """../shared (real lists, recorded API answers); skips when a clone has none."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (only the project's workspace has it)")
    return SHARED


def corpus_files() -> list[Path]:
    """The real lists in ../shared/corpus, or [] in a clone without ../shared."""
    d = SHARED / "corpus"
    return sorted(d.glob("*.md")) if d.is_dir() else []


@pytest.fixture
def make_world(tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """The one world fixture: `make_world(text=SAMPLE, web_cases=True, check_web=True,
    folder=None)` starts the emulators on a scenario made from `text` (plus one link per
    scripted web behaviour with `web_cases`), with the list, its config and its history in
    `tmp_path` (or `tmp_path / folder`), and the real CLI to run against them. Every world
    made is stopped at the end of the test."""
    from tests.world import SAMPLE, World

    made: list[World] = []

    def make(text: str = SAMPLE, web_cases: bool = True, check_web: bool = True,
             folder: str | None = None) -> World:  # fmt: skip
        where = tmp_path / folder if folder else tmp_path
        where.mkdir(parents=True, exist_ok=True)
        made.append(World(where, text, web_cases=web_cases, check_web=check_web))
        return made[-1]

    try:
        yield make
    finally:
        for wd in made:
            wd.stop()


@pytest.fixture
def world(make_world: Callable[..., Any]) -> Any:
    """The emulators serving a scenario made from the bundled sample list (plus one
    link per scripted web behaviour), and the real CLI to run against them."""
    return make_world()
