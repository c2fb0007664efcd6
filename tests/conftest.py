"""Shared fixtures. The emulator fixtures live next to their emulators."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
def world(tmp_path: Path) -> Iterator:
    """The emulators serving a scenario made from the bundled sample list (plus one
    link per scripted web behaviour), and the real CLI to run against them."""
    from tests.world import SAMPLE, World

    wd = World(tmp_path, SAMPLE)
    try:
        yield wd
    finally:
        wd.stop()
