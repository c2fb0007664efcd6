"""Match a table row that has no links of its own (the sample list's Performance
Table) to the heading section that holds its links.

Order: an explicit `[status.sections]` mapping (so a maintainer can always correct
a wrong guess), then equal normalised names, then containment (a heading containing the
row name first, then the closest in length)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.parse.markdown import Document, Row, Section, Table, normalise_name

MIN_CONTAINED = 3


def row_name(table: Table, row: Row) -> str:
    """A row's name: its first non-empty cell, Markdown links reduced to their text."""
    for cell in row.cells:
        text = cell.text.strip()
        if text:
            return text
    return ""


def match_sections(
    doc: Document,
    table: Table,
    mapping: dict[str, str] | None = None,
    rows: Iterable[int] | None = None,
) -> dict[int, Section | None]:
    """Row index (in `table.rows`; only those of `rows`, default all) → the section it
    names, or None. The sections that hold links are found once per document, not once per
    table (a list of thousands of tables and headings otherwise spends minutes here)."""
    first = table.first_line
    with_links, by_key, parent = _index(doc)
    own: set[int] = set()  # the sections holding the table: no row names those
    s = doc.section_at(first)
    while s is not None:
        own.add(id(s))
        s = parent.get(id(s))

    def first_of(key: str) -> Section | None:
        return next((s for s in by_key.get(key, ()) if id(s) not in own), None)

    explicit = {normalise_name(k): normalise_name(v) for k, v in (mapping or {}).items()}
    out: dict[int, Section | None] = {}
    for i in range(len(table.rows)) if rows is None else rows:
        key = normalise_name(row_name(table, table.rows[i]))
        out[i] = _match(key, explicit, first_of, with_links, own) if key else None
    return out


def _index(doc: Document) -> tuple[list[Section], dict[str, list[Section]], dict[int, Section]]:
    """The sections that hold links (in order, and by key), and each section's parent."""
    cache = doc.__dict__.get("_sections_with_links")
    key = (id(doc.sections), len(doc.sections), id(doc.links), len(doc.links))
    if cache is None or cache[0] != key:
        with_links = [s for s in doc.sections if doc.has_links_in(s)]
        by_key: dict[str, list[Section]] = {}
        for s in with_links:
            by_key.setdefault(s.key, []).append(s)
        parent: dict[int, Section] = {}
        stack: list[Section] = []
        for s in doc.sections:
            while stack and stack[-1].level >= s.level:
                stack.pop()
            if stack:
                parent[id(s)] = stack[-1]
            stack.append(s)
        cache = doc.__dict__["_sections_with_links"] = (key, with_links, by_key, parent)
    return cache[1], cache[2], cache[3]


def _match(
    key: str,
    explicit: dict[str, str],
    first_of: Callable[[str], Section | None],
    with_links: list[Section],
    own: set[int],
) -> Section | None:
    if key in explicit and (named := first_of(explicit[key])) is not None:
        return named
    if (equal := first_of(key)) is not None:
        return equal
    # Very short names ("x", "ION") would be found inside anything: equality only.
    contained = [
        s
        for s in with_links
        if id(s) not in own
        and min(len(s.key), len(key)) >= MIN_CONTAINED
        and (key in s.key or s.key in key)
    ]
    if not contained:
        return None
    # A heading that contains the row's name beats a row name that contains a
    # heading ("Inception-ResNet-v2" belongs under "Inceptionv4 && Inception-ResNetv2",
    # not under "ResNet"); then the closest in length.
    return min(contained, key=lambda s: (key not in s.key, abs(len(s.key) - len(key)), s.line))
