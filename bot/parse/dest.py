"""Link destinations and labels as written, and what a click on them reaches."""

from __future__ import annotations

import re

from markdown_it.common.utils import replaceEntityPattern, unescapeAll

from bot.parse.engine import md

# What may follow a destination up to the closing parenthesis: a title in "", '' or ().
AFTER_DEST = re.compile(
    r"""[ \t]*(?:\r?\n[ \t]*)?"""
    r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\))?"""
    r"""[ \t]*(?:\r?\n[ \t]*)?\)"""
)
# `[text][label]`, `[text][]` or `[label]` (no nested brackets: enough to spot a use).
REFERENCE_USE = re.compile(r"(?<![\\!])\[((?:[^\[\]\\]|\\.)+)\](?!\()(?:\[((?:[^\[\]\\]|\\.)*)\])?")
LABEL = re.compile(r"\[((?:[^\[\]\\\n]|\\.)*)\]")
DEFINITION_DEST = re.compile(r"\]:[ \t]*(?:\r?\n[ \t]*)?(<[^>\n]*>|\S+)")
_SPACE_AFTER = re.compile(r"[ \t]*(?:\r?\n[ \t]*)?")
_ENTITY = re.compile(r"&([a-z][a-z0-9]{1,31}|#[0-9]{1,7}|#x[0-9a-f]{1,6});", re.I)
_LAST_LABEL = re.compile(r"\]\[((?:[^\[\]\\]|\\.)*)\]\Z")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")
_PLAIN_RUN = re.compile(r"[^\s\x00-\x1f()\\]+")  # no space, control, parenthesis, backslash


def decode_entities(raw: str) -> str:
    """HTML entities decoded, backslashes kept: an autolink's `<…>` href."""
    return _ENTITY.sub(lambda m: replaceEntityPattern(m.group(), m.group(1)), raw)


def reference_label(written: str) -> str:
    """The label a reference link or image resolves by, from its source: `[t][label]`
    → label; `[t][]` and `[t]` → t (as written, as CommonMark matches labels)."""
    opening = 2 if written.startswith("!") else 1
    m = _LAST_LABEL.search(written)
    if m is None:
        return written[opening:-1]
    return m.group(1) or written[opening : m.start()]


def same_destination(raw: str, href: str) -> bool:
    """Whether the destination as written is the one markdown-it normalised to `href`
    (entities and escapes decoded, then percent-encoded; written percent-escapes are
    kept). Most are written normalised already: skip normalizeLink (half the parse
    time of a 50,000-link list went there)."""
    plain = unescapeAll(raw)
    return plain == href or md().normalizeLink(plain) == href


def read_destination(text: str, pos: int, end: int) -> tuple[str | None, int]:
    """Read a link destination starting right after `](`, as CommonMark does:
    optional whitespace (one line break), then `<…>` or a run of non-space
    characters with balanced parentheses. Returns (raw, offset) of the URL text."""
    m = _SPACE_AFTER.match(text, pos, end)
    pos = m.end() if m else pos
    if pos < end and text[pos] == "<":
        close = text.find(">", pos + 1, end)
        if close < 0 or "\n" in text[pos + 1 : close]:
            return None, pos
        return text[pos + 1 : close], pos + 1
    depth, i = 0, pos
    while i < end:
        run = _PLAIN_RUN.match(text, i, end)  # most of a URL, at once
        if run:
            i = run.end()
            if i >= end:
                break
        c = text[i]
        if c == "\\" and i + 1 < end:
            i += 2
            continue
        if c.isspace() or ord(c) < 0x20:
            break
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return (text[pos:i], pos) if i > pos else (None, pos)


def monitorable(url: str) -> bool:
    """Relative links, anchors, mail and phone links are not ours to check."""
    u = url.strip().strip("<>").lower()
    if u.startswith(("#", "mailto:", "tel:")):
        return False
    return bool(_SCHEME.match(u)) or u.startswith("git@") or "://" in u


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans covering the same offsets."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
