"""The history of `pr` and `issue` lives on its own branch (`awesome-monitor/state`), one
file, one commit per save: the branch backend of `bot.check.store.Store`. Saves are
compare-and-swap: each new commit's parent is the head the run read, and the branch only
moves forward, so of two runs at once the second to save stops (`RaceLost`) instead of
overwriting the first one's history or duplicating its PR."""

from __future__ import annotations

import contextlib
from contextlib import AbstractContextManager
from dataclasses import dataclass

from bot.check import state as state_mod
from bot.check.state import State
from bot.publish.platform import MARKER, Platform

STATE_FILE = "state.json"  # on the state branch


@dataclass
class BranchStore:
    """The state branch; `head` is the commit the run read, the parent of the next save.
    A dry run (`saves` false) reads it and writes nothing."""

    platform: Platform
    branch: str
    saves: bool = True
    head: str | None = None  # None: the branch does not exist (yet)
    text: str | None = None  # the file as read (or as last saved)

    @property
    def name(self) -> str:
        return f"branch {self.branch}"

    def hold(self) -> AbstractContextManager[None]:
        return contextlib.nullcontext()  # a save that lost the race says so (`RaceLost`)

    def load(self) -> State:
        found = self.platform.branch_head(self.branch)
        if found is not None:
            self.head = found[0]
            self.text = self.platform.read_file(STATE_FILE, ref=found[0])
        if not self.text:
            return State()
        return state_mod.from_json(self.text, f"{self.branch}:{STATE_FILE}")

    def save(self, state: State) -> None:
        """Commit the state if it changed; `RaceLost` if another run saved meanwhile."""
        text = state.to_json()
        if not self.saves or text == self.text:
            return
        self.head = self.platform.commit_files(
            self.branch, {STATE_FILE: text}, f"awesome-monitor state\n\n{MARKER}\n",
            parent=self.head, base_tree_of=None, force=False,
        )  # fmt: skip
        self.text = text
