"""The words of the dashboard issue: its title and body (the bot's open pull request, every
durable finding with its line, a box that silences each dead, moved or archived link, a
"check now" box, the declined changes with a box each; fitted to GitHub's limits), the
notes the bot leaves when it closes one, and the reading back of a body: which findings it
lists, whether an issue is the list's dashboard (its boxes: `bot.render.boxes`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.check.model import CheckResult
from bot.config import Config
from bot.render import caps
from bot.render.boxes import CHECK_NOW, SILENCE, UNDECLINE, link_id, mark
from bot.render.dashboard_acts import Acts
from bot.render.fit import BODY, clip_title, fit
from bot.render.groups import Groups, tally
from bot.render.meta import meta_comment, read_meta
from bot.render.pr_text import REASONS
from bot.render.report import counted
from bot.render.silence import MARK
from bot.render.templating import environment, inline_code

KIND = "dashboard"
# Sections in reading order, with their heading (the template writes it, the parser of an
# old body reads it back to keep ticks).
HEADINGS = {
    "dead": "Dead links",
    "moved": "Moved repositories",
    "archived": "Archived repositories",
    "stale": "Stale repositories",
    "malformed": "Malformed links",
    "not_checked": "Not checked this run",
}
FINDINGS = ("dead", "moved", "archived", "stale", "malformed")  # what keeps it open
BOXED = ("dead", "moved", "archived")  # a box silences the link (`bot.render.boxes`)
# What gives way first when the body would pass GitHub's 65,536 characters.
CUTS = (
    ("not_checked", 0), ("stale", 0), ("declined", 0), ("malformed", 20), ("archived", 20),
    ("moved", 20), ("dead", 20), ("malformed", 0), ("archived", 0), ("moved", 0), ("dead", 0),
)  # fmt: skip

_HEADING = re.compile(r"^#{1,6}\s+(.+?)(?:\s+\(\d+\))?\s*$")
# An item of a section: with a box (and its hidden id) or without one.
_ITEM = re.compile(r"^\s*[-*+]\s+(?:\[([ xX])\]\s*(?:<!--[^>]*-->)?)?\s*line \d+: `([^`]*)`")

CLOSE_NOTE = (
    "Nothing is left to act on: every link this issue listed is fixed, gone from the list, "
    "or recovered. awesome-monitor closes it, and reopens it when something new turns up."
)


def duplicate_note(kept: int) -> str:
    return (
        f"Duplicate of #{kept}: awesome-monitor keeps one dashboard issue per list (the "
        "oldest), so it closes this one. Nothing is lost: #"
        f"{kept} lists the same links."
    )


@dataclass
class Texts:
    title: str
    body: str
    shown: set[tuple[str, str]]  # (section, url) of every finding the body lists


def is_dashboard(body: str | None, path: str) -> bool:
    meta = read_meta(body)
    return meta.get("kind") == KIND and meta.get("path", path) == path


def listed(body: str | None) -> set[tuple[str, str]]:
    """(section, url as the code filter wrote it) of the findings a body lists."""
    by_title = {title: key for key, title in HEADINGS.items()}
    section, out = "", set()
    for line in normalized(body).splitlines():
        heading = _HEADING.match(line)
        if heading:
            section = by_title.get(heading.group(1).strip(), "")
            continue
        item = _ITEM.match(line)
        if item and section:
            out.add((section, item.group(2)))
    return out


def normalized(body: str | None) -> str:
    """A body as compared: GitHub's web editor saves CRLF line endings."""
    return (body or "").replace("\r\n", "\n").rstrip()


def render(
    cfg: Config,
    path: str,
    result: CheckResult,
    g: Groups,
    base: str,
    acts: Acts,
    clean: bool,
) -> Texts:
    env = environment(cfg.templates)
    boxed = {i.url for key in BOXED for i in getattr(g, key)}  # as written (`raw_url`)
    ids = {v.link.raw_url: link_id(v.link.url) for v in result.verdicts if v.link.raw_url in boxed}

    def silence_box(url: str) -> str:
        """A silence box, ticked as it was, with its hidden id (the link's)."""
        ident = ids[url]
        return f"[{'x' if ident in acts.silence else ' '}] {mark(SILENCE, ident)}"

    ctx: dict[str, Any] = {
        "path": path,
        "base": base,
        "g": g,
        "summary": tally(result, g),
        "counted": counted(result.counts),
        "headings": HEADINGS,
        "boxed": BOXED if acts.proposes else (),
        "silence_box": silence_box,
        "acts": acts,
        "declined_box": lambda ident: f"[ ] {mark(UNDECLINE, ident)}",
        "check_now": f"[ ] {mark(CHECK_NOW)}",
        "disable": MARK,
        "reasons": REASONS,
        "clean": clean,
        "stale_after": cfg.status.stale_after,
        "meta": meta_comment({"kind": KIND, "path": path}),
    }
    title = clip_title(env.get_template("issue_title.txt.j2").render(ctx).strip())
    template = env.get_template("issue_body.md.j2")
    totals = {key: min(len(getattr(g, key)), caps.SHOWN) for key in HEADINGS}  # fewer to fit
    totals["declined"] = min(len(acts.declined), caps.SHOWN)
    body, most = fit(lambda shown: template.render({**ctx, "shown": shown}), totals, CUTS, BODY)
    shown = set() if clean else {
        (key, inline_code(i.url)) for key in FINDINGS for i in getattr(g, key)[: most[key]]
    }  # fmt: skip
    return Texts(title, body, shown)


# What a dry run says it would do.
WOULD = {
    "none": "no issue: nothing to act on",
    "open": "would open the dashboard issue",
    "leave": "would leave #{n} as it is (nothing new)",
    "update": "would update #{n}",
    "close": "would close #{n} (nothing left to act on)",
    "reopen": "would reopen #{n} (a new finding)",
    "dismissed": "would leave #{n} closed (closed by a maintainer; nothing new)",
}
