"""The words of the pull request: title, body and commit message, from templates, with
every changed line listed under the reason it changed (a check's finding), and on the first
pull request the legend of what the bot writes and how to turn each part off; and what the
bot says on its pull request when it closes it or leaves it alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from bot.check.model import CheckResult
from bot.config import Config
from bot.render.fit import BODY, clip_title, fit
from bot.render.groups import Item, groups, tally
from bot.render.meta import meta_comment
from bot.render.report import counted
from bot.render.rewrite import Edit, RewriteResult
from bot.render.silence import MARK
from bot.render.templating import environment

# Reasons in the order a maintainer reads them, with their heading.
REASONS = {
    "dead": "Newly dead",
    "moved": "Moved (the link is fixed)",
    "archived": "Newly archived",
    "new version": "New paper versions",
    "withdrawn": "Withdrawn papers",
    "revived": "Back alive (the dead flag is removed)",
    "unarchived": "No longer archived",
    "silenced": "Silenced at your request (ticked on the dashboard; every link of the line)",
    "new": "First status",
    "drift": "Riding along: rounded counts and activity that moved",
    "removed": "Notes removed (the link no longer has one)",
    "layout": "Layout (the bot's own column and notes)",
}


@dataclass
class Change:
    line: int
    subject: str
    text: str


@dataclass(frozen=True)
class FileLinks:
    """Where `line N` leads: the list's file at `ref` in the repository at `repo` (its web
    address, as GitHub gives it). The pull request's head commit; in a dry run, which has
    none, the base branch (`is_base`): the rewrite keeps every line where it was."""

    repo: str
    ref: str
    path: str
    is_base: bool = False

    @property
    def url(self) -> str:
        return f"{self.repo.rstrip('/')}/blob/{quote(self.ref, safe='/')}/{quote(self.path)}"


@dataclass
class Texts:
    title: str
    body: str
    message: str
    listed: list[str] = field(default_factory=list)  # the sections' items, for the next PR


def changes(rewritten: RewriteResult) -> dict[str, list[Change]]:
    """The changed lines by reason: one entry per line and subject (a URL edit and the
    same URL repeated in the link text are one change)."""
    out: dict[str, list[Change]] = {r: [] for r in REASONS}
    seen: set[tuple[str, int, str]] = set()
    for e in sorted(rewritten.edits, key=lambda e: (e.line, e.start)):
        key = (e.reason, e.line, e.subject)
        if key in seen or (e.kind == "cell" and not e.subject):
            continue  # a table's header and delimiter: said in the introduction
        seen.add(key)
        out.setdefault(e.reason, []).append(Change(e.line, e.subject, _shown(e)))
    return {r: items for r, items in out.items() if items}


def _shown(e: Edit) -> str:
    return e.text if e.kind in ("cell", "note", "comment") else f"now {e.text}"


SECTIONS = ("dead", "moved", "archived", "new_versions")  # the items a maintainer acts on
SECTION_OF = {"dead": "dead", "moved": "moved", "archived": "archived",
              "new version": "new_versions"}  # fmt: skip


def render(
    cfg: Config,
    path: str,
    result: CheckResult,
    rewritten: RewriteResult,
    base: str,
    meta: dict[str, str],
    refresh: bool = False,
    file: FileLinks | None = None,
    before: Mapping[str, Any] | None = None,
) -> Texts:
    """The title, the commit message, and (with `file`, where `line N` leads) the body.
    `before`: what the history remembers of the last pull request (`listed`, the items its
    body listed). The sections (and the title) list what this pull request proposes (a
    change of its own for that link, or for that table row and reason) and what no earlier
    body listed; the rest stays from before (merged, declined, or said already), in one
    line. An updated pull request thus lists all it proposes; the next one, what is new."""
    env = environment(cfg.templates)
    g = groups(result, cfg.status.stale_after)
    by_reason = changes(rewritten)
    first = rewritten.new_columns > 0 or len(by_reason.get("new", [])) > 10
    newly_stale = [Change(e.line, e.subject, e.text) for e in rewritten.edits
                   if "stale since" in e.text and "stale since" not in e.before]  # fmt: skip
    before = before or {}
    listed_before = set(before.get("listed") or [])
    # What it proposes for a section: a change for that reason (or a first status).
    why = [(e, SECTION_OF.get(e.reason, "*" if e.reason == "new" else "")) for e in
           rewritten.actionable]  # fmt: skip
    proposed = {(e.subject, key) for e, key in why} | {(e.line, key) for e, key in why}

    def shown(key: str, i: Item) -> bool:
        if f"{key}:{i.url}" not in listed_before:
            return True
        return bool({(i.url, key), (i.url, "*"), (i.line, key), (i.line, "*")} & proposed)

    sections = {k: [i for i in getattr(g, k) if shown(k, i)] for k in SECTIONS}
    stays = {k: len(getattr(g, k)) - len(sections[k]) for k in SECTIONS}
    shown_stale = [] if first else newly_stale
    # A change is listed once: a section's item covers its link's changes, and a table
    # row's cell changed for the same reason on that line.
    covered = {i.url for items in sections.values() for i in items}
    covered_lines = {(c.line, c.subject) for c in shown_stale}
    covered_rows = {(i.line, k) for k, items in sections.items() for i in items}
    by_line: dict[str, list[Change]] = {}
    in_sections = 0
    for reason, items in by_reason.items():
        for c in items:
            row = (c.line, SECTION_OF.get(reason, ""))
            if c.subject in covered or (c.line, c.subject) in covered_lines or row in covered_rows:
                in_sections += 1
            else:
                by_line.setdefault(reason, []).append(c)
    ctx: dict[str, Any] = {
        "path": path,
        "summary": tally(result, g),
        "counted": counted(result.counts),
        "g": g,
        "sections": sections,
        "stays": stays,
        "proposing": {k: len(sections[k]) for k in SECTIONS},  # the title's counts
        "in_sections": in_sections,
        "changes": by_line,
        "newly_stale": shown_stale,
        "headings": REASONS,
        "first": first,
        "disable": MARK,
        "refresh": refresh,
        "added": {
            "tables": rewritten.new_columns,
            "rows": rewritten.rows,
            "notes": rewritten.notes,
        },  # fmt: skip
        "notices": rewritten.notices,
        "column": cfg.status.column,
        "base": base,
        "file": file,
        "meta": meta_comment(meta),
    }
    totals = {
        **{key: len(sections[key]) for key in SECTIONS},
        "malformed": len(g.malformed),
        "stale": len(shown_stale),
        "changes": sum(len(items) for items in by_line.values()),
    }
    ctx["totals"] = totals
    body = ""
    if file is not None:
        template = env.get_template("pr_body.md.j2")
        body, _ = fit(lambda shown: template.render({**ctx, "shown": shown}), totals, CUTS, BODY)
    title = clip_title(env.get_template("pr_title.txt.j2").render(ctx).strip())
    message = env.get_template("commit.txt.j2").render({**ctx, "shown": totals})
    listed = sorted(f"{k}:{i.url}" for k in SECTIONS for i in getattr(g, k))
    return Texts(title, body, message, listed)


# What gives way first when a body would be too long: the line-by-line list (the diff has
# it all), then the rest down to 20 items each, the least pressing first, then to none.
CUTS = (
    ("changes", 0), ("stale", 0), ("malformed", 0),
    ("new_versions", 20), ("archived", 20), ("moved", 20), ("dead", 20),
    ("new_versions", 0), ("archived", 0), ("moved", 0), ("dead", 0),
)  # fmt: skip


CLOSED_NOTE = (
    "The change this pull request proposed is no longer needed (the list already shows it, "
    "or the links recovered), so awesome-monitor closes it."
)


def blocked_note(sha: str, branch: str) -> str:
    """Said once on a pull request whose branch holds someone else's commit."""
    return (
        f"awesome-monitor did not update this pull request: commit {sha[:7]} on "
        f"`{branch}` is not the bot's, and the bot never overwrites other people's work. "
        "Merge this PR, or close it (its changes are then declined: none is proposed again "
        "until it changes), and the bot takes over again from a fresh branch; your commit "
        "stays with this PR."
    )
