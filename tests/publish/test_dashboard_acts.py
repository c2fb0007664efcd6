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
from bot.render.dashboard_acts import declined
from bot.render.edits import Held, item_id, words
from bot.render.silence import MARK
from tests.conftest import SHARED
from tests.emulators.gitstore import Person
from tests.gfm_oracle import render
from tests.world import LIST_REPO, TOKEN, MakeWorld, World

STATE_BRANCH = "awesome-monitor/state"
BRANCH = "awesome-monitor/status"
# Dead with `--dead-after 1`, and linked on one line of the sample only.
VGG16 = "https://github.com/keras-team/keras-applications/blob/master/keras_applications/vgg16.py"
HUMAN = Person("Jane Maintainer", "jane@example.com", "2026-11-20T10:00:00Z")


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
    # Each item links its line in the PR's commit (issue 19, point 3).
    assert re.search(rf"^- \[line 83\]\(<[^>]+#L83>\): \[.*\]\(<{re.escape(VGG16)}>\)", said, re.M)
    assert re.search(r"^- \[line 29\]\(<[^>]+#L29>\): `Vgg`", said, re.M)
    shown = " ".join(seen(pr.body).text)
    assert "Silenced at your request" in shown and MARK in shown, "the comment is said, visibly"

    # The dashboard links the pull request that proposes it, and the box stays ticked.
    assert "updated #2" in run(wd, "issue")
    html = seen(dash.body)
    assert "../pull/3" in html.hrefs
    (line,) = [ln for ln in items(dash.body, "Dead links") if f"`{VGG16}`" in ln]
    assert line.startswith("- [x] ")

    r.merge_pull(3)
    assert "no pull request" in run(wd, "pr")
    assert "updated #2" in run(wd, "issue")
    assert VGG16 not in dash.body, "ignored like any disabled link: it leaves the dashboard"
    assert "**Pull request:** none is open" in dash.body
    assert "no pull request" in run(wd, "pr"), "and nothing more is proposed for it"


# -- declined changes ----------------------------------------------------------------------

RESNET = "https://github.com/KaimingHe/resnet-1k-layers"


def test_declined_changes_are_listed_in_words_and_a_box_proposes_one_again(wd: World) -> None:
    r = repo(wd)
    assert "opened #1" in run(wd, "pr")
    r.merge_pull(1)
    wd.github.scenario["KaimingHe/resnet-1k-layers"].archived = True  # an event
    assert "opened #2" in run(wd, "pr")
    proposed = diff(wd, r.pulls[2].head)
    assert len(proposed) == 2  # the list item's note and the table row that names it
    r.close_pull(2)  # declined

    assert "opened #3" in run(wd, "issue")
    dash = dashboard(wd)
    # The history keeps what a maintainer needs to recognise each declined change.
    kept = state(wd)["meta"]["declined"]
    assert len(kept) == 2
    for said in kept.values():
        assert said["pr"] == 2 and re.fullmatch(r"\d{4}-\d\d-\d\d", said["day"])
        assert said["reason"] == "archived" and "archived" in said["text"]
        assert isinstance(said["line"], int) and said["subject"] in (RESNET, "PreActResNet")
    declined = items(dash.body, "Declined (2)")
    (item,) = [ln for ln in declined if f"`{RESNET}`" in ln]
    (ident,) = [k for k, w in kept.items() if w["subject"] == RESNET]
    day = kept[ident]["day"]
    assert item.startswith(f"- [ ] {mark(UNDECLINE, ident)}line ")
    assert item.endswith(f"archived (Newly archived; declined in [#2](../pull/2) on {day})")
    assert "tick its box (the next run proposes it), or change the link" in dash.body
    html = seen(dash.body)
    assert "../pull/2" in html.hrefs and ident not in " ".join(html.text), "the id is hidden"
    assert "**Pull request:** none is open" in dash.body

    # The maintainer wants that one after all: the next pr proposes it again, and only it.
    tick(wd, dash.number, mark(UNDECLINE, ident))
    assert "opened #4" in run(wd, "pr")
    ((old, new),) = diff(wd, r.pulls[4].head)
    assert f"]({RESNET})" in new and "archived" in new and not new.startswith("|")
    assert list(state(wd)["meta"]["declined"]) == [k for k in kept if k != ident]
    assert "updated #3" in run(wd, "issue")
    assert f"`{RESNET}`" not in "\n".join(items(dash.body, "Declined (1)"))
    assert "[#4](../pull/4) is open" in dash.body

    # The other one too; its pull request is closed again before any run rewrote the
    # dashboard: the box still ticked there does not undo that newer decline.
    (row,) = [k for k in kept if k != ident]
    r.close_pull(4)
    tick(wd, dash.number, mark(UNDECLINE, row))
    assert "opened #5" in run(wd, "pr")
    ((old, new),) = diff(wd, r.pulls[5].head)
    assert new.startswith("|       PreActResNet") and "archived" in new
    r.close_pull(5)
    last = run(wd, "pr")
    assert "nothing to act on" in last and "2 changes you declined" in last
    assert sorted(r.pulls) == [1, 2, 4, 5], "no new pull request"
    assert state(wd)["meta"]["declined"][row]["pr"] == 5


# -- check now, and the open pull request ----------------------------------------------------


def test_check_now_is_unticked_by_the_run_and_the_open_pr_is_linked(wd: World) -> None:
    assert "opened #1" in run(wd, "pr")
    assert "opened #2" in run(wd, "issue")
    dash = dashboard(wd)
    html = seen(dash.body)
    assert "../pull/1" in html.hrefs and "#1" in html.text
    assert "**Pull request:** [#1](../pull/1) is open" in dash.body
    assert html.boxes[0] is False and "Check now" in " ".join(html.text)
    tick(wd, dash.number, mark(CHECK_NOW))
    assert asks(dash.body).check_now
    # What the workflow's filter looks for is what GitHub saves when the box is ticked.
    assert f"- [x] {mark(CHECK_NOW)}" in dash.body
    assert "updated #2" in run(wd, "issue")
    assert not asks(dash.body).check_now and f"- [ ] {mark(CHECK_NOW)}" in dash.body
    assert dash.body == dash.body.replace("\r\n", "\n"), "rewritten whole"


def test_pr_reads_no_issue_when_there_is_no_dashboard(wd: World) -> None:
    before = wd.github.counts.copy()
    assert "opened #1" in run(wd, "pr")
    assert not [k for k in wd.github.counts - before if k.startswith("GET /repos/{o}/{r}/issues")]
    assert "meta" in state(wd) and "dashboard" not in state(wd)["meta"]


def test_an_old_body_s_ticks_ask_for_nothing() -> None:
    """Before boxes acted, a tick meant "handled": such a body silences nothing."""
    old = "### Dead links (1)\n\n- [x] line 7: `https://github.com/a/b` — gone\n"
    assert asks(old) == asks("") and not asks(old).check_now


# -- as GitHub renders it, on the sample and on Awesome-LLM ----------------------------------


def _llm() -> str | None:
    path = SHARED / "corpus" / "Hannibal046__Awesome-LLM.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


@pytest.mark.parametrize("which", ["sample", "llm"])
def test_the_dashboard_as_github_renders_it(make_world: MakeWorld, which: str) -> None:
    if which == "llm":
        text = _llm()
        if text is None:
            pytest.skip("../shared/corpus is absent (a plain clone): Awesome-LLM not there")
        w = make_world(text, web_cases=False, check_web=False)
    else:
        w = make_world(web_cases=False)
    w.add_list_repo()
    assert "opened #1" in run(w, "pr")
    assert "opened #2" in run(w, "issue")
    dash = dashboard(w)
    body = dash.body
    html = seen(body)
    shown = " ".join(html.text)
    # One box per dead, moved and archived item, plus "check now"; none elsewhere.
    boxed = [ln for s in ("Dead links", "Moved repositories", "Archived repositories")
             if f"### {s}" in body for ln in items(body, s)
             if not ln.startswith("- …")]  # fmt: skip
    assert boxed and len(html.boxes) == len(boxed) + 1 and not any(html.boxes)
    for ln in boxed:
        m = re.match(r"- \[ \] <!-- awesome-monitor-silence ([0-9a-f]{12}) -->line \d+: `", ln)
        assert m, ln
    assert "awesome-monitor-silence" not in shown and "awesome-monitor-check-now" not in shown
    # The open pull request is a link; how to silence a link is said, visibly.
    assert "../pull/1" in html.hrefs
    assert "awesome-monitor-disable-line" in shown and "Check now" in shown
    if "### Stale repositories" in body:
        assert all(ln.startswith("- line ") or ln.startswith("- …")
                   for ln in items(body, "Stale repositories"))  # fmt: skip

    # The pull request closed unmerged: its items are declined, in words, most pressing first.
    repo(w).close_pull(1)
    assert "updated #2" in run(w, "issue")
    body = dash.body
    assert "**Pull request:** none is open" in body
    (heading,) = re.findall(r"^### Declined \((\d+)\)$", body, re.M)
    declined = [ln for ln in items(body, f"Declined ({heading})") if not ln.startswith("- …")]
    assert 0 < len(declined) <= 25 and int(heading) >= len(declined)
    assert all(re.match(r"- \[ \] <!-- awesome-monitor-undecline [0-9a-f]{16} -->line \d+: ", ln)
               and ln.endswith(")") and "declined in [#1](../pull/1) on " in ln
               for ln in declined)  # fmt: skip
    assert "(Newly dead; declined in" in declined[0]
    if int(heading) > 25:
        assert f"- … and {int(heading) - 25:,} more" in body
    html = seen(body)
    assert html.hrefs.count("../pull/1") == len(declined)
    assert len(html.boxes) == len(boxed) + 1 + len(declined)


def test_the_words_kept_for_a_declined_change_are_bounded() -> None:
    kept = words("dead", "https://example.com/" + "x" * 500, 7, "dead since 2026-12 " * 40)
    assert kept["line"] == 7 and kept["reason"] == "dead"
    assert len(kept["subject"]) == len(kept["text"]) == 200
    assert kept["subject"].endswith("…") and kept["subject"].startswith("https://example.com/x")
    assert len(json.dumps(words("new", "", 1, ""))) < 80


def test_a_tick_keeps_its_meaning_when_the_list_changes_around_it(wd: World) -> None:
    r = repo(wd)
    assert "opened #1" in run(wd, "pr")
    r.merge_pull(1)
    assert "opened #2" in run(wd, "issue")
    dash = dashboard(wd)
    tick(wd, dash.number, mark(SILENCE, link_id(VGG16)))
    # The maintainer adds two entries near the top: every line below moves down by three.
    text = r.file_text("README.md").replace("\n\n", "\n\n- [One](https://github.com/a/one)\n"
                                            "- [Two](https://github.com/b/two)\n\n", 1)  # fmt: skip
    wd.github.scenario.add("a/one", stars=10)
    wd.github.scenario.add("b/two", stars=20)
    r.git().commit_files(r.default_branch, {"README.md": text}, "two more", HUMAN)
    assert "updated #2" in run(wd, "issue")
    (line,) = [ln for ln in items(dash.body, "Dead links") if f"`{VGG16}`" in ln]
    assert line.startswith(f"- [x] {mark(SILENCE, link_id(VGG16))}line 86: "), line
    assert "opened #3" in run(wd, "pr")
    silenced = [b for _, b in diff(wd, r.pulls[3].head) if MARK in b]
    assert len(silenced) == 1 and f"]({VGG16}) {MARK}" in silenced[0]
    assert r.file_text("README.md", r.pulls[3].head).splitlines()[85] == silenced[0]


def test_a_decline_kept_before_its_words_were_still_shows_with_its_day() -> None:
    held = [Held("declined", "dead", VGG16, 83, "dead since 2026-12"),
            Held("declined", "dead", VGG16, 83, "dead since 2026-12"),  # the same change twice
            Held("deleted by hand", "new", VGG16, 83, "★ 1k")]  # fmt: skip
    ident = item_id("dead", VGG16, "dead since 2026-12")
    (d,) = declined(held, {ident: "2026-11-30"})
    assert (d.ident, d.subject, d.line, d.text, d.pr, d.day) == (
        ident, VGG16, 83, "dead since 2026-12", None, "2026-11-30")  # fmt: skip
