"""The dashboard issue (Renovate's Dependency Dashboard, for links): one rolling issue per
list for maintainers who do not want pull requests.

- Found by the hidden metadata in its body (`kind: dashboard` and the list's path) among
  the open issues, whoever opened it; if there are several, the oldest is kept and the
  others are closed as duplicates (with a comment that says so, and without the marker).
  Never a second one.
- Its body links the bot's open pull request and lists the durable findings (dead, moved,
  archived, stale, malformed) with their lines, plus a short "not checked this run"
  section; failing-not-dead and unknown links are not findings. The body is a function of
  the findings (no run date, no run count), so an unchanged run sends nothing.
- Its boxes act (`bot.render.boxes`): a dead, moved or archived link's box, once ticked,
  has the next `pr` run propose its disable comment (`asks` reads them, one request), and
  stays ticked while the link is listed; "check now" runs the workflow at once (its
  `on: issues` trigger), and every rewrite unticks it; a declined change's box has the
  next run propose it again.
- Nothing left: a comment, then closed (completed) with a body that says so. A closed
  dashboard is reopened (as Renovate reopens its own) when a finding turns up that its
  body did not show: so one the bot closed comes back with the next finding, and one a
  maintainer closed over findings stays closed until a new one appears.
- Only the issue: the list is never rewritten."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from github.Issue import Issue

from bot.check.model import CheckResult
from bot.config import Config
from bot.publish.platform import Platform, PublishOutcome
from bot.render import boxes
from bot.render.boxes import Asks
from bot.render.dashboard_acts import Acts
from bot.render.dashboard_text import (
    CLOSE_NOTE,
    FINDINGS,
    KIND,
    WOULD,
    Texts,
    duplicate_note,
    is_dashboard,
    listed,
    normalized,
    render,
)
from bot.render.groups import groups
from bot.render.meta import META_RE, read_meta


def asks(platform: Platform, record: Mapping[str, Any]) -> Asks | None:
    """What the ticked boxes of the list's dashboard ask (`record`: what the history knows
    of it), read with one request, and only when there is a dashboard; None when there is
    none open."""
    number = record.get("number")
    if not isinstance(number, int):
        return None
    issue = platform.get_issue(number)
    if issue is None or issue.state != "open" or read_meta(issue.body).get("kind") != KIND:
        return None
    return boxes.asks(issue.body)


def publish(
    platform: Platform,
    cfg: Config,
    path: str,
    result: CheckResult,
    dry_run: bool,
    acts: Acts | None = None,
) -> PublishOutcome:
    """Open, update, leave, close or reopen the list's dashboard issue (module docstring).
    `acts`: the open pull request and the declined changes; the boxes ticked before are
    read from the issue's body."""
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
    acts = replace(acts or Acts(), silence=boxes.asks(old).silence)
    texts = render(cfg, path, result, g, platform.default, acts, clean=not wanted)
    action = _decide(current, closed, texts, wanted, platform.quiet)
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


def _same(issue: Issue, texts: Texts, written: Callable[[str], str]) -> bool:
    """Compared as the platform writes it (`Platform.quiet`)."""
    body = normalized(issue.body or "")
    return issue.title == texts.title and body == normalized(written(texts.body))


def _decide(current: Issue | None, closed: Issue | None, texts: Texts, wanted: bool,
            written: Callable[[str], str]) -> str:  # fmt: skip
    if current is not None:
        if not wanted:
            return "close"
        return "leave" if _same(current, texts, written) else "update"
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
