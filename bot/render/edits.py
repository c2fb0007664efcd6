"""What a rewrite produces: every edit with its reason and identity, and what it left out
because people decided before (a pull request closed unmerged, a note deleted by hand)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.render.display import ACTIONABLE, ShownText


def item_id(reason: str, subject: str, text: str) -> str:
    """A change's identity across runs: why, about what, and what it shows that one acts
    on (not counts or dates). A change a maintainer declined is known by it until the
    link's state changes."""
    facts = list(ShownText.read(text).actionable())
    raw = json.dumps([reason, subject, facts], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def note_key(text: str) -> str:
    """What a note shows that one acts on, as remembered between runs."""
    return json.dumps(list(ShownText.read(text).actionable()))


WORDS = 200  # most characters of a subject or a text kept for a declined change


def words(reason: str, subject: str, line: int, text: str) -> dict[str, str | int]:
    """A change in words a maintainer recognises (line, link or row, what it shows), as
    the history keeps it for a declined change: bounded, whatever the list holds."""

    def cut(s: str) -> str:
        return s if len(s) <= WORDS else s[: WORDS - 1] + "…"

    return {"reason": reason, "subject": cut(subject), "line": line, "text": cut(text)}


@dataclass(frozen=True)
class Memory:
    """What people decided before, which this rewrite respects: the changes of pull
    requests closed without merging (`declined`, by `item_id`), and what each link's note
    showed when the list last had one (`notes`: URL → `note_key`), so a note the
    maintainer deleted is not written back until the link's state changes; the links a
    maintainer asked to silence on the dashboard (`silence`: `bot.render.boxes.link_id`)."""

    declined: frozenset[str] = frozenset()
    notes: Mapping[str, str] = field(default_factory=dict)
    silence: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Held:
    """A change the rewrite did not make, and why (`declined` or `deleted by hand`)."""

    why: str
    reason: str
    subject: str
    line: int
    text: str


@dataclass(frozen=True)
class Edit:
    start: int  # span in the input text
    end: int
    new: str
    kind: str  # cell | note | url | url_text | comment
    line: int  # 1-based line (the same in input and output)
    reason: str  # see the module docstring
    subject: str = ""  # the link's URL, or the table row's name
    text: str = ""  # what the list shows now (a note's or a cell's text)
    before: str = ""  # what it showed before

    @property
    def actionable(self) -> bool:
        return self.reason in ACTIONABLE

    @property
    def identity(self) -> str:
        return item_id(self.reason, self.subject, self.text)


@dataclass
class RewriteResult:
    text: str
    unmatched_rows: list[str] = field(default_factory=list)  # row names without a status
    changed_lines: set[int] = field(default_factory=set)  # 1-based, same in input and output
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old URL, new URL) replaced
    edits: list[Edit] = field(default_factory=list)  # the edits that changed bytes
    tables: int = 0  # tables with a bot column
    new_columns: int = 0  # of which the column is added by this rewrite
    rows: int = 0  # table rows with a status
    notes: int = 0  # notes written
    notices: list[str] = field(default_factory=list)  # e.g. a maintainer's own Status column
    held: list[Held] = field(default_factory=list)  # changes left out (see `Memory`)
    notes_seen: dict[str, str] = field(default_factory=dict)  # URL → note_key, as the list is
    notes_after: dict[str, str] = field(default_factory=dict)  # … as the new text will be

    @property
    def changed(self) -> bool:
        return bool(self.changed_lines)

    @property
    def actionable(self) -> list[Edit]:
        return [e for e in self.edits if e.actionable]

    @property
    def drift_only(self) -> bool:
        return self.changed and not self.actionable
