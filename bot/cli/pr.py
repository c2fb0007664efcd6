"""`awesome-monitor pr --repo OWNER/NAME [--path README.md] [--dry-run]`: read the list and
the state from the repository, check, show what `check` shows, then open, update or close
the bot's one pull request and write the state back to its own branch."""

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
from bot.publish import actions
from bot.publish.platform import Platform
from bot.publish.pull_request import REFRESHED, STATE_FILE, Proposal, publish, save_state
from bot.render.sarif import write_sarif


def run(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config, config_overrides(args))
    if "/" not in args.repo.strip("/"):
        raise InputError(f"--repo must be OWNER/NAME, not {args.repo!r}")
    path = args.path or cfg.pr.path
    secret = token()
    if not secret:
        raise InputError("pr needs a token: set GITHUB_TOKEN (or GH_TOKEN)")
    api = cfg.github.api_url or os.environ.get("GITHUB_API_URL") or PUBLIC_API
    with Platform(api, secret, args.repo, cfg.check.timeout,
                  cfg.pr.write_interval) as platform:  # fmt: skip
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
        if args.sarif and not result.incomplete:  # half an answer would close alerts
            write_sarif(args.sarif, cfg, result, path)
        if not args.dry_run:
            save_state(platform, cfg, result.state)  # first: a run failing later keeps it
        if result.incomplete or ev.rewritten is None:
            return finish(result, False)
        refreshed = result.state.meta.get(REFRESHED)
        proposal = Proposal(path, text, ev.text, result, ev.rewritten)
        outcome = publish(platform, cfg, proposal, args.dry_run)
        if not args.dry_run and result.state.meta.get(REFRESHED) != refreshed:
            save_state(platform, cfg, result.state)
        if not args.quiet:
            print(f"pull request: {outcome.action}"
                  + (f" #{outcome.number}" if outcome.number else "")
                  + (f" ({outcome.url})" if outcome.url else "")
                  + (f": {outcome.detail}" if outcome.detail else ""))  # fmt: skip
    return finish(result, args.fail_on_dead)
