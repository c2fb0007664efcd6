"""`awesome-monitor issue --repo OWNER/NAME [--path README.md] [--dry-run]`: read the list and
the state from the repository, check, show what `check` shows, write the state back to its
own branch, then open, update, close or reopen the list's one dashboard issue. The list is
never rewritten (that is `pr`)."""

from __future__ import annotations

import argparse

from bot.check.stop import Stop
from bot.cli.remote import checked, say
from bot.cli.show import finish
from bot.pipeline import keep
from bot.publish import dashboard
from bot.publish.platform import ISSUE_NEEDS
from bot.render.done import DRY_RUN


def run(args: argparse.Namespace, stop: Stop) -> int:
    with checked(args, "issue", stop, ISSUE_NEEDS) as remote:
        result = remote.ev.result
        keep(remote.store, remote.ev)  # first: a run failing later keeps what it learned
        if result.incomplete:
            return finish(result, False)  # half an answer touches no issue
        outcome = dashboard.publish(remote.platform, remote.cfg, remote.path, result, args.dry_run)
        remote.said.done = DRY_RUN if args.dry_run else outcome.done("dashboard issue")
        say("issue", outcome, args.quiet)
    return finish(result, args.fail_on_dead)
