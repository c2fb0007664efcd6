"""`awesome-monitor review [FILE] [--base REF]`: check the links a change adds to a list, before
it is merged. The base comes from git (`bot.cli.gitbase`); in GitHub Actions on a
`pull_request` event it is `origin/$GITHUB_BASE_REF`, the annotations go on the pull
request's changed lines, the review goes to the job summary, and, when the token may write,
to the pull request's one review comment.

Exit 1 when a new link has a finding named in `[review] fail_on` (by default: failing now,
or a duplicate), so the check can be required; 3 when the check could not complete (then
no annotation and no comment: half an answer)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from pathlib import Path
from typing import TextIO

from bot import config as config_mod
from bot.check.providers.github_api import token
from bot.check.stop import Stop
from bot.cli import configfile, gitbase
from bot.cli.output import progress_ticker
from bot.cli.parser import config_overrides
from bot.cli.remote import platform_for
from bot.cli.signals import interrupted
from bot.errors import EXIT_DEAD, EXIT_OK, IncompleteError, InputError
from bot.files import STDOUT, check_writable, read_markdown, write_output
from bot.publish import actions, review_comment
from bot.render.fit import COMMENT, SUMMARY
from bot.render.outputs import annotation_lines
from bot.render.report import json_chunks
from bot.render.review import Review
from bot.render.review_text import review_markdown, review_report, review_text
from bot.review import review

_PULL_REF = re.compile(r"^refs/pull/(\d+)/(?:merge|head)$")


def run(args: argparse.Namespace, stop: Stop) -> int:
    """With `--json -` the report is standard output, and everything else goes to stderr."""
    to_stdout = args.json is not None and str(args.json) == STDOUT
    data = sys.stdout
    with contextlib.redirect_stdout(sys.stderr) if to_stdout else contextlib.nullcontext():
        return _run(args, stop, data)


def _run(args: argparse.Namespace, stop: Stop, data: TextIO) -> int:
    given = read_markdown(args.file) if args.file is not None else None  # said first if bad
    if args.json is not None:
        check_writable(args.json, "JSON report")
    ref = args.base or _actions_base()
    if not ref:
        raise InputError(
            "review needs a base to compare with: --base REF (a branch, tag or commit); "
            "GitHub Actions sets GITHUB_BASE_REF for pull requests"
        )
    base = gitbase.base_commit(args.file.resolve().parent if args.file else Path.cwd(), ref)
    cfg = _config(args, base)
    path = cfg.list_path(args.file)
    head_text = given if given is not None and path == args.file else read_markdown(path)
    base_text = base.read(path) or ""  # a list the base does not have: every link is new
    with (
        actions.LazyGroup("Checking the new links") as fold,
        progress_ticker(args.quiet, fold.open) as ticker,
    ):
        rv = review(base.path_of(path), base.name, base_text, head_text, cfg, ticker, stop=stop)
    result = rv.result
    if result is not None and result.interrupted:
        raise interrupted(stop, result, "nothing written")
    if args.json:
        write_output(args.json, json_chunks(review_report(rv)), "JSON report", data)
    if not args.quiet:
        print(review_text(rv, cfg), end="")
    if result is not None and result.incomplete:
        raise IncompleteError(f"review incomplete: {result.incomplete_reason}; nothing was "
                              "annotated or commented for it")  # fmt: skip
    found = [(r.level, r.line, f"{r.url}: {r.detail}") for r in rv.blocking + rv.warnings]
    if actions.active():
        actions.annotations(annotation_lines(cfg, rv.file, found, "new links with findings"))
    actions.step_summary(review_markdown(rv, cfg, SUMMARY))
    _comment(args, cfg, rv, path, stop)
    return EXIT_DEAD if rv.blocking else EXIT_OK  # 1: something blocking (a required check)


def _config(args: argparse.Namespace, base: gitbase.BaseCommit) -> config_mod.Config:
    """The config as the base has it: a pull request cannot change the rules it is judged
    by, where the token is sent, or the templates (which would run as code). A `--config`
    outside the checkout is the workflow's own, read as it is."""
    overrides = config_overrides(args)
    if args.config is not None and not base.inside(args.config):
        return configfile.load(args.config, overrides)
    names = [args.config] if args.config else [Path.cwd() / n for n in configfile.CONFIG_NAMES]
    for name in names:
        text = base.read(name) if base.inside(name) else None
        if text is not None:
            return configfile.load(name, overrides, text=text)
    if args.config is not None:
        raise InputError(f"--config {args.config}: not in the base ({base.name}); review reads "
                         "its config as the base has it, so that a pull request cannot change "
                         "the rules it is judged by")  # fmt: skip
    cfg = configfile.load(names[0], overrides, text="")  # the defaults
    cfg.source = None
    return cfg


def _actions_base() -> str | None:
    """`origin/<base branch>` on a pull_request event in GitHub Actions."""
    branch = (os.environ.get("GITHUB_BASE_REF") or "").strip()
    return f"origin/{branch}" if branch else None


def _pull_request(args: argparse.Namespace) -> tuple[str | None, int | None]:
    """(repository, pull request number): the options, else GitHub Actions' environment."""
    repo = args.repo or os.environ.get("GITHUB_REPOSITORY") or None
    number = args.pr
    m = _PULL_REF.match(os.environ.get("GITHUB_REF") or "")
    if number is None and m:
        number = int(m.group(1))
    if args.pr is not None and args.pr < 1:
        raise InputError(f"--pr must be a pull request's number, not {args.pr}")
    if args.pr is not None and not repo:
        raise InputError("--pr needs the repository: --repo OWNER/NAME (or GITHUB_REPOSITORY)")
    if repo and "/" not in repo.strip("/"):
        raise InputError(f"--repo must be OWNER/NAME, not {repo!r}")
    return repo, number


def _head_sha(path: Path) -> str | None:
    """The pull request's head commit (GitHub Actions' event), else what is checked out."""
    event = os.environ.get("GITHUB_EVENT_PATH")
    if event:
        try:
            data = json.loads(Path(event).read_text(encoding="utf-8"))
            sha = data["pull_request"]["head"]["sha"]
            if isinstance(sha, str) and sha:
                return sha
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return gitbase.head_commit(path)


def _comment(args: argparse.Namespace, cfg: config_mod.Config, rv: Review, path: Path,
             stop: Stop) -> None:  # fmt: skip
    repo, number = _pull_request(args)
    if args.no_comment or repo is None or number is None:
        return
    secret = token()
    if not secret:
        print("comment: skipped: no GITHUB_TOKEN", file=sys.stderr)
        return
    sha = _head_sha(path)
    text = review_markdown(rv, cfg, COMMENT, marker=review_comment.marker(rv.file),
                           where="the job summary lists every one",
                           footer=f"Reviewed at {sha[:7]}." if sha else "")  # fmt: skip
    with platform_for(cfg, secret, repo, stop, review_comment.NEEDS) as platform:
        news = bool(rv.blocking or rv.warnings)
        done = review_comment.publish(platform, number, rv.file, text, news)
    line = f"comment on #{number}: {done.action}" + (f": {done.detail}" if done.detail else "")
    if done.action == "skipped":
        print(line, file=sys.stderr)
    elif not args.quiet:
        print(line)
