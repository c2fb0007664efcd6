"""The command line: `scan`, `check`, `pr`, `schedule` (DESIGN.md §2).

Exit codes: 0 done; 1 dead links with --fail-on-dead; 2 usage or input error;
3 the check could not be completed (network down, token refused, budget spent)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bot import __version__, actions
from bot.config import ConfigError
from bot.files import InputError, read_markdown
from bot.markdown import parse
from bot.report import scan_report, write_json
from bot.runtime import EXIT_INPUT, EXIT_OK

log = logging.getLogger("awesome_monitor")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every input error
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"awesome-monitor: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="awesome-monitor", description="Keep an awesome list's links honest.")
    p.add_argument("--version", action="version", version=f"awesome-monitor {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    scan = sub.add_parser("scan", help="list every link of a Markdown file (no network)")
    scan.add_argument("file", type=Path)
    scan.add_argument("--json", type=Path, metavar="OUT", help="write the JSON report here")
    _verbosity(scan)

    from bot.commands import add_commands  # the networked commands

    add_commands(sub, _common)
    return p


def _verbosity(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("-q", "--quiet", action="store_true", help="only errors")
    g.add_argument("-v", "--verbose", action="count", default=0, help="more detail (-vv: debug)")


def _common(p: argparse.ArgumentParser) -> None:
    """Options shared by the commands that reach the network."""
    p.add_argument("--config", type=Path, help="TOML config (default: data/config.toml)")
    p.add_argument("--dead-after", type=int, metavar="N", help="failed runs in a row → dead")
    p.add_argument("--github-api-url", help="default $GITHUB_API_URL or https://api.github.com")
    p.add_argument("--github-graphql-url", help="default $GITHUB_GRAPHQL_URL")
    p.add_argument("--arxiv-api-url", help="default $ARXIV_API_URL or the public arXiv API")
    p.add_argument("--concurrency", type=int, metavar="N", help="web requests in flight")
    p.add_argument("--timeout", type=float, metavar="S", help="seconds per request")
    _verbosity(p)


def setup_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    # PyGithub and urllib3 are chatty at INFO; only our own -v detail goes up.
    for name in ("github", "urllib3"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    actions.mask_env_token()  # in GitHub Actions: the very first line of output
    setup_logging(getattr(args, "verbose", 0), getattr(args, "quiet", False))
    try:
        return int(args.run(args)) if hasattr(args, "run") else cmd_scan(args)
    except (InputError, ConfigError) as exc:
        print(f"awesome-monitor: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("awesome-monitor: interrupted", file=sys.stderr)
        return 130


def cmd_scan(args: argparse.Namespace) -> int:
    text = read_markdown(args.file)
    doc = parse(text)
    report = scan_report(str(args.file), doc)
    if args.json:
        write_json(args.json, report)
    if args.quiet:
        return EXIT_OK
    console = Console(highlight=False)
    counts = Counter(link.kind for link in doc.links)
    repos = {link.target.repo_key for link in doc.links if link.target.repo_key}
    papers = {link.target.arxiv_id for link in doc.links if link.target.arxiv_id}
    if console.is_terminal:
        table = Table(title=f"{args.file}: {len(doc.links)} links")
        table.add_column("kind")
        table.add_column("links", justify="right")
        for kind, n in sorted(counts.items()):
            table.add_row(kind, str(n))
        console.print(table)
    else:
        print(f"{args.file}: {len(doc.links)} links")
        for kind, n in sorted(counts.items()):
            print(f"  {kind}: {n}")
    print(f"distinct: {len(repos)} repositories, {len(papers)} arXiv papers")
    for link in doc.links:
        if link.target.problem:
            fix = f" — use {link.target.suggestion}" if link.target.suggestion else ""
            print(f"{args.file}:{link.line}: malformed link {link.raw_url} "
                  f"({link.target.problem}){fix}")  # fmt: skip
    if args.verbose:
        for link in doc.links:
            print(f"{link.use_line}:{link.col_start + 1}\t{link.kind}\t{link.raw_url}")
    return EXIT_OK
