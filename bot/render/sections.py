"""Match a table row that has no links of its own (the sample list's Performance
Table) to the heading section that holds its links.

Order: an explicit `[status.sections]` mapping (so a maintainer can always correct
a wrong guess), then equal normalised names, then containment (a heading containing the
row name first, then the closest in length)."""

from __future__ import annotations

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
    doc: Document, table: Table, mapping: dict[str, str] | None = None
) -> dict[int, Section | None]:
    """Row index (in `table.rows`) → the section it names, or None."""
    first = table.first_line
    candidates = [
        s
        for s in doc.sections
        if doc.links_in_section(s) and not s.line <= first <= s.end_line  # not the table's own
    ]
    by_key: dict[str, Section] = {}
    for s in candidates:
        by_key.setdefault(s.key, s)
    explicit = {normalise_name(k): normalise_name(v) for k, v in (mapping or {}).items()}
    out: dict[int, Section | None] = {}
    for i, row in enumerate(table.rows):
        key = normalise_name(row_name(table, row))
        out[i] = _match(key, explicit, by_key, candidates) if key else None
    return out


def _match(
    key: str, explicit: dict[str, str], by_key: dict[str, Section], candidates: list[Section]
) -> Section | None:
    if key in explicit and explicit[key] in by_key:
        return by_key[explicit[key]]
    if key in by_key:
        return by_key[key]
    # Very short names ("x", "ION") would be found inside anything: equality only.
    contained = [
        s
        for s in candidates
        if min(len(s.key), len(key)) >= MIN_CONTAINED and (key in s.key or s.key in key)
    ]
    if not contained:
        return None
    # A heading that contains the row's name beats a row name that contains a
    # heading ("Inception-ResNet-v2" belongs under "Inceptionv4 && Inception-ResNetv2",
    # not under "ResNet"); then the closest in length.
    return min(contained, key=lambda s: (key not in s.key, abs(len(s.key) - len(key)), s.line))
