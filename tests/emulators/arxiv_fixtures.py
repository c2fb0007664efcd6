"""Pytest fixtures for the arXiv emulator (registered as a plugin by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulators.arxiv import ArxivEmulator, ArxivScenario


@pytest.fixture
def arxiv_emulator() -> Iterator[ArxivEmulator]:
    """A started emulator with an empty scenario: add papers via `emu.scenario.add(...)`."""
    emu = ArxivEmulator(ArxivScenario())
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()
