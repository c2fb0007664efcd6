"""`awesome-monitor pr --repo OWNER/NAME [--path README.md] [--dry-run]`: read the list and
the state from the repository, check, show what `check` shows, then open, update or close
the bot's one pull request and write the state back to its own branch."""

from __future__ import annotations

import argparse

from bot.check.stop import Stop
from bot.cli.remote import checked, save, say
from bot.cli.show import finish
from bot.publish.pull_request import PULL, REFRESHED, Proposal, publish, sync
from bot.render.sarif import write_sarif


def run(args: argparse.Namespace, stop: Stop) -> int:
    with checked(args, "pr", stop, prepare=sync) as remote:
        ev, result = remote.ev, remote.ev.result
        if args.sarif and not result.incomplete:  # half an answer would close alerts
            write_sarif(args.sarif, remote.cfg, result, remote.path)
        save(remote, args.dry_run)  # first: a run failing later keeps what it learned
        if result.incomplete or ev.rewritten is None:
            return finish(result, False)
        proposal = Proposal(remote.path, remote.text, ev.text, result, ev.rewritten)
        outcome = publish(remote.platform, remote.cfg, proposal, args.dry_run)
        if outcome.memory is not None:
            result.state.meta[PULL] = outcome.memory
        if outcome.refreshed:
            result.state.meta[REFRESHED] = result.state.updated
        save(remote, args.dry_run)  # what the bot now knows of its pull request
        say("pull request", outcome, args.quiet)
    return finish(result, args.fail_on_dead)
