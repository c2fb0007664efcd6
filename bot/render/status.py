"""What the bot says about a link or a table row: judgements → template context → one line.

Only durable states reach the list: alive with its facts, archived, dead, a paper's
version. A link without a durable answer this run shows its last good observation (the
judge restores it), and one never answered contributes nothing. The wording lives in the
templates `note.md.j2` (one link) and `cell.md.j2` (a table row: its own links, or the
section the row names); this module decides the facts, with the hysteresis of
`bot.render.display` against what the file shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jinja2 import Environment

from bot.check.model import Facts, Judgement, Verdict
from bot.check.providers import kind_of
from bot.config import StatusConfig
from bot.parse.markdown import NOTE_CLOSE, NOTE_OPEN, Link
from bot.render.display import ShownText, activity, format_count, moved_enough, release_age

NOTE_TEMPLATE = "note.md.j2"
CELL_TEMPLATE = "cell.md.j2"

# `official : https://…`, `official-tensorflow`, `PyTorch (official)`; not `unofficial`.
_OFFICIAL = re.compile(r"(?<![a-z])official(?![a-z])", re.I)
_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")


@dataclass(frozen=True)
class StatusContext:
    """How to show things this run: the day, the settings, and what is shown now."""

    today: datetime
    status: StatusConfig
    shown: ShownText = field(default_factory=ShownText)


@dataclass(frozen=True)
class LinkStatus:
    """The facts about one link that a template may show (all durable)."""

    provider: str  # the provider's name (`bot.check.providers.REGISTRY`)
    state: str  # alive | archived | dead
    official: bool = False
    counts: tuple[str, ...] = ()  # "★ 12k", "♥ 120" (rounded, with hysteresis)
    main_count: int | None = None  # the first raw count: the most starred speaks for a row
    activity: str = ""  # "", "2024", "stale since 2021", "no release since 2021"
    release: str | None = None  # a package's latest release
    archived: bool = False
    since: str | None = None  # month of the first failure, for dead links
    version: int | None = None  # a document's latest version (a paper's)
    version_date: str | None = None  # its month
    version_url: str | None = None  # its page, for a template that links it
    labels: tuple[str, ...] = ()  # "withdrawn", "gated", …
    name: str | None = None  # what it is (`owner/name`), for a row that links several


@dataclass
class RowSummary:
    """A table row: one repository and one paper speak for it; the rest are counted."""

    main: LinkStatus | None = None
    paper: LinkStatus | None = None
    counts: dict[str, int] = field(default_factory=dict)
    links: int = 0
    named: bool = False  # the row links several repositories: the cell names `main`'s


def says_alive(link: Link) -> bool:
    """Whether an alive link of this kind has facts to show (a page's are its site's, or
    its repository's: it speaks only when dead or archived, and makes no column alone)."""
    return kind_of(link.target).alive_note


def speaks_for_row(link: Link) -> bool:
    """Whether this kind of link may speak for a table row (a page is only counted)."""
    return kind_of(link.target).row_speaker


def shown_facts(v: Judgement) -> Facts:
    """The facts a link shows: its observation's, only `archived` for a page."""
    facts = v.observation.facts() if v.observation is not None else Facts()
    if not says_alive(v.link):  # an issue's note would repeat its repository's
        facts = Facts(archived=facts.archived)
    return facts


def is_official(text: str) -> bool:
    return bool(_OFFICIAL.search(text))


def durable(v: Judgement) -> bool:
    """Whether the link has something durable to show: a verdict, or a restored one."""
    if v.verdict == Verdict.DEAD:
        return True
    if v.verdict == Verdict.UNKNOWN:
        return v.stale and v.observation is not None
    return v.observation is not None


def link_status(v: Judgement, view: StatusContext) -> LinkStatus | None:
    """The durable facts of one link that the list shows (`[status] show`), or None when
    it never had an answer."""
    if not durable(v):
        return None
    provider = v.provider or ""
    official = is_official(v.link.text)
    cfg = view.status
    show = set(cfg.show)
    if v.verdict == Verdict.DEAD:
        if "dead" not in show:  # the list says nothing of it (the PR and dashboard do)
            return LinkStatus(provider, "alive", official)
        since = v.failing_since[:7] if v.failing_since else None
        return LinkStatus(provider, "dead", official, since=since)
    facts = shown_facts(v)
    archived = (facts.archived or v.verdict == Verdict.ARCHIVED) and "archived" in show
    counts = tuple(_count(sym, n, view) for sym, n in facts.counts) if "stars" in show else ()
    version = facts.version if "version" in show else None
    age = (activity(facts.activity, view.today, cfg.recent_days, cfg.stale_after)
           or release_age(facts.release_date, view.today, cfg.stale_after))  # fmt: skip
    return LinkStatus(
        provider=provider,
        state="archived" if archived else "alive",
        official=official,
        counts=counts,
        main_count=facts.counts[0][1] if facts.counts else None,
        activity=age if "activity" in show else "",
        release=facts.release if "version" in show else None,
        archived=archived,
        version=version,
        version_date=facts.version_date[:7] if version and facts.version_date else None,
        version_url=facts.version_url if version else None,
        labels=facts.labels,
        name=facts.name,
    )


def _count(symbol: str, n: int, view: StatusContext) -> str:
    """`★ 12k`, or the count the file shows while the real one has not moved enough."""
    cfg = view.status
    shown = view.shown.counts.get(symbol)
    if shown is not None and not moved_enough(shown[1], n, cfg.star_change, cfg.star_min_change):
        return f"{symbol} {shown[0]}"
    return f"{symbol} {format_count(n)}"


def _identity(v: Judgement) -> str:
    return v.link.target.url.rstrip("/").lower()


def summarise(verdicts: list[Judgement], view: StatusContext) -> RowSummary:
    """One repository (official, else most starred) and the first paper speak for the
    row; the other distinct links are counted by what is wrong with them."""
    seen: dict[str, LinkStatus | None] = {}
    for v in verdicts:
        if _identity(v) not in seen:
            seen[_identity(v)] = link_status(v, view)
    statuses = [s for s in seen.values() if s is not None]
    repos = [s for s in statuses if s.main_count is not None]
    main = next((s for s in repos if s.official), None)
    if main is None and repos:
        # max() keeps the first of equals: the list order breaks ties.
        main = max(repos, key=lambda s: s.main_count or 0)
    paper = next((s for s in statuses if s.version), None)
    counts = dict.fromkeys(("archived", "dead"), 0)
    for s in statuses:
        if s is main or s is paper:
            continue
        if s.state == "dead":
            counts["dead"] += 1
        elif s.archived:
            counts["archived"] += 1
    named = len({s.name or id(s) for s in repos}) > 1
    return RowSummary(main=main, paper=paper, counts=counts, links=len(seen), named=named)


def one_line(text: str) -> str:
    """Template output as one line without the note markers (they delimit bot text)."""
    text = text.replace(NOTE_OPEN, "").replace(NOTE_CLOSE, "")
    return " ".join(text.split())


def render_note(
    env: Environment, v: Judgement, view: StatusContext, image: bool = False
) -> str | None:
    """A link's note; "" when there is nothing to say (an alive web link), None when
    nothing durable is known (an existing note stays as it is). `image`: the link is an
    image (a badge), whose note says only that it is dead."""
    s = link_status(v, view)
    if s is None:
        return None
    return one_line(env.get_template(NOTE_TEMPLATE).render(s=s, image=image))


def render_cell(env: Environment, verdicts: list[Judgement], view: StatusContext) -> str | None:
    """A table cell: one line, `|` escaped, never ending in a backslash (that would
    escape the cell's closing pipe). None when none of the row's links has anything
    durable to show (the cell stays as it is)."""
    if not verdicts:
        return ""
    if not any(durable(v) for v in verdicts):
        return None
    summary = summarise(verdicts, view)
    ctx: dict[str, Any] = {
        "main": summary.main,
        "paper": summary.paper,
        "counts": summary.counts,
        "links": summary.links,
        "named": summary.named,
    }
    return escape_cell(one_line(env.get_template(CELL_TEMPLATE).render(**ctx)))


def escape_cell(text: str) -> str:
    text = _UNESCAPED_PIPE.sub(lambda m: m.group(1) + "\\|", one_line(text))
    return text.rstrip("\\").rstrip()
