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

import sys
from collections.abc import Callable
from typing import Any

from github.Issue import Issue

from bot.check.model import CheckResult
from bot.config import Config
from bot.publish.platform import REDIRECT, Platform, PublishOutcome
from bot.render.dashboard_text import (
    CLOSE_NOTE,
    FINDINGS,
    WOULD,
    Texts,
    duplicate_note,
    is_dashboard,
    listed,
    normalized,
    render,
)
from bot.render.groups import groups
from bot.render.meta import META_RE
from bot.render.quiet_links import quiet


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
    """Compared as written (`Platform.quiet`, with github.com's redirect either way)."""
    return issue.title == texts.title and _written(issue.body) == _written(texts.body)


def _written(body: str | None) -> str:
    return normalized(quiet(body or "", REDIRECT))


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


def _print_dry_run(texts: Texts, action: str, issue: Issue | None, duplicates: list[Issue]) -> None:
    n = issue.number if issue else 0
    if action != "none":
        print(f"title: {texts.title}\n\n{texts.body}")
    for dup in duplicates:
        print(f"would close #{dup.number}, a duplicate of #{n}")
    print(WOULD[action].format(n=n))
