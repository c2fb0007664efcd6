"""Where a list's history is kept between runs, behind one interface with two backends: a
file beside the list (`check`: `FileStore`, locked for the run, written atomically) and a
branch of the list's repository (`pr`, `issue`: `bot.publish.state_branch.BranchStore`,
saved by compare-and-swap). `bot.pipeline` loads and saves it, whichever it is."""

from __future__ import annotations

import contextlib
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.check import state as state_mod
from bot.check.state import State


class Store(Protocol):
    name: str  # where the history is, as a message names it

    def hold(self) -> AbstractContextManager[None]:
        """Held for the run: no other run uses the history meanwhile, or one that tries to
        save after this one loses (`RaceLost`)."""
        ...

    def load(self) -> State:
        """The history; a fresh one when there is none yet."""
        ...

    def save(self, state: State) -> None:
        """Keep `state` (nothing is written when it is what was loaded or last saved)."""
        ...


@dataclass
class FileStore:
    """A JSON file (`.awesome-monitor/<list>.json` beside the list, or `--state`). A run
    that will not save (a dry run) takes no lock and writes nothing, not even a lock file."""

    path: Path
    name: str  # the path as the user reads it (relative to where the command runs)
    saves: bool = True

    def hold(self) -> AbstractContextManager[None]:
        return state_mod.locked(self.path) if self.saves else contextlib.nullcontext()

    def load(self) -> State:
        return state_mod.load(self.path)

    def save(self, state: State) -> None:
        if self.saves:
            state_mod.save(self.path, state)
