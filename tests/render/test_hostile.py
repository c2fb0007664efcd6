"""Hostile and broken input: huge lists, bytes that are not text, absurd nesting, ragged
tables, unbalanced HTML, links no checker may fetch, corrupt state and config files, and
property-based fuzzing of the Markdown engine on arbitrary text."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.check.model import Judgement, Outcome, Verdict
from bot.check.providers.arxiv import ArxivTarget, PaperObservation
from bot.check.providers.github_api import RepoObservation
from bot.check.providers.github_urls import GitHubTarget
from bot.check.providers.web import WebObservation
from bot.cli import main
from bot.config import StatusConfig
from bot.parse.markdown import NOTE_CLOSE, NOTE_OPEN, Document, owned_column
from bot.pipeline import parse_list
from bot.render.rewrite import rewrite
from bot.render.spans import ANY_NOTE
from bot.render.templating import environment
from tests.emulators import web as w
from tests.world import MakeWorld, World

ENV = environment()
STATUS = StatusConfig()
# A bot note (with the blanks before it, and its parentheses in a link-only list item).
_NOTES = ANY_NOTE


def alive(doc: Document) -> list[Judgement]:
    """An 'alive' verdict with plausible data for every link of `doc`."""
    out = []
    for lk in doc.links:
        t = lk.target
        if isinstance(t, GitHubTarget):
            ro = RepoObservation(t.repo_key, Outcome.OK, stars=1234,
                                 last_commit="2024-03-01T00:00:00Z")  # fmt: skip
            out.append(Judgement(lk, Verdict.ALIVE, observation=ro))
        elif isinstance(t, ArxivTarget):
            po = PaperObservation(t.arxiv_id, Outcome.OK, version=2, updated="2020-01-01")
            out.append(Judgement(lk, Verdict.ALIVE, observation=po))
        else:
            out.append(
                Judgement(lk, Verdict.ALIVE, observation=WebObservation(lk.url, Outcome.OK, 200))
            )
    return out


def scan(path: Path, tmp: Path) -> tuple[int, dict]:
    out = tmp / "scan.json"
    code = main(["scan", str(path), "--json", str(out), "-q"])
    return code, json.loads(out.read_text()) if out.exists() else {}


@pytest.fixture
def world(make_world: MakeWorld) -> World:
    text = "# L\n\n- [a](https://github.com/own/a)\n- [b](https://github.com/own/b)\n"
    wd = make_world(text, web_cases=False)
    return wd


# -- size ------------------------------------------------------------------------------


def test_a_10_mb_list_is_scanned(tmp_path: Path) -> None:
    prose = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod. " * 40
    chunk = f"{prose}\n\n- [tool](https://github.com/owner/tool) - a tool.\n\n"
    path = tmp_path / "big.md"
    reps = 10 * 2**20 // len(chunk) + 1
    path.write_text("# Big\n\n" + chunk * reps, encoding="utf-8")
    assert path.stat().st_size >= 10 * 2**20
    started = time.monotonic()
    code, report = scan(path, tmp_path)
    assert code == 0
    assert report["summary"]["links"] == reps
    assert time.monotonic() - started < 20


def test_a_50000_link_list_parses_and_rewrites(tmp_path: Path) -> None:
    lines = ["# Big", ""]
    for s in range(100):
        lines += [f"## Part {s}", ""]
        for i in range(500):
            k = s * 500 + i
            url = (f"https://github.com/owner{k}/tool{k}", f"https://arxiv.org/abs/1409.{k:05d}",
                   f"https://site{k % 97}.example/p/{k}")[k % 3]  # fmt: skip
            lines.append(f"- [item {k}]({url}) - thing {k}.")
        lines.append("")
    text = "\n".join(lines) + "\n"
    doc = parse_list(text)
    assert len(doc.links) == 50_000
    assert all(text[lk.start : lk.end] == lk.raw_url for lk in doc.links[::997])
    assert doc.links[-1].section is not None and doc.links[-1].section.title == "Part 99"
    result = rewrite(doc, alive(doc), STATUS, ENV)
    assert result.notes == sum(1 for lk in doc.links if lk.kind != "web")
    assert _NOTES.sub("", result.text) == text


# -- bytes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"# List\n\n- [a](https://x.example/\xff\xfe)\n", "not UTF-8"),
        (b"# List\n\n- [a](https://x.example/)\x00\n", "NUL byte"),
        (b"\xef\xbb\xbf", "empty"),
        (b"   \n\n", "empty"),
    ],
)
def test_bytes_that_are_not_text_are_refused(
    world: World, data: bytes, words: str, tmp_path: Path
) -> None:
    world.list_path.write_bytes(data)
    run = world.run("check", "--write")
    assert run.code == 2 and words in run.err, run.err
    assert world.list_path.read_bytes() == data
    assert not world.state_path.exists()
    assert main(["scan", str(world.list_path)]) == 2


def test_a_bom_and_crlf_are_kept(world: World) -> None:
    text = "\ufeff# L\r\n\r\n- [a](https://github.com/own/a)\r\n- [b](https://github.com/own/b)\r\n"
    world.list_path.write_bytes(text.encode("utf-8"))
    run = world.run("check", "--write")
    assert run.code == 0, run.err
    out = world.list_path.read_bytes()
    assert out.startswith(b"\xef\xbb\xbf# L\r\n") and b"\n" not in out.replace(b"\r\n", b"")
    assert _NOTES.sub("", out.decode("utf-8")) == text


# -- structure -------------------------------------------------------------------------


def test_deep_nesting_does_not_crash(world: World) -> None:
    depth = 500
    quotes = "".join("> " * i + f"[q{i}](https://github.com/own/a)\n" for i in (1, depth))
    items = "".join("  " * i + f"- [l{i}](https://github.com/own/b)\n" for i in range(depth))
    brackets = "[" * depth + "x" + "]" * depth + "(https://github.com/own/a)\n"
    emph = "*" * depth + "[e](https://github.com/own/b)" + "*" * depth + "\n"
    text = f"# Deep\n\n{quotes}\n{items}\n{brackets}\n{emph}"
    world.list_path.write_text(text, encoding="utf-8")
    doc = parse_list(text)
    assert all(text[lk.start : lk.end] == lk.raw_url for lk in doc.links)
    run = world.run("check", "--write")
    assert run.code == 0, run.err
    assert _NOTES.sub("", world.list_path.read_text(encoding="utf-8")) == text


def test_ragged_table_gets_one_status_column(world: World) -> None:
    text = (
        "# T\n\n"
        "| Name | Code | Paper |\n"
        "|:-----|------|------:|\n"
        "| a | [code](https://github.com/own/a) |\n"
        "| b | [code](https://github.com/own/b) | x | surplus |\n"
        "| c\n"
        "| d | [c](https://github.com/own/a) | \\| piped \\| |\n"
    )
    world.list_path.write_text(text, encoding="utf-8")
    run = world.run("check", "--write")
    assert run.code == 0, run.err
    out = world.list_path.read_text(encoding="utf-8")
    doc = parse_list(out)
    (table,) = doc.tables
    col = owned_column(table)
    assert col == 3 and len(table.rows) == 4
    assert set(table.delimiter.cells[col].text.strip()) == {"-"}
    assert "★" in table.rows[0].cells[col].text and "★" in table.rows[1].cells[col].text
    assert world.run("check", "--write").code == 0
    assert world.list_path.read_text(encoding="utf-8") == out, "a second run is byte-identical"


def test_unbalanced_html_is_survived(world: World) -> None:
    text = (
        '# H\n\n<div><p align=center>\n<a href="https://github.com/own/a">a\n\n'
        "- [b](https://github.com/own/b) <b>bold <i>never closed\n\n"
        "<table><tr><td><a href='https://github.com/own/b'>b</td>\n\n"
        "<!-- a comment never closed [x](https://github.com/own/zzz)\n"
    )
    world.list_path.write_text(text, encoding="utf-8")
    repos = {lk.target.repo for lk in parse_list(text).links}
    assert repos == {"own/a", "own/b"}, "links in the open comment are not links"
    run = world.run("check", "--write")
    assert run.code == 0, run.err
    assert _NOTES.sub("", world.list_path.read_text(encoding="utf-8")) == text


def test_links_no_checker_may_fetch(world: World, offline_dns: None) -> None:
    web = world.web
    web.script("/fine", w.ok())
    base = web.url
    hostile = [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1:70/x",
    ]
    text = "# X\n\n" + "".join(f"- [h{i}]({u})\n" for i, u in enumerate(hostile))
    text += f"- [ok]({base}/fine)\n"
    # Control characters and header injection, where Markdown allows them: HTML attributes.
    text += f'<a href="{base}/ctl\x07bell">bell</a>\n'
    text += f'<a href="{base}/split\r\nX-Injected: 1">split</a>\n'
    text += f'<a href="{base}/tab\there">tab</a>\n'
    text += f"- [esc]({base}/esc\\x1b[31m)\n"
    world.list_path.write_text(text, encoding="utf-8")
    run = world.run("check", "--dead-after", "1")
    assert run.code == 0, run.err
    assert set(web.hits) <= {"/fine", "/esc%5Cx1b%5B31m", "/escx1b[31m", "/esc\\x1b[31m"}
    assert web.hits["/fine"] >= 1
    assert all("x-injected" not in h for h in [p.lower() for p in web.hits])
    by_url = run.by_url()
    for u in hostile:  # markdown-it drops most as links; the rest are never requested
        e = by_url.get(u)
        assert e is None or (e["verdict"] != "alive" and e["http_status"] is None), e
    ctl = [e for e in run.report["links"] if "/ctl" in e["url"] or "/split" in e["url"]]
    assert ctl and all(e["kind"] == "invalid" for e in ctl)
    assert run.report["requests"]["web"] == sum(web.hits.values())


# -- state and config ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "corrupt"),
        ('{"version": 99, "repos": {}}', "newer"),
        ('{"repos": {}}', "no schema version"),
        ("[1, 2, 3]", "no schema version"),
        ('{"version": 1, "repos": {"a/b": {"failures": {"x": 1}, "bogus": 1}}}', "corrupt"),
        ('{"version": 1, "repos": [1]}', "corrupt"),
        ('{"version": 1, "papers": {"1409.1556": {"stars": [["x"]]}}}', "corrupt"),
    ],
)
def test_bad_state_file_is_an_error_and_untouched(world: World, content: str, words: str) -> None:
    world.state_path.write_text(content)
    before = world.list_path.read_bytes()
    run = world.run("check", "--write")
    assert run.code == 2 and words in run.err, run.err
    assert str(world.state_path) in run.err
    assert world.state_path.read_text() == content
    assert world.list_path.read_bytes() == before


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ("[check]\ndead_aftr = 3\n", ["'check.dead_aftr'"]),
        ('[check]\ntimeout = "fast"\n', ["'check.timeout'", "a number"]),
        ("[check]\nretries = true\n", ["'check.retries'", "whole number"]),
        ("[check]\nexclude = [1, 2]\n", ["'check.exclude'", "list of strings"]),
        ("check = 3\n", ["'check'", "table"]),
        ("[nonsense]\nx = 1\n", ["'nonsense'"]),
        ("[check\n", ["not valid TOML"]),
        ("[check]\nconcurrency = 0\n", ["'check.concurrency'"]),
        ('[check]\nexclude = ["(unclosed"]\n', ["'check.exclude'"]),
    ],
)
def test_bad_config_names_the_key_and_the_file(world: World, config: str, words: list[str]) -> None:
    world.config_path.write_text(config + '[list]\nfile = "README.md"\n')
    run = world.run("check")
    assert run.code == 2, run.err
    assert str(world.config_path) in run.err
    for word in words:
        assert word in run.err, run.err
    assert "Traceback" not in run.err


# -- fuzzing ---------------------------------------------------------------------------

FRAGMENTS = [
    "[", "]", "(", ")", "<", ">", "|", "\n", "\r\n", "\r", "`", "```", "\\", "*", "_", "!",
    "- ", "> ", "    ", "\t", "# ", "---\n", "|-|\n", "| a | b |\n", "<a href=\"", "\"",
    "'", "[r]: ", "[r]", "<!--", "-->", NOTE_OPEN, NOTE_CLOSE, "&amp;", "&#x5b;", "\x00",
    "\u200d", "\ufeff", "😀", "é", "javascript:", " \"t\"",
    "https://github.com/o/r", "https://github.com/o/r/blob/main/a.md", "https://arxiv.org/abs/1409.1556v2",
    "http://x.example/a(b)c", "www.x.example", "git@github.com:o/r.git",
]  # fmt: skip
hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=60
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text)
def test_fuzz_parse_spans_and_rewrite(text: str) -> None:
    doc = parse_list(text)
    for lk in doc.links:
        assert text[lk.start : lk.end] == lk.raw_url
        assert lk.start <= lk.end <= len(text) and lk.construct_end >= lk.end
        assert 1 <= lk.line <= len(doc.line_starts)
    result = rewrite(doc, alive(doc), STATUS, ENV)
    out = result.text
    assert out.count("\n") == text.count("\n") and out.count("\r") == text.count("\r")
    if not doc.tables:
        # Outside the bot's notes, every byte is the input's.
        assert _NOTES.sub("", out) == _NOTES.sub("", text)
    else:
        table_lines = {n for t in doc.tables for n in range(t.first_line, t.last_line + 1)}
        old = _NOTES.sub("", text).splitlines(keepends=True)
        new = _NOTES.sub("", out).splitlines(keepends=True)
        assert [ln for i, ln in enumerate(old, 1) if i not in table_lines] == [
            ln for i, ln in enumerate(new, 1) if i not in table_lines
        ]
