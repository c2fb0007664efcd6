"""pytest fixtures for the GitHub emulator (registered as a plugin by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulators.github import GitHubEmulator, GitHubScenario


@pytest.fixture
def github_scenario() -> GitHubScenario:
    """An empty scenario; add repos with `github_scenario.add("owner/name", stars=...)`."""
    return GitHubScenario()


@pytest.fixture
def github_emulator(github_scenario: GitHubScenario) -> Iterator[GitHubEmulator]:
    """A started emulator on a free loopback port serving `github_scenario` live."""
    emu = GitHubEmulator(github_scenario)
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()
