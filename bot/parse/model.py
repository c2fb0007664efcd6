"""What a parsed list is made of: links with their exact spans, tables, sections."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.parse.target import Target

# Bot-owned notes look like `<!-- awesome-monitor -->…<!-- /awesome-monitor -->`;
# links inside them are the bot's own output, never part of the list.
NOTE_OPEN = "<!-- awesome-monitor -->"
NOTE_CLOSE = "<!-- /awesome-monitor -->"
# The header cell of the bot's own table column carries this (a column without it is not
# the bot's, whatever its name): its cells are the bot's output, never list links.
COLUMN_MARK = "<!-- awesome-monitor column -->"


class Syntax(StrEnum):
    INLINE = "inline"  # [t](u)
    IMAGE = "image"  # ![a](u), and ![a][r] (position is the definition's URL)
    REFERENCE = "reference"  # [t][r] — position is the definition's URL
    DEFINITION = "definition"  # [r]: u (only definitions a link uses)
    AUTOLINK = "autolink"  # <u>
    BARE = "bare"  # u, www.u (GFM's extended autolinks)
    HTML = "html"  # <a href="u">, <img src="u">


@dataclass
class Section:
    title: str
    level: int
    line: int  # 1-based line of the heading
    end_line: int  # last line of the section (inclusive)

    @property
    def key(self) -> str:
        return normalise_name(self.title)


@dataclass(slots=True)
class Cell:
    start: int  # absolute offsets of the cell text between its pipes
    end: int
    text: str


@dataclass(slots=True)
class Row:
    line: int  # 1-based
    start: int  # absolute offset of the line start
    end: int  # absolute offset of the line end (before the newline)
    cells: list[Cell]
    leading_pipe: bool
    trailing_pipe: bool


@dataclass
class Table:
    header: Row
    delimiter: Row
    rows: list[Row]
    section: Section | None = None
    nested: bool = False  # inside a list item or block quote: rows carry a prefix

    @property
    def first_line(self) -> int:
        return self.header.line

    @property
    def last_line(self) -> int:
        return self.rows[-1].line if self.rows else self.delimiter.line


@dataclass(slots=True)
class Link:
    raw_url: str  # exactly text[start:end]
    target: Target
    syntax: Syntax
    text: str  # link text, alt text, or the label
    line: int  # 1-based line of the URL text
    col_start: int  # 0-based, in characters, within that line
    col_end: int
    start: int  # absolute character offsets in the document text
    end: int
    use_line: int  # where a reader sees the link (differs for reference uses)
    construct_end: int  # offset just after the whole link construct, for notes
    section: Section | None = None
    # Where a click goes, as GitHub renders it: escapes and entities of the source
    # decoded, `http://` before a `www.` autolink; not yet percent-encoded.
    href: str = ""
    # Covered by a disable comment (`<!-- awesome-monitor-disable-line -->`, …):
    # listed, never checked.
    ignored: bool = False

    @property
    def kind(self) -> str:
        return str(self.target.kind)

    @property
    def url(self) -> str:
        return self.target.url


@dataclass
class Document:
    text: str
    links: list[Link] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)

    def section_at(self, line: int) -> Section | None:
        """The innermost section holding a 1-based line (the last of equals)."""
        key = (id(self.sections), len(self.sections))
        cache = self.__dict__.get("_section_index")
        if cache is None or cache[0] != key:
            # One pass over the sections, not one per lookup: a 50,000-link list
            # with 500 headings otherwise spends seconds here.
            last = max((s.end_line for s in self.sections), default=0)
            by_line: list[Section | None] = [None] * (last + 1)
            for s in self.sections:
                for n in range(s.line, s.end_line + 1):
                    best = by_line[n]
                    if best is None or s.level >= best.level:
                        by_line[n] = s
            cache = self.__dict__["_section_index"] = (key, by_line)
        return cache[1][line] if 0 <= line < len(cache[1]) else None

    def links_in_section(self, section: Section) -> list[Link]:
        """The links used in a section's lines, in order (found by bisection: a table
        of rows named after sections asks once per row)."""
        lines, order = self._by_use_line()
        a = bisect.bisect_left(lines, section.line)
        b = bisect.bisect_right(lines, section.end_line)
        return [self.links[i] for i in sorted(order[a:b])]

    def has_links_in(self, section: Section) -> bool:
        lines, _ = self._by_use_line()
        a = bisect.bisect_left(lines, section.line)
        return a < len(lines) and lines[a] <= section.end_line

    def _by_use_line(self) -> tuple[list[int], list[int]]:
        """The links' use lines, sorted, and the index of the link of each."""
        key = (id(self.links), len(self.links))
        cache = self.__dict__.get("_use_lines")
        if cache is None or cache[0] != key:
            order = sorted(range(len(self.links)), key=lambda i: self.links[i].use_line)
            cache = (key, [self.links[i].use_line for i in order], order)
            self.__dict__["_use_lines"] = cache
        return cache[1], cache[2]


def normalise_name(name: str) -> str:
    """Case, spaces and punctuation ignored: `Inception-ResNet-v2` → `inceptionresnetv2`."""
    return re.sub(r"[\W_]+", "", name.casefold())
