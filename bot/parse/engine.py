"""markdown-it-py set up to see the links GitHub's renderer (cmark-gfm) sees.

CommonMark with tables, strikethrough and raw HTML, plus what GitHub adds and
markdown-it does not have, written from the GFM spec and checked against cmark-gfm
(tests/parse/test_gfm_*.py):

- GFM's extended autolinks (`autolink.py`) instead of linkify-it, which also links
  words like `README.md` or `Socket.IO` and keeps trailing characters GitHub drops.
  Like cmark-gfm, the rule runs while the paragraph is parsed (at `:` and at `www.`),
  on the raw text, and never while a `[` or `![` is open;
- footnotes: `[^label]` refers to a footnote (`blockrules.py` reads the definitions);
- the block-level differences in `blockrules.py`.

Tokens say where they come from, in offsets of the inline content (`tok.content`):
autolinks carry `meta = {"raw": source text, "src": start}`; links and images
`meta = {"src": start, "end": end}` of the whole construct. The link finder maps them
back onto the document, escapes, entities and percent-escapes as written."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core import inline as core_inline
from markdown_it.rules_core import text_join as core_text_join
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline import autolink as md_autolink
from markdown_it.rules_inline import escape as md_escape
from markdown_it.rules_inline import image as md_image
from markdown_it.rules_inline import link as md_link
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

from bot.parse import blockrules
from bot.parse.autolink import match_scheme, match_www, www_candidate

# markdown-it's own text terminators: where an inline rule may start.
_TERMINATOR = re.compile(r"[\n!#$%&*+\-:<=>@\[\\\]^_`{}~]")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_OPEN = "_gfm_open_brackets"  # per inline state: `[` / `![` not closed yet


def _append(state: StateInline, text: str) -> None:
    append = getattr(state, "append_pending", None)  # markdown-it-py ≥ 4
    if append is not None:
        append(text)
    else:
        state.pending += text


def _text(state: StateInline, silent: bool) -> bool:
    """markdown-it's text rule, which also stops where a `www.` link may begin."""
    pos, src = state.pos, state.src
    m = _TERMINATOR.search(src, pos, state.posMax)
    stop = m.start() if m else state.posMax
    www = www_candidate(src, pos, stop)
    if www >= 0:
        stop = www
    if stop == pos:
        return False
    if not silent:
        _append(state, src[pos:stop])
    state.pos = stop
    return True


def _gfm_autolink(state: StateInline, silent: bool) -> bool:
    """A bare `http(s)://…` (found at its `:`) or `www.…` link."""
    if silent or state.linkLevel > 0 or getattr(state, _OPEN, 0):
        return False  # inside a label or link text no autolink is made
    pos, src = state.pos, state.src
    ch = src[pos]
    if ch == ":":
        found = match_scheme(src, pos)
        if found is None:
            return False
        begin, end = found
        pending = state.pending
        if not pending.endswith(src[begin:pos]):
            return False
        state.pending = pending[: len(pending) - (pos - begin)]
    elif ch == "w":
        found = match_www(src, pos)
        if found is None:
            return False
        begin, end = found
    else:
        return False
    if end > state.posMax:
        return False
    raw = src[begin:end]
    token = state.push("link_open", "a", 1)
    token.attrs = {"href": raw if ch == ":" else "http://" + raw}
    token.markup, token.info = "linkify", "auto"
    token.meta = {"raw": raw, "src": begin}
    state.push("text", "", 0).content = raw
    token = state.push("link_close", "a", -1)
    token.markup, token.info = "linkify", "auto"
    state.pos = end
    return True


def _escape(state: StateInline, silent: bool) -> bool:
    """markdown-it's escape rule, except that a backslash before a character it cannot
    escape is a lone literal: `\\https://x` keeps `https` in the text before the `:`."""
    src, pos = state.src, state.pos
    if src[pos] != "\\" or pos + 1 >= state.posMax:
        return False
    if src[pos + 1] not in _ASCII_PUNCT and src[pos + 1] != "\n":
        if not silent:
            _append(state, "\\")
        state.pos = pos + 1
        return True
    return md_escape(state, silent)


def _starts(rule, kind: str):  # noqa: ANN001, ANN202
    """markdown-it's link or image rule, recording where the construct starts and ends
    in the inline content (`meta["src"]`, `meta["end"]`): the link finder looks for it
    there, and tells `[t](u)` from `[t][label]` by its last character."""

    def located(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            for tok in state.tokens[count:]:
                if tok.type == kind:
                    tok.meta["src"], tok.meta["end"] = start, state.pos
                    break
        return True

    return located


def _angle_autolink(state: StateInline, silent: bool) -> bool:
    """markdown-it's `<scheme:…>` rule, recording the source text (its token text is
    percent-decoded, so it cannot be searched for)."""
    start, count = state.pos, len(state.tokens)
    if not md_autolink(state, silent):
        return False
    if not silent:
        for tok in state.tokens[count:]:
            if tok.type == "link_open":
                tok.meta = {"raw": state.src[start + 1 : state.pos - 1], "src": start + 1}
                break
    return True


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    """`[^label]` where a footnote `label` is defined."""
    src, pos = state.src, state.pos
    if src[pos] != "[" or not src.startswith("^", pos + 1):
        return False
    defined = state.env.get("footnotes")
    m = _FOOTNOTE_REF.match(src, pos, state.posMax) if defined else None
    if m is None or normalizeReference(m.group(1)) not in defined:
        return False
    if not silent:
        label = normalizeReference(m.group(1))
        state.push("footnote_ref", "", 0).meta = {"label": label}
        state.env.setdefault("footnote_refs", set()).add(label)
    state.pos = m.end()
    return True


def _brackets(state: StateInline, silent: bool) -> bool:
    """A `[`, `![` or `]` no other rule took: literal text, but while one is open
    cmark-gfm makes no autolink, so count them."""
    src, pos = state.src, state.pos
    ch = src[pos]
    if ch == "!":
        if not src.startswith("[", pos + 1):
            return False
        width = 2
    elif ch in "[]":
        width = 1
    else:
        return False
    if silent:
        return False  # lookahead for a label: the default step is the same
    depth = getattr(state, _OPEN, 0)
    setattr(state, _OPEN, max(depth - 1, 0) if ch == "]" else depth + 1)
    _append(state, src[pos : pos + width])
    state.pos = pos + width
    return True


# A URL markdown-it's normalizeLink gives back unchanged: http(s), a plain host name, then
# only characters it never encodes (and whole percent-escapes). Most links of a list are
# such; for them the full normalisation (parse, punycode, encode, format) is skipped.
# tests/parse/test_fast_paths.py checks the claim against markdown-it's own function.
_P = r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]"
NORMALISED = re.compile(
    r"(?i:https?)://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?"
    rf"(?:[/?#]{_P}*(?:%[0-9A-Fa-f]{{2}}{_P}*)*)?"
)


def _normalize_link(full: Callable[[str], str]) -> Callable[[str], str]:
    def normalize(url: str) -> str:
        return url if NORMALISED.fullmatch(url) else full(url)

    return normalize


def _configure(parser: MarkdownIt) -> MarkdownIt:
    parser.enable(["table", "strikethrough"])
    parser.normalizeLink = _normalize_link(parser.normalizeLink)  # type: ignore[method-assign]
    parser.helpers = SimpleNamespace(
        parseLinkLabel=helpers.parseLinkLabel,
        parseLinkDestination=blockrules.destination,
        parseLinkTitle=helpers.parseLinkTitle,
    )
    inline = parser.inline.ruler
    inline.at("text", _text)
    inline.after("text", "gfm_autolink", _gfm_autolink)
    inline.at("escape", _escape)
    inline.at("link", _starts(md_link, "link_open"))
    inline.at("image", _starts(md_image, "image"))
    inline.at("autolink", _angle_autolink)
    inline.push("footnote_ref", _footnote_ref)
    inline.push("gfm_brackets", _brackets)
    block = parser.block.ruler
    everywhere = {"alt": ["paragraph", "reference", "blockquote", "list"]}
    block.at("reference", blockrules.reference)
    block.at("blockquote", blockrules.blockquote, everywhere)
    block.before("reference", "footnote_def", blockrules.footnote_def, everywhere)
    block.push("tag_line_ends", blockrules.tag_line_ends_container, {"alt": ["blockquote"]})
    block.push("tag_line_lazy", blockrules.tag_line_ends_lazy, {"alt": ["paragraph"]})
    return parser


@cache
def md() -> MarkdownIt:
    return _configure(MarkdownIt("commonmark", {"html": True, "inline_definitions": True}))


# markdown-it's core rules that work inside one inline token at a time. `parse` runs
# them token by token and drops each token's children once its links are found: the
# whole inline tree of a 50,000-link list at once is ~160 MB of Token objects.
_PER_INLINE_RULES = (core_inline, core_text_join)


_SINK = "_awesome_monitor_sink"  # env key: where each top-level block's tokens go


def _flushing(rule):  # noqa: ANN001, ANN202
    """A block rule that, having parsed a whole top-level block (at nesting level 0, not
    a lookahead), hands its tokens to the parse's sink and forgets them. No block rule
    looks at the tokens of an earlier top-level block (the list rule's look back stays
    within its own list)."""

    def run(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if not rule(state, start, end, silent):
            return False
        sink = state.env.get(_SINK)
        if sink is not None and not silent and state.level == 0:
            sink(state.tokens)
            state.tokens.clear()
        return True

    return run


@cache
def _md_blocks() -> MarkdownIt:
    blocks = _configure(MarkdownIt("commonmark", {"html": True, "inline_definitions": True}))
    blocks.core.ruler.disable(["inline", "text_join"])
    ruler = blocks.block.ruler
    for rule in list(ruler.__rules__):
        ruler.at(rule.name, _flushing(rule.fn), {"alt": rule.alt})
    return blocks


def block_tokens(
    text: str, env: dict, sink: Callable[[list[Token]], None] | None = None
) -> list[Token]:
    """Block tokens; inline tokens get their children from `expand`. The same tokens
    as `md().parse(text, env)`, as every rule left out works on one inline token. With
    a `sink`, each top-level block's tokens go to it as soon as it is parsed, and are
    not kept (a 200,000-link list's million block tokens never exist at once); what is
    returned is then what no rule handed over (nothing, normally)."""
    active = md().core.ruler.getRules("")
    assert [r.__name__ for r in active[2:]] == [r.__name__ for r in _PER_INLINE_RULES]
    env[_SINK] = sink
    try:
        return _md_blocks().parse(text, env)
    finally:
        del env[_SINK]


# The commonest inline content of a list, a link and plain words (`[name](url) - Words.`),
# whose tokens need no parse: no character that starts an inline rule in its text (no
# emphasis, code, HTML, entity, escape, strikethrough, bracket, footnote or autolink:
# no `:` nor `www.` after the link), one line, an http(s) destination that markdown-it
# would not change (`NORMALISED`). tests/parse/test_fast_paths.py compares it with the parse.
_PLAIN = r"[^\[\]\\`<>*_~&^\r\n]"
_LINK_AND_WORDS = re.compile(rf"\[({_PLAIN}*)\]\(([^\s()<>\\&]+)\)([^\[\]\\`<>*_~&:\r\n]*)")


@dataclass(slots=True)
class Piece:
    """An inline token of `simple_children`: the fields the link finder reads of one."""

    type: str
    content: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    meta: dict[str, int] = field(default_factory=dict)
    markup: str = ""
    level: int = 0


def simple_children(content: str) -> list[Piece] | None:
    """The inline tokens of `[text](url) words`, as markdown-it makes them (children of
    a link `level` 1, `meta` as `_starts` records it); None for any other content."""
    m = _LINK_AND_WORDS.fullmatch(content)
    if m is None or not NORMALISED.fullmatch(m.group(2)) or "www." in m.group(3).lower():
        return None
    text, url, words = m.groups()
    children = [Piece("link_open", attrs={"href": url}, meta={"src": 0, "end": m.end(2) + 1})]
    if text:
        children.append(Piece("text", text, level=1))
    children.append(Piece("link_close"))
    if words:
        children.append(Piece("text", words))
    return children


def expand(content: str, lines: list[int], env: dict) -> list[Token] | list[Piece]:
    """The inline tokens of an inline token's `content` (at `lines`, its `map`)."""
    children = simple_children(content)
    if children is not None:
        return children
    tok = Token("inline", "", 0, content=content, map=lines)
    state = StateCore("", md(), env, [tok])
    for rule in _PER_INLINE_RULES:
        rule(state)
    return tok.children or []
