"""What a change adds to a list: the links written in the new version that the old one did
not have (new entries, and links whose address was altered), each at the changed line it is
written on. A change that rewords, moves or deletes entries adds none.

A link is counted once per place its address is written: the uses of a reference share
their definition's span, so a new use of an existing definition adds nothing. Addresses
are compared as the parser classified them (`Target.url`: a repository's `.git`, a
trailing slash or `www.` do not make a new link), and by how many times each is written:
an address the old version wrote once and the new one twice was added once, at the
occurrence on a changed line."""

from __future__ import annotations

import difflib
import re
from collections import Counter

from bot.parse.model import Document, Link

_LINE_BREAK = re.compile(r"\r\n|\n|\r")  # the parser's line breaks (`blocks.line_starts`)


def written(doc: Document) -> list[Link]:
    """One link per place an address is written (the first link found at each span),
    in the order of the text."""
    seen: dict[int, Link] = {}
    for link in doc.links:
        seen.setdefault(link.start, link)
    return sorted(seen.values(), key=lambda lk: lk.start)


def changed_lines(old: str, new: str) -> set[int]:
    """The 1-based lines of `new` that a line diff marks inserted or replaced."""
    a, b = _LINE_BREAK.split(old), _LINE_BREAK.split(new)
    out: set[int] = set()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            out.update(range(j1 + 1, j2 + 1))
    return out


def added_links(old: Document, new: Document) -> list[Link]:
    """The links `new` writes that `old` did not, in the order of the text. Each one's
    `line` (its address's line) is a changed line of `new`: where an annotation shows in
    a pull request's diff."""
    before = Counter(lk.url for lk in written(old))
    changed = changed_lines(old.text, new.text)
    by_url: dict[str, list[Link]] = {}
    for lk in written(new):
        by_url.setdefault(lk.url, []).append(lk)
    out: list[Link] = []
    for url, links in by_url.items():
        surplus = len(links) - before[url]
        if surplus <= 0:
            continue
        # The new occurrences are those on changed lines (the last ones when, oddly, more
        # than the surplus are: a line rewritten around an address that was there before).
        on_changed = [lk for lk in links if lk.line in changed]
        rest = [lk for lk in links if lk.line not in changed]
        picked = (rest + on_changed)[-surplus:]
        out.extend(picked)
    return sorted(out, key=lambda lk: lk.start)
