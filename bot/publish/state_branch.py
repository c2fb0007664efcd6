"""The history of `pr` and `issue` lives on its own branch (`awesome-monitor/state`), one
file, one commit per save. Saves are compare-and-swap: each new commit's parent is the head
the run read, and the branch only moves forward, so of two runs at once the second to save
stops (`RaceLost`) instead of overwriting the first one's history or duplicating its PR."""

from __future__ import annotations

from dataclasses import dataclass

from bot.check import state as state_mod
from bot.check.state import State
from bot.publish.platform import MARKER, Platform

STATE_FILE = "state.json"  # on the state branch


@dataclass
class StateBranch:
    """The state branch as this run read it: `head` is the parent of the next save."""

    platform: Platform
    branch: str
    head: str | None = None  # None: the branch does not exist yet
    text: str | None = None  # the file as read (or as last saved)

    @classmethod
    def read(cls, platform: Platform, branch: str) -> StateBranch:
        found = platform.branch_head(branch)
        if found is None:
            return cls(platform, branch)
        return cls(platform, branch, found[0], platform.read_file(STATE_FILE, ref=found[0]))

    def load(self) -> State:
        if not self.text:
            return State()
        return state_mod.from_json(self.text, f"{self.branch}:{STATE_FILE}")

    def save(self, state: State) -> None:
        """Commit the state if it changed; `RaceLost` if another run saved meanwhile."""
        text = state.to_json()
        if text == self.text:
            return
        self.head = self.platform.commit_files(
            self.branch, {STATE_FILE: text}, f"awesome-monitor state\n\n{MARKER}\n",
            parent=self.head, base_tree_of=None, force=False,
        )  # fmt: skip
        self.text = text
