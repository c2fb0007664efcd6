"""awesome-lint as an oracle for the rewrite (issue 10, item 9): the rewrite may add no
awesome-lint problem, counted per rule.

What awesome-lint 2.3.0 does with the bot's additions, shown on hand-made (before, after)
pairs: every pair is linted in one Node process (module fixture), each test reads its
pairs' counts. Then a reference way of writing the Status column (pad every new cell to
one width set by the delimiter's dashes, in the padding style the document already has)
is shown to add nothing on the sample and on every corpus table.

Skips with the reason when Node.js or the pinned package is missing (tests/awesome_lint.py
says how to install it)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests import awesome_lint as al
from tests.conftest import ROOT, corpus_files

SAMPLE_PATH = ROOT / "data" / "awesome-image-classification-2019.md"
HEAD = "# Awesome Test [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
# A table must not end the file: remark-lint's message control drops reports placed after
# the document's last text (the right edge of the last row's last cell).
END = "\nThe end.\n"
NOTE = "<!-- awesome-monitor -->★ 1.2k · 2016-09<!-- /awesome-monitor -->"


def doc(body: str) -> str:
    return HEAD + body.strip("\n") + "\n" + END


# name -> (before, after). Tables: the bot appends a last column.
PAIRS: dict[str, tuple[str, str]] = {
    # (a) an aligned table + an unpadded column: one report per new cell that is narrower
    # (left + content + right) than the widest cell of the new column.
    "aligned+unpadded": (
        """
| Name | Stars |
| ---- | ----- |
| foo  | 12    |
| b    | 3     |
""",
        """
| Name | Stars | Status |
| ---- | ----- | --- |
| foo  | 12    | ★ 1.2k · 2016-09 |
| b    | 3     | ★ 3 · 2020-01 |
""",
    ),
    # (b) the same, every new cell padded to one width: nothing.
    "aligned+padded": (
        """
| Name | Stars |
| ---- | ----- |
| foo  | 12    |
| b    | 3     |
""",
        """
| Name | Stars | Status           |
| ---- | ----- | ---------------- |
| foo  | 12    | ★ 1.2k · 2016-09 |
| b    | 3     | ★ 3 · 2020-01    |
""",
    ),
    # Slack: the delimiter's dashes set the width, wider than any status: nothing. A status
    # that changes within the width rewrites only its own row.
    "aligned+padded+slack-in-dashes": (
        """
| Name | Stars |
| ---- | ----- |
| foo  | 12    |
""",
        """
| Name | Stars | Status <!-- awesome-monitor --> |
| ---- | ----- | ------------------------------- |
| foo  | 12    | ★ 1.2k · 2016-09                |
""",
    ),
    # Slack as spaces only (no cell's content reaches the width): table-cell-padding
    # reports every cell with more than 1 + (widest content - own content) spaces.
    "aligned+padded+slack-in-spaces-only": (
        """
| Name | Stars |
| ---- | ----- |
| foo  | 12    |
| b    | 3     |
""",
        """
| Name | Stars | Status                   |
| ---- | ----- | ----------------         |
| foo  | 12    | ★ 1.2k · 2016-09         |
| b    | 3     | ★ 3 · 2020-01            |
""",
    ),
    # (c) an unaligned table: the rule measures each column on its own, so a new column
    # of one width adds nothing; an unpadded one adds a report per narrower new cell.
    "unaligned+padded": (
        """
| Name | Stars |
| --- | --- |
| foo | 12 |
| b | 3 |
""",
        """
| Name | Stars | Status           |
| --- | --- | ---------------- |
| foo | 12 | ★ 1.2k · 2016-09 |
| b | 3 | ★ 3 · 2020-01    |
""",
    ),
    "unaligned+unpadded": (
        """
| Name | Stars |
| --- | --- |
| foo | 12 |
| b | 3 |
""",
        """
| Name | Stars | Status |
| --- | --- | --- |
| foo | 12 | ★ 1.2k · 2016-09 |
| b | 3 | ★ 3 · 2020-01 |
""",
    ),
    # (d) the header mark counts with its source length (31 characters), like any text.
    "header-mark+unpadded-body": (
        """
| Name | Stars |
| ---- | ----- |
| foo  | 12    |
""",
        """
| Name | Stars | Status <!-- awesome-monitor --> |
| ---- | ----- | --- |
| foo  | 12    | ★ 1.2k · 2016-09 |
""",
    ),
    # Width is counted in UTF-16 code units: an emoji outside the BMP counts 2.
    "utf16-width": (
        """
| Name | Stars |
| ---- | ----- |
| foo  | 12    |
""",
        """
| Name | Stars | Status |
| ---- | ----- | ------ |
| foo  | 12    | 💀 x   |
""",
    ),
    "codepoint-width": (
        """
| Name | Stars |
| ---- | ----- |
| foo  | 12    |
""",
        """
| Name | Stars | Status |
| ---- | ----- | ------ |
| foo  | 12    | 💀 x    |
""",
    ),
    # Padding style ('consistent'): decided once per document, by the first table's last
    # widest cell. A new column padded the other way is reported, and when one of its
    # cells decides it flips the style and the old cells are reported.
    "compact+compact-column": (
        """
|Name|Stars|
|----|-----|
|foo |12   |
""",
        """
|Name|Stars|Status                  |
|----|-----|------------------------|
|foo |12   |★ 1.2k · 2016-09        |
""",
    ),
    "compact+padded-column": (
        """
|Name|Stars|
|----|-----|
|foo |12   |
""",
        """
|Name|Stars| Status                   |
|----|-----| ------------------------ |
|foo |12   | ★ 1.2k · 2016-09         |
""",
    ),
    # Centred new column: table-cell-padding wants the slack split left/right (at most
    # 1 + ceil(slack / 2) on each side); all of it on the right is reported.
    "center+right-slack": (
        """
|  Name  | Stars |
|:------:|:-----:|
|  foo   |  12   |
""",
        """
|  Name  | Stars | Status           |
|:------:|:-----:|:----------------:|
|  foo   |  12   | ★ 3 · 2020-01    |
""",
    ),
    "center+split-slack": (
        """
|  Name  | Stars |
|:------:|:-----:|
|  foo   |  12   |
""",
        """
|  Name  | Stars |      Status      |
|:------:|:-----:|:----------------:|
|  foo   |  12   |  ★ 3 · 2020-01   |
""",
    ),
    # No trailing pipes: the old last column was not measured on its right; a column
    # after it makes it measured, so its narrower cells are reported ...
    "no-trailing-pipe+append": (
        """
| Name | Stars
| --- | ---
| foo | 12
| b | 3
""",
        """
| Name | Stars | Status
| --- | --- | ---
| foo | 12 | ★ 1.2k · 2016-09
| b | 3 | ★ 3 · 2020-01
""",
    ),
    # ... unless those old cells are padded to one width (a whitespace-only edit).
    "no-trailing-pipe+append+old-column-padded": (
        """
| Name | Stars
| ---- | -----
| foo  | 12
| b    | 3
""",
        """
| Name | Stars | Status
| ---- | ----- | ---
| foo  | 12    | ★ 1.2k · 2016-09
| b    | 3     | ★ 3 · 2020-01
""",
    ),
    # (e) Status cells with links: a URL twice in the document is reported at each use
    # (tables are never exempt; http/https and a trailing slash do not matter).
    "cell-links-unique": (
        """
| Paper                                |
| ------------------------------------ |
| [A](https://arxiv.org/abs/1234.5678) |
| [B](https://arxiv.org/abs/1234.9999) |
""",
        """
| Paper                                | Status                                  |
| ------------------------------------ | --------------------------------------- |
| [A](https://arxiv.org/abs/1234.5678) | [v3](https://arxiv.org/abs/1234.5678v3) |
| [B](https://arxiv.org/abs/1234.9999) | [v2](https://arxiv.org/abs/1234.9999v2) |
""",
    ),
    "cell-links-same-url-twice": (
        """
| Paper                                |
| ------------------------------------ |
| [A](https://arxiv.org/abs/1234.5678) |
| [B](https://arxiv.org/abs/1234.9999) |
""",
        """
| Paper                                | Status                                  |
| ------------------------------------ | --------------------------------------- |
| [A](https://arxiv.org/abs/1234.5678) | [v3](https://arxiv.org/abs/1234.5678v3) |
| [B](https://arxiv.org/abs/1234.9999) | [v3](https://arxiv.org/abs/1234.5678v3) |
""",
    ),
    "cell-link-same-as-paper": (
        """
| Paper                                |
| ------------------------------------ |
| [A](https://arxiv.org/abs/1234.5678) |
""",
        """
| Paper                                | Status                               |
| ------------------------------------ | ------------------------------------ |
| [A](https://arxiv.org/abs/1234.5678) | [v3](http://arxiv.org/abs/1234.5678) |
""",
    ),
    # (e) Notes in lists. At the end of an item: nothing new (an html node may end a
    # description; it even hides the item's punctuation and casing problems).
    "note-at-item-end": (
        """
## Tools

- [name](https://github.com/o/r) - Description.
- [low](https://github.com/o/t) - lower start.
""",
        f"""
## Tools

- [name](https://github.com/o/r) - Description. {NOTE}
- [low](https://github.com/o/t) - lower start. {NOTE}
""",
    ),
    # Between the main link and " - Description": awesome-list-item ("must be separated
    # with a dash"), unless the description starts with a capital letter (a fallback
    # accepts " - [A-Z]" anywhere in the item).
    "note-after-main-link": (
        """
## Tools

- [name](https://github.com/o/r) - Description.
- [three](https://github.com/o/t) - 3D rendering.
""",
        f"""
## Tools

- [name](https://github.com/o/r) {NOTE} - Description.
- [three](https://github.com/o/t) {NOTE} - 3D rendering.
""",
    ),
    # An item that is only a link: any note adds awesome-list-item ...
    "note-on-link-only-item": (
        """
## Tools

- [solo](https://github.com/o/s)
""",
        f"""
## Tools

- [solo](https://github.com/o/s) {NOTE}
""",
    ),
    # ... except in parentheses (a description that is only a parenthetical is allowed).
    "note-on-link-only-item-parenthesised": (
        """
## Tools

- [solo](https://github.com/o/s)
""",
        f"""
## Tools

- [solo](https://github.com/o/s) ({NOTE})
""",
    ),
    # Without its closing mark the note's text ends the description: no punctuation.
    "note-without-closing-mark": (
        """
## Tools

- [name](https://github.com/o/r) - Description.
""",
        """
## Tools

- [name](https://github.com/o/r) - Description. <!-- awesome-monitor -->★ 1.2k
""",
    ),
}

EXPECTED_NEW: dict[str, dict[str, int]] = {
    "aligned+unpadded": {"table-pipe-alignment": 3},  # header, delimiter, 2nd row
    "aligned+padded": {},
    "aligned+padded+slack-in-dashes": {},
    "aligned+padded+slack-in-spaces-only": {"table-cell-padding": 4},
    "unaligned+padded": {},
    "unaligned+unpadded": {"table-pipe-alignment": 3},
    "header-mark+unpadded-body": {"table-pipe-alignment": 2},  # delimiter, body
    "utf16-width": {},
    # 1 space too many: the header and delimiter are now 1 short; the body cell has more
    # right padding than 1 + (widest content - own content).
    "codepoint-width": {"table-pipe-alignment": 2, "table-cell-padding": 1},
    "compact+compact-column": {},
    # The new delimiter is the last widest cell: it flips the document to 'padded' and
    # every old cell side without a space is reported (2 per header/delimiter cell, the
    # left side of each body cell).
    "compact+padded-column": {"table-cell-padding": 10},
    "center+right-slack": {"table-cell-padding": 2},  # header, body
    "center+split-slack": {},
    "no-trailing-pipe+append": {"table-pipe-alignment": 3},
    "no-trailing-pipe+append+old-column-padded": {},
    "cell-links-unique": {},
    "cell-links-same-url-twice": {"double-link": 2},
    "cell-link-same-as-paper": {"double-link": 2},
    "note-at-item-end": {},
    "note-after-main-link": {"awesome-list-item": 1},  # "three"; "name" passes the fallback
    "note-on-link-only-item": {"awesome-list-item": 1},
    "note-on-link-only-item-parenthesised": {},
    "note-without-closing-mark": {"awesome-list-item": 1},
}

BROKEN = """# Awesome Broken

|A|B|
|---|---|
|x|yyyyy|

* [one](https://github.com/o/one) - lower case start.
- [two](https://github.com/o/two) - No punctuation

The end."""  # no final newline


@pytest.fixture(scope="module")
def linted() -> dict[str, tuple[Counter[str], Counter[str]]]:
    """Every pair of PAIRS, and BROKEN, linted in one Node process."""
    al.skip_unless_available()
    names = list(PAIRS)
    assert set(names) == set(EXPECTED_NEW)
    texts = [doc(t) for name in names for t in PAIRS[name]] + [BROKEN]
    results = al.lint_texts(texts)
    assert results is not None
    out = {
        name: (al.per_rule(results[2 * i]), al.per_rule(results[2 * i + 1]))
        for i, name in enumerate(names)
    }
    out["BROKEN"] = (Counter(), al.per_rule(results[-1]))
    return out


def test_new_problems_counts_per_rule() -> None:
    before = Counter({"table-pipe-alignment": 178, "double-link": 4})
    after = Counter({"table-pipe-alignment": 270, "double-link": 4, "awesome-list-item": 1})
    assert al.new_problems(before, after) == {"awesome-list-item": 1, "table-pipe-alignment": 92}
    assert al.new_problems(after, before) == {}
    # A rule that fixes some and adds others elsewhere is judged by its count.
    assert al.new_problems(Counter(a=2), Counter(a=2)) == {}


def test_the_oracle_finds_known_problems(linted) -> None:
    found = linted["BROKEN"][1]
    assert found["table-pipe-alignment"] == 4  # A, x (< ---); B, its --- (< yyyyy)
    assert found["final-newline"] == 1
    assert found["unordered-list-marker-style"] == 1  # "-" after "*"
    assert found["awesome-list-item"] == 2  # casing; punctuation
    assert found["awesome-badge"] == 1
    assert not set(found) & al.REPO_RULES  # left out by default


@pytest.mark.parametrize("name", list(EXPECTED_NEW))
def test_what_the_addition_adds(linted, name: str) -> None:
    before, after = linted[name]
    assert al.new_problems(before, after) == EXPECTED_NEW[name], (before, after)


# -- a reference way of writing the Status column ------------------------------------

_PIPE = re.compile(r"(?<!\\)\|")
_DELIMITER = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def width(s: str) -> int:
    """The width remark-lint measures: UTF-16 code units of the source text."""
    return len(s.encode("utf-16-le")) // 2


def cells(row: str) -> list[tuple[int | None, int]]:
    """(spaces after the opening pipe or None, content width) of each cell of a row."""
    s = row.strip()
    lead = s.startswith("|")
    parts = _PIPE.split(s)
    if lead:
        parts = parts[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        parts = parts[:-1]
    return [
        (len(p) - len(p.lstrip(" ")) if lead or i else None, width(p.strip(" ")))
        for i, p in enumerate(parts)
    ]


def tables(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line indexes of the top-level pipe tables (enough for these lists)."""
    out, i, fence = [], 0, False
    while i < len(lines):
        if lines[i].lstrip().startswith(("```", "~~~")):
            fence = not fence
        elif (
            not fence
            and i + 1 < len(lines)
            and "|" in lines[i]
            and "-" in lines[i + 1]
            and _DELIMITER.match(lines[i + 1])
            and not lines[i].startswith(("    ", "\t", "-", "*", ">"))
        ):
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                j += 1
            out.append((i, j - 1))
            i = j
            continue
        i += 1
    return out


def padded_style(rows: list[str]) -> bool:
    """remark-lint-table-cell-padding 'consistent': the LAST cell (header row, delimiter
    row, body rows; left to right) whose content is the widest of its column decides:
    padded when it has a space after its opening pipe. The document's first table
    decides for every table."""
    measured = [cells(r) for r in rows]
    widest: dict[int, int] = {}
    for r in measured:
        for c, (_, w) in enumerate(r):
            widest[c] = max(widest.get(c, 0), w)
    padded = True
    for r in measured:
        for c, (left, w) in enumerate(r):
            if w and w == widest[c]:
                padded = bool(left)
    return padded


def add_status_column(text: str, statuses, header: str = "Status <!-- awesome-monitor -->",
                      step: int = 8) -> str:  # fmt: skip
    """Append a Status column to every table whose rows all end with a pipe: every new
    cell padded to W = the widest new content rounded up to a multiple of `step`; the
    delimiter is W dashes (no colon: the slack goes right); one space each side of the
    content in a padded document, none in a compact one."""
    lines = text.split("\n")
    found = tables(lines)
    if not found:
        return text
    first = found[0]
    pad = " " if padded_style(lines[first[0] : first[1] + 1]) else ""
    for a, b in found:
        if not all(lines[k].rstrip().endswith("|") for k in range(a, b + 1)):
            continue
        texts = [statuses(k) for k in range(a + 2, b + 1)]
        w = max(3, width(header), *(width(t) for t in texts))
        w = -(-w // step) * step

        def cell(t: str, w: int = w) -> str:
            return pad + t + " " * (w - width(t)) + pad + "|"

        lines[a] = lines[a].rstrip() + cell(header)
        lines[a + 1] = lines[a + 1].rstrip() + cell("-" * w)
        for k, t in zip(range(a + 2, b + 1), texts, strict=True):
            lines[k] = lines[k].rstrip() + cell(t)
    return "\n".join(lines)


STATUSES = [
    "★ 1.2k · 2016-09",
    "★ 39.5k · 2022-02 · v3",
    "dead since 2026-12",
    "",
    "★ 7 · 2020-01 · archived",
    "moved: [v3](https://arxiv.org/abs/{k}.00001v3)",  # one URL per row: no double-link
]


def status(k: int) -> str:
    return STATUSES[k % len(STATUSES)].format(k=k)


def _tables_only(text: str, rows: int = 120) -> str:
    """The list's tables in order (each cut to its first `rows` body rows), one paragraph
    between: the table rules see the same kind of tables (the first still decides the
    padding style) in a fraction of the time (zziz__pwc alone takes 10 s whole)."""
    lines = text.split("\n")
    parts = ["\n".join(lines[a : min(b, a + 1 + rows) + 1]) for a, b in tables(lines)]
    return "# Awesome Tables\n\n" + "\n\nText.\n\n".join(parts) + "\n\nThe end.\n"


def test_reference_column_adds_nothing_on_sample_and_corpus() -> None:
    al.skip_unless_available()
    sources = {"sample": SAMPLE_PATH.read_text(encoding="utf-8")}
    for p in corpus_files():  # ../shared/corpus, when present
        text = p.read_text(encoding="utf-8")
        if text not in sources.values() and tables(text.split("\n")):
            sources[p.name] = text
    befores = [_tables_only(t) for t in sources.values()]
    afters = [add_status_column(t, status) for t in befores]
    assert all(a != b for a, b in zip(afters, befores, strict=True))
    results = al.lint_texts(befores + afters)
    assert results is not None
    n = len(befores)
    for i, name in enumerate(sources):
        before, after = al.per_rule(results[i]), al.per_rule(results[n + i])
        assert al.new_problems(before, after) == {}, name
