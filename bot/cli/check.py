"""`awesome-monitor check [FILE] [--write]`: check a local list; a dry run unless --write."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from bot.check import state as state_mod
from bot.check.providers.github_api import token
from bot.check.stop import Stop
from bot.check.store import FileStore
from bot.cli import configfile, reports
from bot.cli.output import progress_ticker
from bot.cli.parser import config_overrides
from bot.cli.show import finish, show
from bot.cli.signals import interrupted
from bot.cli.summary import summary
from bot.files import atomic_write, check_writable, read_markdown
from bot.pipeline import check_list, keep
from bot.publish import actions
from bot.render.done import DRY_RUN, Act, Done
from bot.render.outputs import Report
from bot.render.rewrite import RewriteResult


def run(args: argparse.Namespace, stop: Stop) -> int:
    """With a report on standard output (`--json -` or `--sarif -`), everything else the
    command prints goes to stderr, so that the report can be piped."""
    files = reports.requested(args)
    reports.check_stdout(files)
    with reports.data_stream(files) as data:
        return _run(args, stop, files, data)


def _run(args: argparse.Namespace, stop: Stop, files: list, data: TextIO) -> int:
    cfg = configfile.load(args.config, config_overrides(args), beside=args.file)
    path = cfg.list_path(args.file)
    text = read_markdown(path)
    state_path = cfg.state_path(path, args.state)
    writable(args, path, state_path)
    reports.check_files(files)
    name = display_name(path)
    # A dry run writes nothing, not even a lock file (the state is written atomically).
    store = FileStore(state_path, display_name(state_path), saves=args.write)
    with summary(cfg, name) as said, store.hold():
        if not token() and not args.quiet:
            print("no GITHUB_TOKEN: GitHub is checked over REST with the anonymous budget",
                  file=sys.stderr)  # fmt: skip
        with (
            actions.LazyGroup("Checking links") as fold,
            progress_ticker(args.quiet, fold.open) as ticker,
        ):
            ev = check_list(store, text, cfg, ticker, stop=stop)
        result = said.result = ev.result
        if result.interrupted:
            what = "nothing written (dry run)"
            if store.saves:
                what = f"kept in the history ({store.name}); the list is unchanged"
            raise interrupted(stop, result, what)
        reports.write(files, Report(cfg, name, result, artifact=path), data)
        show(cfg, name, ev, args.quiet)
        said.done = DRY_RUN
        if args.write:
            rw = ev.rewritten
            written = bool(rw and rw.changed and (rw.actionable or args.refresh or ev.refresh_due))
            if written:
                atomic_write(path, ev.text, "list")
            keep(store, ev, written=written)
            said.done = list_done(rw, written)
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


def list_done(rw: RewriteResult | None, written: bool) -> Done:
    """What `check --write` did to the list, for the job summary (an incomplete check says
    so itself)."""
    lines = len(rw.changed_lines) if rw is not None else 0
    return Done(Act.WROTE if written else Act.NOT_WRITTEN, lines=lines)


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
