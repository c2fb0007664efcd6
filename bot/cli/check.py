"""`awesome-monitor check [FILE] [--write]`: check a local list; a dry run unless --write."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TextIO

from bot.check import state as state_mod
from bot.check.providers.github_api import token
from bot.check.stop import Stop
from bot.check.store import FileStore
from bot.cli import configfile
from bot.cli.output import progress_ticker
from bot.cli.parser import config_overrides
from bot.cli.show import finish, show
from bot.cli.signals import interrupted
from bot.errors import InputError
from bot.files import STDOUT, atomic_write, check_writable, read_markdown
from bot.pipeline import check_list, keep
from bot.publish import actions
from bot.render.report import check_report, write_json
from bot.render.rewrite import RewriteResult
from bot.render.sarif import write_sarif


def run(args: argparse.Namespace, stop: Stop) -> int:
    """With a report on standard output (`--json -` or `--sarif -`), everything else the
    command prints goes to stderr, so that the report can be piped."""
    to_stdout = [opt for opt, value in (("--json", args.json), ("--sarif", args.sarif))
                 if value is not None and str(value) == STDOUT]  # fmt: skip
    if not to_stdout:
        return _run(args, stop, sys.stdout)
    if len(to_stdout) > 1:
        raise InputError("only one of --json and --sarif can be - (standard output)")
    data = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        return _run(args, stop, data)


def _run(args: argparse.Namespace, stop: Stop, data: TextIO) -> int:
    cfg = configfile.load(args.config, config_overrides(args), beside=args.file)
    path = cfg.list_path(args.file)
    text = read_markdown(path)
    state_path = cfg.state_path(path, args.state)
    writable(args, path, state_path)
    name = display_name(path)
    # A dry run writes nothing, not even a lock file (the state is written atomically).
    store = FileStore(state_path, display_name(state_path), saves=args.write)
    with store.hold():
        if not token() and not args.quiet:
            print("no GITHUB_TOKEN: GitHub is checked over REST with the anonymous budget",
                  file=sys.stderr)  # fmt: skip
        with actions.group("Checking links"), progress_ticker(args.quiet) as ticker:
            ev = check_list(store, text, cfg, ticker, stop=stop)
        result = ev.result
        if result.interrupted:
            what = "nothing written (dry run)"
            if store.saves:
                what = f"kept in the history ({store.name}); the list is unchanged"
            raise interrupted(stop, result, what)
        if args.json:
            write_json(args.json, check_report(str(path), result, cfg.status.stale_after), data)
        if args.sarif and not result.incomplete:  # half an answer would close alerts
            write_sarif(args.sarif, cfg, result, path, data)
        show(cfg, name, ev, args.quiet)
        if args.write:
            rw = ev.rewritten
            written = bool(rw and rw.changed and (rw.actionable or args.refresh or ev.refresh_due))
            if written:
                atomic_write(path, ev.text, "list")
            keep(store, ev, written=written)
            if not args.quiet:
                print(closing_line(name, rw, written, store.name))
        elif not args.quiet:
            print("dry run: nothing written (use --write to update the list and save state)")
    return finish(result, args.fail_on_dead)


def writable(args: argparse.Namespace, path: Path, state_path: Path) -> None:
    """Before the run, not after it: every file the run will write can be written (a
    folder, a read-only file or folder is refused with its path; nothing is half-written)."""
    if args.write:
        check_writable(path, "list")
        check_writable(state_path, "history")
        check_writable(state_mod.lock_path(state_path), "history's lock file")
    if args.json is not None:
        check_writable(args.json, "JSON report")
    if args.sarif is not None:
        check_writable(args.sarif, "SARIF log")


def closing_line(name: str, rw: RewriteResult | None, written: bool, state: str) -> str:
    """What `check --write` did, in one line: the list written or not, the history saved."""
    if written and rw is not None:
        n = len(rw.changed_lines)
        done = f"wrote {name}: {n} line{'s' if n != 1 else ''} changed"
    elif rw is None:
        done = f"{name} not changed (the check was incomplete)"
    elif rw.changed:
        done = f"{name} not changed (drift only: --refresh writes it)"
    else:
        done = f"{name} not changed (nothing to update)"
    return f"{done}; history saved in {state}"


def display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
