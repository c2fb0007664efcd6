"""The pull request as a maintainer reads it, rendered by cmark-gfm (GitHub's renderer): the
first and a later PR of the sample and of Awesome-LLM. Every item is something to click
(`line N` leads to that line in the PR's own commit, the URL is a link, a dead link offers
its archived copy), each link appears once, a later PR lists what is new and says in one
line what stays from before, and each item says how to silence it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest

from tests.conftest import SHARED
from tests.emulators import web as w
from tests.emulators.gitstore import Person
from tests.world import LIST_REPO, SAMPLE, MakeWorld, World

BRANCH = "awesome-monitor/status"
LLM = SHARED / "corpus" / "Hannibal046__Awesome-LLM.md"
GHE = "https://ghe.example.com"  # the repository's web address, as the API gives it
SILENCE = "<!-- awesome-monitor-disable-line -->"
HUMAN = Person("Jane Maintainer", "jane@example.com", "2026-11-20T10:00:00Z")
# Web links are checked on the web emulator only: the lists' real hosts are never asked.
LOCAL = (r"^https?://(?!(127\.0\.0\.1|(www\.)?github\.com|arxiv\.org|(www\.)?huggingface\.co"
         r"|hf\.co|pypi\.org|(www\.)?npmjs\.com)[:/])")  # fmt: skip


@dataclass
class Page:
    """A body rendered by cmark-gfm: its links (href, text) and its code."""

    links: list[tuple[str, str]] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # outside code and links


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.href, self.words, self.in_code = Page(), None, [], 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.href, self.words = dict(attrs).get("href") or "", []
        elif tag == "code":
            self.in_code += 1
            self.words_code: list[str] = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href is not None:
            self.page.links.append((self.href, "".join(self.words)))
            self.href = None
        elif tag == "code":
            self.in_code -= 1
            self.page.code.append("".join(self.words_code))

    def handle_data(self, data: str) -> None:
        if self.in_code:
            self.words_code.append(data)
        if self.href is not None:
            self.words.append(data)
        elif not self.in_code:
            self.page.text.append(data)


def render(markdown: str) -> Page:
    reader = _Reader()
    reader.feed(cmarkgfm.github_flavored_markdown_to_html(markdown))
    return reader.page


def section(body: str, title: str) -> str:
    """The Markdown of one `### title (N)` section of a body ('' when there is none)."""
    m = re.search(rf"^### {re.escape(title)} \(\d+\)\n(.*?)(?=^### |\Z)", body, re.M | re.S)
    return m.group(1) if m else ""


def items(markdown: str) -> list[tuple[int, str, str]]:
    """(line, where `line N` leads, the link after it) of every item in `markdown`."""
    found = []
    for m in re.finditer(r"^- \[line (\d+)\]\(<([^>]*)>\): (.*)$", markdown, re.M):
        page = render(m.group(0))
        after = [href for href, _ in page.links[1:]]
        found.append((int(m.group(1)), m.group(2), after[0] if after else ""))
    return found


def entries(text: str) -> list[str]:
    """Repositories (`owner/name`) that list items link, each on one line only, in order."""
    lines = text.splitlines()
    found = []
    for line in lines:
        m = re.match(r"\s*[-*] .*?\]\(https://github\.com/([\w.-]+/[\w.-]+)\)", line)
        if m and sum(f"github.com/{m.group(1)}" in ln for ln in lines) == 1:
            found.append(m.group(1))
    return list(dict.fromkeys(found))


def pr(world: World, *extra: str) -> str:
    run = world.run("pr", "--repo", LIST_REPO, "--dead-after", "1", *extra)
    assert run.code == 0, run.err
    return run.out


def world_of(make_world: MakeWorld, text: str) -> World:
    wd = make_world(text, web_cases=False)
    wd.configure("check", exclude=[LOCAL])
    wd.github.html_base = GHE  # a GitHub Enterprise host: nothing may assume github.com
    wd.add_list_repo()
    return wd


def lists() -> list[tuple[str, str]]:
    out = [("sample", SAMPLE)]
    out.append(("Awesome-LLM", LLM.read_text(encoding="utf-8") if LLM.is_file() else ""))
    return out


@pytest.mark.parametrize(("name", "text"), lists(), ids=[n for n, _ in lists()])
def test_first_and_later_pull_requests_read_as_things_to_click(
    make_world: MakeWorld, name: str, text: str
) -> None:
    if not text:
        pytest.skip(f"../shared/corpus is absent ({LLM.name})")
    wd = world_of(make_world, text)
    repo = wd.github.scenario[LIST_REPO]
    # Events before the first run: a repository gone, one archived, a web page gone with an
    # archived copy the Wayback Machine knows.
    repos = entries(text)
    gone, archived = repos[3], repos[7]
    wd.github.scenario.remove(gone)
    wd.github.scenario[archived].archived = True
    page = wd.web.link("/gone-page")
    wd.web.script("/gone-page", w.not_found())
    wd.wayback.add(page, "20190101000000")
    text = repo.file_text("README.md") + f"\n- [A page]({page}) - Gone.\n"
    repo.git().commit_files(repo.default_branch, {"README.md": text}, "a page", HUMAN)

    out = pr(wd)
    assert "pull request: opened #1" in out
    body = repo.pulls[1].body
    head = repo.branches()[BRANCH]
    page_html = render(body)
    blob = f"{GHE}/{LIST_REPO}/blob/{head}/README.md#L"
    lines = [(href, t) for href, t in page_html.links if t.startswith("line ")]
    assert lines, "every item starts with a link to its line"
    for href, t in lines:
        assert href == blob + t.removeprefix("line "), (href, t)  # the PR's own commit
    dead = section(body, "Dead links")
    dead_items = items(dead)
    assert {u for _, _, u in dead_items} >= {page} and any(gone in u for _, _, u in dead_items)
    # A dead link's archived copy is a link too.
    copies = [h for h, t in render(dead).links if t == "archived copy"]
    assert copies and all(h.startswith(wd.wayback.url) or "web.archive.org" in h for h in copies)
    assert any(archived in u for _, _, u in items(section(body, "Archived repositories")))
    # URLs are links, never code spans, and what a link leads to is the URL as written (an
    # escaped `_` in a bare URL would lead elsewhere).
    assert not [c for c in page_html.code if c.startswith(("http://", "https://"))]
    assert not [h for h, _ in page_html.links if "%5C" in h or "\\" in h]
    for m in re.finditer(r"^- \[line .* — now (.*)$", section(body, "Moved repositories (fixed "
                         "in this PR)"), re.M):  # fmt: skip
        (href, text), *_ = render(m.group(1)).links
        assert href == text and href.startswith("https://"), m.group(0)
    # Each link once: what a section lists is not listed again line by line.
    titles = ("Dead links", "Archived repositories", "Moved repositories (fixed in this PR)",
              "New arXiv versions")  # fmt: skip
    listed = [u for t in titles for _, _, u in items(section(body, t))]
    by_line = body[body.index("### What this pull request changes, line by line") :]
    again = {u for _, _, u in items(by_line)} & set(listed)
    assert not again and len(listed) == len(set(listed))
    assert re.search(r"^[\d,]+ changes? (is|are) in the sections above", by_line, re.M)
    # How to silence one: each item says it (moved ones are fixed by the PR itself), and a
    # collapsed part explains the rest.
    assert SILENCE in page_html.code and "Silence a link" in "".join(page_html.text)
    for title in ("Dead links", "Archived repositories", "New arXiv versions"):
        for m in re.finditer(r"^- \[line (\d+)\].*$", section(body, title), re.M):
            assert m.group(0).endswith(f"to silence it, end line {m.group(1)} with `{SILENCE}`")
    moved_items = section(body, "Moved repositories (fixed in this PR)")
    assert moved_items and SILENCE not in moved_items
    assert "(s)" not in body and " 0 rows" not in body

    # A later PR, after the first was merged: only what is new, one line for the rest.
    repo.merge_pull(1)
    gone2, archived2 = repos[11], repos[13]
    wd.github.scenario.remove(gone2)
    wd.github.scenario[archived2].archived = True
    out = pr(wd)
    assert "pull request: opened #2" in out
    later = repo.pulls[2].body
    head = repo.branches()[BRANCH]
    new_dead = [u for _, _, u in items(section(later, "Dead links"))]
    assert len(new_dead) == 1 and gone2 in new_dead[0]
    assert [archived2 in u for _, _, u in items(section(later, "Archived repositories"))] == [True]
    before = re.search(r"^\*\*From before\*\* \(reported already, not listed again\): (.*)\.$",
                       later, re.M)  # fmt: skip
    assert before, later
    n_dead, n_archived = len(dead_items), len(items(section(body, "Archived repositories")))
    said = f"{n_dead} dead link{'s' * (n_dead != 1)}, {n_archived} archived repositor"
    assert before.group(1).startswith(said), before.group(1)
    for href, t in render(later).links:
        if t.startswith("line "):
            assert href == f"{GHE}/{LIST_REPO}/blob/{head}/README.md#L{t[5:]}"

    # The same PR updated for one more event: its body lists all it proposes (a reviewer
    # reads the whole PR, not the difference from its last edit), the earlier PRs' items
    # still from before; its title counts what it proposes.
    gone3 = repos[17]
    wd.github.scenario.remove(gone3)
    out = pr(wd)
    assert "pull request: updated #2" in out
    updated = repo.pulls[2].body
    now_dead = sorted(u for _, _, u in items(section(updated, "Dead links")))
    assert len(now_dead) == 2 and any(gone2 in u for u in now_dead)
    assert any(gone3 in u for u in now_dead)
    assert before.group(0) in updated  # the first PR's items: from before, as they were
    assert "(2 dead, 1 archived)" in repo.pulls[2].title


def test_a_dry_run_links_the_base_branch_and_says_so(make_world: MakeWorld) -> None:
    wd = world_of(make_world, SAMPLE)
    wd.github.scenario.remove("weiaicunzai/pytorch-cifar100")
    out = pr(wd, "--dry-run")
    assert "A dry run: `line N` leads to the line in `main`'s `README.md`" in out
    body = out[out.index("\n\n") : out.index("<!-- awesome-monitor-meta")]
    lines = [(h, t) for h, t in render(body).links if t.startswith("line ")]
    assert lines and all(h == f"{GHE}/{LIST_REPO}/blob/main/README.md#L{t[5:]}" for h, t in lines)
    assert out.rstrip().endswith("dry run: nothing was written to GitHub (no pull request "
                                 "opened, updated or closed)")  # fmt: skip
    assert wd.github.scenario[LIST_REPO].pulls == {}


def test_a_failing_link_says_when_it_will_be_called_dead(make_world: MakeWorld) -> None:
    wd = make_world(SAMPLE, web_cases=False, check_web=False)
    wd.configure("check", dead_after_days=3)
    wd.github.scenario.remove("weiaicunzai/pytorch-cifar100")
    run = wd.run("check")  # dead_after = 2, dead_after_days = 3 (the defaults)
    assert run.code == 0, run.err
    m = re.search(r"pytorch-cifar100 — repository not found, failing since (\S+); "
                  r"dead from (\S+) if it keeps failing$", run.out, re.M)  # fmt: skip
    assert m, run.out
    since, dead = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
    assert (dead - since).days == 3
    assert "not dead yet)" not in run.out and "(failure" not in run.out
    run = wd.run("check", "--dead-after", "3")  # the days are not the only rule
    assert re.search(
        r"dead from \S+ if it keeps failing and 2 more failed runs$", run.out, re.M
    ) or ("dead after 2 more failed runs" in run.out), run.out


def test_a_list_without_a_table_is_told_of_no_column(make_world: MakeWorld, tmp_path: Path) -> None:
    text = "# Awesome tools\n\nSome tools.\n\n## Tools\n\n" + "".join(
        f"- [Tool {i}](https://github.com/owner{i}/tool{i}) - Tool number {i}.\n" for i in range(12)
    )
    wd = world_of(make_world, text)
    pr(wd)
    body = wd.github.scenario[LIST_REPO].pulls[1].body
    first = body.splitlines()[0]
    assert first.startswith("This pull request adds the link status to `README.md`: a note "
                            "on 12 links.")  # fmt: skip
    assert "row" not in first and "column" not in first
