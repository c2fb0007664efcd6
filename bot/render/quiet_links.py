"""Every body the bot writes, made quiet before it goes to GitHub (`bot.publish.platform`
calls `quiet` on every write). GitHub turns a link to an issue, a pull request, a discussion
or a commit into a back-reference in that repository ("awesome-monitor mentioned this"),
again on every edit of the body, and an `@name` outside code notifies that person. Renovate
and Dependabot avoid both, as GitHub documents: such links go through
`https://redirect.github.com/…` (which only redirects, so nothing is referenced), and a
name after `@` gets a zero-width space (`@&#8203;name`): it reads the same, in link text
and tables too, where a code span would change how it looks, and it is no mention.

The redirect exists for github.com only: on GitHub Enterprise links stay as they are. A
mention notifies on any GitHub, so names are kept from mentioning everywhere. Code spans,
fenced code blocks and HTML comments (the bot's metadata) are left as they are."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Redirect:
    """Where links to a forge's issues, pull requests, discussions and commits go instead:
    `host` is the forge's web host, `via` the address that only redirects (the platform
    names both: render names no service)."""

    host: str
    via: str

    def pattern(self) -> re.Pattern[str]:
        host = re.escape(self.host)
        return re.compile(
            rf"https?://(?:www\.)?{host}/(?=[\w.-]+/[\w.-]+/(?:issues|pull|discussions|commit)/\w)",
            re.IGNORECASE,
        )


# Where a name after `@` would not be a mention anyway: inside an address.
_ADDRESS = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>"  # an autolink
    r"|\]\(<[^>\n]*>|\]\([^)\s]*"  # a link's destination
    r"|(?:https?://|www\.)[^\s<>()]*",  # a bare URL
    re.IGNORECASE,
)
# GitHub's mention: `@` after a start, a space or punctuation, before a name (or org/team).
_MENTION = re.compile(r"(?<![\w`@/.+-])@(?=[A-Za-z0-9])")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TICKS = re.compile(r"`+")


def quiet(text: str, redirect: Redirect | None) -> str:
    """`text` with no back-reference (`redirect`: the forge's links through its redirect;
    None: links as they are) and no mention, code and comments untouched. Quieting a quiet
    text changes nothing."""
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            out.append(_prose("".join(prose), redirect))
            prose = []
            fence = m.group(1)
            out.append(line)
        elif fence is not None:
            out.append(line)
            if _closes(line, fence):
                fence = None
        else:
            prose.append(line)
    out.append(_prose("".join(prose), redirect))
    return "".join(out)


def _closes(line: str, fence: str) -> bool:
    """Whether `line` closes a fenced block opened by `fence`: the same character, at least
    as many, and nothing else on the line."""
    m = _FENCE.match(line)
    return bool(m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)
                and not line.strip().lstrip(fence[0]))  # fmt: skip


def _prose(text: str, redirect: Redirect | None) -> str:
    """Outside fenced code: HTML comments and code spans kept, the rest made quiet."""
    out, at = [], 0
    for start, end in _kept(text):
        out.append(_words(text[at:start], redirect))
        out.append(text[start:end])
        at = end
    out.append(_words(text[at:], redirect))
    return "".join(out)


def _kept(text: str) -> list[tuple[int, int]]:
    """The spans of HTML comments and code spans (a run of backticks closed by a run of the
    same length), in order."""
    spans: list[tuple[int, int]] = []
    at = 0
    while at < len(text):
        tick = _TICKS.search(text, at)
        comment = text.find("<!--", at)
        if comment != -1 and (tick is None or comment < tick.start()):
            m = _COMMENT.match(text, comment)
            end = m.end() if m else len(text)
            spans.append((comment, end))
            at = end
            continue
        if tick is None:
            break
        run = tick.group(0)
        close = re.compile(r"(?<!`)" + run + r"(?!`)").search(text, tick.end())
        if close is None:
            at = tick.end()  # literal backticks
            continue
        spans.append((tick.start(), close.end()))
        at = close.end()
    return spans


def _words(text: str, redirect: Redirect | None) -> str:
    out, at = [], 0
    for m in _ADDRESS.finditer(text):
        out.append(_MENTION.sub("@&#8203;", text[at : m.start()]))
        out.append(m.group(0))
        at = m.end()
    out.append(_MENTION.sub("@&#8203;", text[at:]))
    joined = "".join(out)
    return redirect.pattern().sub(redirect.via, joined) if redirect else joined
