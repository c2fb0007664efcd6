"""The networked commands (`check`, …), registered on the CLI parser."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from bot import actions
from bot import config as config_mod
from bot import state as state_mod
from bot.check import CheckResult, Endpoints
from bot.files import InputError, atomic_write, read_markdown
from bot.judge import summary
from bot.pipeline import Evaluation, evaluate
from bot.pr import add_pr_command, unified_diff
from bot.render import environment, groups
from bot.report import check_report, write_json
from bot.runtime import exit_code, http_settings, progress_ticker
from bot.schedule import add_schedule_command

log = logging.getLogger("awesome_monitor")


def add_commands(sub: argparse._SubParsersAction, common: Callable) -> None:
    check = sub.add_parser("check", help="check every link; dry run unless --write")
    check.add_argument("file", nargs="?", type=Path, help="default: the list named in the config")
    check.add_argument("--write", action="store_true", help="save state (and the rewritten list)")
    check.add_argument("--json", type=Path, metavar="OUT", help="write the JSON report here")
    check.add_argument("--state", type=Path, metavar="FILE", help="history file")
    check.add_argument("--fail-on-dead", action="store_true", help="exit 1 when links are dead")
    common(check)
    check.set_defaults(run=cmd_check)
    add_pr_command(sub, common)
    add_schedule_command(sub)


def cmd_check(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config)
    path = args.file or cfg.path(cfg.list.file)
    text = read_markdown(path)
    state_path = args.state or cfg.path(cfg.list.state)
    dead_after = args.dead_after or cfg.check.dead_after
    if dead_after < 1:
        raise InputError("--dead-after must be at least 1")
    endpoints = Endpoints.resolve(cfg, args.github_api_url, args.github_graphql_url,
                                  args.arxiv_api_url)  # fmt: skip
    actions.mask(endpoints.token)
    name = _display_name(path)
    try:
        with state_mod.locked(state_path):
            state = state_mod.load(state_path)
            if not endpoints.token and not args.quiet:
                print("no GITHUB_TOKEN: GitHub is checked over REST with the anonymous budget",
                      file=sys.stderr)  # fmt: skip
            with actions.group("Checking links"), progress_ticker(args.quiet) as ticker:
                ev = evaluate(text, cfg, endpoints, state, dead_after, http_settings(cfg, args),
                              ticker)  # fmt: skip
            result = ev.result
            if args.json:
                write_json(args.json, check_report(str(path), result))
            _show(cfg, name, ev, args.quiet)
            if args.write:
                if ev.text != text:
                    atomic_write(path, ev.text)
                state_mod.save(state_path, result.state)
            elif not args.quiet:
                print("dry run: nothing written (use --write to update the list and save state)")
    except state_mod.StateError as exc:
        raise InputError(str(exc)) from None
    return exit_code(result, args.fail_on_dead)


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _show(cfg: config_mod.Config, name: str, ev: Evaluation, quiet: bool) -> None:
    """The report, the unified diff, and in Actions the annotations and job summary."""
    result = ev.result
    actions.annotate(name, result.verdicts)
    actions.step_summary(render_report(cfg, name, result, "report.md.j2"))
    if quiet:
        return
    print(render_report(cfg, name, result), end="")
    if ev.rewritten and ev.rewritten.unmatched_rows:
        print("table rows with no links and no matching section (add them to "
              "[status.sections]): " + ", ".join(ev.rewritten.unmatched_rows))  # fmt: skip
    diff = unified_diff(name, ev.doc.text, ev.text)
    with actions.group("Proposed change"):
        print(diff if diff else "no change to the list", end="" if diff else "\n")


def render_report(
    cfg: config_mod.Config, name: str, result: CheckResult, template: str = "report.txt.j2"
) -> str:
    env = environment(cfg.templates)
    return env.get_template(template).render(
        file=name,
        limit=100,
        summary=summary(result.verdicts),
        counts=result.counts,
        requests=result.requests,
        g=groups(result, cfg.status.star_change),
        notes=result.notes,
    )
