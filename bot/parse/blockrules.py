"""Block-level places where cmark-gfm (GitHub) and markdown-it part ways, for links.

Each is a fact about cmark-gfm found by the property test in tests/parse/test_gfm_property.py
and written here as a markdown-it rule (or a wrapper around one):

- a link destination may hold an unbalanced `(` when whitespace or the line ends it;
- a link reference definition starts a paragraph: the lines that would continue that
  paragraph stay one (markdown-it starts a code or HTML block there), and a paragraph
  that a table interrupts keeps its definitions as text;
- `[^label]: …` is a footnote (a container, like a list item), not a definition;
- a line holding one HTML tag (HTML block kind 7) may not interrupt a paragraph, but it
  does end a table, a block quote or list item it is not inside of (no lazy line);
- a `>` indented four spaces more than its block quote is text, not a marker."""

from __future__ import annotations

import re

from markdown_it import helpers
from markdown_it.common.utils import normalizeReference, unescapeAll
from markdown_it.rules_block import blockquote as md_blockquote
from markdown_it.rules_block import paragraph as md_paragraph
from markdown_it.rules_block import reference as md_reference
from markdown_it.rules_block import table as md_table
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.rules_block.state_block import StateBlock

_FOOTNOTE_DEF = re.compile(r"\[\^([^\] \t\r\n\x00]+)\]:")
_HTML_TAG_LINE = HTML_SEQUENCES[-1][0]  # a line that is one open or closing tag (kind 7)
_PARAGRAPHS = "_gfm_paragraph_ends"  # env cache: (line, indent) → (end line, table ends it)


def destination(src: str, pos: int, maximum: int):  # noqa: ANN201 (markdown-it's result type)
    """markdown-it's link destination, plus what cmark-gfm also takes: a destination with
    an unbalanced `(` that whitespace or the end ends (`[a](https://x/y(z "t")`,
    `[r]: https://x/y(z`); nesting deeper than 32 is still refused."""
    res = helpers.parseLinkDestination(src, pos, maximum)
    if res.ok or src.startswith("<", pos):
        return res
    level, i = 0, pos
    while i < maximum:
        ch = src[i]
        if ch <= " " or ch == "\x7f":
            break
        if ch == "\\" and i + 1 < maximum and src[i + 1] != " ":
            i += 2
            continue
        if ch == "(":
            level += 1
            if level > 32:
                return res
        elif ch == ")":
            if level == 0:
                break
            level -= 1
        i += 1
    if i == pos or level == 0:
        return res
    res.ok, res.pos, res.str = True, i, unescapeAll(src[pos:i])
    return res


def _interrupts(state: StateBlock, line: int, end_line: int) -> bool:
    if state.sCount[line] - state.blkIndent >= 4:
        return False  # indented code cannot interrupt a paragraph
    return any(
        rule(state, line, end_line, True) for rule in state.md.block.ruler.getRules("paragraph")
    )


def _paragraph_end(state: StateBlock, line: int, end_line: int) -> tuple[int, bool]:
    """Where the paragraph holding `line` ends, and whether a table interrupts it
    (computed once per paragraph: a list's hundred definitions share one)."""
    cache = state.env.setdefault(_PARAGRAPHS, {})
    key = (line, state.blkIndent)
    if key in cache:
        return cache[key]
    nxt, table = line + 1, False
    while nxt < end_line and not state.isEmpty(nxt) and state.sCount[nxt] >= state.blkIndent:
        if _interrupts(state, nxt, end_line):
            table = md_table(state, nxt, end_line, True)
            break
        nxt += 1
    for n in range(line, nxt):
        cache[(n, state.blkIndent)] = (nxt, table)
    return nxt, table


def reference(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's link reference definition, where cmark-gfm has one: not in a
    paragraph a table interrupts, and followed by the rest of its paragraph."""
    if not md_reference(state, start_line, end_line, True):
        return False
    if _paragraph_end(state, start_line, end_line)[1]:
        return False  # cmark-gfm's table takes the paragraph before definitions are read
    if silent:
        return True
    md_reference(state, start_line, end_line, False)
    after = state.line
    if after >= end_line or state.isEmpty(after) or state.sCount[after] < state.blkIndent:
        return True  # the paragraph ended (or a lazy line: left to the container)
    if md_reference(state, after, end_line, True) or _interrupts(state, after, end_line):
        return True  # the next definition, or a block that may interrupt a paragraph
    md_paragraph(state, after, end_line, False)
    return True


def blockquote(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's block quote, except that a later line with its `>` indented four
    or more spaces is a lazy line (CommonMark: a marker has at most three spaces
    before it), where markdown-it would take the `>` as a marker."""
    first = state.bMarks[start_line] + state.tShift[start_line]
    if silent or not state.src.startswith(">", first):
        return md_blockquote(state, start_line, end_line, silent)
    hidden = []
    for line in range(start_line + 1, end_line):
        if state.isEmpty(line):
            break
        begin = state.bMarks[line] + state.tShift[line]
        if state.sCount[line] - state.blkIndent >= 4 and state.src[begin] == ">":
            state.tShift[line] -= 1  # markdown-it looks for `>` here: let it see a space
            hidden.append(line)
    try:
        return md_blockquote(state, start_line, end_line, silent)
    finally:
        for line in hidden:
            state.tShift[line] += 1


def footnote_def(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`[^label]: text`, continued by lines indented four spaces (a container, like a
    list item); cmark-gfm's footnote definition, which may interrupt a paragraph. The
    first definition of a label is the one shown."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    line_end = state.eMarks[start_line]
    m = _FOOTNOTE_DEF.match(state.src, begin, line_end)
    if m is None:
        return False
    if silent:
        return True
    label = normalizeReference(m.group(1))
    defined = state.env.setdefault("footnotes", set())
    first = label not in defined
    defined.add(label)
    content = m.end()
    while content < line_end and state.src[content] in " \t":
        content += 1
    saved = (
        state.bMarks[start_line],
        state.tShift[start_line],
        state.sCount[start_line],
        state.blkIndent,
        state.parentType,
    )
    state.bMarks[start_line] = m.end()
    state.tShift[start_line] = content - m.end()
    state.blkIndent += 4
    state.sCount[start_line] = state.blkIndent
    state.parentType = "footnote"
    opening = state.push("footnote_open", "", 1)
    opening.meta = {"label": label if first else None}
    state.md.block.tokenize(state, start_line, end_line)
    state.push("footnote_close", "", -1)
    opening.map = [start_line, max(state.line, start_line + 1)]
    (
        state.bMarks[start_line],
        state.tShift[start_line],
        state.sCount[start_line],
        state.blkIndent,
        state.parentType,
    ) = saved
    return True


def _tag_line(state: StateBlock, line: int) -> bool:
    if state.sCount[line] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[line] + state.tShift[line]
    return _HTML_TAG_LINE.search(state.src[begin : state.eMarks[line]]) is not None


def tag_line_ends_container(
    state: StateBlock, start_line: int, end_line: int, silent: bool
) -> bool:
    """Only a terminator (of tables and of block quotes' lazy lines): a lone HTML tag."""
    return silent and _tag_line(state, start_line)


def tag_line_ends_lazy(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Only a terminator of paragraphs: a lone HTML tag on a lazy line of a list item or
    footnote (less indented than its content) ends the paragraph and the container."""
    return silent and state.sCount[start_line] < state.blkIndent and _tag_line(state, start_line)
