"""`awesome-monitor issue --repo OWNER/NAME [--path README.md] [--dry-run]`: read the list and
the state from the repository, check, show what `check` shows, write the state back to its
own branch, then open, update, close or reopen the list's one dashboard issue. The list is
never rewritten (that is `pr`)."""

from __future__ import annotations

import argparse

from bot.check.state import DECLINED, PULL
from bot.check.stop import Stop
from bot.cli.pr import catch_up
from bot.cli.remote import checked, say
from bot.cli.show import finish
from bot.pipeline import keep, keep_dashboard
from bot.publish import dashboard
from bot.publish.platform import ISSUE_NEEDS
from bot.render.dashboard_acts import Acts, declined
from bot.render.done import DRY_RUN


def run(args: argparse.Namespace, stop: Stop) -> int:
    # What became of the bot's pull request and what the dashboard's boxes ask, first: the
    # dashboard links the open one and lists what is declined now.
    with checked(args, "issue", stop, ISSUE_NEEDS, catch_up=catch_up) as remote:
        ev, result = remote.ev, remote.ev.result
        keep(remote.store, ev)  # first: a run failing later keeps what it learned
        if result.incomplete or ev.rewritten is None:
            return finish(result, False)  # half an answer touches no issue
        pull, held = result.state.record(PULL), ev.rewritten.held
        number = pull.get("number")
        acts = Acts(number if isinstance(number, int) else None, bool(pull),
                    declined=declined(held, result.state.record(DECLINED)))  # fmt: skip
        outcome = dashboard.publish(remote.platform, remote.cfg, remote.path, result,
                                    args.dry_run, acts)  # fmt: skip
        if not args.dry_run:
            keep_dashboard(remote.store, ev, outcome.number)
        remote.said.done = DRY_RUN if args.dry_run else outcome.done("dashboard issue")
        say("issue", outcome, args.quiet)
    return finish(result, args.fail_on_dead)
