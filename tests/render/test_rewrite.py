"""The rewrite engine: status column, notes, moved URLs; every other byte kept."""

from __future__ import annotations

import dataclasses
import difflib
import re
import zlib
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.check.model import Facts, Judgement, Outcome, Verdict
from bot.check.providers.arxiv import ArxivTarget, PaperObservation
from bot.check.providers.github_api import RepoObservation
from bot.check.providers.github_urls import GitHubKind, GitHubTarget
from bot.config import StatusConfig
from bot.parse.markdown import NOTE_CLOSE, NOTE_OPEN, Document, owned_column
from bot.pipeline import parse_list
from bot.render.display import format_count as format_stars
from bot.render.rewrite import RewriteResult, rewrite
from bot.render.spans import ANY_NOTE
from bot.render.status import StatusContext, render_note
from bot.render.templating import environment
from tests.conftest import FIXTURES, ROOT, corpus_files

SAMPLE = ROOT / "data" / "awesome-image-classification-2019.md"
README = FIXTURES / "rewrite" / "readme.md"
CORPUS = corpus_files()
STATUS = StatusConfig()
TODAY = datetime(2026, 12, 2, tzinfo=UTC)  # the fake last commit (2024-03) is stale by then
NOTE_RE = ANY_NOTE


def stars_of(url: str) -> int:
    return zlib.crc32(url.lower().rstrip("/").encode()) % 60_000


def fake_verdicts(
    doc: Document,
    archived: Collection[str] = (),
    dead: Collection[str] = (),
    moved: Mapping[str, str] | None = None,
    failing: Collection[str] = (),
    not_checked: Collection[str] = (),
    stars: Mapping[str, int] | None = None,
) -> list[Judgement]:
    """Verdicts as `judge` makes them, without the network. URLs are matched as
    written; `moved` maps an old URL to its new one (a GitHub URL)."""
    moved, stars = moved or {}, stars or {}
    out = []
    for lk in doc.links:
        t, url = lk.target, lk.raw_url
        v = Judgement(lk, Verdict.ALIVE)
        if url in dead:
            v.verdict, v.failures_in_a_row, v.failing_since = (
                Verdict.DEAD,
                3,
                "2026-10-04T06:00:00Z",
            )
        elif url in failing:
            v.verdict, v.failures_in_a_row, v.failing_since = (
                Verdict.UNKNOWN,
                1,
                "2026-11-01T06:00:00Z",
            )
        elif url in not_checked:
            v.verdict, v.not_checked, v.error = Verdict.UNKNOWN, True, "not checked"
        elif isinstance(t, GitHubTarget):
            new = moved.get(url)
            v.observation = RepoObservation(
                t.repo_key,
                Outcome.OK,
                stars=stars.get(url, stars_of(url)),
                last_commit="2024-03-05T10:00:00Z",
                archived=url in archived,
                moved_to=new.split("github.com/", 1)[1] if new else None,
            )
            v.verdict = (
                Verdict.MOVED if new else Verdict.ARCHIVED if url in archived else Verdict.ALIVE
            )
            v.moved_to = new
        elif isinstance(t, ArxivTarget):
            version = stars_of(url) % 8 + 1
            v.observation = PaperObservation(
                t.arxiv_id, Outcome.OK, version=version, updated="2019-05-28T17:00:00Z"
            )
        out.append(v)
    return out


def carry(verdicts: list[Judgement], doc: Document) -> list[Judgement]:
    """The same verdicts for the rewritten document (its links, in the same order)."""
    assert len(doc.links) == len(verdicts)
    return [dataclasses.replace(v, link=lk) for v, lk in zip(verdicts, doc.links, strict=True)]


def run(text: str, verdicts=None, status: StatusConfig = STATUS, env=None, **kw) -> RewriteResult:
    doc = parse_list(text)
    vs = fake_verdicts(doc, **kw) if verdicts is None else verdicts(doc)
    return rewrite(doc, vs, status, env or environment(), TODAY)


def rewrite_again(first: RewriteResult, before: str, env=None, **kw) -> RewriteResult:
    """Rewrite the output with the verdicts of the first run carried over."""
    doc1 = parse_list(before)
    doc2 = parse_list(first.text)
    vs = carry(fake_verdicts(doc1, **kw), doc2)
    return rewrite(doc2, vs, STATUS, env or environment(), TODAY)


def strip_bot(out: str, original: str | Document, column: str = "Status", moved=()) -> str:
    """The output without what the bot owns: notes, the status column (its cells and
    the empty cells it padded short rows with), and with moved URLs put back. Found
    from the output's own structure; the input only says how many cells a row had."""
    text = NOTE_RE.sub("", out)
    doc = parse_list(text)
    had = {
        row.line: len(row.cells)
        for t in (parse_list(original) if isinstance(original, str) else original).tables
        for row in [t.header, t.delimiter, *t.rows]
    }
    cuts = []
    for t in doc.tables:
        s = owned_column(t)
        if s is None:
            continue
        for row in [t.header, t.delimiter, *t.rows]:
            k, c = had[row.line], row.cells
            if k > s:  # inserted before surplus cells
                assert text[c[s].end] == "|"
                cuts.append((c[s].start, c[s].end + 1))
            elif len(c) > k:
                assert len(c) == s + 1
                if row.trailing_pipe:
                    cuts.append((c[k].start, c[s].end + 1))
                else:
                    assert text[c[k].start - 2 : c[k].start] == " |"
                    cuts.append((c[k].start - 2, c[s].end))
    for a, b in sorted(cuts, reverse=True):
        text = text[:a] + text[b:]
    for old, new in moved:
        text = text.replace(new, old)
    return text


def link_set(text: str | Document, moved=()) -> list[tuple[str, str, int]]:
    back = {new: old for old, new in moved}
    doc = parse_list(text) if isinstance(text, str) else text
    return [(lk.syntax.value, back.get(lk.raw_url, lk.raw_url), lk.use_line) for lk in doc.links]


def cells(text: str, column: str = "Status") -> list[list[str]]:
    """Status cell texts of each table that has the bot's column."""
    doc = parse_list(text)
    out = []
    for t in doc.tables:
        s = owned_column(t)
        if s is not None:
            out.append([r.cells[s].text.strip() if s < len(r.cells) else "" for r in t.rows])
    return out


# -- the sample list -----------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> str:
    return SAMPLE.read_text(encoding="utf-8")


OFFICIAL = "https://github.com/KaimingHe/resnet-1k-layers"
BIG_UNOFFICIAL = "https://github.com/kuangliu/pytorch-cifar/blob/master/models/preact_resnet.py"


def test_sample_table_gets_a_status_cell_for_every_row(sample: str) -> None:
    r = run(sample, stars={OFFICIAL: 1234, BIG_UNOFFICIAL: 99_999})
    doc = parse_list(r.text)
    (table,) = doc.tables
    assert table.header.cells[-1].text.strip() == "Status <!-- awesome-monitor column -->"
    dashes = table.delimiter.cells[-1].text.strip()
    assert set(dashes) == {"-"} and len(dashes) % 8 == 0  # padded, the slack on the right
    assert len({len(rw.cells[-1].text) for rw in [table.header, *table.rows]}) == 1
    (status,) = cells(r.text)
    assert len(status) == 45 and all(status), status
    assert r.unmatched_rows == []
    row = dict(zip([rw.cells[0].text.strip() for rw in table.rows], status, strict=True))
    # The official repository speaks for its row, even with fewer stars; the row links
    # several, so the cell names it.
    assert re.match(r"`kaiminghe/resnet-1k-layers` ★ 1\.2k · stale since 2024 · v\d",
                    row["PreActResNet"])  # fmt: skip
    # Else the most starred of the section.
    vgg_section = sample.split("### VGG")[1].split("###")[0]
    vgg = re.findall(r"\]\((https://github[^)]+)\)", vgg_section)
    top = max(vgg, key=stars_of)
    name = "/".join(top.split("/")[3:5]).lower()
    assert row["Vgg"].startswith(f"`{name}` ★ {format_stars(stars_of(top))} ")
    # The paper's latest version (linked in the paper's note, not in the cell: rows that
    # name one section would repeat the link).
    assert re.search(r" · v\d( |$)", row["Vgg"]) and "](" not in row["Vgg"]
    # Short, besides the name of the repository the figures are about (rows with several).
    assert all(len(re.sub(r"\]\([^)]*\)|^`[^`]*` ", "]", c)) < 60 for c in status)


def test_sample_every_code_and_pdf_line_gets_one_note(sample: str) -> None:
    r = run(sample)
    lines = [ln for ln in r.text.splitlines() if ln.startswith(("- code:", "- pdf:"))]
    assert len(lines) == 162
    for ln in lines:
        # The item's only link ends it: the note in parentheses (awesome-lint's list item
        # rule takes text after a link as a description that needs a dash otherwise).
        assert re.fullmatch(
            r"- (code|pdf): \[[^\]]*\]\([^)\s]*\) \("
            + re.escape(NOTE_OPEN)
            + r"[^<>]+"
            + re.escape(NOTE_CLOSE)
            + r"\)",
            ln,
        ), ln
    # Every repository or paper link of a list item has its note, right after it; the
    # badge and the links in the intro's and the background's prose (all alive) have none.
    doc = parse_list(r.text)
    (table,) = doc.tables
    ours = [
        lk
        for lk in doc.links
        if lk.kind in STATUS.note_kinds
        and lk.kind != "web"  # alive: nothing to say
        and not table.first_line <= lk.use_line <= table.last_line
    ]
    lines = r.text.splitlines()
    items = [lk for lk in ours if lines[lk.use_line - 1].startswith("- ")]
    prose = [lk for lk in ours if not lines[lk.use_line - 1].startswith("- ")]
    assert len(items) == r.notes == 165 and len(prose) == 6
    for lk in items:
        assert r.text.startswith(" (" + NOTE_OPEN, lk.construct_end), lk.raw_url
    for lk in prose:
        assert not r.text.startswith((" " + NOTE_OPEN, " (" + NOTE_OPEN), lk.construct_end)
    assert r.text.count(NOTE_OPEN) == 165


def test_sample_second_rewrite_is_byte_identical(sample: str) -> None:
    kw = {
        "archived": {OFFICIAL},
        "moved": {"https://github.com/ry/tensorflow-resnet": "https://github.com/ry/resnet-tf"},
    }
    first = run(sample, **kw)
    assert first.changed
    second = rewrite_again(first, sample, **kw)
    assert second.text == first.text
    assert not second.changed and second.edits == []


def test_sample_moved_repo_fixed_in_url_and_text(sample: str) -> None:
    old, new = "https://github.com/ry/tensorflow-resnet", "https://github.com/ry/resnet-tf"
    r = run(sample, moved={old: new})
    assert r.moved == [(old, new)]
    assert old not in r.text
    line = next(ln for ln in r.text.splitlines() if new in ln)
    assert line.startswith(f"- code: [unofficial-tensorflow : {new}]({new}) ({NOTE_OPEN}")
    # The note says what the fixed link will say next run too: no "moved" churn.
    assert "moved" not in line


def test_sample_changes_only_bot_owned_lines(sample: str) -> None:
    moved = {"https://github.com/nutszebra/prelu_net": "https://github.com/nz/prelu"}
    r = run(sample, moved=moved, dead={"https://arxiv.org/abs/1603.08029"})
    doc = parse_list(sample)
    kinds = set(STATUS.note_kinds)
    (table,) = doc.tables
    allowed = {row.line for row in [table.header, table.delimiter, *table.rows]}
    allowed |= {lk.use_line for lk in doc.links if lk.kind in kinds}
    allowed |= {lk.line for lk in doc.links if lk.raw_url in moved}
    before, after = sample.splitlines(), r.text.splitlines()
    assert len(before) == len(after)
    sm = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    changed = set()
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        assert tag == "replace" and i2 - i1 == j2 - j1, (tag, i1, i2, j1, j2)
        changed |= set(range(i1 + 1, i2 + 1))
    assert changed and changed <= allowed
    assert changed == r.changed_lines
    assert strip_bot(r.text, sample, moved=list(moved.items())) == sample
    # Outside tables and notes, only the moved URL differs.
    for n in changed - {row.line for row in table.rows} - {table.header.line, table.delimiter.line}:
        b, a = before[n - 1], NOTE_RE.sub("", after[n - 1])
        assert a == b or a == b.replace(*next(iter(moved.items())))
    assert "dead since 2026-10" in r.text


# -- the small README fixture --------------------------------------------------


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


def test_readme_golden_lines(readme: str) -> None:
    r = run(
        readme,
        stars={"https://github.com/one/one": 7000, "https://github.com/three/three": 9876},
        archived={"https://github.com/three/three", "https://github.com/delta/delta"},
        moved={"https://github.com/beta/beta": "https://github.com/neo/beta"},
    )
    out = r.text.splitlines()
    src = readme.splitlines()
    note = re.escape(NOTE_OPEN) + r"(.*?)" + re.escape(NOTE_CLOSE)
    # Table with its own links: a column, ragged rows padded, pipes respected; every cell
    # of the bot's column has one width, a multiple of 8 (awesome-lint's alignment rules).
    i = src.index("| Model | Paper | Code |")
    mark = "Status <!-- awesome-monitor column -->"
    assert out[i] == f"| Model | Paper | Code | {mark}{' ' * 18} |"
    assert out[i + 1] == "|-------|:-----:|------| " + "-" * 56 + " |"
    assert re.fullmatch(r"\| One \| .* \| ★ 7k · stale since 2024 · v\d +\|   ", out[i + 2])
    assert re.fullmatch(r"\| Two \| \[pdf\]\(\S+\) \|  \| v\d {55}\|", out[i + 3])
    three = "Three | - | [code](https://github.com/three/three)"
    assert out[i + 4] == three + " | ★ 9.9k · stale since 2024 · archived"
    # A table of web links only is not ours; a table naming sections is.
    j = src.index("| Name | Site |")
    assert out[j : j + 3] == src[j : j + 3]
    k = src.index("| Net | Top1 |")
    assert out[k : k + 2] == [  # wider: the row links several repositories and names one
        f"| Net | Top1 | {mark}{' ' * 34} |",
        "| :--- | ---: | " + "-" * 72 + " |",
    ]
    assert out[k + 2].startswith("| Zeta | 1.0 | `zeta/official` ★ ")
    assert out[k + 3] == "| Nowhere | 2.0 | " + " " * 72 + " |"
    assert r.unmatched_rows == ["Nowhere"]
    # Notes: on the list's entries (list items), not in headings, prose, HTML, code or after
    # web links; the main link of a list item gets it in front (awesome-lint then checks the
    # author's description as written), in parentheses when the item is the link alone.
    alpha = out[src.index("- [Alpha](https://github.com/alpha/alpha) - does alpha things. ✨")]
    assert re.fullmatch(rf"- <span>{note}</span> \[Alpha\]\(\S+\) - does alpha things\. ✨", alpha)
    for prose in (4, 5):  # the intro's paper, bare and autolinked repositories: alive, no note
        assert out[prose] == src[prose]
    gamma = out[
        src.index(
            '- [name : https://github.com/gamma/gamma](https://github.com/gamma/gamma "title")'
        )
    ]
    assert re.fullmatch(rf'- \[name : \S+\]\(\S+ "title"\) \({note}\)', gamma)
    assert out[3] == src[3]  # heading
    docs = "- [docs](https://example.com/docs) only a web link."
    assert out[src.index(docs)] == docs
    assert NOTE_OPEN not in "".join(out[src.index('<div align="center">') :])
    delta = out[src.index("- [Delta][delta] and [Epsilon][] by reference.")]
    assert re.fullmatch(
        rf"- <span>{note}</span> \[Delta\]\[delta\] and \[Epsilon\]\[\] {note} by reference\.",
        delta,
    )
    assert re.search(note, delta)[1].endswith("· archived")
    # Moved: URL and the text that is the URL; the trailing tab is kept.
    beta = out[src.index("- [https://github.com/beta/beta](https://github.com/beta/beta)\t")]
    assert re.fullmatch(
        rf"- \[https://github\.com/neo/beta\]\(https://github\.com/neo/beta\) "
        rf"\({note}\)\t",
        beta,
    )
    # Trailing double space (a hard break) and front matter kept.
    assert out[5].endswith(").  ") and out[:3] == src[:3]
    assert r.text.endswith("\n") and len(out) == len(src)


def test_readme_strip_gives_back_the_input_and_links_are_kept(readme: str) -> None:
    moved = {
        "https://github.com/gamma/gamma": "https://github.com/neo/gamma",
        "https://github.com/epsilon/epsilon": "https://github.com/neo/epsilon",
    }
    r = run(readme, moved=moved)
    assert strip_bot(r.text, readme, moved=list(moved.items())) == readme
    assert link_set(r.text, list(moved.items())) == link_set(readme)
    # The name-and-URL link text is fixed too, the title kept.
    assert '[name : https://github.com/neo/gamma](https://github.com/neo/gamma "title")' in r.text
    assert "[epsilon]: <https://github.com/neo/epsilon>" in r.text


def test_crlf_stays_crlf(readme: str) -> None:
    text = readme.replace("\n", "\r\n")
    moved = {"https://github.com/beta/beta": "https://github.com/neo/beta"}
    r = run(text, moved=moved)
    assert r.text.count("\n") == r.text.count("\r\n") == text.count("\r\n")
    mark = "Status <!-- awesome-monitor column -->"
    assert f"| Model | Paper | Code | {mark}{' ' * 18} |\r\n" in r.text
    assert r.text.replace("\r\n", "\n") == run(readme, moved=moved).text
    assert rewrite_again(r, text, moved=moved).text == r.text


def test_no_final_newline_stays_so() -> None:
    text = "- [x](https://github.com/last/line)"
    r = run(text)
    assert r.text.startswith(text + " (" + NOTE_OPEN) and r.text.endswith(NOTE_CLOSE + ")")
    table = "| a | b |\n|---|---|\n| x | [y](https://github.com/y/y) |"
    cell = "★ " + format_stars(stars_of("https://github.com/y/y")) + " · stale since 2024"
    assert re.search(re.escape("| " + cell) + " +\\|$", run(table).text)


def test_existing_column_and_notes_are_updated_not_duplicated(readme: str) -> None:
    first = run(readme)
    url = "https://github.com/alpha/alpha"
    # The next run: alpha died, zeta's official repository was archived.
    doc = parse_list(first.text)
    second = rewrite(
        doc,
        fake_verdicts(doc, dead={url}, archived={"https://github.com/zeta/official"}),
        STATUS,
        environment(),
        TODAY,
    )
    assert second.text.count(NOTE_OPEN) == first.text.count(NOTE_OPEN) == first.notes
    assert second.text.count("Status") == first.text.count("Status") == 2
    line = next(ln for ln in second.text.splitlines() if url in ln)
    assert line == (
        f"- <span>{NOTE_OPEN}dead since 2026-10{NOTE_CLOSE}</span> [Alpha]({url})"
        " - does alpha things. ✨"
    )
    zeta = cells(second.text)[1][0]
    assert re.fullmatch(r"`zeta/official` ★ \S+ · stale since 2024 · archived · v\d", zeta), zeta
    assert strip_bot(second.text, readme) == readme
    assert second.changed_lines == {
        n
        for n, (a, b) in enumerate(
            zip(first.text.splitlines(), second.text.splitlines(), strict=True), 1
        )
        if a != b
    }


def test_links_in_the_status_column_are_the_bots_own(readme: str) -> None:
    # A config template that links the version inside the cells.
    linking = environment(
        {"cell.md.j2": "{% if paper %}[v{{ paper.version }}]({{ paper.version_url }}){% endif %}"}
    )
    r = run(readme, env=linking)
    assert link_set(r.text) == link_set(readme)
    in_cells = re.findall(r"\]\((https://arxiv\.org/abs/[\d.]+v\d)\)", r.text)
    assert in_cells and not set(in_cells) & {lk.raw_url for lk in parse_list(r.text).links}
    doc = parse_list(r.text)
    again = rewrite(doc, fake_verdicts(doc), STATUS, linking, TODAY)
    assert again.text == r.text


def test_notes_off_removes_the_bots_notes(readme: str) -> None:
    first = run(readme)
    off = StatusConfig(notes=False)
    r = run(first.text, status=off)
    assert NOTE_OPEN not in r.text and "<span>" not in r.text and "<span>" in first.text
    assert NOTE_RE.sub("", first.text) == r.text


def test_status_wording() -> None:
    text = "\n".join(f"- [{n}](https://github.com/o/{n})" for n in "abcdef") + "\n"
    text += "- [p](https://arxiv.org/abs/1409.1556v2)\n"
    r = run(
        text,
        dead={"https://github.com/o/a"},
        failing={"https://github.com/o/b"},
        not_checked={"https://github.com/o/c"},
        archived={"https://github.com/o/d"},
        moved={"https://github.com/o/e": "https://github.com/o2/e"},
        stars={"https://github.com/o/f": 12_345},
    )
    notes = re.findall(re.escape(NOTE_OPEN) + "(.*?)" + re.escape(NOTE_CLOSE), r.text)
    ver = stars_of("https://arxiv.org/abs/1409.1556v2") % 8 + 1
    # Failing (not dead yet) and not checked: nothing durable to show, so no note at all.
    assert notes[0] == "dead since 2026-10"
    assert notes[1].endswith(" · stale since 2024 · archived")
    assert notes[2] == f"★ {format_stars(stars_of('https://github.com/o/e'))} · stale since 2024"
    assert notes[3] == "★ 12.3k · stale since 2024"
    assert notes[4] == f"v{ver} · 2019-05"
    assert len(notes) == 5


@dataclasses.dataclass
class PackageSeen:
    """What a package registry's provider observes: a latest release and its date (the
    judge and the outputs read these facts whatever the registry)."""

    release: str
    release_date: str
    outcome: Outcome = Outcome.OK
    error: str | None = None
    http_status: int | None = 200
    moved_to: str | None = None
    archived: bool = False
    server_error: bool = False
    network_error: str | None = None
    etag: str | None = None
    redirect: str | None = None

    def facts(self) -> Facts:
        return Facts(release=self.release, release_date=self.release_date, labels=("inactive",))

    def report_fields(self, stale: bool) -> dict:
        return {}


def test_a_package_shows_its_latest_release_and_a_stale_one_its_age() -> None:
    (link,) = parse_list("- [pkg](https://github.com/o/pkg) - A package.\n").links

    def note(released: str) -> str | None:
        v = Judgement(link, Verdict.ALIVE, observation=PackageSeen("2.3.1", released))
        return render_note(environment(), v, StatusContext(TODAY, STATUS))

    assert note("2026-06-01T00:00:00Z") == "2.3.1 · inactive"  # recent: its age says nothing
    assert note("2021-06-01T00:00:00Z") == "2.3.1 · no release since 2021 · inactive"
    assert note("2021-06-01T00:00:00Z") == note("2024-12-02T00:00:00Z").replace("2024", "2021")
    off = StatusContext(TODAY, dataclasses.replace(STATUS, stale_after=0))
    old = Judgement(link, Verdict.ALIVE, observation=PackageSeen("1.0", "2010-01-01"))
    assert render_note(environment(), old, off) == "1.0 · inactive"  # stale_after = 0: off


def test_row_counts_and_official_label() -> None:
    text = (
        "| Net | x |\n|---|---|\n| Foo | 1 |\n\n### Foo\n"
        "- code: [unofficial-keras : https://github.com/u/big](https://github.com/u/big)\n"
        "- code: [official-tf : https://github.com/o/small](https://github.com/o/small)\n"
        "- code: [c](https://github.com/u/arch1)\n- code: [d](https://github.com/u/arch2)\n"
        "- code: [e](https://github.com/u/gone)\n"
    )
    r = run(
        text,
        stars={"https://github.com/u/big": 50_000, "https://github.com/o/small": 10},
        archived={"https://github.com/u/arch1", "https://github.com/u/arch2"},
        dead={"https://github.com/u/gone"},
    )
    assert cells(r.text) == [["`o/small` ★ 10 · stale since 2024 · 2 archived · 1 dead"]]
    stars = {"https://github.com/u/big": 50_000, "https://github.com/o/small": 10}
    r = run(text.replace("official-tf", "unofficial-tf"), stars=stars)
    assert cells(r.text)[0][0].startswith("`u/big` ★ 50k · ")
    # One repository: nothing to tell apart, no name.
    one = "| Net | x |\n|---|---|\n| Foo | 1 |\n\n### Foo\n- [a](https://github.com/o/small)\n"
    one += "- [b](https://github.com/u/gone)\n"
    r = run(one, stars=stars, dead={"https://github.com/u/gone"})
    assert cells(r.text) == [["★ 10 · stale since 2024 · 1 dead"]]


def test_cells_escape_pipes_and_stay_on_one_line() -> None:
    env = environment({"cell.md.j2": "a|b\n{{ main.main_count }} \\| ok\\"})
    text = "| a | b |\n|---|---|\n| x | [y](https://github.com/y/y) |\n"
    r = run(text, env=env, stars={"https://github.com/y/y": 5})
    assert re.fullmatch(r"\| x \| \[y\]\(\S+\) \| a\\\|b 5 \\\| ok +\|", r.text.splitlines()[2])
    assert rewrite_again(r, text, env, stars={"https://github.com/y/y": 5}).text == r.text


def test_note_template_override_by_name() -> None:
    env = environment({"note.md.j2": "{{ s.state }} {{ s.main_count | stars }}"})
    r = run("- [y](https://github.com/y/y)\n", env=env, stars={"https://github.com/y/y": 2500})
    assert r.text == f"- [y](https://github.com/y/y) ({NOTE_OPEN}alive 2.5k{NOTE_CLOSE})\n"


def test_nested_and_surplus_cell_tables() -> None:
    quoted = "> | a | b |\n> |---|---|\n> | x | [y](https://github.com/y/y) |\n"
    assert run(quoted).text == quoted  # rows carry a prefix: not touched
    surplus = "| a | b |\n|---|---|\n| x | [y](https://github.com/y/y) | extra |\n"
    r = run(surplus, stars={"https://github.com/y/y": 1})
    row = r"\| x \| \[y\]\(https://github.com/y/y\) \| ★ 1 · stale since 2024 +\| extra \|"
    assert re.fullmatch(row, r.text.splitlines()[2])
    assert rewrite_again(r, surplus, stars={"https://github.com/y/y": 1}).text == r.text
    assert strip_bot(r.text, surplus) == surplus


def test_empty_status_in_an_open_row_is_stable() -> None:
    """A row without a closing pipe whose status became empty loses the cell (an empty
    last cell would read as a closing pipe and be padded anew next time)."""
    text = (
        "a | b | Status <!-- awesome-monitor column -->\n--|--|--\n"
        "x | [y](https://github.com/y/y) | ★ 1\n"
    )
    env = environment({"cell.md.j2": ""})
    r = run(text, env=env)
    assert r.text.splitlines()[2] == "x | [y](https://github.com/y/y) "
    assert run(r.text, env=env).text == r.text


# -- the real lists --------------------------------------------------------------


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is absent")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_rewrite_is_idempotent_and_keeps_links(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    doc = parse_list(text)
    repos = sorted({lk.raw_url for lk in doc.links if lk.target.kind is GitHubKind.REPO})
    moved = {u: f"https://github.com/moved{i:03d}/r" for i, u in enumerate(repos[::17])}
    kw = {"moved": moved, "archived": set(repos[1::5]), "dead": set(repos[2::11])}
    verdicts = fake_verdicts(doc, **kw)
    first = rewrite(doc, verdicts, STATUS, environment())
    assert first.changed
    doc2 = parse_list(first.text)
    assert rewrite(doc2, carry(verdicts, doc2), STATUS, environment()).text == first.text
    assert link_set(doc2, list(moved.items())) == link_set(doc)
    assert strip_bot(first.text, doc, moved=list(moved.items())) == text


def test_reference_use_then_inline_link_to_the_same_url() -> None:
    """Found by the property test: the parser once took a reference use for a later
    inline link to the same URL, and a note landed inside a link."""
    text = (
        "[alpha][ref0]\n[https://github.com/o0/r0](https://github.com/o0/r0)\n"
        "[alpha](https://arxiv.org/abs/1409.1550)\n\n"
        "[ref0]: https://arxiv.org/abs/1409.1550\n[ref1]: https://github.com/o0/r0\n"
    )
    doc = parse_list(text)
    assert [(lk.syntax.value, lk.use_line) for lk in doc.links][:3] == [
        ("reference", 1),
        ("inline", 2),
        ("inline", 3),
    ]
    # Dead, so that these links in a paragraph get a note (alive, prose gets none).
    dead = {"https://arxiv.org/abs/1409.1550", "https://github.com/o0/r0"}
    r = rewrite(doc, fake_verdicts(doc, dead=dead), STATUS, environment())
    lines = r.text.splitlines()
    assert lines[0].startswith(f"[alpha][ref0] {NOTE_OPEN}dead since")
    assert lines[1].startswith(f"[https://github.com/o0/r0](https://github.com/o0/r0) {NOTE_OPEN}")
    assert link_set(r.text) == link_set(text)
    assert rewrite_again(r, text, dead=dead).text == r.text


def test_a_row_is_named_by_its_own_cells_not_the_status() -> None:
    """Found by the property test: a row whose only text is a surplus cell was named by
    the bot's status cell on the next run."""
    text = (
        "Name | Name\n--- | ---\n|  |  | [alpha](https://arxiv.org/abs/1409.1550)\n| x\n\n"
        "# alpha [https://arxiv.org/abs/1409.1550](https://arxiv.org/abs/1409.1550)"
    )
    r = run(text)
    assert r.text.splitlines()[2].startswith("|  |  | v")
    assert rewrite_again(r, text).text == r.text


SHOW_LIST = (
    "# Shown\n\n"
    "| Net | Code | Paper |\n|---|---|---|\n"
    "| A | [a](https://github.com/a/a) [b](https://github.com/b/b) "
    "| [p](https://arxiv.org/abs/1512.03385) |\n"
    "\n- [Alpha](https://github.com/alpha/alpha) - Does alpha things.\n"
    "- [Paper](https://arxiv.org/abs/1409.1556) - A paper.\n"
    "- [Gone](https://github.com/gone/gone) - Gone.\n"
    "- [Old](https://github.com/old/old) - Archived.\n"
)  # fmt: skip


@pytest.mark.parametrize("hidden", ["stars", "activity", "archived", "version", "dead"])
def test_status_show_leaves_out_one_part_and_keeps_the_rest(hidden: str) -> None:
    doc = parse_list(SHOW_LIST)
    verdicts = fake_verdicts(doc, dead={"https://github.com/gone/gone"},
                             archived={"https://github.com/old/old"})  # fmt: skip
    shown = {
        "stars": "★", "activity": "stale since", "archived": "archived", "version": " v",
        "dead": "dead since",
    }  # fmt: skip
    everything = rewrite(doc, verdicts, STATUS, environment(), TODAY).text
    status = StatusConfig(show=[p for p in STATUS.show if p != hidden])
    text = rewrite(doc, verdicts, status, environment(), TODAY).text
    bot = "".join(m.group(0) for m in NOTE_RE.finditer(text))
    bot += "".join(c for row in cells(text) for c in row)
    everything_bot = "".join(m.group(0) for m in NOTE_RE.finditer(everything))
    everything_bot += "".join(c for row in cells(everything) for c in row)
    for part, word in shown.items():
        assert word in everything_bot, part  # the list has every part by default
        assert (word in bot) == (part != hidden), (part, bot)


def test_a_list_without_stars_shows_no_count_anywhere() -> None:
    status = StatusConfig(show=["activity", "archived", "version", "dead"])
    r = run(SHOW_LIST, status=status, archived={"https://github.com/old/old"})
    assert "★" not in r.text and "stale since" in r.text and "archived" in r.text
    # The activity shown is still one of the row's repositories': the cell names it.
    (row,) = cells(r.text)
    assert row[0].startswith("`") and "★" not in row[0]
