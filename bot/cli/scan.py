"""`awesome-monitor scan FILE [--json OUT]`: every link of a list, offline."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections import Counter

from rich.console import Console
from rich.table import Table

from bot.check.providers import classify_links
from bot.check.providers.arxiv import ArxivTarget
from bot.check.providers.github_urls import GitHubTarget
from bot.check.stop import Stop
from bot.cli.output import is_terminal
from bot.errors import EXIT_OK
from bot.files import STDOUT, check_writable, read_markdown, write_output
from bot.parse.markdown import Document, parse
from bot.render.report import json_chunks, scan_report


def run(args: argparse.Namespace, stop: Stop) -> int:
    """Offline and quick: a signal stops it at once (`stop` is not needed). With `--json -`
    the report is standard output and the summary goes to stderr."""
    if args.json is not None:
        check_writable(args.json, "JSON report")
    text = read_markdown(args.file)
    doc = classify_links(parse(text))
    if args.json is not None:
        write_output(args.json, json_chunks(scan_report(str(args.file), doc)), "JSON report")
    if args.quiet:
        return EXIT_OK
    if args.json is not None and str(args.json) == STDOUT:
        with contextlib.redirect_stdout(sys.stderr):
            return _summary(args, doc)
    return _summary(args, doc)


def _summary(args: argparse.Namespace, doc: Document) -> int:
    console = Console(highlight=False, no_color=bool(os.environ.get("NO_COLOR")))
    counts = Counter(link.kind for link in doc.links)
    targets = [link.target for link in doc.links]
    repos = {t.repo_key for t in targets if isinstance(t, GitHubTarget)}
    papers = {t.arxiv_id for t in targets if isinstance(t, ArxivTarget)}
    if is_terminal(sys.stdout):  # not FORCE_COLOR in a CI log: a table only on a terminal
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
    ignored = sum(lk.ignored for lk in doc.links)
    if ignored:
        print(f"ignored: {ignored} links (disable comments): never checked, no status")
    for link in doc.links:
        if link.target.problem:
            fix = f" — use {link.target.suggestion}" if link.target.suggestion else ""
            print(f"{args.file}:{link.line}: malformed link {link.raw_url} "
                  f"({link.target.problem}){fix}")  # fmt: skip
    if args.verbose:
        for link in doc.links:
            print(f"{link.use_line}:{link.col_start + 1}\t{link.kind}\t{link.raw_url}")
    return EXIT_OK
