"""What the dashboard shows beside the findings, so that it acts: the bot's open pull
request, whether its silence boxes have a `pr` run to act on them, the boxes ticked
before (kept while their item is there), and the declined changes in words a maintainer
recognises (most pressing first, as the pull request lists them), each with a box that
has the next run propose it again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.render.edits import Held, item_id
from bot.render.pr_text import REASONS


@dataclass(frozen=True)
class Declined:
    """A change the bot holds back because a closed pull request declined it."""

    ident: str  # its identity (`item_id`): the un-decline box's id
    reason: str
    subject: str  # the link, or the table row's name ("" for a column added)
    line: int  # where it is in the list now
    text: str  # what it showed
    pr: int | None  # the pull request that was closed
    day: str | None  # the day the bot saw it closed


@dataclass(frozen=True)
class Acts:
    """The dashboard's context from the history and this run's rewrite."""

    pull: int | None = None  # the bot's open pull request
    proposes: bool = False  # `pr` runs for this list: silence boxes have something to act
    silence: frozenset[str] = frozenset()  # link ids whose box is ticked
    declined: list[Declined] = field(default_factory=list)


def declined(held: list[Held], record: Mapping[str, Any]) -> list[Declined]:
    """The changes this run held back as declined, once each, in the history's words
    where it kept them (the day and the pull request), else in the rewrite's."""
    out: dict[str, Declined] = {}
    for h in held:
        if h.why != "declined":
            continue
        ident = item_id(h.reason, h.subject, h.text)
        kept = record.get(ident)
        said: Mapping[str, Any] = kept if isinstance(kept, dict) else {}
        day = said.get("day") if said else kept  # a bare day: kept before the words were
        pr = said.get("pr")
        out.setdefault(ident, Declined(
            ident, h.reason, str(said.get("subject", h.subject)), h.line,
            str(said.get("text", h.text)), pr if isinstance(pr, int) else None,
            day if isinstance(day, str) else None,
        ))  # fmt: skip
    order = {reason: i for i, reason in enumerate(REASONS)}
    return sorted(out.values(), key=lambda d: (order.get(d.reason, len(order)), d.line))
