"""What the list shows, and how it avoids churn.

- Counts (★ stars, ♥ likes, ↓ downloads) are rounded (987, 1.2k, 12k, 123k, 1.2M) and have
  hysteresis *against what the file shows*: a shown count is kept until the real one moved
  by `star_change` (10 %) and by at least `star_min_change` (10), or crossed 1k, 10k, 100k
  or 1M. So a list does not change every week from star drift, whoever merged what.
- Activity (the last commit) shows nothing while recent (`recent_days`, a year), then the
  year of the last commit (`2024`), then `stale since 2022` once older than `stale_after`
  (two years): it changes at most once a year. A package's latest release shows only once
  it is older than `stale_after`: `no release since 2022`.
- `ShownText` reads the bot's own words back from a note or a cell, so the rewrite can tell an
  actionable change (dead, archived, a new version, a first status) from drift."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from bot import dates

THRESHOLDS = (1_000, 10_000, 100_000, 1_000_000)
COUNT_RE = re.compile(r"([★♥↓])\s?(\d+(?:\.\d+)?)([kM]?)")
_MULT = {"": 1, "k": 1_000, "M": 1_000_000}


def format_count(n: int) -> str:
    """Rounded so small changes don't show: 987, 1.2k, 12.3k, 123k, 1.2M."""
    if n < 1000:
        return str(n)
    if n < 100_000:
        return f"{n / 1000:.1f}k".replace(".0k", "k")
    if n < 1_000_000:
        return f"{n // 1000}k"
    return f"{n / 1_000_000:.1f}M".replace(".0M", "M")


def count_value(text: str) -> int | None:
    """`1.2k` → 1200 (what a shown count stands for)."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kM]?)", text.strip())
    return round(float(m.group(1)) * _MULT[m.group(2)]) if m else None


def moved_enough(shown: int, now: int, ratio: float, minimum: int) -> bool:
    """Whether `now` differs enough from the `shown` count to be shown instead."""
    if any((shown < t) != (now < t) for t in THRESHOLDS):
        return True
    change = abs(now - shown)
    return change >= minimum and change >= ratio * max(shown, 1)


def activity(iso: str | None, today: datetime, recent_days: int, stale_days: int) -> str:
    """'' while recent, then the year (`2024`), then `stale since 2022`."""
    when = dates.parse(iso)
    if when is None:
        return ""
    age = (today - when).days
    if stale_days and age >= stale_days:
        return f"stale since {when.year}"
    if age >= recent_days:
        return str(when.year)
    return ""


def release_age(iso: str | None, today: datetime, stale_days: int) -> str:
    """'' while a package's latest release is recent, then `no release since 2022` once it
    is `stale_days` old (a release says nothing more while it is recent)."""
    when = dates.parse(iso)
    if when is None or not stale_days or (today - when).days < stale_days:
        return ""
    return f"no release since {when.year}"


def is_stale(iso: str | None, today: datetime, stale_days: int) -> bool:
    return activity(iso, today, 0, stale_days).startswith("stale")


@dataclass(frozen=True)
class ShownText:
    """The bot's words read back from a note or a cell it wrote (empty when none)."""

    text: str = ""
    counts: dict[str, tuple[str, int]] = field(default_factory=dict)  # ★ → ("1.2k", 1200)
    dead: int = 0  # links shown dead ("dead", "2 dead")
    archived: int = 0  # "archived", "1 archived"
    version: int | None = None  # "v3"
    withdrawn: bool = False

    @classmethod
    def read(cls, text: str) -> ShownText:
        text = " ".join(text.split())
        words = _NAME.sub(" ", text)  # a name (`owner/dead-code`) is no fact
        counts = {}
        for m in COUNT_RE.finditer(words):
            shown = m.group(2) + m.group(3)
            value = count_value(shown)
            if value is not None:
                counts.setdefault(m.group(1), (shown, value))
        version = re.search(r"(?<![\w.])v(\d+)\b", words)
        return cls(
            text=text,
            counts=counts,
            dead=_tally(words, "dead"),
            archived=_tally(words, "archived"),
            version=int(version.group(1)) if version else None,
            withdrawn="withdrawn" in words,
        )

    @property
    def empty(self) -> bool:
        return not self.text

    def actionable(self) -> tuple[int, int, int | None, bool, bool]:
        """What a maintainer acts on; everything else in the text is drift."""
        return (self.dead, self.archived, self.version, self.withdrawn, not self.empty)


_NAME = re.compile(r"`[^`]*`")


def _tally(text: str, word: str) -> int:
    """`dead since 2024-05 · 2 dead` → 3: one for the word alone, N for `N word`."""
    numbered = sum(int(m.group(1)) for m in re.finditer(rf"\b(\d+) {word}\b", text))
    alone = len(re.findall(rf"(?<!\d )\b{word}\b", text))
    return numbered + alone


def change_reason(old: ShownText, new: ShownText) -> str | None:
    """Why a region changes: an actionable reason, `drift`, or None when it does not."""
    if old.text == new.text:
        return None
    if new.dead > old.dead:
        return "dead"
    if old.empty:
        return "new"
    if new.dead < old.dead:
        return "revived"
    if new.empty:
        return "removed"
    if new.archived != old.archived:
        return "archived" if new.archived > old.archived else "unarchived"
    if new.version != old.version and new.version is not None:
        return "new version"
    if new.withdrawn != old.withdrawn:
        return "withdrawn"
    return "drift"


ACTIONABLE = frozenset({"new", "dead", "revived", "archived", "unarchived", "new version",
                        "withdrawn", "moved", "silenced"})  # fmt: skip
