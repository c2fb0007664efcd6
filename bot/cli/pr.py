"""`awesome-monitor pr --repo OWNER/NAME [--path README.md] [--dry-run]`: read the list and
the state from the repository, check, show what `check` shows, then open, update or close
the bot's one pull request and write the state back to its own branch."""

from __future__ import annotations

import argparse

from bot.check.state import DASHBOARD, PULL, State
from bot.check.stop import Stop
from bot.cli.remote import checked, say
from bot.cli.show import finish
from bot.pipeline import dashboard_asks, keep, pull_request_fate
from bot.publish import dashboard
from bot.publish.platform import Platform
from bot.publish.pull_request import Proposal, publish, sync
from bot.render.done import DRY_RUN


def catch_up(platform: Platform, state: State) -> None:
    """What the dashboard's ticked boxes ask (read only when there is one), and what became
    of the bot's last pull request, into the history. In that order: an un-decline box
    still ticked on a body no run rewrote since never undoes a decline that came after."""
    dashboard_asks(state, dashboard.asks(platform, state.record(DASHBOARD)))
    pull_request_fate(state, sync(platform, state.record(PULL)))


def run(args: argparse.Namespace, stop: Stop) -> int:
    with checked(args, "pr", stop, catch_up=catch_up) as remote:
        ev, result = remote.ev, remote.ev.result
        # First: a run failing later keeps what it learned, and of two runs at once the
        # second stops here (`RaceLost`) before it touches the pull request.
        keep(remote.store, ev)
        if result.incomplete or ev.rewritten is None:
            return finish(result, False)
        proposal = Proposal(remote.path, remote.text, ev.text, result, ev.rewritten,
                            result.state.record(PULL), ev.refresh_due)  # fmt: skip
        outcome = publish(remote.platform, remote.cfg, proposal, args.dry_run)
        remote.said.done = DRY_RUN if args.dry_run else outcome.done("pull request")
        keep(remote.store, ev, published=outcome)  # what the bot now knows of its PR
        say("pull request", outcome, args.quiet)
    return finish(result, args.fail_on_dead)
