"""The networked commands (`check`, …), registered on the CLI parser."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot import actions
from bot import config as config_mod
from bot import state as state_mod
from bot.check import CheckResult, Endpoints
from bot.files import InputError, atomic_write, read_markdown
from bot.judge import summary
from bot.model import HttpSettings
from bot.pipeline import Evaluation, evaluate
from bot.pr import add_pr_command, unified_diff
from bot.render import environment, groups
from bot.report import check_report, write_json
from bot.schedule import add_schedule_command

log = logging.getLogger("awesome_monitor")
EXIT_OK, EXIT_DEAD, EXIT_INPUT, EXIT_INCOMPLETE = 0, 1, 2, 3


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


def http_settings(cfg: config_mod.Config, args: argparse.Namespace) -> HttpSettings:
    return HttpSettings(
        timeout=args.timeout or cfg.check.timeout,
        concurrency=args.concurrency or cfg.check.concurrency,
        per_host=cfg.check.per_host,
        retries=cfg.check.retries,
        backoff=cfg.check.backoff,
        max_wait=cfg.check.max_wait,
        min_interval=cfg.check.arxiv_interval,
    )


class _Ticker:
    """Progress per provider: rich bars on a terminal, nothing otherwise."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def __call__(self, name: str, advance: int, total: int) -> None:
        if self.progress is None:
            return
        if name not in self.tasks:
            self.tasks[name] = self.progress.add_task(name, total=total)
        self.progress.advance(self.tasks[name], advance)


@contextmanager
def progress_ticker(quiet: bool) -> Iterator[_Ticker]:
    """Progress bars on a terminal (on stderr, so stdout stays clean); none otherwise."""
    console = Console(stderr=True, highlight=False)
    if quiet or not console.is_terminal:
        yield _Ticker(None)
        return
    columns = (TextColumn("{task.description:>7}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console, transient=True) as progress:
        yield _Ticker(progress)


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


def exit_code(result: CheckResult, fail_on_dead: bool) -> int:
    if result.incomplete:
        reason = (
            "GitHub refused the token"
            if result.token_refused
            else "the GitHub API budget ran out"
            if result.budget_spent_with_token
            else f"could not reach {', '.join(sorted(result.down))}"
        )
        print(f"awesome-monitor: check incomplete: {reason}; nothing was flagged dead for it",
              file=sys.stderr)  # fmt: skip
        return EXIT_INCOMPLETE
    if fail_on_dead and summary(result.verdicts)["dead"]:
        return EXIT_DEAD
    return EXIT_OK


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
