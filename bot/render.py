"""Rendering with jinja2: every text the bot shows or writes comes from a template in
`bot/templates/`, which a config `[templates]` entry may override by name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment, PackageLoader, StrictUndefined

from bot.check import CheckResult
from bot.judge import ARCHIVED, DEAD, MOVED, UNKNOWN, Verdict


def environment(overrides: dict[str, str] | None = None) -> Environment:
    loaders = [DictLoader(dict(overrides or {})), PackageLoader("bot", "templates")]
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["stars"] = format_stars
    env.filters["month"] = month
    env.filters["md"] = escape_markdown
    env.filters["code"] = inline_code
    return env


def inline_code(text: object) -> str:
    """Safe inside a single-backtick code span: no backticks, no line breaks."""
    return str(text).replace("`", "'").replace("\r", " ").replace("\n", " ")


def format_stars(n: int | None) -> str:
    """Rounded so small changes don't churn: 987, 1.2k, 12.3k, 123k, 1.2M."""
    if n is None:
        return "?"
    if n < 1000:
        return str(n)
    if n < 100_000:
        return f"{n / 1000:.1f}k".replace(".0k", "k")
    if n < 1_000_000:
        return f"{n // 1000}k"
    return f"{n / 1_000_000:.1f}M".replace(".0M", "M")


def month(iso: str | None) -> str:
    """`2024-03-01T12:00:00Z` → `2024-03`."""
    return iso[:7] if iso else "?"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def escape_markdown(text: Any) -> str:
    """Text from outside (repo names, titles, errors) made inert in Markdown/HTML:
    no links, no HTML, no @-mentions (a zero-width joiner breaks the mention)."""
    s = str(text).replace("\r", " ").replace("\n", " ")
    s = s.replace("&", "&amp;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return s.replace("@", "@\u200d")


@dataclass
class Item:
    line: int
    url: str
    detail: str


@dataclass
class Groups:
    dead: list[Item] = field(default_factory=list)
    failing: list[Item] = field(default_factory=list)
    moved: list[Item] = field(default_factory=list)
    archived: list[Item] = field(default_factory=list)
    new_versions: list[Item] = field(default_factory=list)
    stars: list[Item] = field(default_factory=list)
    not_checked: list[Item] = field(default_factory=list)
    unknown: list[Item] = field(default_factory=list)
    malformed: list[Item] = field(default_factory=list)
    redirects: list[Item] = field(default_factory=list)

    def any(self) -> bool:
        return any(getattr(self, f) for f in self.__dataclass_fields__)


def groups(result: CheckResult, star_change: float = 0.1) -> Groups:
    """What a maintainer cares about, one item per distinct target (first line)."""
    g = Groups()
    seen: set[tuple[str, str]] = set()

    def add(name: str, v: Verdict, detail: str) -> None:
        key = (name, v.link.url)
        if key not in seen:
            seen.add(key)
            getattr(g, name).append(Item(v.link.use_line, v.link.raw_url, detail))

    for v in result.verdicts:
        since = f" since {v.failing_since[:10]}" if v.failing_since else ""
        if v.verdict == DEAD:
            # No run count here: the PR body must not change from run to run.
            add("dead", v, f"{v.error or 'failed'}, failing{since}")
        elif v.failing:
            add(
                "failing", v, f"{v.error or 'failed'} (failure {v.failures_in_a_row}, not dead yet)"
            )
        elif v.not_checked:
            add("not_checked", v, v.error or "not checked this run")
        elif v.verdict == UNKNOWN:
            add("unknown", v, v.error or "could not tell")
        if v.verdict == MOVED and v.moved_to:
            add("moved", v, f"now {v.moved_to}")
        if v.repo and v.repo.archived and v.verdict in (ARCHIVED, MOVED):
            when = f" on {v.repo.archived_at[:10]}" if v.repo.archived_at else ""
            add("archived", v, f"archived{when}")
        if v.new_version and v.paper:
            add("new_versions", v, f"v{v.previous_version} → v{v.paper.version} "
                                   f"({month(v.paper.updated)})")  # fmt: skip
        if v.link.target.problem:
            add("malformed", v, v.error or v.link.target.problem)
        if v.web and v.web.permanent_redirect and v.verdict != DEAD:
            add("redirects", v, f"redirects permanently to {v.web.permanent_redirect}")
        ro = v.repo
        if ro and ro.stars is not None and v.stars_before:
            change = (ro.stars - v.stars_before) / v.stars_before
            if abs(change) >= star_change and format_stars(ro.stars) != format_stars(
                v.stars_before
            ):
                add("stars", v, f"★ {format_stars(v.stars_before)} → {format_stars(ro.stars)}")
    return g
