"""A cache between runs: a link that answered well less than `[check] recheck_after` days
ago is not asked again; its last good observation stands in for this run's. arXiv asks
for exactly that (its answers change daily), and a same-day re-run of a big list costs no
web request for what was alive. Failing, dead and never-answered links are always asked.
Only providers with `cache = True` take part (GitHub's batches are cheap and its counts
are what a refresh is for)."""

from __future__ import annotations

from collections.abc import Mapping

from bot import dates
from bot.check.model import Observation
from bot.check.providers.base import Provider
from bot.check.state import Entry
from bot.parse.target import Target


def fresh(entry: Entry | None, now: str, days: float) -> bool:
    """Whether `entry` answered well less than `days` ago (and has not failed since)."""
    if entry is None or not days or entry.failures or entry.not_checked or not entry.last_ok:
        return False
    age = dates.days_between(entry.last_ok, now)
    return age is not None and 0 <= age < days


def split(
    p: Provider, targets: list[Target], entries: Mapping[str, Entry], now: str, days: float
) -> tuple[list[Target], dict[str, Observation]]:
    """(targets to ask, observations reused from the cache by key)."""
    if not getattr(p, "cache", False):
        return targets, {}
    ask: list[Target] = []
    reused: dict[str, Observation] = {}
    for t in targets:
        key = p.key(t)
        entry = entries.get(key) if key else None
        obs = p.restore(entry.data) if entry is not None and fresh(entry, now, days) else None
        if key and obs is not None:
            reused[key] = obs
        else:
            ask.append(t)
    return ask, reused
