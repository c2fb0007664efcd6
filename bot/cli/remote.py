"""What `pr` and `issue` share: the repository, the list and its history read from it, the
check, the same report as `check` shows, and the history saved back first."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot import config as config_mod
from bot.check.http import Http, HttpSettings
from bot.check.providers.github_api import PUBLIC_API, token
from bot.check.state import State
from bot.check.stop import Stop
from bot.cli import configfile, reports
from bot.cli.output import progress_ticker
from bot.cli.parser import config_overrides
from bot.cli.show import show
from bot.cli.signals import interrupted
from bot.cli.summary import Summary, summary
from bot.errors import InputError
from bot.pipeline import Evaluation, check_list
from bot.publish import actions
from bot.publish.platform import Platform, PublishOutcome
from bot.publish.state_branch import BranchStore
from bot.render.outputs import Output, Report


@dataclass
class Remote:
    cfg: config_mod.Config
    platform: Platform
    path: str  # the list's path in the repository
    text: str  # the list as the default branch has it
    ev: Evaluation
    store: BranchStore  # where the history was read and is saved
    said: Summary  # what the job summary says the run did (`said.done`)


@contextmanager
def checked(
    args: argparse.Namespace,
    command: str,
    stop: Stop,
    needs: str | None = None,
    catch_up: Callable[[Platform, State], None] | None = None,
) -> Iterator[Remote]:
    """Open the repository, read the list and its history, let `catch_up` bring the history
    up to date with what people did on GitHub, check, write the reports the command line
    asks for (`--json`, `--sarif`: with `-` the report is standard output and everything
    else goes to stderr) and show the report; the platform is closed when the block ends.
    A check stopped by a signal saves its history (unless a dry run) and raises
    `Interrupted`: the list, the pull request and the issue are not touched."""
    files = reports.requested(args)
    reports.check_stdout(files)
    with reports.data_stream(files) as data:
        yield from _checked(args, command, stop, needs, catch_up, files, data)


def platform_for(cfg: config_mod.Config, secret: str, repo: str, stop: Stop,
                 needs: str | None = None) -> Platform:  # fmt: skip
    """The repository on GitHub (or GitHub Enterprise: `[github] api_url`, `GITHUB_API_URL`;
    `GITHUB_SERVER_URL` says whether it is github.com), its writes paced by the run's HTTP
    policy, which skips the pauses once the run is stopping."""
    api = cfg.github.api_url or os.environ.get("GITHUB_API_URL") or PUBLIC_API
    extra = {"needs": needs} if needs else {}
    return Platform(api, secret, repo, cfg.check.timeout, cfg.pr.write_interval,
                    http=Http(HttpSettings.from_config(cfg.check), stop=stop),
                    server_url=os.environ.get("GITHUB_SERVER_URL"), **extra)  # fmt: skip


def _checked(args: argparse.Namespace, command: str, stop: Stop, needs: str | None,
             catch_up: Callable[[Platform, State], None] | None,
             files: list[tuple[Output, Path]], data: TextIO) -> Iterator[Remote]:  # fmt: skip
    cfg = configfile.load(args.config, config_overrides(args))
    if "/" not in args.repo.strip("/"):
        raise InputError(f"--repo must be OWNER/NAME, not {args.repo!r}")
    path = args.path or cfg.pr.path
    secret = token()
    if not secret:
        raise InputError(f"{command} needs a token: set GITHUB_TOKEN (or GH_TOKEN)")
    reports.check_files(files)
    with summary(cfg, path) as said, platform_for(cfg, secret, args.repo, stop, needs) as platform:
        text = platform.read_file(path)
        if text is None:
            raise InputError(f"{path}: not found on {args.repo}@{platform.default}")
        store = BranchStore(platform, cfg.pr.state_branch, saves=not args.dry_run)
        caught_up = (lambda state: catch_up(platform, state)) if catch_up else None
        with (
            actions.LazyGroup("Checking links") as fold,
            progress_ticker(args.quiet, fold.open) as ticker,
        ):
            ev = check_list(store, text, cfg, ticker, stop=stop, catch_up=caught_up)
        said.result = ev.result
        if ev.result.interrupted:
            what = "nothing written (dry run)"
            if store.saves:
                thing = "issue" if command == "issue" else "pull request"
                what = (f"kept in the history on branch {cfg.pr.state_branch}; the list and "
                        f"the {thing} were not touched")  # fmt: skip
            raise interrupted(stop, ev.result, what)
        reports.write(files, Report(cfg, path, ev.result, artifact=path), data)
        show(cfg, path, ev, args.quiet, diff=False)
        yield Remote(cfg, platform, path, text, ev, store, said)


def say(what: str, outcome: PublishOutcome, quiet: bool) -> None:
    if not quiet:
        print(closing_line(what, outcome))


def closing_line(what: str, outcome: PublishOutcome) -> str:
    """What became of the pull request or the issue, in one line: `pull request: opened #3
    (URL)`, `no pull request: nothing to act on (…)`, `dry run: nothing was written to
    GitHub`."""
    if outcome.action == "none" and outcome.detail.startswith("dry run"):
        return f"dry run: nothing was written to GitHub (no {what} opened, updated or closed)"
    if outcome.action == "none":
        return f"no {what}: {outcome.detail or 'nothing to act on'}"
    return (f"{what}: {outcome.action}" + (f" #{outcome.number}" if outcome.number else "")
            + (f" ({outcome.url})" if outcome.url else "")
            + (f": {outcome.detail}" if outcome.detail else ""))  # fmt: skip
