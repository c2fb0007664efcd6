"""The report of a run: its groups (dead, moved, archived, …: one item per distinct link), the
terminal and Markdown renderings, the JSON report, and the unified diff."""

from __future__ import annotations

import difflib
import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

from bot.check.model import CheckResult, Judgement
from bot.check.providers import REGISTRY, report_keys, scan_keys
from bot.config import Config
from bot.parse.markdown import Document, Link
from bot.render.caps import SHOWN
from bot.render.done import Done
from bot.render.fit import SUMMARY, fit
from bot.render.groups import groups, tally
from bot.render.templating import environment


def scan_entry(link: Link) -> dict[str, Any]:
    """What `scan` knows of a link without the network: its place, and what its target
    says (each provider declares its keys: `bot.check.providers.scan_keys`)."""
    t = link.target
    values: dict[str, Any] = {
        "url": link.raw_url,
        "line": link.use_line,
        "kind": str(t.kind),
        "syntax": link.syntax.value,
        "column": link.col_start + 1,
        "section": link.section.title if link.section else None,
        "ignored": link.ignored,
        **t.scan_fields(),
    }
    entry = {key: values.get(key) for key in scan_keys()}
    if t.problem:
        entry["problem"] = t.problem
        entry["suggestion"] = t.suggestion
    return entry


def scan_report(name: str, doc: Document) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for link in doc.links:
        counts[link.kind] = counts.get(link.kind, 0) + 1
    return {
        "file": name,
        "links": [scan_entry(link) for link in doc.links],
        "summary": {
            "links": len(doc.links),
            "by_kind": counts,
            "ignored": sum(lk.ignored for lk in doc.links),
        },
    }


def json_chunks(report: Any) -> Iterator[str]:
    """A report as indented JSON, in pieces: `json.dumps(indent=…)` joins millions of small
    pieces into one string, which for a 50,000-link report cost ~120 MB of peak memory."""
    yield from json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(report)
    yield "\n"


def check_entry(v: Judgement) -> dict[str, Any]:
    """One link of the `check` report (the keys the README lists under `--json`): the
    verdict, and what its target and its observation say (each provider declares its
    keys: `bot.check.providers.report_keys`)."""
    t, obs = v.link.target, v.observation
    values: dict[str, Any] = {
        "url": v.link.raw_url,
        "line": v.link.use_line,
        "kind": str(t.kind),
        "verdict": v.verdict,
        "moved_to": v.moved_to,
        "failures_in_a_row": v.failures_in_a_row,
        "error": v.error,
        **t.report_fields(),
        **(obs.report_fields(v.stale) if obs is not None else {}),
    }
    return {key: values.get(key) for key in report_keys()}


def check_report(name: str, result: CheckResult, stale_after: int = 730) -> dict[str, Any]:
    return {
        "file": name,
        "links": [check_entry(v) for v in result.verdicts],
        "summary": tally(result, groups(result, stale_after)),
        "requests": dict(result.requests),
    }


def render_report(
    cfg: Config, name: str, result: CheckResult, template: str = "report.txt.j2"
) -> str:
    env = environment(cfg.templates)
    g = groups(result, cfg.status.stale_after)
    text = env.get_template(template).render(
        file=name,
        limit=SHOWN,
        summary=tally(result, g),
        counted=counted(result.counts),
        requests=requests_text(result.requests, result.counts),
        down=sorted(result.down),
        g=g,
        notes=result.notes,
    )
    return re.sub(r"\n{3,}", "\n\n", text).lstrip("\n")  # empty groups leave blank lines


# The job summary shows the first `SHOWN` items of each group (as the terminal and the
# dashboard do), then all of them in a collapsed list (the PR body and the dashboard point
# there for what they cannot hold); what gives way first when it would pass the 1 MiB GitHub
# keeps: the collapsed lists, the least important first, then the shown items.
SUMMARY_GROUPS = ("dead", "moved", "archived", "new_versions", "stale", "malformed", "failing",
                  "not_checked")  # fmt: skip
_LEAST_FIRST = ("not_checked", "failing", "malformed", "stale", "new_versions", "archived",
                "moved", "dead")  # fmt: skip
SUMMARY_CUTS = (
    *((f"all_{k}", 0) for k in _LEAST_FIRST),
    *((k, 0) for k in _LEAST_FIRST),
)


def job_summary(cfg: Config, name: str, result: CheckResult | None, done: Done | None) -> str:
    """The run's report for `$GITHUB_STEP_SUMMARY`, within GitHub's 1 MiB: what the run did
    first (`done`; an incomplete check says so itself), then its findings (none when the run
    stopped before its check had a result)."""
    env = environment(cfg.templates)
    template = env.get_template("report.md.j2")
    ctx: dict[str, Any] = {"file": name, "done": done, "cap": SHOWN,
                           "summary": None, "incomplete": None}  # fmt: skip
    totals: dict[str, int] = {}
    if result is not None:
        g = groups(result, cfg.status.stale_after)
        ctx.update(summary=tally(result, g), g=g, incomplete=incomplete(result),
                   requests=requests_text(result.requests, result.counts))  # fmt: skip
        for k in SUMMARY_GROUPS:
            n = len(getattr(g, k))
            totals[k], totals[f"all_{k}"] = min(n, SHOWN), n if n > SHOWN else 0
    text, _ = fit(lambda shown: template.render({**ctx, "shown": shown}), totals,
                  SUMMARY_CUTS, SUMMARY)  # fmt: skip
    return re.sub(r"\n{3,}", "\n\n", text).lstrip("\n")


def incomplete(result: CheckResult) -> dict[str, Any] | None:
    """Why the check is incomplete, for the words (None: it is complete)."""
    if not result.incomplete:
        return None
    titles = {p.name: p.title for p in REGISTRY}
    return {
        "signal": result.interrupted,
        "answered": result.answered,
        "total": sum(result.counts.values()),
        "refused": result.refused,
        "cut_short": result.cut_short,
        "down": [titles.get(k, k) for k in sorted(result.down)],
    }


def unified_diff(path: str, old: str, new: str) -> str:
    """The change as a unified diff (3 lines of context). The bot's rewrites change lines
    in place, never adding or removing one: then the lines are paired as they stand, in
    linear time, where difflib's matching is quadratic in the changed lines (hours for a
    200,000-line list whose every line gets a note)."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    head = [f"--- a/{path}\n", f"+++ b/{path}\n"]
    if len(a) != len(b):
        return "".join(difflib.unified_diff(a, b, fromfile=f"a/{path}", tofile=f"b/{path}"))
    changed = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if not changed:
        return ""
    hunks, first = [], changed[0]
    for prev, i in itertools.pairwise(changed):
        if i - prev - 1 > 2 * _CONTEXT:  # more unchanged lines between than two contexts
            hunks.append((first, prev))
            first = i
    hunks.append((first, changed[-1]))
    out = head
    for first, last in hunks:
        lo, hi = max(0, first - _CONTEXT), min(len(a), last + 1 + _CONTEXT)
        out.append(f"@@ -{_range(lo, hi)} +{_range(lo, hi)} @@\n")
        i = lo
        while i < hi:
            j = i
            while j < hi and a[j] != b[j]:
                j += 1
            if j == i:
                out.append(" " + a[i])
                i += 1
                continue
            out += ["-" + line for line in a[i:j]]
            out += ["+" + line for line in b[i:j]]
            i = j
    return "".join(out)


_CONTEXT = 3


def _range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it (difflib's convention)."""
    length = stop - start
    return f"{start + 1}" if length == 1 else f"{start + (length > 0)},{length}"


def counted(counts: dict[str, int]) -> str:
    """`114 repositories, 43 papers, 10 other links`: distinct targets per provider."""
    parts = [f"{counts[p.name]:,} {p.noun if counts[p.name] != 1 else _one(p.noun)}"
             for p in REGISTRY if counts.get(p.name)]  # fmt: skip
    return ", ".join(parts) or "nothing to check"


def _one(noun: str) -> str:
    """`repositories` → `repository`, `other links` → `other link` (a provider's `noun`)."""
    return noun[:-3] + "y" if noun.endswith("ies") else noun.removesuffix("s")


def requests_text(requests: dict[str, int], counts: dict[str, int]) -> str:
    """`GitHub 2, arXiv 1, web 14`: the services this list needs, as people write them."""
    titles = {p.name: p.title for p in REGISTRY}
    used = {k: n for k, n in requests.items() if n or counts.get(k)}
    return ", ".join(f"{titles.get(k, k)} {n}" for k, n in used.items()) or "none"
