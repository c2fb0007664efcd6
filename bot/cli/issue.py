"""`awesome-monitor issue --repo OWNER/NAME [--path README.md] [--dry-run]`: read the list and
the state from the repository, check, show what `check` shows, write the state back to its
own branch, then open, update, close or reopen the list's one dashboard issue. The list is
never rewritten (that is `pr`)."""

from __future__ import annotations

import argparse
import os

from bot import config as config_mod
from bot.check import state as state_mod
from bot.check.providers.github_api import PUBLIC_API, token
from bot.cli.output import progress_ticker
from bot.cli.parser import config_overrides
from bot.cli.show import finish, show
from bot.errors import InputError
from bot.pipeline import evaluate
from bot.publish import actions, dashboard
from bot.publish.platform import ISSUE_NEEDS, Platform
from bot.publish.pull_request import STATE_FILE, save_state


def run(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config, config_overrides(args))
    if "/" not in args.repo.strip("/"):
        raise InputError(f"--repo must be OWNER/NAME, not {args.repo!r}")
    path = args.path or cfg.pr.path
    secret = token()
    if not secret:
        raise InputError("issue needs a token: set GITHUB_TOKEN (or GH_TOKEN)")
    api = cfg.github.api_url or os.environ.get("GITHUB_API_URL") or PUBLIC_API
    with Platform(api, secret, args.repo, cfg.check.timeout, cfg.pr.write_interval,
                  needs=ISSUE_NEEDS) as platform:  # fmt: skip
        text = platform.read_file(path)
        if text is None:
            raise InputError(f"{path}: not found on {args.repo}@{platform.default}")
        state_text = platform.read_file(STATE_FILE, ref=cfg.pr.state_branch)
        state = (state_mod.from_json(state_text, f"{cfg.pr.state_branch}:{STATE_FILE}")
                 if state_text else state_mod.State())  # fmt: skip
        with actions.group("Checking links"), progress_ticker(args.quiet) as ticker:
            ev = evaluate(text, cfg, state, ticker)
        result = ev.result
        show(cfg, path, ev, args.quiet, diff=False)
        if not args.dry_run:
            save_state(platform, cfg, result.state)  # first: a run failing later keeps it
        if result.incomplete:
            return finish(result, False)  # half an answer touches no issue
        outcome = dashboard.publish(platform, cfg, path, result, args.dry_run)
        if not args.quiet:
            print(f"issue: {outcome.action}"
                  + (f" #{outcome.number}" if outcome.number else "")
                  + (f" ({outcome.url})" if outcome.url else "")
                  + (f": {outcome.detail}" if outcome.detail else ""))  # fmt: skip
    return finish(result, args.fail_on_dead)
