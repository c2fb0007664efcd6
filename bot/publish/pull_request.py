"""The pull-request policy (Renovate's): one branch rebuilt on the default branch's head,
one PR opened, updated or closed; never over a human's commit, never reopened for a change
that was declined. Also the state's own branch, so nothing learned is lost."""

from __future__ import annotations

import logging
import sys

from github.PullRequest import PullRequest

from bot.check.judge import summary
from bot.check.run import CheckResult
from bot.check.state import State
from bot.config import Config
from bot.publish.platform import MARKER, Platform, PullOutcome, fingerprint, meta_comment, read_meta
from bot.render.report import counted, groups, unified_diff
from bot.render.templating import environment

log = logging.getLogger(__name__)
STATE_FILE = "state.json"  # on the state branch


def save_state(platform: Platform, cfg: Config, state: State) -> None:
    branch = cfg.pr.state_branch
    head = platform.branch_head(branch)
    text = state.to_json()
    if head is not None and platform.read_file(STATE_FILE, ref=branch) == text:
        return
    platform.commit_files(branch, {STATE_FILE: text}, f"awesome-monitor state\n\n{MARKER}\n",
                          parent=head[0] if head else None, base_tree_of=None)  # fmt: skip


def _texts(
    cfg: Config, path: str, result: CheckResult, base: str, meta: dict[str, str]
) -> tuple[str, str, str]:
    env = environment(cfg.templates)
    ctx = {
        "path": path,
        "summary": summary(result.verdicts),
        "counted": counted(result.counts),
        "g": groups(result, cfg.status.star_change),
        "base": base,
        "limit": 50,
        "meta": meta_comment(meta),
    }
    title = env.get_template("pr_title.txt.j2").render(ctx).strip()
    body = env.get_template("pr_body.md.j2").render(ctx)
    message = env.get_template("commit.txt.j2").render(ctx)
    return title, body, message


def publish(
    platform: Platform, cfg: Config, path: str, old: str, new: str, result: CheckResult,
    dry_run: bool,
) -> PullOutcome:  # fmt: skip
    branch = cfg.pr.branch
    fp = fingerprint(old, new)
    title, body, message = _texts(cfg, path, result, platform.default, {"fingerprint": fp})
    if dry_run:
        print(f"title: {title}\n\n{body}\n{unified_diff(path, old, new) or '(no change)'}")
        return PullOutcome("none", detail="dry run: nothing written to GitHub")
    pr = platform.open_pull(branch)
    if new == old:
        if pr is None:
            return PullOutcome("none", detail="no change worth a pull request")
        platform.comment(pr, "The change this pull request proposed is no longer needed "
                             "(the list is up to date), so awesome-monitor closes it.")  # fmt: skip
        platform.close_pull(pr)
        return PullOutcome("closed", pr.number, pr.html_url, "the change disappeared")
    head = platform.branch_head(branch)
    if head is not None and MARKER not in head[1]:
        return _blocked(platform, pr, branch, head[0])
    if pr is None:
        declined = [p for p in platform.closed_unmerged(branch)
                    if read_meta(p.body).get("fingerprint") == fp]  # fmt: skip
        if declined:
            return PullOutcome("skipped", declined[0].number, declined[0].html_url,
                           "the same change was closed without merging")  # fmt: skip
    base = platform.base_sha()
    current = head is not None and head[2] == [base] and platform.read_file(path, branch) == new
    if not current:
        platform.commit_files(branch, {path: new}, message, parent=base, base_tree_of=base)
    if pr is None:
        pr = platform.create_pull(branch, title, body, cfg.pr.labels)
        return PullOutcome("opened", pr.number, pr.html_url)
    if pr.title != title or (pr.body or "") != body:
        platform.edit_pull(pr, title, body)
    elif current:
        return PullOutcome("unchanged", pr.number, pr.html_url)
    return PullOutcome("updated", pr.number, pr.html_url)


def _blocked(platform: Platform, pr: PullRequest | None, branch: str, sha: str) -> PullOutcome:
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
        return PullOutcome("blocked", pr.number, pr.html_url, "a human commit is on the branch")
    return PullOutcome("blocked", detail="a human commit is on the branch")
