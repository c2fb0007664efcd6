"""The words of a review: the terminal report, the Markdown of the sticky comment and the job
summary (each fitted to what GitHub keeps), and the `--json` report."""

from __future__ import annotations

import re
from typing import Any

from bot.config import Config
from bot.render.caps import SHOWN
from bot.render.fit import Limit, fit
from bot.render.report import requests_text
from bot.render.review import Review
from bot.render.templating import environment, plural

TEXT_TEMPLATE = "review.txt.j2"
MARKDOWN_TEMPLATE = "review.md.j2"
# What gives way first when a review does not fit (a pull request adding a whole list).
CUTS = (("fine", 0), ("warnings", 50), ("blocking", 50), ("warnings", 0), ("blocking", 0))


def counts(review: Review) -> dict[str, int]:
    """The one tally every output of a review prints."""
    by_kind: dict[str, int] = {}
    for r in review.links:
        for f in r.findings:
            by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
    return {
        "added": len(review.links) + review.skipped,
        "skipped": review.skipped,
        "blocking": len(review.blocking),
        "warnings": len(review.warnings),
        "fine": len(review.fine),
        **{f"finding_{k}": n for k, n in sorted(by_kind.items())},
    }


def _context(review: Review, cfg: Config) -> dict[str, Any]:
    result = review.result
    return {
        "r": review,
        "n": counts(review),
        "requests": requests_text(review.requests, result.counts) if result else "none",
        "notes": result.notes if result else [],
        "fail_on": cfg.review.fail_on,
        "cap": SHOWN,  # the terminal's lists (`bot.render.caps`)
        "rules": {
            "dead_after": plural(cfg.check.dead_after, "failed run"),
            "dead_after_days": f"{cfg.check.dead_after_days:g} "
            + ("day" if cfg.check.dead_after_days == 1 else "days"),
        },  # fmt: skip
    }


def review_text(review: Review, cfg: Config) -> str:
    """The report on the terminal."""
    text = environment(cfg.templates).get_template(TEXT_TEMPLATE).render(_context(review, cfg))
    return re.sub(r"\n{3,}", "\n\n", text).lstrip("\n")


def review_markdown(
    review: Review, cfg: Config, limit: Limit, marker: str = "", where: str = "", footer: str = ""
) -> str:
    """The sticky comment (`marker` first) or the job summary, within `limit`: every
    blocking link first, then those to look at, then the fine ones, each section cut at a
    whole item when it must be, with a count of the rest and `where` they are."""
    template = environment(cfg.templates).get_template(MARKDOWN_TEMPLATE)
    ctx = {**_context(review, cfg), "marker": marker, "footer": footer,
           "where": where or "`awesome-monitor review --json` lists every one"}  # fmt: skip
    totals = {"blocking": len(review.blocking), "warnings": len(review.warnings),
              "fine": len(review.fine)}  # fmt: skip
    text, _ = fit(lambda shown: template.render({**ctx, "shown": shown}), totals, CUTS, limit)
    return re.sub(r"\n{3,}", "\n\n", text).lstrip("\n")


def review_report(review: Review) -> dict[str, Any]:
    """The `--json` report: every added link with its findings, the tally, the requests."""
    links = []
    for r in review.links:
        v, t = r.verdict, r.link.target
        links.append({
            "url": r.url,
            "line": r.line,
            "kind": t.kind.value,
            "verdict": v.verdict.value if v else None,
            "blocking": r.blocking,
            "findings": [{"kind": f.kind, "detail": f.detail, "blocking": f.blocking}
                         for f in r.findings],
            "duplicate_of": ({"url": r.duplicate_of.raw_url, "line": r.duplicate_of.line}
                             if r.duplicate_of else None),
            "moved_to": v.moved_to if v else None,
            "error": v.error if v else None,
            "failures_in_a_row": v.failures_in_a_row if v else 0,
            "shows": r.shows or None,
        })  # fmt: skip
    return {
        "file": review.file,
        "base": review.base,
        "links": links,
        "summary": counts(review),
        "requests": review.requests,
        "complete": not (review.result and review.result.incomplete),
    }
