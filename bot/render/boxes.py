"""The dashboard's boxes that act, and their reading back. Each box carries a hidden id
right after it (as Renovate's dashboard does: `- [ ] <!-- rebase-branch=… -->`), so a tick
keeps its meaning however the list or the body changes around it:

    - [ ] <!-- awesome-monitor-silence 3f2a9c1e0b12 -->line 7: `https://…` — …
    - [ ] <!-- awesome-monitor-undecline 0123456789abcdef -->line 9: `https://…` → archived …
    - [ ] <!-- awesome-monitor-check-now -->**Check now** …

A silence box's id is a short hash of the link (`link_id`), an un-decline box's the
declined change's identity (`bot.render.edits.item_id`). Only boxes that carry an id are
read: a tick on an older body (whose boxes meant "handled") asks for nothing."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

SILENCE = "silence"
UNDECLINE = "undecline"
CHECK_NOW = "check-now"

_BOX = re.compile(
    r"^[ \t]*[-*+][ \t]+\[([ xX])\][ \t]*<!-- awesome-monitor-(silence|undecline|check-now)"
    r"(?: ([0-9a-f]{6,64}))? -->",
    re.MULTILINE,
)


def link_id(url: str) -> str:
    """A link's id on the dashboard: the same for the link wherever it is in the list."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]


def mark(kind: str, ident: str = "") -> str:
    """The hidden id written right after a box."""
    return f"<!-- awesome-monitor-{kind}{' ' + ident if ident else ''} -->"


@dataclass(frozen=True)
class Asks:
    """What the ticked boxes of a dashboard ask for."""

    silence: frozenset[str] = frozenset()  # link ids: propose the disable comment
    undecline: frozenset[str] = frozenset()  # declined change ids: propose them again
    check_now: bool = False


def asks(body: str | None) -> Asks:
    """The ticked boxes of a body (GitHub's web editor saves CRLF line endings)."""
    found: dict[str, set[str]] = {SILENCE: set(), UNDECLINE: set(), CHECK_NOW: set()}
    for m in _BOX.finditer((body or "").replace("\r\n", "\n")):
        if m.group(1) != " ":
            found[m.group(2)].add(m.group(3) or "")
    return Asks(frozenset(found[SILENCE] - {""}), frozenset(found[UNDECLINE] - {""}),
                bool(found[CHECK_NOW]))  # fmt: skip
