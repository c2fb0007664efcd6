"""The report of a run: its groups (dead, moved, archived, …: one item per distinct link), the
terminal and Markdown renderings, the JSON report, and the unified diff."""

from __future__ import annotations

import difflib
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.check.judge import Judgement, summary
from bot.check.model import Verdict
from bot.check.providers import REGISTRY
from bot.check.run import CheckResult
from bot.config import Config
from bot.files import atomic_write
from bot.parse.markdown import Document, Link
from bot.render.templating import environment, format_stars, month

LINK_KEYS = (
    "url", "line", "kind", "verdict", "repo", "stars", "last_commit", "archived", "moved_to",
    "arxiv_id", "arxiv_version", "arxiv_updated", "http_status", "failures_in_a_row", "error",
)  # fmt: skip
SUMMARY_KEYS = ("links", "dead", "archived", "moved", "new_versions", "unknown")


def scan_entry(link: Link) -> dict[str, Any]:
    """What `scan` knows of a link without the network."""
    t = link.target
    entry: dict[str, Any] = {
        "url": link.raw_url,
        "line": link.use_line,
        "kind": t.kind.value,
        "syntax": link.syntax.value,
        "column": link.col_start + 1,
        "repo": t.repo,
        "ref": t.ref,
        "path": t.path,
        "arxiv_id": t.arxiv_id,
        "arxiv_version": t.arxiv_version,
        "section": link.section.title if link.section else None,
    }
    if t.problem:
        entry["problem"] = t.problem
        entry["suggestion"] = t.suggestion
    return entry


def scan_report(name: str, doc: Document) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for link in doc.links:
        counts[link.kind] = counts.get(link.kind, 0) + 1
    return {
        "file": name,
        "links": [scan_entry(link) for link in doc.links],
        "summary": {"links": len(doc.links), "by_kind": counts},
    }


def write_json(path: Path, report: dict[str, Any]) -> None:
    # Streamed: `json.dumps(indent=…)` joins millions of small pieces into one string,
    # which for a 50,000-link report cost ~120 MB of peak memory.
    chunks = json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(report)
    atomic_write(path, itertools.chain(chunks, ["\n"]))


def check_entry(v: Judgement) -> dict[str, Any]:
    """One link of the `check` report, with exactly the keys of DESIGN.md §2."""
    t, wo = v.link.target, v.web
    ro, po = (None, None) if v.stale else (v.repo, v.paper)
    return {
        "url": v.link.raw_url,
        "line": v.link.use_line,
        "kind": t.kind.value,
        "verdict": v.verdict,
        "repo": t.repo,
        "stars": ro.stars if ro else None,
        "last_commit": ro.last_commit if ro else None,
        "archived": ro.archived if ro and ro.outcome.value == "ok" else None,
        "moved_to": v.moved_to,
        "arxiv_id": t.arxiv_id,
        "arxiv_version": po.version if po else None,
        "arxiv_updated": po.updated if po else None,
        "http_status": wo.http_status if wo else (ro.http_status if ro else None),
        "failures_in_a_row": v.failures_in_a_row,
        "error": v.error,
    }


def check_report(name: str, result: CheckResult) -> dict[str, Any]:
    return {
        "file": name,
        "links": [check_entry(v) for v in result.verdicts],
        "summary": summary(result.verdicts),
        "requests": dict(result.requests),
    }


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

    def add(name: str, v: Judgement, detail: str) -> None:
        key = (name, v.link.url)
        if key not in seen:
            seen.add(key)
            getattr(g, name).append(Item(v.link.use_line, v.link.raw_url, detail))

    for v in result.verdicts:
        since = f" since {v.failing_since[:10]}" if v.failing_since else ""
        if v.verdict == Verdict.DEAD:
            # No run count here: the PR body must not change from run to run.
            add("dead", v, f"{v.error or 'failed'}, failing{since}")
        elif v.failing:
            add(
                "failing", v, f"{v.error or 'failed'} (failure {v.failures_in_a_row}, not dead yet)"
            )
        elif v.not_checked:
            add("not_checked", v, v.error or "not checked this run")
        elif v.verdict == Verdict.UNKNOWN:
            add("unknown", v, v.error or "could not tell")
        if v.verdict == Verdict.MOVED and v.moved_to:
            add("moved", v, f"now {v.moved_to}")
        if v.repo and v.repo.archived and v.verdict in (Verdict.ARCHIVED, Verdict.MOVED):
            when = f" on {v.repo.archived_at[:10]}" if v.repo.archived_at else ""
            add("archived", v, f"archived{when}")
        if v.new_version and v.paper:
            add("new_versions", v, f"v{v.previous_version} → v{v.paper.version} "
                                   f"({month(v.paper.updated)})")  # fmt: skip
        if v.link.target.problem:
            add("malformed", v, v.error or v.link.target.problem)
        if v.web and v.web.permanent_redirect and v.verdict != Verdict.DEAD:
            add("redirects", v, f"redirects permanently to {v.web.permanent_redirect}")
        ro = v.repo
        if ro and ro.stars is not None and v.stars_before:
            change = (ro.stars - v.stars_before) / v.stars_before
            if abs(change) >= star_change and format_stars(ro.stars) != format_stars(
                v.stars_before
            ):
                add("stars", v, f"★ {format_stars(v.stars_before)} → {format_stars(ro.stars)}")
    return g


def render_report(
    cfg: Config, name: str, result: CheckResult, template: str = "report.txt.j2"
) -> str:
    env = environment(cfg.templates)
    return env.get_template(template).render(
        file=name,
        limit=100,
        summary=summary(result.verdicts),
        counted=counted(result.counts),
        requests=result.requests,
        g=groups(result, cfg.status.star_change),
        notes=result.notes,
    )


def unified_diff(path: str, old: str, new: str) -> str:
    return "".join(
        difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                             fromfile=f"a/{path}", tofile=f"b/{path}")
    )  # fmt: skip


def counted(counts: dict[str, int]) -> str:
    """`114 repositories, 43 papers, 10 other links`: distinct targets per provider."""
    parts = [f"{counts[p.name]} {p.what}" for p in REGISTRY if counts.get(p.name)]
    return ", ".join(parts) or "nothing to check"
