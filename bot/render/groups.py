"""The findings of a run, grouped for a maintainer: one item per distinct link (its first
line), and the one tally every output prints (terminal, job summary, JSON, PR title, body
and commit message), so their numbers always agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot import dates
from bot.check.model import CheckResult, Facts, Judgement, Verdict
from bot.check.providers import kind_of
from bot.render.display import is_stale
from bot.render.templating import month


@dataclass
class Item:
    line: int
    url: str
    detail: str  # what is wrong, in words (with the archived copy, for plain text)
    reason: str = ""  # the same without the archived copy (for texts that link it)
    archive: str | None = None  # a dead link's archived copy, when the history knows one
    to: str | None = None  # a moved link's new address (said in `reason`)

    def __post_init__(self) -> None:
        self.reason = self.reason or self.detail


@dataclass
class Groups:
    dead: list[Item] = field(default_factory=list)
    moved: list[Item] = field(default_factory=list)
    archived: list[Item] = field(default_factory=list)
    new_versions: list[Item] = field(default_factory=list)
    stale: list[Item] = field(default_factory=list)
    failing: list[Item] = field(default_factory=list)
    not_checked: list[Item] = field(default_factory=list)
    unknown: list[Item] = field(default_factory=list)
    malformed: list[Item] = field(default_factory=list)
    redirects: list[Item] = field(default_factory=list)

    def any(self) -> bool:
        return any(getattr(self, f) for f in self.__dataclass_fields__)


def groups(result: CheckResult, stale_after: int = 730) -> Groups:
    """What a maintainer cares about, one item per distinct link (first line)."""
    g = Groups()
    seen: set[tuple[str, str]] = set()
    today = result.day

    def add(name: str, v: Judgement, detail: str, reason: str = "", to: str | None = None) -> None:
        key = (name, v.link.url)
        if key not in seen:
            seen.add(key)
            archive = v.archive if name == "dead" else None
            item = Item(v.link.use_line, v.link.raw_url, detail, reason, archive, to)
            getattr(g, name).append(item)

    for v in result.verdicts:
        since = f" since {v.failing_since[:10]}" if v.failing_since else ""
        if v.verdict == Verdict.DEAD:
            # No run count here: the PR body must not change from run to run.
            copy = f"; archived copy: {v.archive}" if v.archive else ""
            why = f"{v.error or 'failed'}, failing{since}"
            add("dead", v, why + copy, why)
        elif v.failing:
            add("failing", v, f"{v.error or 'failed'}, failing{since}; {dead_when(v, today)}")
        elif v.not_checked:
            add("not_checked", v, v.error or "not checked this run")
        elif v.verdict == Verdict.UNKNOWN and not v.stale:
            add("unknown", v, v.error or "could not tell")
        if v.verdict == Verdict.MOVED and v.moved_to:
            add("moved", v, f"now {v.moved_to}", to=v.moved_to)
        elif v.verdict == Verdict.MOVED and v.observation is not None:
            moved = v.observation.moved_to  # a new name the link cannot take as it is
            add("moved", v, f"moved to {moved}: the link is not rewritten, fix it by hand")
        facts = v.observation.facts() if v.observation is not None else Facts()
        if facts.archived and v.verdict in (Verdict.ARCHIVED, Verdict.MOVED):
            when = f" on {facts.archived_at[:10]}" if facts.archived_at else ""
            add("archived", v, f"archived{when}")
        elif (stale_after and kind_of(v.link.target).stale_listed
              and is_stale(facts.activity, today, stale_after)):  # fmt: skip
            add("stale", v, f"no commit since {(facts.activity or '')[:10]}")
        if v.new_version and facts.version:
            add("new_versions", v, f"v{v.previous_version} → v{facts.version} "
                                   f"({month(facts.version_date)})")  # fmt: skip
        if v.link.target.problem:
            add("malformed", v, v.error or v.link.target.problem)
        redirect = v.observation.redirect if v.observation is not None else None
        if redirect and v.verdict != Verdict.DEAD:
            add("redirects", v, f"redirects permanently to {redirect}")
    return g


def dead_when(v: Judgement, today: datetime) -> str:
    """When a failing link will be called dead (`[check] dead_after`, `dead_after_days`):
    "dead from 2026-12-05 if it keeps failing", "dead after 2 more failed runs"."""
    runs = v.runs_to_dead
    more = f"{runs} more failed runs" if runs > 1 else "one more failed run"
    when = dates.parse(v.dead_from)
    if when is not None and when > today:
        after = f" and {more}" if runs > 1 else ""
        return f"dead from {when.date().isoformat()} if it keeps failing{after}"
    return "dead if it fails on the next run" if runs <= 1 else f"dead after {more}"


TALLIED = ("dead", "moved", "archived", "new_versions", "stale", "failing", "unknown",
           "not_checked", "malformed", "redirects")  # fmt: skip


def tally(result: CheckResult, g: Groups) -> dict[str, int]:
    """The run's numbers, in one unit: distinct links (a URL linked twice counts once)."""
    out = {
        "links": len(result.verdicts),
        "distinct": len({v.link.url for v in result.verdicts}),
    }
    out.update({name: len(getattr(g, name)) for name in TALLIED})
    return out
