"""The notes of a rewrite: which links of the list get one and where (`bot.render.spans`
places them), what each says (`bot.render.status`), an earlier version's note moved where it
goes now, and what people decided respected (a note deleted by hand, a declined change).

Alive facts (counts, activity, versions, archived) go only on entries of the list: a list
item's links before its description, never a badge, a heading, a paragraph or an item's
description; at most one note per target and line (a file's note is its repository's). A
dead link or a dead badge image is said wherever it is: that reaches the maintainer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.check.model import Judgement, Verdict
from bot.parse.markdown import NOTE_CLOSE, NOTE_OPEN, Link, Syntax
from bot.render.display import ShownText, change_reason
from bot.render.draft import Draft, link_key
from bot.render.edits import Held, note_key
from bot.render.spans import (
    FRONT_CLOSE,
    FRONT_NOTE,
    FRONT_OPEN,
    NOTE_AT,
    NOTE_AT_END,
    Anchor,
    anchor,
    construct_ends,
    front_note,
    line_bounds,
)
from bot.render.status import StatusContext, render_note

_NOTE_SYNTAX = {Syntax.INLINE, Syntax.REFERENCE, Syntax.AUTOLINK, Syntax.BARE}


@dataclass
class _Slot:
    """One place a note goes: for `link`, also speaking for the `images` in its text."""

    where: Anchor
    link: Link
    images: list[Link] = field(default_factory=list)


def write_notes(d: Draft) -> None:
    """A note per entry link (`bot.render.spans.anchor` says where), at most one per target
    and line; `dead since …` wherever a dead link or badge image is."""
    table_lines = {n for t in d.doc.tables for n in range(t.first_line, t.last_line + 1)}
    heading_lines = {s.line for s in d.doc.sections}
    slots: dict[int, _Slot] = {}
    for lk in d.links:
        if lk.syntax is Syntax.DEFINITION:
            continue
        host = _host(d, lk) if lk.syntax is Syntax.IMAGE else None
        where = anchor(d.doc, host or lk)
        if where is None:
            continue
        slot = slots.setdefault(where.at, _Slot(where, host or lk))
        if host is not None:
            slot.images.append(lk)  # a badge: its note goes after the link it is in

    def wanted(lk: Link) -> bool:  # an ignored link (disable comment, …) gets none
        return (
            d.status.notes
            and not lk.ignored
            and lk.kind in d.kinds
            and lk.use_line not in table_lines
            and lk.use_line not in heading_lines
        )

    said: set[tuple[int, str]] = set()  # (line, what an alive note is about): once each
    taken: set[int] = set()  # the notes in front of items that a link has claimed
    for slot in sorted(slots.values(), key=lambda s: (s.link.use_line, s.where.at)):
        where, lk = slot.where, slot.link
        existing, old = _existing(d, where, lk, slots.keys() | taken)
        if old is not None:
            taken.add(old.start())
        view = d.view(_note_text(old))
        if lk.syntax is Syntax.IMAGE:  # an image says something only when dead
            main: str | None = _image_note(d, lk, view) if wanted(lk) else ""
        elif not wanted(lk) or lk.syntax not in _NOTE_SYNTAX:
            main = ""
        else:
            v = d.by_link.get(link_key(lk))
            main = render_note(d.env, v, view) if v else None
            if main and v is not None and v.verdict != Verdict.DEAD:
                about = (lk.use_line, _about(v))
                if not where.entry or _badge(lk, slot.images) or about in said:
                    main = ""  # prose, a badge, or said already on this line
                said.add(about)
        if main is None:  # nothing durable known: what the list shows stays
            if old is not None:
                d.result.notes_after[lk.url] = note_key(_note_text(old) or "")
            continue
        images = [(im, _image_note(d, im, view)) for im in slot.images if wanted(im)]
        shown = [(im, n) for im, n in images if n]
        subject = lk if main or not shown else shown[0][0]
        note = " · ".join(n for n in (main, *(n for _, n in shown)) if n)
        _note(d, where, existing, old, note, subject)
    _orphans(d, slots.keys() | taken)


def _orphans(d: Draft, taken: set[int]) -> None:
    """Remove a note in front of an item that no link of the item claims any more (a person
    reworded the item: its first thing is no link now)."""
    lines = {line_bounds(d.doc, lk.construct_end)[0] for lk in d.links}
    for start in sorted(lines):
        found = front_note(d.doc, start)
        if found is not None and found.start() not in taken:
            old = _note_text(found) or ""
            reason = change_reason(ShownText.read(old), ShownText.read("")) or "layout"
            d.add(found.start(), found.end(), "", "note", reason, "", "", old)


def _existing(d: Draft, where: Anchor, lk: Link,
              taken: set[int]) -> tuple[re.Match | None, re.Match | None]:  # fmt: skip
    """The bot's note where this one goes (replaced in place), and the note the link has,
    wherever an earlier version put it (right after the link, or at the item's end: moved
    in front, never written twice); a note in front of the item that no longer goes there
    is its first link's (`taken`: the places already claimed)."""
    text = d.doc.text
    if not where.front:
        found = NOTE_AT.match(text, where.at)
        if found is not None:
            return found, found
        front = front_note(d.doc, where.at)
        line_start = line_bounds(d.doc, where.at)[0]
        first = construct_ends(d.doc).get(line_start, [None])[0] == lk.construct_end
        if front is not None and first and front.start() not in taken:
            return None, front
        return None, None
    found = FRONT_NOTE.match(text, where.at)
    if found is not None:
        return found, found
    _, end = line_bounds(d.doc, lk.construct_end)
    after = NOTE_AT.match(text, lk.construct_end)
    if after is not None:
        return None, after
    tail = NOTE_AT_END.search(text, lk.construct_end, end)
    theirs = set(construct_ends(d.doc).get(line_bounds(d.doc, where.at)[0], []))
    if tail is not None and tail.start() not in theirs:  # not another link's own note
        return None, tail
    return None, None


def _badge(lk: Link, images: list[Link]) -> bool:
    """Whether the link is a badge: its text is its images alone."""
    return bool(images) and lk.text.strip() == " ".join(im.text for im in images).strip()


def _host(d: Draft, image: Link) -> Link | None:
    """The link whose text is this image (`[![alt](img)](url)`, a badge), if any."""
    if not d.doc.text.startswith("]", image.construct_end):
        return None
    around = [
        lk
        for lk in d.by_line.get(image.use_line, [])
        if lk.syntax in (Syntax.INLINE, Syntax.REFERENCE) and lk.construct_end > image.construct_end
    ]
    return min(around, key=lambda lk: lk.construct_end, default=None)


def _image_note(d: Draft, image: Link, view: StatusContext) -> str:
    """An image's note: `image dead since …` when it is dead, else nothing."""
    v = d.by_link.get(link_key(image))
    if v is None or v.verdict != Verdict.DEAD:
        return ""
    return render_note(d.env, v, view, image=True) or ""


def _note(d: Draft, where: Anchor, existing: re.Match | None, old_match: re.Match | None,
          note: str, lk: Link) -> None:  # fmt: skip
    """Write `note` at `where` (over `existing`); `old_match`: the note the link has now,
    removed from its old place when that is elsewhere."""
    old = _note_text(old_match)
    if old is not None:
        d.result.notes_seen[lk.url] = note_key(old)
    elif note and d.memory.notes.get(lk.url) == note_key(note):
        # The list had this very note and a person deleted it: theirs is the last word
        # until the link's state changes.
        line = d.line_of(where.at)
        d.result.held.append(Held("deleted by hand", "new", lk.raw_url, line, note))
        return
    if note:
        d.result.notes_after[lk.url] = note_key(note)
    end = existing.end() if existing else where.at
    body = f"{NOTE_OPEN}{note}{NOTE_CLOSE}"
    if not note:
        new = ""
    elif where.front:
        new = f"{FRONT_OPEN}{body}{FRONT_CLOSE} "
    else:
        new = f" ({body})" if where.paren else f" {body}"
    if new:
        d.result.notes += 1
    moved = old_match is not None and old_match is not existing
    if d.doc.text[where.at : end] == new and not moved:
        return
    reason = change_reason(ShownText.read(old or ""), ShownText.read(note)) or "layout"
    line = d.line_of(where.at)
    if d.declined(reason, lk.raw_url, note, line):  # the list keeps what it shows
        if old:
            d.result.notes_after[lk.url] = note_key(old)
        else:
            d.result.notes_after.pop(lk.url, None)
        return
    if moved:  # an earlier version's place: the note moves (or goes), once
        assert old_match is not None
        gone = "layout" if new else reason
        d.add(old_match.start(), old_match.end(), "", "note", gone, lk.raw_url, "", old or "")
    if d.doc.text[where.at : end] != new:
        d.add(where.at, end, new, "note", reason, lk.raw_url, note, old or "")


def _about(v: Judgement) -> str:
    """What a link's alive note is about: a file's note shows its repository's facts."""
    facts = v.observation.facts() if v.observation is not None else None
    return f"{v.provider}:{facts.name}" if facts is not None and facts.name else v.link.url


def _note_text(match: re.Match | None) -> str | None:
    if match is None:
        return None
    text = match.group(0)
    return text[text.index(NOTE_OPEN) + len(NOTE_OPEN) : text.rindex(NOTE_CLOSE)]
