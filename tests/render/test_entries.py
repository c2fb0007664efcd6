"""Notes only on entries (issue 19, point 1): alive facts (counts, activity, versions,
archived) go on list items whose link is the entry, in front of the item's main link; never
on a badge, a heading, a link in a paragraph, a quote or an item's description; at most one
note per target and line. A dead link or badge image is said wherever it is. Judged as
GitHub renders the list (cmark-gfm): every link the author wrote is still a link."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.parse.markdown import NOTE_CLOSE, NOTE_OPEN
from bot.pipeline import parse_list
from bot.render.rewrite import rewrite
from bot.render.spans import ANY_NOTE
from bot.render.templating import environment
from tests.conftest import ROOT, SHARED, corpus_files
from tests.gfm_oracle import cmark_links, render
from tests.render.test_rewrite import STATUS, TODAY, carry, fake_verdicts, run

SAMPLE = ROOT / "data" / "awesome-image-classification-2019.md"
LLM = SHARED / "corpus" / "Hannibal046__Awesome-LLM.md"
NOTE = re.compile(re.escape(NOTE_OPEN) + r"(.*?)" + re.escape(NOTE_CLOSE))


def notes_of(line: str) -> list[str]:
    return NOTE.findall(line)


def test_the_sample_badge_and_intro_get_no_alive_facts_its_entries_do() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    src = text.splitlines()
    badge = src.index(next(ln for ln in src if ln.startswith("[![Awesome]")))
    intro = src.index(next(ln for ln in src if ln.startswith("A curated list")))
    note = src.index(next(ln for ln in src if ln.startswith("**Note:")))
    archived = {"https://github.com/amusi/awesome-object-detection",  # in the intro
                "https://github.com/KaimingHe/resnet-1k-layers"}  # an entry  # fmt: skip
    r = run(text, archived=archived)
    out = r.text.splitlines()
    for i in (badge, intro, note):  # stars, activity and archived: none of them here
        assert out[i] == src[i], out[i]
    entry = next(ln for ln in out if "resnet-1k-layers" in ln and ln.startswith("- code:"))
    (said,) = notes_of(entry)
    assert said.endswith("· archived") and "★" in said
    # Rendered: the badge is still an image in a link, the intro's links still links.
    assert cmark_links(r.text) == cmark_links(text)


def test_a_dead_link_in_prose_or_a_dead_badge_is_still_said() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    src = text.splitlines()
    dead = {"https://github.com/hoya012/deep_learning_object_detection",  # the intro's
            "https://github.com/sindresorhus/awesome"}  # the badge's link  # fmt: skip
    out = run(text, dead=dead).text.splitlines()
    intro = next(ln for ln in out if ln.startswith("A curated list"))
    assert notes_of(intro) == ["dead since 2026-10"]
    assert "[deep_learning_object_detection](https://github.com/hoya012/deep_learning_object" \
           f"_detection) {NOTE_OPEN}dead since 2026-10{NOTE_CLOSE}" in intro  # fmt: skip
    badge = next(ln for ln in out if ln.startswith("[![Awesome]"))
    assert notes_of(badge) == ["dead since 2026-10"] and badge.startswith(src[4])


ITEMS = """# Awesome things

## Tools

- [Alpha](https://github.com/o/alpha) - Does alpha, like [beta](https://github.com/o/beta).
- [Gamma](https://github.com/o/gamma) | [docs](https://github.com/o/gamma/blob/main/d.md) - Same.
- [![Logo](https://example.com/logo.svg)](https://github.com/o/logo) - A badge-only entry.
- [Delta](https://github.com/o/delta)

> Reference: [Epsilon](https://github.com/o/epsilon)

### [Zeta](https://github.com/o/zeta) heading

Plain prose naming [Eta](https://github.com/o/eta).
"""


def test_only_entries_get_alive_facts_and_one_note_per_target_and_line() -> None:
    r = run(ITEMS)
    out = r.text.splitlines()
    src = ITEMS.splitlines()
    alpha, gamma, logo, delta = (out[src.index(ln)] for ln in src if ln.startswith("- "))
    # The main link: in front, in a <span>; its description's link: nothing.
    assert re.fullmatch(r"- <span><!-- awesome-monitor -->★ \S+ · stale since 2024"
                        r"<!-- /awesome-monitor --></span> \[Alpha\]\(\S+\) - Does alpha, like "
                        r"\[beta\]\(\S+\)\.", alpha), alpha  # fmt: skip
    # Two links to one repository (Awesome-LLM line 572): one note, the main link's.
    assert len(notes_of(gamma)) == 1 and gamma.startswith("- <span>")
    assert notes_of(logo) == []  # a badge is no place for facts
    assert re.fullmatch(r"- \[Delta\]\(\S+\) \(<!-- awesome-monitor -->.+\)", delta)
    for i, ln in enumerate(src):  # the quote, the heading, the prose: as they were
        if not ln.startswith("- "):
            assert out[i] == ln
    assert r.notes == 3
    assert cmark_links(r.text) == cmark_links(ITEMS)
    html = render(r.text)
    assert "<li><span><!-- awesome-monitor -->★ " in html  # the note shows as text
    assert '</span> <a href="https://github.com/o/alpha">Alpha</a> - Does alpha' in html


def test_a_note_in_front_without_its_span_would_break_the_item() -> None:
    """Why the <span>: a list item whose content starts with `<!--` is an HTML block, so
    GitHub shows its link as text (and awesome-lint calls the item invalid)."""
    bare = f"- {NOTE_OPEN}★ 1k{NOTE_CLOSE} [Alpha](https://github.com/o/alpha) - Does it.\n"
    assert cmark_links(bare) == Counter()
    wrapped = f"- <span>{NOTE_OPEN}★ 1k{NOTE_CLOSE}</span> [Alpha](https://github.com/o/alpha)" \
              " - Does it.\n"  # fmt: skip
    assert cmark_links(wrapped) == Counter({"https://github.com/o/alpha": 1})


OLD_LAYOUT = f"""# Awesome things

- [Alpha](https://github.com/o/alpha) - Does alpha. {NOTE_OPEN}{{alpha}}{NOTE_CLOSE}
- [Beta](https://github.com/o/beta) {NOTE_OPEN}{{beta}}{NOTE_CLOSE} - Does beta.
- [Gamma](https://github.com/o/gamma) ({NOTE_OPEN}{{gamma}}{NOTE_CLOSE})

[![Awesome](https://example.com/b.svg)](https://github.com/o/badge) {NOTE_OPEN}{{badge}}{NOTE_CLOSE}
"""


def test_an_earlier_versions_notes_move_once_as_layout() -> None:
    """Notes an earlier version wrote at an item's end or right after its link move in front,
    once, as a layout change (which never opens a pull request by itself); the badge's
    alive note goes, as a removal that rides along; a second run changes nothing."""
    first = run(OLD_LAYOUT.format(alpha="", beta="", gamma="", badge=""))
    said = {ln.split("](https://github.com/o/")[1].split(")")[0]: notes_of(ln)
            for ln in first.text.splitlines() if "github.com/o/" in ln}  # fmt: skip
    assert said["badge"] == [] and all(said[k] for k in ("alpha", "beta", "gamma"))
    old = OLD_LAYOUT.format(alpha=said["alpha"][0], beta=said["beta"][0],
                            gamma=said["gamma"][0], badge="★ 1.2k · stale since 2022")  # fmt: skip
    doc = parse_list(old)
    moved = rewrite(doc, fake_verdicts(doc), STATUS, environment(), TODAY)
    assert moved.text == first.text
    assert {e.reason for e in moved.edits} == {"layout", "removed"}
    assert [e.subject for e in moved.edits if e.reason == "removed"] == [
        "https://github.com/o/badge"
    ]
    assert moved.actionable == [] and moved.changed_lines == {3, 4, 7}
    doc2 = parse_list(moved.text)
    again = rewrite(doc2, carry(fake_verdicts(doc), doc2), STATUS, environment(), TODAY)
    assert again.text == moved.text and again.edits == []


@pytest.mark.skipif(LLM not in corpus_files(), reason="../shared/corpus is absent")
def test_awesome_llm_line_572_and_its_quotes() -> None:
    text = LLM.read_text(encoding="utf-8")
    src = text.splitlines()
    doc = parse_list(text)
    r = rewrite(doc, fake_verdicts(doc), STATUS, environment(), TODAY)
    out = r.text.splitlines()
    i = next(n for n, ln in enumerate(src) if ln.startswith("- [LLM‑RL‑Visualized (EN)]"))
    assert i + 1 == 572
    (said,) = notes_of(out[i])  # once, in front, for the repository both links name
    assert out[i] == f"- <span>{NOTE_OPEN}{said}{NOTE_CLOSE}</span> {src[i][2:]}"
    assert said.startswith("★") and said.endswith("stale since 2024")
    for n, ln in enumerate(src):  # headings, quotes (`> Reference: …`), prose: untouched
        if not re.match(r"\s*[-*+] ", ln):
            assert out[n] == ln or ln.lstrip().startswith("|"), (n + 1, out[n])
    # No line says the same thing about the same target twice.
    for ln in out:
        alive = [s for s in notes_of(ln) if "dead" not in s]
        assert len(alive) == len(set(alive)), ln
    assert cmark_links(r.text) == cmark_links(text)
    assert ANY_NOTE.sub("", out[i]) == src[i]


FRONT = f"<span>{NOTE_OPEN}★ 1.2k{NOTE_CLOSE}</span>"  # an earlier run's note in front
REWORDED = f"""# Awesome things

- {FRONT} [Alpha](https://github.com/o/alpha)
- {FRONT} 🔥 [Beta](https://github.com/o/beta) - Does beta.
- {FRONT} See [Gamma](https://github.com/o/g) | [D](https://github.com/o/d) - Two.
"""


def test_a_note_in_front_of_an_item_a_person_reworded_moves_or_goes() -> None:
    """A person reworded items the bot had put notes in front of: the item is its link
    alone (the note goes in parentheses after it), or starts with text now (the note goes
    right after its first link: awesome-lint skips an item that starts with text, and a note
    in front would make it lint the item). Never two notes, never one left behind."""
    r = run(REWORDED)
    out = r.text.splitlines()
    assert "<span>" not in r.text
    assert re.fullmatch(rf"- \[Alpha\]\(\S+\) \({NOTE.pattern}\)", out[2])
    assert re.fullmatch(rf"- 🔥 \[Beta\]\(\S+\) {NOTE.pattern} - Does beta\.", out[3])
    assert re.fullmatch(rf"- See \[Gamma\]\(\S+\) {NOTE.pattern} \| \[D\]\(\S+\) - Two\.", out[4])
    assert [len(notes_of(ln)) for ln in out[2:5]] == [1, 1, 1]
    assert r.actionable == []  # the same facts, moved: layout
    doc2 = parse_list(r.text)
    doc1 = parse_list(REWORDED)
    again = rewrite(doc2, carry(fake_verdicts(doc1), doc2), STATUS, environment(), TODAY)
    assert again.text == r.text
