"""`awesome-monitor check [FILE] [--write]`: check a local list; a dry run unless --write."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from bot import config as config_mod
from bot.check import state as state_mod
from bot.check.providers.github_api import token
from bot.cli.output import progress_ticker
from bot.cli.parser import config_overrides
from bot.cli.show import finish, show
from bot.files import atomic_write, read_markdown
from bot.pipeline import evaluate
from bot.publish import actions
from bot.publish.pull_request import REFRESHED, refresh_due
from bot.render.report import check_report, write_json
from bot.render.sarif import write_sarif


def run(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config, config_overrides(args), beside=args.file)
    path = cfg.list_path(args.file)
    text = read_markdown(path)
    state_path = cfg.state_path(path, args.state)
    name = display_name(path)
    # A dry run writes nothing, not even a lock file (the state is written atomically).
    with state_mod.locked(state_path) if args.write else contextlib.nullcontext():
        state = state_mod.load(state_path)
        if not token() and not args.quiet:
            print("no GITHUB_TOKEN: GitHub is checked over REST with the anonymous budget",
                  file=sys.stderr)  # fmt: skip
        with actions.group("Checking links"), progress_ticker(args.quiet) as ticker:
            ev = evaluate(text, cfg, state, ticker)
        result = ev.result
        if args.json:
            write_json(args.json, check_report(str(path), result, cfg.status.stale_after))
        if args.sarif and not result.incomplete:  # half an answer would close alerts
            write_sarif(args.sarif, cfg, result, path)
        show(cfg, name, ev, args.quiet)
        if args.write:
            rw = ev.rewritten
            due = refresh_due(result.state, cfg.pr.refresh_after, result.state.updated or "")
            if rw and rw.changed and (rw.actionable or args.refresh or due):
                atomic_write(path, ev.text)
                result.state.meta[REFRESHED] = result.state.updated
            state_mod.save(state_path, result.state)
        elif not args.quiet:
            print("dry run: nothing written (use --write to update the list and save state)")
    return finish(result, args.fail_on_dead)


def display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
