"""The dashboard acts, as Renovate's does: end to end over HTTP against the GitHub emulator,
a maintainer ticks boxes in the issue (the body edited through the API, as a browser saves
it) and the next runs do what the box says. Every body is read as GitHub renders it
(cmark-gfm): what is clickable is an `<a href>`, a box an `<input type="checkbox">`, and the
hidden ids never show."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import requests

from bot.render.boxes import CHECK_NOW, SILENCE, UNDECLINE, asks, link_id, mark
from bot.render.silence import MARK
from tests.conftest import shared_dir
from tests.gfm_oracle import render
from tests.world import LIST_REPO, TOKEN, MakeWorld, World

STATE_BRANCH = "awesome-monitor/state"
BRANCH = "awesome-monitor/status"
# Dead with `--dead-after 1`, and linked on one line of the sample only.
VGG16 = "https://github.com/keras-team/keras-applications/blob/master/keras_applications/vgg16.py"
ARCHIVED = "https://github.com/amusi/awesome-object-detection"


@pytest.fixture
def wd(make_world: MakeWorld) -> World:
    world = make_world(web_cases=False)
    world.add_list_repo()
    return world


def run(wd: World, command: str, *extra: str) -> str:
    done = wd.run(command, "--repo", LIST_REPO, "--dead-after", "1", *extra)
    assert done.code == 0, done.err
    assert "Traceback" not in done.err
    return done.out.strip().splitlines()[-1]


def repo(wd: World):
    return wd.github.scenario[LIST_REPO]


def dashboard(wd: World):
    (dash,) = [i for i in repo(wd).issues.values() if i.title.startswith("Link dashboard")]
    return dash


def tick(wd: World, number: int, box: str) -> None:
    """A maintainer ticks a box in GitHub's web page: the body is saved through the API, with
    the CRLF line endings GitHub's editor writes."""
    body = repo(wd).issues[number].body
    (line,) = [ln for ln in body.splitlines() if box in ln]
    assert line.startswith("- [ ] "), line
    body = body.replace(line, line.replace("- [ ] ", "- [x] ", 1)).replace("\n", "\r\n")
    answer = requests.patch(
        f"{wd.github.url}/repos/{LIST_REPO}/issues/{number}",
        json={"body": body},
        headers={"Authorization": f"token {TOKEN}", "Accept": "application/vnd.github+json"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert repo(wd).issues[number].body == body


def state(wd: World) -> dict:
    return json.loads(repo(wd).file_text("state.json", STATE_BRANCH))


def diff(wd: World, branch: str) -> list[tuple[str, str]]:
    base, head = repo(wd).file_text("README.md"), repo(wd).file_text("README.md", branch) or ""
    pairs = zip(base.splitlines(), head.splitlines(), strict=True)
    return [(a, b) for a, b in pairs if a != b]


class _Seen(HTMLParser):
    """What a reader sees of rendered HTML: its text, its links and its boxes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.boxes: list[bool] = []  # ticked or not, in order
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag == "input" and a.get("type") == "checkbox":
            self.boxes.append("checked" in a)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def seen(body: str) -> _Seen:
    return _Seen(render(body))


def items(body: str, section: str) -> list[str]:
    """The item lines of one `### section` of a body."""
    part = body.split(f"### {section}", 1)[1].split("\n### ", 1)[0]
    return [ln for ln in part.splitlines() if ln.startswith("- ")]


# -- silence a link ------------------------------------------------------------------------


def test_a_ticked_silence_box_has_the_next_pr_propose_the_disable_comment(wd: World) -> None:
    r = repo(wd)
    assert "opened #1" in run(wd, "pr")
    r.merge_pull(1)
    assert "opened #2" in run(wd, "issue")
    dash = dashboard(wd)
    # The merged pull request is none of the dashboard's business any more.
    assert "**Pull request:** none is open" in dash.body
    ident = link_id(VGG16)
    (line,) = [ln for ln in items(dash.body, "Dead links") if f"`{VGG16}`" in ln]
    assert line.startswith(f"- [ ] {mark(SILENCE, ident)}line 83: ")
    tick(wd, dash.number, mark(SILENCE, ident))

    before = wd.github.counts.copy()
    assert "opened #3" in run(wd, "pr")
    # The dashboard's body was read with one request, since there is one.
    assert (wd.github.counts - before)["GET /repos/{o}/{r}/issues/{n}"] == 1
    pr = r.pulls[3]
    # Exactly that link's line gets the disable comment (its note goes: it is not checked).
    # and the table row that counted it counts it no more (as once it is merged).
    ((row, row_new), (old, new)) = diff(wd, pr.head)
    assert VGG16 in old and new.endswith(f"]({VGG16}) {MARK}"), new
    assert "awesome-monitor -->" not in new.replace(MARK, "")
    assert row.startswith("|           Vgg") and "2 dead" in row and "1 dead" in row_new
    # With its own reason and heading in the pull request, and nothing called back alive.
    assert "**Silenced at your request" in pr.body and "Back alive" not in pr.body
    said = pr.body.split("**Silenced at your request", 1)[1].split("\n\n", 1)[0]
    assert f"- line 83: `{VGG16}`" in said and "- line 29: `Vgg`" in said
    shown = " ".join(seen(pr.body).text)
    assert "Silenced at your request" in shown and MARK in shown, "the comment is said, visibly"

    # The dashboard links the pull request that proposes it, and the box stays ticked.
    assert "updated #2" in run(wd, "issue")
    html = seen(dash.body)
    assert "../pull/3" in html.hrefs
    (line,) = [ln for ln in items(dash.body, "Dead links") if f"`{VGG16}`" in ln]
    assert line.startswith("- [x] ")

    r.merge_pull(3)
    assert "none" in run(wd, "pr")
    assert "updated #2" in run(wd, "issue")
    assert VGG16 not in dash.body, "ignored like any disabled link: it leaves the dashboard"
    assert "**Pull request:** none is open" in dash.body
    assert "none" in run(wd, "pr"), "and nothing more is proposed for it"
