"""The pull-request policy (Renovate's, made quiet): one branch rebuilt on the default branch,
one PR, opened or updated only for something a maintainer acts on, and people's moves
followed.

- Actionable: a change whose reason is in `bot.render.display.ACTIONABLE` (newly dead,
  moved and fixed, archived, a new arXiv version, a first status, …). Each has an identity
  (`bot.render.rewrite.item_id`: reason, link, what it shows that one acts on); the sorted
  identities make the PR's fingerprint.
- Drift (rounded counts, activity) never opens or updates a PR on its own: it rides along
  in a PR opened for another reason, or in a refresh once `[pr] refresh_after` days passed
  since the list last got one.
- An open PR with the same fingerprint is left alone (only rebuilt when the default branch
  moved); a new fingerprint updates it; nothing actionable left closes it (unless it is a
  refresh).
- People: a PR closed unmerged declines its changes (`sync` says so, and the pipeline
  records them; the rewrite leaves them out until they change, so a later event gets a PR
  of its own); a commit that
  is not the bot's on its branch is never overwritten, and once its PR is closed or merged
  the bot goes on from a fresh branch (`awesome-monitor/status-2`, …), so the human commit
  stays with its PR.
- The state has its own branch (`bot.publish.state_branch`), so nothing learned is lost.
  Nothing here changes the history: `publish` says what it did (`PublishOutcome.memory`,
  `.refreshed`) and `bot.pipeline` keeps it."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from github.PullRequest import PullRequest

from bot.check.model import CheckResult
from bot.config import Config
from bot.errors import PublishError
from bot.publish.platform import MARKER, Platform, PublishOutcome
from bot.render.edits import words
from bot.render.meta import read_meta
from bot.render.pr_text import CLOSED_NOTE, FileLinks, Texts, blocked_note, render
from bot.render.report import unified_diff
from bot.render.rewrite import RewriteResult

log = logging.getLogger(__name__)
MAX_BRANCHES = 20  # fresh branches tried before giving up
WORDS_KEPT = 1_000  # changes of one PR whose words the history keeps, should it be declined


def fingerprint(items: list[str]) -> str:
    """What the change is for a maintainer: the identities of its actionable changes."""
    return hashlib.sha256(json.dumps(sorted(set(items))).encode()).hexdigest()[:16]


def sync(platform: Platform, memory: Mapping[str, Any]) -> str | None:
    """What became of the bot's last pull request (`memory`: what the history remembers of
    it) since the last run: "merged", "closed" (without merging, or its branch deleted:
    its changes are declined, whoever pushed to it), "gone", or None while it is open or
    when there is none."""
    number = memory.get("number")
    if not isinstance(number, int):
        return None
    pr = platform.get_pull(number)
    if pr is not None and pr.state == "open":
        return None
    if pr is None:
        return "gone"
    if not pr.merged:
        log.info("pull request #%d was closed unmerged: %d changes declined", number,
                 len(memory.get("items") or []))  # fmt: skip
    return "merged" if pr.merged else "closed"


@dataclass
class Proposal:
    """What a run proposes for the list at `path`."""

    path: str
    old: str
    new: str
    result: CheckResult
    rewritten: RewriteResult
    memory: Mapping[str, Any] = field(default_factory=dict)  # the history's of the last PR
    refresh_due: bool = False  # drift alone may be proposed now (`[pr] refresh_after`)

    @property
    def now(self) -> str:
        return self.result.state.updated or ""


def publish(platform: Platform, cfg: Config, p: Proposal, dry_run: bool) -> PublishOutcome:
    """Open, update, leave or close the bot's pull request (see the module docstring).
    The outcome's `memory` is what the state should remember of the pull request."""
    rw = p.rewritten
    refresh = not rw.actionable and rw.changed and p.refresh_due
    wanted = bool(rw.actionable) or refresh
    items = sorted({e.identity for e in rw.actionable})
    fp = fingerprint(items) if items else f"refresh:{p.now[:10]}"
    meta = {"fingerprint": fp, "kind": "refresh" if refresh else "change"}
    if dry_run:
        # No commit: `line N` leads to the base branch's file (the lines are the same).
        at = FileLinks(platform.html_url, platform.default, p.path, is_base=True)
        texts = render(cfg, p.path, p.result, rw, platform.default, meta, refresh, at, p.memory)
        _print_dry_run(texts, p, wanted)
        return PublishOutcome("none", detail="dry run: nothing written to GitHub")
    branch, pr, head = _branch(platform, cfg, p.memory.get("branch") or cfg.pr.branch)
    if not wanted:
        return _nothing_to_act_on(platform, pr, rw, branch, p.memory)
    if head is not None and MARKER not in head[1]:
        return _blocked(platform, pr, branch, head[0])
    # The title and the commit message; the body once the commit is made (it links it).
    texts = render(cfg, p.path, p.result, rw, platform.default, meta, refresh, before=p.memory)
    said = {e.identity: words(e.reason, e.subject, e.line, e.text) for e in rw.actionable}
    said = dict(list(said.items())[:WORDS_KEPT])  # bounded: the dashboard has the rest's
    remember = {
        "branch": branch,
        "items": items,
        "notes": rw.notes_after,
        "words": said,
        "listed": texts.listed,
    }
    base = platform.base_sha()
    if pr is not None and read_meta(pr.body).get("fingerprint") == fp:
        remember["number"] = pr.number
        remember["listed"] = p.memory.get("listed") or texts.listed  # its body is unchanged
        if head is not None and head[2] == [base]:
            return PublishOutcome("unchanged", pr.number, pr.html_url, "nothing new to act on",
                                  memory=remember)  # fmt: skip
        platform.commit_files(branch, {p.path: p.new}, texts.message, parent=base,
                              base_tree_of=base)  # fmt: skip
        return PublishOutcome("rebased", pr.number, pr.html_url, "the default branch moved",
                              memory=remember, refreshed=True)  # fmt: skip
    sha = platform.commit_files(branch, {p.path: p.new}, texts.message, parent=base,
                                base_tree_of=base)  # fmt: skip
    # The body's `line N` leads to the line in the pull request's own commit.
    at = FileLinks(platform.html_url, sha, p.path)
    texts = render(cfg, p.path, p.result, rw, platform.default, meta, refresh, at, p.memory)
    if pr is None:
        pr = platform.create_pull(branch, texts.title, texts.body, cfg.pr.labels)
        action = "opened"
    else:
        platform.edit_pull(pr, texts.title, texts.body)
        action = "updated"
    remember["number"] = pr.number
    return PublishOutcome(action, pr.number, pr.html_url, _declined(rw), memory=remember,
                          refreshed=True)  # fmt: skip


def _branch(
    platform: Platform, cfg: Config, branch: str
) -> tuple[str, PullRequest | None, tuple[str, str, list[str]] | None]:
    """The branch to work on, its open pull request and its head. A branch whose head is
    someone else's commit and whose pull request is closed or merged stays as it is (the
    commit stays with its PR): the bot goes on from a fresh one."""
    for _ in range(MAX_BRANCHES):
        pr = platform.open_pull(branch)
        head = platform.branch_head(branch)
        if pr is not None or head is None or MARKER in head[1]:
            return branch, pr, head
        log.info("%s holds a commit that is not the bot's and no open PR: going on from a "
                 "fresh branch", branch)  # fmt: skip
        branch = _next_branch(cfg.pr.branch, branch)
    raise PublishError(f"{MAX_BRANCHES} branches named {cfg.pr.branch}-N hold commits that are "
                       "not the bot's; delete the ones you no longer need")  # fmt: skip


def _next_branch(base: str, current: str) -> str:
    m = re.fullmatch(re.escape(base) + r"-(\d+)", current)
    return f"{base}-{int(m.group(1)) + 1 if m else 2}"


def _declined(rw: RewriteResult) -> str:
    n = sum(1 for h in rw.held if h.why == "declined")
    if not n:
        return ""
    return f"{n} change{'s' if n != 1 else ''} you declined before left out"


def _nothing_to_act_on(
    platform: Platform, pr: PullRequest | None, rw: RewriteResult, branch: str,
    memory: Mapping[str, Any],
) -> PublishOutcome:  # fmt: skip
    reasons = [
        f"{_lines(len(rw.changed_lines))} of drift wait for the next change" if rw.changed else "",
        _declined(rw),
    ]
    why = "; ".join(r for r in reasons if r)
    if pr is None:
        return PublishOutcome("none", detail="nothing to act on" + (f" ({why})" if why else ""),
                              memory=_kept(memory, branch))  # fmt: skip
    if read_meta(pr.body).get("kind") == "refresh" and rw.changed:
        return PublishOutcome("unchanged", pr.number, pr.html_url, "a refresh, still pending")
    platform.comment(pr, CLOSED_NOTE)
    platform.close_pull(pr)
    return PublishOutcome("closed", pr.number, pr.html_url, "nothing left to act on",
                          memory=_kept(memory, branch))  # fmt: skip


def _kept(memory: Mapping[str, Any], branch: str) -> dict[str, Any]:
    """What stays remembered once no pull request is open: the branch, and what the last
    body listed (a later pull request does not list it again)."""
    listed = memory.get("listed")
    return {"branch": branch, **({"listed": listed} if listed else {})}


def _print_dry_run(texts: Texts, p: Proposal, wanted: bool) -> None:
    if not wanted:
        declined = _declined(p.rewritten)
        print(
            "no pull request: nothing to act on"
            + (" (drift only: it waits for the next change)" if p.rewritten.changed else "")
            + (f" ({declined})" if declined else "")
        )
        return
    diff = unified_diff(p.path, p.old, p.new) or "(no change)"
    print(f"title: {texts.title}\n\n{texts.body}\n{diff}")


def _blocked(platform: Platform, pr: PullRequest | None, branch: str, sha: str) -> PublishOutcome:
    """Someone pushed to the bot's branch while its PR is open: leave it alone, say so once."""
    log.warning("branch %s has commits that are not the bot's; not overwriting them", branch)
    print(f"awesome-monitor: {branch} has a commit that is not the bot's ({sha[:7]}); "
          "left untouched", file=sys.stderr)  # fmt: skip
    if pr is not None:
        seen = any(sha[:7] in body for body in platform.comment_bodies(pr))
        if not seen:
            platform.comment(pr, blocked_note(sha, branch))
        return PublishOutcome("blocked", pr.number, pr.html_url, "a human commit is on the branch")
    return PublishOutcome("blocked", detail="a human commit is on the branch")


def _lines(n: int) -> str:
    return f"{n} line" if n == 1 else f"{n} lines"
