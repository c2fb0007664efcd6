"""Links a maintainer asked to silence (their box ticked on the dashboard): the rewrite
proposes the disable comment at the end of each one's line, an actionable change of its
own (`silenced`), so the list records the decision; from the next run on the parser
ignores the line's links like any disabled link.

In the same change the line's links are treated as ignored already: their notes go, a
table row stops counting them and a moved one is not fixed, so nothing churns once the
comment is merged. A silence declined in a closed pull request is held like any declined
change (and the link is left as it was)."""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass, field

from bot.check.model import Judgement
from bot.parse.blocks import line_end
from bot.parse.markdown import Document, Link, Syntax
from bot.render.boxes import link_id
from bot.render.edits import Edit, Held, Memory, item_id

MARK = "<!-- awesome-monitor-disable-line -->"
REASON = "silenced"
# What the change shows (the pull request's line-by-line list; part of its identity).
TEXT = f"{MARK} at the end of the line: its links are no longer checked"


@dataclass
class Silencing:
    """What the rewrite adds for the silenced links."""

    edits: list[Edit] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)
    fell: set[str] = field(default_factory=set)  # what the silenced links showed: dead, archived

    def joined(self, edits: list[Edit]) -> list[Edit]:
        """The rewrite's edits with the silence's: a change that only follows from it (the
        silenced line's note going, a table row no longer counting its dead or archived
        link) is part of the silence, said under its reason, not as a link back alive."""
        if not self.edits:
            return edits
        lines = {e.line for e in self.edits}
        follows = {"revived"} if "dead" in self.fell else set()
        follows |= {"unarchived"} if self.fell & {"archived", "moved"} else set()
        out = []
        for e in edits:
            if e.line in lines and e.kind == "note":
                e = dataclasses.replace(e, reason=REASON, text=TEXT)
            elif e.kind == "cell" and e.reason in follows:
                e = dataclasses.replace(e, reason=REASON)
            out.append(e)
        return out + self.edits


def prepare(
    doc: Document, verdicts: list[Judgement], memory: Memory
) -> tuple[Document, list[Judgement], Silencing]:
    """The document and verdicts the rewrite works from (the silenced lines' links
    ignored, without verdicts), and the edits that silence them."""
    out = Silencing()
    if not memory.silence:
        return doc, verdicts, out
    lines: dict[int, Link] = {}
    for lk in doc.links:
        if (lk.ignored or lk.syntax is Syntax.DEFINITION or lk.use_line in lines
                or link_id(lk.url) not in memory.silence):  # fmt: skip
            continue
        if item_id(REASON, lk.raw_url, TEXT) in memory.declined:
            out.held.append(Held("declined", REASON, lk.raw_url, lk.use_line, TEXT))
            continue
        lines[lk.use_line] = lk
    if not lines:
        return doc, verdicts, out
    for line, lk in sorted(lines.items()):
        at = _end(doc, line, lk)
        out.edits.append(Edit(at, at, f" {MARK}", "comment", line, REASON, lk.raw_url, TEXT))
    # As the parser will see the list once the comment is in: every link of those lines.
    quiet = [lk.line in lines or lk.use_line in lines for lk in doc.links]
    links = [dataclasses.replace(lk, ignored=True) if q else lk
             for lk, q in zip(doc.links, quiet, strict=True)]  # fmt: skip
    gone = {_key(lk) for lk, q in zip(doc.links, quiet, strict=True) if q}
    kept = [v for v in verdicts if _key(v.link) not in gone]
    out.fell = {str(v.verdict) for v in verdicts if _key(v.link) in gone}
    return dataclasses.replace(doc, links=links), kept, out


def _key(lk: Link) -> tuple[int, int, int]:
    return lk.start, lk.end, lk.use_line


def _end(doc: Document, line: int, lk: Link) -> int:
    """Where the comment goes: the end of the line's text (before trailing blanks, which
    may be a hard line break), or in a table row the end of the link's own cell (text after
    the row's last pipe would be a cell GitHub drops; the bot's column is rewritten)."""
    for table in doc.tables:
        for row in table.rows:
            if row.line != line:
                continue
            at = min(lk.construct_end, row.end) - 1
            i = bisect.bisect_right([c.start for c in row.cells], at) - 1
            if i >= 0 and row.cells[i].start <= at < row.cells[i].end:
                cell = row.cells[i]
                return cell.start + len(doc.text[cell.start : cell.end].rstrip())
    begin = doc.line_starts[line - 1]
    return begin + len(doc.text[begin : line_end(doc, line - 1)].rstrip(" \t"))
