"""What the bot says about a link or a table row: verdicts → template context → one line.

The wording lives in the templates `note.md.j2` (one link, in lists and paragraphs)
and `cell.md.j2` (a table row: its own links, or the section the row names). This
module only decides the facts: which repository speaks for a row (the `official`
one, else the most starred), the latest arXiv version, and counts of the rest.
Everything shown is rounded (stars, months) so unchanged data renders identically."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment

from bot.check.judge import Judgement
from bot.check.model import Verdict
from bot.parse.markdown import NOTE_CLOSE, NOTE_OPEN
from bot.parse.target import Kind

NOTE_TEMPLATE = "note.md.j2"
CELL_TEMPLATE = "cell.md.j2"

# `official : https://…`, `official-tensorflow`, `PyTorch (official)`; not `unofficial`.
_OFFICIAL = re.compile(r"(?<![a-z])official(?![a-z])", re.I)
_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")


@dataclass(frozen=True)
class LinkStatus:
    """The facts about one link that a template may show."""

    kind: str  # repo | paper | web
    state: str  # alive | archived | moved | dead | failing | not_checked
    official: bool = False
    stars: int | None = None
    last_commit: str | None = None  # ISO date, the template rounds to the month
    archived: bool = False
    moved: bool = False
    moved_to: str | None = None  # new owner/name
    since: str | None = None  # month of the first failure, for dead links
    version: int | None = None  # latest arXiv version
    version_url: str | None = None
    updated: str | None = None  # ISO date of the latest version
    withdrawn: bool = False


@dataclass
class RowSummary:
    """A table row: one repository and one paper speak for it; the rest are counted."""

    main: LinkStatus | None = None
    paper: LinkStatus | None = None
    counts: dict[str, int] = field(default_factory=dict)
    links: int = 0


def is_official(text: str) -> bool:
    return bool(_OFFICIAL.search(text))


def link_status(v: Judgement) -> LinkStatus:
    t = v.link.target
    kind = "repo" if t.repo_key else "paper" if t.kind == Kind.ARXIV else "web"
    if v.verdict == Verdict.DEAD:
        state = "dead"
    elif v.failing:
        state = "failing"
    elif v.verdict == Verdict.UNKNOWN and not v.stale:
        state = "not_checked"
    elif v.verdict == Verdict.MOVED:
        state = "moved"
    elif v.verdict == Verdict.ARCHIVED or (v.repo is not None and v.repo.archived):
        state = "archived"
    else:
        state = "alive"
    ok = state in ("alive", "archived", "moved")
    ro, po = v.repo if ok else None, v.paper if ok else None
    version = po.version if po else None
    arxiv_id = po.arxiv_id if po else t.arxiv_id
    return LinkStatus(
        kind=kind,
        state=state,
        official=is_official(v.link.text),
        stars=ro.stars if ro else None,
        last_commit=(ro.last_commit or ro.pushed_at) if ro else None,
        archived=bool(ro and ro.archived) or v.verdict == Verdict.ARCHIVED,
        moved=v.verdict == Verdict.MOVED,
        moved_to=ro.moved_to if ro and v.verdict == Verdict.MOVED else None,
        since=v.failing_since[:7] if v.failing_since and state == "dead" else None,
        version=version,
        version_url=f"https://arxiv.org/abs/{arxiv_id}v{version}" if version and arxiv_id else None,
        updated=po.updated if po else None,
        withdrawn=bool(po and po.withdrawn),
    )


def _identity(v: Judgement) -> tuple[str, str]:
    t = v.link.target
    return t.kind.value, t.url.rstrip("/").lower()


def summarise(verdicts: list[Judgement]) -> RowSummary:
    """One repository (official, else most starred) and the first paper speak for the
    row; the other distinct targets are counted by what is wrong with them."""
    seen: dict[tuple[str, str], LinkStatus] = {}
    for v in verdicts:
        seen.setdefault(_identity(v), link_status(v))
    statuses = list(seen.values())
    repos = [s for s in statuses if s.kind == "repo"]
    main = next((s for s in repos if s.official), None)
    if main is None:
        starred = [s for s in repos if s.stars is not None]
        # max() keeps the first of equals: the list order breaks ties.
        main = max(starred, key=lambda s: s.stars or 0) if starred else None
    if main is None and repos:
        main = repos[0]
    paper = next((s for s in statuses if s.kind == "paper" and s.version), None)
    counts = dict.fromkeys(("archived", "moved", "dead", "failing", "not_checked"), 0)
    for s in statuses:
        if s is main or s is paper:
            continue
        if s.state in ("dead", "failing", "not_checked", "moved"):
            counts[s.state] += 1
        elif s.archived:
            counts["archived"] += 1
    return RowSummary(main=main, paper=paper, counts=counts, links=len(statuses))


def one_line(text: str) -> str:
    """Template output as one line without the note markers (they delimit bot text)."""
    text = text.replace(NOTE_OPEN, "").replace(NOTE_CLOSE, "")
    return " ".join(text.split())


def render_note(env: Environment, v: Judgement) -> str:
    return one_line(env.get_template(NOTE_TEMPLATE).render(s=link_status(v)))


def render_cell(env: Environment, verdicts: list[Judgement]) -> str:
    """A table cell: one line, `|` escaped, never ending in a backslash (that would
    escape the cell's closing pipe)."""
    if not verdicts:
        return ""
    summary = summarise(verdicts)
    ctx: dict[str, Any] = {
        "main": summary.main,
        "paper": summary.paper,
        "counts": summary.counts,
        "links": summary.links,
    }
    text = one_line(env.get_template(CELL_TEMPLATE).render(**ctx))
    return escape_cell(text)


def escape_cell(text: str) -> str:
    text = _UNESCAPED_PIPE.sub(lambda m: m.group(1) + "\\|", one_line(text))
    return text.rstrip("\\").rstrip()
