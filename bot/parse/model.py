"""What a parsed list is made of: links with their exact spans, tables, sections."""

from __future__ import annotations

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


@dataclass
class Cell:
    start: int  # absolute offsets of the cell text between its pipes
    end: int
    text: str


@dataclass
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


@dataclass
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
        return self.target.kind.value

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
            by_line: dict[int, Section] = {}
            for s in self.sections:
                for n in range(s.line, s.end_line + 1):
                    best = by_line.get(n)
                    if best is None or s.level >= best.level:
                        by_line[n] = s
            cache = self.__dict__["_section_index"] = (key, by_line)
        return cache[1].get(line)

    def links_in_section(self, section: Section) -> list[Link]:
        return [lk for lk in self.links if section.line <= lk.use_line <= section.end_line]


def normalise_name(name: str) -> str:
    """Case, spaces and punctuation ignored: `Inception-ResNet-v2` → `inceptionresnetv2`."""
    return re.sub(r"[\W_]+", "", name.casefold())
