"""The dashboard issue (Renovate's Dependency Dashboard, for links): one rolling issue per
list for maintainers who do not want pull requests.

- Found by the hidden metadata in its body (`kind: dashboard` and the list's path) among
  the open issues, whoever opened it; if there are several, the oldest is kept and the
  others are closed as duplicates (with a comment that says so, and without the marker).
  Never a second one.
- Its body lists the durable findings (dead, moved, archived, stale, malformed), each with
  its line and a checkbox, plus a short "not checked this run" section; failing-not-dead
  and unknown links are not findings. The body is a function of the findings (no run
  date, no run count), so an unchanged run sends nothing; a box a maintainer ticked stays
  ticked while its link stays in its section.
- Nothing left: a comment, then closed (completed) with a body that says so. A closed
  dashboard is reopened (as Renovate reopens its own) when a finding turns up that its
  body did not show: so one the bot closed comes back with the next finding, and one a
  maintainer closed over findings stays closed until a new one appears.
- Only the issue: the list is never rewritten."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from github.Issue import Issue

from bot.check.model import CheckResult
from bot.config import Config
from bot.publish.platform import META_RE, Platform, PublishOutcome, meta_comment, read_meta
from bot.render.fit import BODY, clip_title, fit
from bot.render.groups import Groups, groups, tally
from bot.render.report import counted
from bot.render.templating import environment, inline_code

KIND = "dashboard"
# Sections in reading order, with their heading (the template writes it, the parser of an
# old body reads it back to keep ticks).
HEADINGS = {
    "dead": "Dead links",
    "moved": "Moved repositories",
    "archived": "Archived repositories",
    "stale": "Stale repositories",
    "malformed": "Malformed links",
    "not_checked": "Not checked this run",
}
FINDINGS = ("dead", "moved", "archived", "stale", "malformed")  # what keeps it open
SHOWN = {"not_checked": 10}  # most items shown per section (else 50), fewer to fit
# What gives way first when the body would pass GitHub's 65,536 characters.
CUTS = (
    ("not_checked", 0), ("stale", 0), ("malformed", 20), ("archived", 20), ("moved", 20),
    ("dead", 20), ("malformed", 0), ("archived", 0), ("moved", 0), ("dead", 0),
)  # fmt: skip

_HEADING = re.compile(r"^#{1,6}\s+(.+?)(?:\s+\(\d+\))?\s*$")
_ITEM = re.compile(r"^\s*[-*+]\s+\[([ xX])\]\s.*?`([^`]*)`")

CLOSE_NOTE = (
    "Nothing is left to act on: every link this issue listed is fixed, gone from the list, "
    "or recovered. awesome-monitor closes it, and reopens it when something new turns up."
)


def duplicate_note(kept: int) -> str:
    return (
        f"Duplicate of #{kept}: awesome-monitor keeps one dashboard issue per list (the "
        "oldest), so it closes this one. Nothing is lost: #"
        f"{kept} lists the same links."
    )


@dataclass
class Texts:
    title: str
    body: str
    shown: set[tuple[str, str]]  # (section, url) of every finding the body lists


def is_dashboard(body: str | None, path: str) -> bool:
    meta = read_meta(body)
    return meta.get("kind") == KIND and meta.get("path", path) == path


def listed(body: str | None, ticked_only: bool = False) -> set[tuple[str, str]]:
    """(section, url as the code filter wrote it) of the checkbox items of a body."""
    by_title = {title: key for key, title in HEADINGS.items()}
    section, out = "", set()
    for line in normalized(body).splitlines():
        heading = _HEADING.match(line)
        if heading:
            section = by_title.get(heading.group(1).strip(), "")
            continue
        item = _ITEM.match(line)
        if item and section and (item.group(1) != " " or not ticked_only):
            out.add((section, item.group(2)))
    return out


def normalized(body: str | None) -> str:
    """A body as compared: GitHub's web editor saves CRLF line endings."""
    return (body or "").replace("\r\n", "\n").rstrip()


def render(
    cfg: Config,
    path: str,
    result: CheckResult,
    g: Groups,
    base: str,
    ticked: set[tuple[str, str]],
    clean: bool,
) -> Texts:
    env = environment(cfg.templates)

    def is_ticked(key: str, url: str) -> bool:
        return (key, inline_code(url)) in ticked

    ctx: dict[str, Any] = {
        "path": path,
        "base": base,
        "g": g,
        "summary": tally(result, g),
        "counted": counted(result.counts),
        "headings": HEADINGS,
        "ticked": is_ticked,
        "clean": clean,
        "stale_after": cfg.status.stale_after,
        "meta": meta_comment({"kind": KIND, "path": path}),
    }
    title = clip_title(env.get_template("issue_title.txt.j2").render(ctx).strip())
    template = env.get_template("issue_body.md.j2")
    totals = {key: min(len(getattr(g, key)), SHOWN.get(key, 50)) for key in HEADINGS}
    body, most = fit(lambda shown: template.render({**ctx, "shown": shown}), totals, CUTS, BODY)
    shown = set() if clean else {
        (key, inline_code(i.url)) for key in FINDINGS for i in getattr(g, key)[: most[key]]
    }  # fmt: skip
    return Texts(title, body, shown)


def publish(
    platform: Platform, cfg: Config, path: str, result: CheckResult, dry_run: bool
) -> PublishOutcome:
    """Open, update, leave, close or reopen the list's dashboard issue (module docstring)."""
    g = groups(result, cfg.status.stale_after)
    wanted = any(getattr(g, key) for key in FINDINGS)
    found = platform.find_issues("open", _ours(path))
    current, duplicates = (found[0], found[1:]) if found else (None, [])
    closed = None
    if current is None and wanted:
        # The last dashboard closed, among the bot's labelled issues recently updated.
        last = platform.find_issues("closed", _ours(path), cfg.pr.labels, newest_first=True,
                                    scan=100)  # fmt: skip
        closed = last[0] if last else None
    previous = current or closed
    old = previous.body if previous else None
    texts = render(cfg, path, result, g, platform.default, listed(old, ticked_only=True),
                   clean=not wanted)  # fmt: skip
    action = _decide(current, closed, texts, wanted)
    if dry_run:
        _print_dry_run(texts, action, previous, duplicates)
        return PublishOutcome("none", detail="dry run: nothing written to GitHub")
    kept = current.number if current else None
    for dup in duplicates:
        platform.comment_issue(dup, duplicate_note(kept or 0))
        # Without its hidden marker it is never taken for the dashboard again.
        platform.close_issue(dup, reason="not_planned", body=META_RE.sub("", dup.body or ""))
        print(f"awesome-monitor: closed #{dup.number}, a second dashboard issue for {path} "
              f"(#{kept} is kept: the oldest)", file=sys.stderr)  # fmt: skip
    return _apply(platform, cfg, action, previous, texts)


def _ours(path: str) -> Callable[[Issue], bool]:
    return lambda issue: is_dashboard(issue.body, path)


def _same(issue: Issue, texts: Texts) -> bool:
    return issue.title == texts.title and normalized(issue.body) == normalized(texts.body)


def _decide(current: Issue | None, closed: Issue | None, texts: Texts, wanted: bool) -> str:
    if current is not None:
        if not wanted:
            return "close"
        return "leave" if _same(current, texts) else "update"
    if not wanted:
        return "none"
    if closed is None:
        return "open"
    return "reopen" if texts.shown - listed(closed.body) else "dismissed"


def _apply(
    platform: Platform, cfg: Config, action: str, issue: Issue | None, texts: Texts
) -> PublishOutcome:
    if action == "none":
        return PublishOutcome("none", detail="nothing to act on")
    if action == "open":
        new = platform.create_issue(texts.title, texts.body, cfg.pr.labels)
        return PublishOutcome("opened", new.number, new.html_url)
    assert issue is not None
    where = {"number": issue.number, "url": issue.html_url}
    if action == "leave":
        return PublishOutcome("unchanged", **where, detail="nothing new")
    if action == "dismissed":
        return PublishOutcome("dismissed", **where, detail="closed by a maintainer; it comes back "
                       "for a new finding only")  # fmt: skip
    fields: dict[str, Any] = {"title": texts.title, "body": texts.body}
    have = [label.name for label in issue.labels]
    if set(cfg.pr.labels) - set(have):  # an adopted issue: the label finds it once closed
        fields["labels"] = have + [x for x in cfg.pr.labels if x not in have]
    if action == "close":
        platform.comment_issue(issue, CLOSE_NOTE)
        platform.close_issue(issue, reason="completed", **fields)
        return PublishOutcome("closed", **where, detail="nothing left to act on")
    if action == "reopen":
        platform.edit_issue(issue, state="open", **fields)
        return PublishOutcome("reopened", **where, detail="a new finding")
    platform.edit_issue(issue, **fields)
    return PublishOutcome("updated", **where)


WOULD = {
    "none": "no issue: nothing to act on",
    "open": "would open the dashboard issue",
    "leave": "would leave #{n} as it is (nothing new)",
    "update": "would update #{n}",
    "close": "would close #{n} (nothing left to act on)",
    "reopen": "would reopen #{n} (a new finding)",
    "dismissed": "would leave #{n} closed (closed by a maintainer; nothing new)",
}


def _print_dry_run(texts: Texts, action: str, issue: Issue | None, duplicates: list[Issue]) -> None:
    n = issue.number if issue else 0
    if action != "none":
        print(f"title: {texts.title}\n\n{texts.body}")
    for dup in duplicates:
        print(f"would close #{dup.number}, a duplicate of #{n}")
    print(WOULD[action].format(n=n))
