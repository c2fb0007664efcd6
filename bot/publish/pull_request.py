"""The pull-request policy (Renovate's, made quiet): one branch rebuilt on the default branch,
one PR, opened or updated only for something a maintainer acts on.

- Actionable: a line whose status changes for a reason in `bot.render.display.ACTIONABLE`
  (newly dead, moved and fixed, archived, a new arXiv version, a first status, …). Its
  identity, the sorted (reason, link) pairs, is the PR's fingerprint.
- Drift (rounded counts, activity) never opens or updates a PR on its own: it rides along
  in a PR opened for another reason, or in a refresh once `[pr] refresh_after` days passed
  since the list last got one.
- An open PR with the same fingerprint is left alone (only rebuilt when the default branch
  moved); a new fingerprint updates it; nothing actionable left closes it (unless it is a
  refresh); a PR closed unmerged is not reopened for the same fingerprint; a commit that is
  not the bot's on its branch is never overwritten.
- The state has its own branch, so nothing learned is lost."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from dataclasses import dataclass
from datetime import datetime

from github.PullRequest import PullRequest

from bot.check.run import CheckResult
from bot.check.state import State
from bot.config import Config
from bot.publish.platform import MARKER, Platform, PublishOutcome, read_meta
from bot.publish.pr_text import Texts, render
from bot.render.display import Shown
from bot.render.report import unified_diff
from bot.render.rewrite import RewriteResult

log = logging.getLogger(__name__)
STATE_FILE = "state.json"  # on the state branch
REFRESHED = "refreshed"  # state.meta: when the list last got every drift (ISO date)


def save_state(platform: Platform, cfg: Config, state: State) -> None:
    branch = cfg.pr.state_branch
    head = platform.branch_head(branch)
    text = state.to_json()
    if head is not None and platform.read_file(STATE_FILE, ref=branch) == text:
        return
    platform.commit_files(branch, {STATE_FILE: text}, f"awesome-monitor state\n\n{MARKER}\n",
                          parent=head[0] if head else None, base_tree_of=None)  # fmt: skip


def fingerprint(rewritten: RewriteResult) -> str:
    """What the change is for a maintainer: each actionable change's reason, link, and
    what it shows that one acts on (dead, archived, the version; not counts or dates)."""
    facts = sorted({(e.reason, e.subject or str(e.line), Shown.read(e.text).actionable())
                    for e in rewritten.actionable})  # fmt: skip
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()[:16]


def refresh_due(state: State, days: int, now: str) -> bool:
    """Whether drift alone may now be proposed: `days` since the list last got it all."""
    last = state.meta.get(REFRESHED)
    if not days or not isinstance(last, str):
        return False
    try:
        a = datetime.fromisoformat(last.replace("Z", "+00:00"))
        b = datetime.fromisoformat(now.replace("Z", "+00:00"))
    except ValueError:
        return True
    return (b - a).days >= days


@dataclass
class Proposal:
    """What a run proposes for the list at `path`."""

    path: str
    old: str
    new: str
    result: CheckResult
    rewritten: RewriteResult

    @property
    def now(self) -> str:
        return self.result.state.updated or ""


def publish(platform: Platform, cfg: Config, p: Proposal, dry_run: bool) -> PublishOutcome:
    """Open, update, leave or close the bot's pull request (see the module docstring).
    Records in `p.result.state.meta` when the list got every drift."""
    branch = cfg.pr.branch
    rw = p.rewritten
    refresh = (
        not rw.actionable
        and rw.changed
        and refresh_due(p.result.state, cfg.pr.refresh_after, p.now)
    )
    wanted = bool(rw.actionable) or refresh
    fp = fingerprint(rw) if rw.actionable else f"refresh:{p.now[:10]}"
    meta = {"fingerprint": fp, "kind": "refresh" if refresh else "change"}
    texts = render(cfg, p.path, p.result, rw, platform.default, meta, refresh)
    if dry_run:
        _print_dry_run(texts, p, wanted)
        return PublishOutcome("none", detail="dry run: nothing written to GitHub")
    pr = platform.open_pull(branch)
    if not wanted:
        return _nothing_to_act_on(platform, pr, rw)
    head = platform.branch_head(branch)
    if head is not None and MARKER not in head[1]:
        return _blocked(platform, pr, branch, head[0])
    base = platform.base_sha()
    if pr is not None and read_meta(pr.body).get("fingerprint") == fp:
        if head is not None and head[2] == [base]:
            return PublishOutcome("unchanged", pr.number, pr.html_url, "nothing new to act on")
        platform.commit_files(branch, {p.path: p.new}, texts.message, parent=base,
                              base_tree_of=base)  # fmt: skip
        return PublishOutcome("rebased", pr.number, pr.html_url, "the default branch moved")
    if pr is None:
        declined = [c for c in platform.closed_unmerged(branch)
                    if read_meta(c.body).get("fingerprint") == fp]  # fmt: skip
        if declined:
            return PublishOutcome("skipped", declined[0].number, declined[0].html_url,
                               "the same change was closed without merging")  # fmt: skip
    platform.commit_files(branch, {p.path: p.new}, texts.message, parent=base, base_tree_of=base)
    p.result.state.meta[REFRESHED] = p.now
    if pr is None:
        pr = platform.create_pull(branch, texts.title, texts.body, cfg.pr.labels)
        return PublishOutcome("opened", pr.number, pr.html_url)
    platform.edit_pull(pr, texts.title, texts.body)
    return PublishOutcome("updated", pr.number, pr.html_url)


def _nothing_to_act_on(
    platform: Platform, pr: PullRequest | None, rw: RewriteResult
) -> PublishOutcome:
    drift = (
        f" ({_lines(len(rw.changed_lines))} of drift wait for the next change)"
        if rw.changed
        else ""
    )
    if pr is None:
        return PublishOutcome("none", detail="nothing to act on" + drift)
    if read_meta(pr.body).get("kind") == "refresh" and rw.changed:
        return PublishOutcome("unchanged", pr.number, pr.html_url, "a refresh, still pending")
    platform.comment(pr, "The change this pull request proposed is no longer needed (the list "
                         "already shows it, or the links recovered), so awesome-monitor closes "
                         "it.")  # fmt: skip
    platform.close_pull(pr)
    return PublishOutcome("closed", pr.number, pr.html_url, "nothing left to act on")


def _print_dry_run(texts: Texts, p: Proposal, wanted: bool) -> None:
    if not wanted:
        print(
            "no pull request: nothing to act on"
            + (" (drift only: it waits for the next change)" if p.rewritten.changed else "")
        )
        return
    diff = unified_diff(p.path, p.old, p.new) or "(no change)"
    print(f"title: {texts.title}\n\n{texts.body}\n{diff}")


def _blocked(platform: Platform, pr: PullRequest | None, branch: str, sha: str) -> PublishOutcome:
    """Someone pushed to the bot's branch: leave it alone, say so once."""
    note = (
        f"awesome-monitor did not update this pull request: commit {sha[:7]} on "
        f"`{branch}` is not the bot's, and the bot never overwrites other people's work. "
        "Merge or close this PR, or delete the branch, and the bot takes over again."
    )
    log.warning("branch %s has commits that are not the bot's; not overwriting them", branch)
    print(f"awesome-monitor: {branch} has a commit that is not the bot's ({sha[:7]}); "
          "left untouched", file=sys.stderr)  # fmt: skip
    if pr is not None:
        seen = any(sha[:7] in body for body in platform.comment_bodies(pr))
        if not seen:
            platform.comment(pr, note)
        return PublishOutcome("blocked", pr.number, pr.html_url, "a human commit is on the branch")
    return PublishOutcome("blocked", detail="a human commit is on the branch")


def _lines(n: int) -> str:
    return f"{n} line" if n == 1 else f"{n} lines"
