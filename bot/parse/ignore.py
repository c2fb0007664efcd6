"""Disable comments: links the list's author asked the bot not to check.

    <!-- awesome-monitor-disable-next-line -->   the links of the next line
    <!-- awesome-monitor-disable-line -->        the links of the comment's own line
    <!-- awesome-monitor-disable -->             the links from here …
    <!-- awesome-monitor-enable -->              … to here (no enable: to the end)

markdown-link-check's comments of the same shape (`markdown-link-check-disable`, …)
mean the same. They are HTML comments, so one in a code span or code block is text,
not a directive. A covered link stays in the document with `ignored = True`; a link
written through a definition is covered when its use or its definition is."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bot.parse.blocks import position
from bot.parse.model import Document, normalise_name

_DIRECTIVE = re.compile(
    r"\s*(?:awesome-monitor|markdown-link-check)-(disable-next-line|disable-line|disable|enable)\s*"
)


@dataclass(frozen=True)
class Directive:
    kind: str  # disable-next-line | disable-line | disable | enable
    start: int  # the comment's span in the document
    end: int


def directive(comment_body: str) -> str | None:
    """The directive an HTML comment's body holds, if it is one."""
    m = _DIRECTIVE.fullmatch(comment_body)
    return m.group(1) if m else None


def apply(doc: Document, directives: list[Directive], use_offsets: dict[int, int]) -> None:
    """Mark the links the directives cover as ignored."""
    if not directives:
        return
    lines: set[int] = set()
    regions: list[tuple[int, int]] = []
    opened: int | None = None
    for d in sorted(directives, key=lambda d: d.start):
        first, last = position(doc, d.start)[0], position(doc, d.end - 1)[0]
        if d.kind == "disable-line":
            lines.update(range(first, last + 1))
        elif d.kind == "disable-next-line":
            lines.add(last + 1)
        elif d.kind == "disable":
            opened = d.end if opened is None else opened
        elif opened is not None:  # enable
            regions.append((opened, d.start))
            opened = None
    if opened is not None:
        regions.append((opened, len(doc.text)))
    starts = [a for a, _ in regions]

    def covered(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and offset < regions[i][1]

    for lk in doc.links:
        use = use_offsets.get(id(lk))
        if (
            lk.line in lines
            or lk.use_line in lines
            or covered(lk.start)
            or (use is not None and covered(use))
        ):
            lk.ignored = True


def ignore_sections(doc: Document, names: list[str]) -> None:
    """Mark the links under the headings named (`[check] exclude_sections`, compared like
    table rows name sections: case, spaces and punctuation aside), subsections included."""
    wanted = {normalise_name(n) for n in names if normalise_name(n)}
    spans = [(s.line, s.end_line) for s in doc.sections if s.key in wanted]
    if not spans:
        return
    for lk in doc.links:
        if any(a <= lk.use_line <= b for a, b in spans):
            lk.ignored = True
