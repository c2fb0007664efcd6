"""The command line's grammar: the only argparse in the bot. Each command's options are
declared here; what a command does lives in its own module (`bot.cli.<command>`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot import __version__
from bot.errors import EXIT_INPUT
from bot.render.outputs import FILES


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every input error
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"awesome-monitor: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="awesome-monitor", description="Keep an awesome list's links honest.")
    p.add_argument("--version", action="version", version=f"awesome-monitor {__version__}")
    sub = p.add_subparsers(dest="subcommand", required=True, parser_class=_Parser)

    scan = sub.add_parser("scan", help="list every link of a Markdown file (no network)")
    scan.add_argument("file", type=Path)
    scan.add_argument("--json", type=Path, metavar="OUT", help="write the JSON report here")
    _verbosity(scan)

    check = sub.add_parser("check", help="check every link; dry run unless --write")
    check.add_argument("file", nargs="?", type=Path, help="default: README.md (or the config's)")
    check.add_argument("--write", action="store_true", help="save state (and the rewritten list)")
    check.add_argument(
        "--refresh", action="store_true", help="with --write: also rewrite for drift alone"
    )
    _outputs(check)
    check.add_argument("--state", type=Path, metavar="FILE", help="history file")
    check.add_argument("--fail-on-dead", action="store_true", help="exit 1 when links are dead")
    _networked(check)

    review = sub.add_parser(
        "review", help="check the links a change adds to a list (a pull request, before merging)"
    )
    review.add_argument("file", nargs="?", type=Path, help="default: README.md (or the config's)")
    review.add_argument(
        "--base", metavar="REF", help="git ref to compare with (default: origin/$GITHUB_BASE_REF)"
    )
    review.add_argument(
        "--repo", metavar="OWNER/NAME", help="the pull request's repository ($GITHUB_REPOSITORY)"
    )
    review.add_argument(
        "--pr", type=int, metavar="N", help="the pull request to comment on ($GITHUB_REF's)"
    )
    review.add_argument("--no-comment", action="store_true", help="no comment on the pull request")
    review.add_argument("--json", type=Path, metavar="OUT", help="write the JSON report here")
    _networked(review)

    pr = sub.add_parser("pr", help="check a list in a GitHub repository and open or update one PR")
    pr.add_argument("--repo", required=True, metavar="OWNER/NAME")
    pr.add_argument("--path", help="the list's path in the repository (default: README.md)")
    pr.add_argument("--dry-run", action="store_true", help="print title, body and diff only")
    _outputs(pr)
    pr.add_argument("--fail-on-dead", action="store_true", help="exit 1 when links are dead")
    _networked(pr)

    issue = sub.add_parser(
        "issue", help="check a list in a GitHub repository and keep one dashboard issue"
    )
    issue.add_argument("--repo", required=True, metavar="OWNER/NAME")
    issue.add_argument("--path", help="the list's path in the repository (default: README.md)")
    issue.add_argument("--dry-run", action="store_true", help="print title and body only")
    _outputs(issue)
    issue.add_argument("--fail-on-dead", action="store_true", help="exit 1 when links are dead")
    _networked(issue)

    schedule = sub.add_parser(
        "schedule",
        help="run a command on a cron schedule (UTC) until stopped",
        description="Run an awesome-monitor command on a cron schedule (UTC) until SIGINT or "
        "SIGTERM. EXPR has 5 fields (minute hour day month day-of-week; 0 or 7 = Sunday) or 6 "
        "with the seconds first. Example: schedule --cron '17 6 * * 1' -- check --write",
    )
    schedule.add_argument("--cron", required=True, metavar="EXPR", help="cron expression, in UTC")
    schedule.add_argument("--run-now", action="store_true", help="also run once at the start")
    schedule.add_argument("command", nargs=argparse.REMAINDER, metavar="-- COMMAND",
                          help="the awesome-monitor command and its options, after --")  # fmt: skip
    _verbosity(schedule)
    return p


def _verbosity(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("-q", "--quiet", action="store_true", help="only errors")
    g.add_argument("-v", "--verbose", action="count", default=0,
                   help="say what the bot does (-vv: also HTTP detail)")  # fmt: skip


def _outputs(p: argparse.ArgumentParser) -> None:
    """A flag per report a command that checks a list can write (`bot.render.outputs`)."""
    for output in FILES:
        p.add_argument(f"--{output.name}", type=Path, metavar="OUT",
                       help=f"write the {output.what} here (-: to standard output)")  # fmt: skip


def _networked(p: argparse.ArgumentParser) -> None:
    """Options shared by the commands that reach the network."""
    p.add_argument("--config", type=Path, help="TOML config (default: ./awesome-monitor.toml)")
    p.add_argument("--dead-after", type=int, metavar="N", help="failed runs in a row → dead")
    p.add_argument("--github-api-url", help="default $GITHUB_API_URL or https://api.github.com")
    p.add_argument("--github-graphql-url", help="default $GITHUB_GRAPHQL_URL")
    p.add_argument("--arxiv-api-url", help="default $ARXIV_API_URL or the public arXiv API")
    p.add_argument("--hf-api-url", help="default $HF_ENDPOINT or https://huggingface.co")
    p.add_argument("--concurrency", type=int, metavar="N", help="web requests in flight")
    p.add_argument("--timeout", type=float, metavar="S", help="seconds per request")
    _verbosity(p)


def config_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The config keys the command line sets (validated with the config's own rules)."""
    return {
        "check.dead_after": args.dead_after,
        "check.concurrency": args.concurrency,
        "check.timeout": args.timeout,
        "github.api_url": args.github_api_url,
        "github.graphql_url": args.github_graphql_url,
        "arxiv.api_url": args.arxiv_api_url,
        "huggingface.api_url": args.hf_api_url,
    }
