"""Texts that always fit where they go. GitHub refuses a pull request's or an issue's body
over 65,536 characters and a title over 256, refuses a comment over 262,144 bytes, and drops
a whole job summary over 1 MiB (../shared/api-facts.md). A text made of sections of items
is rendered with every item when it fits; else the least important sections are cut first,
each at a whole item, to the most items that fit, and the template says how many more
there are and where they are."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Measure = Callable[[str], int]


def chars(text: str) -> int:
    return len(text)


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


@dataclass(frozen=True)
class Limit:
    most: int
    measure: Measure = chars


# A margin under GitHub's limits, for what GitHub adds (line endings, the edit's encoding).
BODY = Limit(65_000)  # a pull request's or an issue's body (GitHub: 65,536 characters)
TITLE = Limit(256)
COMMENT = Limit(260_000, utf8_bytes)  # GitHub: 262,144 bytes
SUMMARY = Limit(1_000_000, utf8_bytes)  # a step's job summary (GitHub: 1 MiB)

Render = Callable[[Mapping[str, int]], str]


def fit(
    render: Render,
    totals: Mapping[str, int],
    steps: Sequence[tuple[str, int]],
    limit: Limit,
) -> tuple[str, dict[str, int]]:
    """`render(shown)` with as many items per section as fit within `limit`, and `shown`
    (section → items shown). `steps` say which section is cut first and down to how
    many items ("changes" to 0, then "dead" to 20, …); a section cut to its floor that
    still does not fit moves on to the next step. Past the last step the text is clipped
    at a line (a safety net: floors are set so that it never happens)."""
    shown = dict(totals)
    text = render(shown)
    if limit.measure(text) <= limit.most:
        return text, shown
    for key, floor in steps:
        lo, hi = min(floor, shown.get(key, 0)), shown.get(key, 0)
        if hi <= lo:
            continue
        shown[key] = lo
        if limit.measure(render(shown)) > limit.most:
            continue
        while lo < hi:  # the most items that fit
            mid = (lo + hi + 1) // 2
            shown[key] = mid
            if limit.measure(render(shown)) <= limit.most:
                lo = mid
            else:
                hi = mid - 1
        shown[key] = lo
        return render(shown), shown
    return clip(render(shown), limit), shown


def clip(text: str, limit: Limit, end: str = "\n…\n") -> str:
    """`text` cut at a line so that it fits, keeping its last line when that is a hidden
    comment (the bot's metadata)."""
    if limit.measure(text) <= limit.most:
        return text
    tail = ""
    last = text.rstrip("\n").rsplit("\n", 1)[-1]
    if last.startswith("<!--") and last.endswith("-->"):
        tail = "\n" + last + "\n"
    room = limit.most - limit.measure(end + tail)
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits
        mid = (lo + hi + 1) // 2
        if limit.measure(text[:mid]) <= room:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    if "\n" in cut:
        cut = cut[: cut.rindex("\n")]
    return cut + end + tail


def clip_title(title: str) -> str:
    """A title within GitHub's 256 characters, cut at a word."""
    if len(title) <= TITLE.most:
        return title
    cut = title[: TITLE.most - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
