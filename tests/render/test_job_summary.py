"""The job summary of `check`, `pr` and `issue` (`$GITHUB_STEP_SUMMARY`), rendered as GitHub
renders it (cmark-gfm), on the sample and on Awesome-LLM, through the real CLI against the
emulators: its first line says what the run did (the pull request or the dashboard issue,
linked; the list written; a dry run; an incomplete run and that nothing was written, also
when a signal stopped it); the findings follow with one cap (`bot.render.caps.SHOWN`, the
same number in the terminal and on the dashboard), and a collapsed list holds every item."""

from __future__ import annotations

import html
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from bot.render.caps import SHOWN
from tests.conftest import ROOT, SHARED
from tests.emulators import web as w
from tests.emulators.base import Fault
from tests.gfm_oracle import render
from tests.world import LIST_REPO, SAMPLE, MakeWorld, Run, World

LLM = SHARED / "corpus" / "Hannibal046__Awesome-LLM.md"
DEAD_AFTER = ("--dead-after", "1")


@pytest.fixture(params=["sample", "Awesome-LLM"])
def wd(request: pytest.FixtureRequest, make_world: MakeWorld) -> World:
    if request.param == "sample":
        world = make_world()
    else:
        if not LLM.is_file():
            pytest.skip("../shared/corpus is absent (only the project's workspace has it)")
        world = make_world(LLM.read_text(encoding="utf-8"), web_cases=False, check_web=False)
    world.add_list_repo()
    return world


@pytest.fixture
def actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")


def summarised(wd: World, *args: str, code: int = 0) -> tuple[Run, str, str]:
    """Run the CLI as in GitHub Actions: (the run, its job summary, that summary as HTML)."""
    path = wd.tmp / "summary.md"
    path.unlink(missing_ok=True)
    os.environ["GITHUB_STEP_SUMMARY"] = str(path)
    try:
        run = wd.run(*args)
    finally:
        del os.environ["GITHUB_STEP_SUMMARY"]
    assert run.code == code, run.err
    assert "Traceback" not in run.err
    text = path.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 1_048_576
    return run, text, render(text)


def first(page: str) -> str:
    """The summary's first line, as HTML: a heading."""
    m = re.match(r"<h2>(.*?)</h2>\n", page)
    assert m, page[:300]
    return m.group(1)


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def linked(line: str, thing: str, kind: str) -> tuple[int, str]:
    """(number, what follows) of `<a href="…/{kind}/N">{thing} #N</a> …`: a link to it."""
    m = re.fullmatch(rf'awesome-monitor: <a href="https://[^"]+/{LIST_REPO}/{kind}/(\d+)">'
                     rf"{thing} #(\d+)</a> (.+)", line)  # fmt: skip
    assert m and m.group(1) == m.group(2), line
    return int(m.group(1)), m.group(3)


def sections(page: str) -> dict[str, tuple[int, list[str], list[str]]]:
    """Per `<h3>` group of the summary: (its count, the URLs shown, the URLs of its
    collapsed list)."""
    out = {}
    for m in re.finditer(r"<h3>(.+?) \((\d+)\)</h3>\n(.*?)(?=<h3>|\Z)", page, re.S):
        shown, _, rest = m.group(3).partition("<details>")
        urls = [re.findall(r"<li>line \d+: <code>([^<]+)</code>", part) for part in (shown, rest)]
        out[m.group(1)] = (int(m.group(2)), *urls)
    return out


def dead_repo(wd: World, report: dict) -> str:
    """A repository the list links that the check found alive: removed from GitHub (the next
    run with `--dead-after 1` calls it dead, a change to propose)."""
    alive = [e["repo"] for e in report["links"] if e["verdict"] == "alive" and e["repo"]]
    repo = next(r for r in alive if r in wd.github.scenario)
    wd.github.scenario.remove(repo)
    return repo


def test_the_first_line_says_what_each_run_did(wd: World, actions: None) -> None:
    run, _, page = summarised(wd, "check", *DEAD_AFTER)
    assert first(page) == "awesome-monitor: dry run: nothing written"
    report = run.report

    run, _, page = summarised(wd, "check", "--write", *DEAD_AFTER)
    n = int(re.search(r"^wrote \S*README\.md: (\d+) lines? changed", run.out, re.M).group(1))
    assert n > 0 and first(page) == f"awesome-monitor: the list was written ({n} lines)"
    run, _, page = summarised(wd, "check", "--write", *DEAD_AFTER)
    assert "README.md not changed (nothing to update)" in run.out
    assert first(page) == "awesome-monitor: the list was not changed (nothing to update)"

    _, _, page = summarised(wd, "pr", "--repo", LIST_REPO, "--dry-run", *DEAD_AFTER)
    assert first(page) == "awesome-monitor: dry run: nothing written"
    repo = wd.github.scenario[LIST_REPO]
    assert not repo.pulls

    _, text, page = summarised(wd, "pr", "--repo", LIST_REPO, *DEAD_AFTER)
    assert linked(first(page), "pull request", "pull") == (1, "opened")
    assert text.startswith("## awesome-monitor: [pull request #1](")  # the line, as written
    _, _, page = summarised(wd, "pr", "--repo", LIST_REPO, *DEAD_AFTER)
    left = "left as it is: nothing new to act on"
    assert linked(first(page), "pull request", "pull") == (1, left)
    dead_repo(wd, report)
    _, _, page = summarised(wd, "pr", "--repo", LIST_REPO, *DEAD_AFTER)
    assert linked(first(page), "pull request", "pull") == (1, "updated")
    assert list(repo.pulls) == [1]
    repo.merge_pull(1)
    _, _, page = summarised(wd, "pr", "--repo", LIST_REPO, *DEAD_AFTER)
    assert first(page) == "awesome-monitor: no pull request: nothing to act on"

    args = ("issue", "--repo", LIST_REPO, *DEAD_AFTER)
    _, _, page = summarised(wd, *args)
    number, did = linked(first(page), "dashboard issue", "issues")
    assert did == "opened" and repo.issues[number].state == "open"
    _, _, page = summarised(wd, *args)
    left = "left as it is: nothing new"
    assert linked(first(page), "dashboard issue", "issues") == (number, left)
    dead_repo(wd, report)
    _, _, page = summarised(wd, *args)
    assert linked(first(page), "dashboard issue", "issues") == (number, "updated")
    _, _, page = summarised(wd, *args[:3], "--dry-run", *DEAD_AFTER)
    assert first(page) == "awesome-monitor: dry run: nothing written"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed when the block ends: connections are refused


def test_an_incomplete_run_says_so_and_that_nothing_was_written(wd: World, actions: None) -> None:
    """Exit 3 used to give a clean-looking summary ("156 unknown")."""
    line = "awesome-monitor: incomplete: GitHub could not be reached; nothing was written"
    before = wd.list_path.read_text(encoding="utf-8")
    gone = f"http://127.0.0.1:{closed_port()}"
    _, text, page = summarised(wd, "check", "--write", "--github-api-url", gone,
                               "--github-graphql-url", gone + "/graphql", code=3)  # fmt: skip
    assert first(page) == line
    assert wd.list_path.read_text(encoding="utf-8") == before
    assert re.search(r"^`\S*README\.md`: .* \d+ unknown\.", text, re.M)  # the findings follow

    # GitHub answers 502 to every check: `pr` touches no pull request, and says so.
    wd.github.inject(Fault(502, "POST", "/graphql", times=None))
    _, _, page = summarised(wd, "pr", "--repo", LIST_REPO, code=3)
    assert first(page) == line and not wd.github.scenario[LIST_REPO].pulls
    _, _, page = summarised(wd, "issue", "--repo", LIST_REPO, code=3)
    assert first(page) == line and not wd.github.scenario[LIST_REPO].issues

    # GitHub answers 502 to everything: the list cannot even be read.
    wd.github.inject(Fault(502, times=None))
    _, text, page = summarised(wd, "pr", "--repo", LIST_REPO, code=3)
    said = plain(first(page))
    assert said.startswith("awesome-monitor: incomplete: reading the repository: GitHub could "
                           "not be reached")  # fmt: skip
    assert "nothing more was written" in said
    assert "`README.md` was not checked." in text and "<h3>" not in page


def test_the_same_cap_in_the_terminal_the_summary_and_the_dashboard(
    wd: World, actions: None
) -> None:
    """One number, `caps.SHOWN`: the terminal points to `--json`, the summary to its
    collapsed list, the dashboard to the summary."""
    run, _, page = summarised(wd, "check", *DEAD_AFTER)
    stale = run.report["summary"]["stale"]
    assert stale > SHOWN, "a group longer than the cap"
    rest = stale - SHOWN

    m = re.search(r"^Stale \(no commit for a long time\) \((\d+)\):\n((?:  line .*\n)*)"
                  r"  … and ([\d,]+) more \(all of them in --json\)$", run.out, re.M)  # fmt: skip
    assert m and int(m.group(1)) == stale
    terminal = (len(m.group(2).splitlines()), int(m.group(3)))

    count, shown, collapsed = sections(page)["Stale"]
    assert count == stale and len(collapsed) == stale
    more = re.search(r"<li>… and ([\d,]+) more: every one in the collapsed list below</li>", page)
    summary = (len(shown), int(more.group(1)))

    _, _, _ = summarised(wd, "issue", "--repo", LIST_REPO, *DEAD_AFTER)
    (issue,) = wd.github.scenario[LIST_REPO].issues.values()
    body = issue.body.split("### Stale repositories", 1)[1].split("\n### ", 1)[0]
    items = re.findall(r"^- (?:\[[ x]\] .*?)?line \d+: `", body, re.M)  # stale: no box
    more = re.search(r"^- … and ([\d,]+) more: this run's job summary in the Actions tab lists "
                     r"every one, in its collapsed list$", body, re.M)  # fmt: skip
    dashboard = (len(items), int(more.group(1)))

    assert terminal == summary == dashboard == (SHOWN, rest)


def test_the_collapsed_list_holds_every_item(wd: World, actions: None) -> None:
    run, text, page = summarised(wd, "check", *DEAD_AFTER)
    found = sections(page)
    assert found, page[:500]
    counts = run.report["summary"]
    names = {"Dead": "dead", "Moved": "moved", "Archived": "archived", "Stale": "stale"}
    for title, (count, shown, collapsed) in found.items():
        if title in names:
            assert count == counts[names[title]], title
        assert len(shown) == min(count, SHOWN), title
        if count <= SHOWN:
            assert collapsed == [], title  # nothing to collapse
            continue
        # Every one, once, the shown ones first; the collapsed list is closed by default.
        assert len(collapsed) == len(set(collapsed)) == count, title
        assert collapsed[:SHOWN] == shown, title
    assert text.count("<details><summary>All ") == sum(c > SHOWN for c, _, _ in found.values())
    assert "<details open" not in text
    summary = re.search(r"<details><summary>All ([\d,]+)</summary>", page)
    assert summary and int(summary.group(1).replace(",", "")) > SHOWN


def test_a_run_stopped_by_a_signal_says_so(make_world: MakeWorld, no_proxy_env: None) -> None:
    """SIGTERM (a cancelled job) in the middle of the check: the summary written on the
    way out says the run is incomplete, how far it got, and that nothing was written."""
    wd = make_world(web_cases=False)
    wd.web.latency = 0.1
    paths = [f"/p{i}" for i in range(400)]
    for path in paths:
        wd.web.script(path, w.ok())
    wd.list_path.write_text(SAMPLE + "\n## Web\n\n"
                            + "".join(f"- [{p}]({wd.web.link(p)})\n" for p in paths))  # fmt: skip
    wd.configure("check", concurrency=4, per_host=4)
    before = wd.list_path.read_text()
    summary = wd.tmp / "summary.md"
    env = {**{k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "HF_TOKEN")},
           **wd.env(), "PYTHONPATH": str(ROOT), "GITHUB_ACTIONS": "true",
           "GITHUB_STEP_SUMMARY": str(summary)}  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "bot", "check", "--write", "--config",
                             str(wd.config_path)], cwd=wd.tmp, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 60
    while wd.web.total_requests() < 40:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    line = plain(first(render(summary.read_text(encoding="utf-8"))))
    m = re.fullmatch(r"awesome-monitor: incomplete: stopped by SIGTERM after ([\d,]+) of "
                     r"([\d,]+) distinct links answered; nothing was written", line)  # fmt: skip
    assert m, line
    answered, total = (int(g.replace(",", "")) for g in m.groups())
    assert 0 < answered < total and f"after {m.group(1)} of {m.group(2)} distinct" in err
    assert wd.list_path.read_text() == before


def test_the_summary_says_so_when_nothing_was_checked(make_world: MakeWorld, actions: None) -> None:
    """A `pr` stopped before its check (the list is not on the repository): its error."""
    wd = make_world(web_cases=False)
    wd.add_list_repo()
    _, text, page = summarised(wd, "pr", "--repo", LIST_REPO, "--path", "nope.md", code=2)
    assert plain(first(page)).startswith("awesome-monitor: error: nope.md: not found on ")
    assert "`nope.md` was not checked." in text
