"""`awesome-monitor pr --repo OWNER/NAME [--path README.md] [--dry-run]`: read the list
and the state from the repository, check, rewrite, then open, update or close the
bot's one pull request, and write the state back to its own branch."""

from __future__ import annotations

import argparse
import difflib
import logging
import sys
from collections.abc import Callable

import requests

from bot import config as config_mod
from bot import state as state_mod
from bot.check import Endpoints
from bot.files import InputError
from bot.judge import summary
from bot.pipeline import evaluate
from bot.publish import (
    MARKER,
    Outcome,
    Platform,
    PublishError,
    fingerprint,
    meta_comment,
    read_meta,
)
from bot.render import environment, groups
from bot.runtime import EXIT_INCOMPLETE, exit_code, http_settings, progress_ticker

log = logging.getLogger("awesome_monitor")
STATE_FILE = "state.json"


def add_pr_command(sub: argparse._SubParsersAction, common: Callable) -> None:
    p = sub.add_parser("pr", help="check a list in a GitHub repository and open or update one PR")
    p.add_argument("--repo", required=True, metavar="OWNER/NAME")
    p.add_argument("--path", help="the list's path in the repository (default: README.md)")
    p.add_argument("--dry-run", action="store_true", help="print title, body and diff only")
    p.add_argument("--fail-on-dead", action="store_true", help="exit 1 when links are dead")
    common(p)
    p.set_defaults(run=cmd_pr)


def unified_diff(path: str, old: str, new: str) -> str:
    return "".join(
        difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                             fromfile=f"a/{path}", tofile=f"b/{path}")
    )  # fmt: skip


def cmd_pr(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config)
    if "/" not in args.repo.strip("/"):
        raise InputError(f"--repo must be OWNER/NAME, not {args.repo!r}")
    path = args.path or cfg.pr.path
    endpoints = Endpoints.resolve(cfg, args.github_api_url, args.github_graphql_url,
                                  args.arxiv_api_url)  # fmt: skip
    if not endpoints.token:
        raise InputError("pr needs a token: set GITHUB_TOKEN (or GH_TOKEN)")
    dead_after = args.dead_after or cfg.check.dead_after
    platform: Platform | None = None
    try:
        platform = Platform(endpoints.github_api, endpoints.token, args.repo, cfg.check.timeout,
                            cfg.pr.write_interval)  # fmt: skip
        text = platform.read_file(path)
        if text is None:
            raise InputError(f"{path}: not found on {args.repo}@{platform.default}")
        state_text = platform.read_file(STATE_FILE, ref=cfg.pr.state_branch)
        state = (state_mod.from_json(state_text, f"{cfg.pr.state_branch}:{STATE_FILE}")
                 if state_text else state_mod.State())  # fmt: skip
        with progress_ticker(args.quiet) as ticker:
            ev = evaluate(text, cfg, endpoints, state, dead_after, http_settings(cfg, args), ticker)
        result = ev.result
        if not args.dry_run:
            # Saved first: a run that fails later keeps what it learned.
            _save_state(platform, cfg, result.state)
        if result.incomplete:
            return exit_code(result, False)
        outcome = _publish(platform, cfg, path, text, ev, args.dry_run)
        if not args.quiet:
            print(f"pull request: {outcome.action}"
                  + (f" #{outcome.number}" if outcome.number else "")
                  + (f" ({outcome.url})" if outcome.url else "")
                  + (f": {outcome.detail}" if outcome.detail else ""))  # fmt: skip
        return exit_code(result, args.fail_on_dead)
    except state_mod.StateError as exc:
        raise InputError(str(exc)) from None
    except PublishError as exc:
        print(f"awesome-monitor: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    except requests.RequestException as exc:
        return _unreachable(exc)
    finally:
        if platform is not None:
            platform.close()


def _unreachable(exc: requests.RequestException) -> int:
    """A transport error while talking to GitHub (connection lost, PyGithub's retries of
    a 5xx spent): exit 3, never a traceback. The type only: no URL, no headers."""
    print(f"awesome-monitor: GitHub could not be reached or kept failing "
          f"({type(exc).__name__}); nothing more was written, the next run picks up",
          file=sys.stderr)  # fmt: skip
    return EXIT_INCOMPLETE


def _save_state(platform: Platform, cfg: config_mod.Config, state: state_mod.State) -> None:
    branch = cfg.pr.state_branch
    head = platform.branch_head(branch)
    text = state.to_json()
    if head is not None and platform.read_file(STATE_FILE, ref=branch) == text:
        return
    platform.commit_files(branch, {STATE_FILE: text}, f"awesome-monitor state\n\n{MARKER}\n",
                          parent=head[0] if head else None, base_tree_of=None)  # fmt: skip


def _texts(cfg, path, ev, base: str, meta: dict[str, str]) -> tuple[str, str, str]:
    env = environment(cfg.templates)
    ctx = {
        "path": path,
        "summary": summary(ev.result.verdicts),
        "counts": ev.result.counts,
        "g": groups(ev.result, cfg.status.star_change),
        "base": base,
        "limit": 50,
        "meta": meta_comment(meta),
    }
    title = env.get_template("pr_title.txt.j2").render(ctx).strip()
    body = env.get_template("pr_body.md.j2").render(ctx)
    message = env.get_template("commit.txt.j2").render(ctx)
    return title, body, message


def _publish(platform: Platform, cfg, path: str, old: str, ev, dry_run: bool) -> Outcome:
    new = ev.text
    branch = cfg.pr.branch
    fp = fingerprint(old, new)
    title, body, message = _texts(cfg, path, ev, platform.default, {"fingerprint": fp})
    if dry_run:
        print(f"title: {title}\n\n{body}\n{unified_diff(path, old, new) or '(no change)'}")
        return Outcome("none", detail="dry run: nothing written to GitHub")
    pr = platform.open_pull(branch)
    if new == old:
        if pr is None:
            return Outcome("none", detail="no change worth a pull request")
        platform.comment(pr, "The change this pull request proposed is no longer needed "
                             "(the list is up to date), so awesome-monitor closes it.")  # fmt: skip
        pr.edit(state="closed")
        return Outcome("closed", pr.number, pr.html_url, "the change disappeared")
    head = platform.branch_head(branch)
    if head is not None and MARKER not in head[1]:
        return _blocked(platform, pr, branch, head[0])
    if pr is None:
        declined = [p for p in platform.closed_unmerged(branch)
                    if read_meta(p.body).get("fingerprint") == fp]  # fmt: skip
        if declined:
            return Outcome("skipped", declined[0].number, declined[0].html_url,
                           "the same change was closed without merging")  # fmt: skip
    base = platform.base_sha()
    current = head is not None and head[2] == [base] and platform.read_file(path, branch) == new
    if not current:
        platform.commit_files(branch, {path: new}, message, parent=base, base_tree_of=base)
    if pr is None:
        pr = platform.create_pull(branch, title, body, cfg.pr.labels)
        return Outcome("opened", pr.number, pr.html_url)
    if pr.title != title or (pr.body or "") != body:
        pr.edit(title=title, body=body)
    elif current:
        return Outcome("unchanged", pr.number, pr.html_url)
    return Outcome("updated", pr.number, pr.html_url)


def _blocked(platform: Platform, pr, branch: str, sha: str) -> Outcome:
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
        seen = any(sha[:7] in (c.body or "") for c in pr.get_issue_comments())
        if not seen:
            platform.comment(pr, note)
        return Outcome("blocked", pr.number, pr.html_url, "a human commit is on the branch")
    return Outcome("blocked", detail="a human commit is on the branch")
