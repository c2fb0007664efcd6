"""Pytest fixtures for the Hugging Face Hub emulator (registered as a plugin by
tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulators.huggingface import HubEmulator, HubScenario


@pytest.fixture
def hub_emulator() -> Iterator[HubEmulator]:
    """A started emulator with an empty scenario: add repositories via `emu.scenario`."""
    emu = HubEmulator(HubScenario())
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()
