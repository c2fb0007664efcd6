"""`awesome-monitor issue`: one rolling dashboard issue, end to end over HTTP against the
GitHub emulator (which serves issues the way PyGithub meets them on GitHub)."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from github import Auth, Github, GithubException

from bot.render.meta import meta_comment
from tests.emulators.github import GitHubEmulator, GitHubScenario
from tests.world import LIST_REPO, TOKEN, MakeWorld, World

STATE_BRANCH = "awesome-monitor/state"
VICTIM = "facebook/fb.resnet.torch"  # a repository the sample links (line 103)
MARKER = meta_comment({"kind": "dashboard", "path": "README.md"})


@pytest.fixture
def world(world: World) -> World:
    """The sample world, plus a repository on GitHub that holds the list."""
    world.add_list_repo()
    return world


def issue(world: World, *extra: str):
    return world.run("issue", "--repo", LIST_REPO, "--dead-after", "1",
                     "--config", str(world.config_path), *extra)  # fmt: skip


def spec(world: World):
    return world.github.scenario[LIST_REPO]


def issue_writes(world: World, before: Counter[str]) -> dict[str, int]:
    """The writes to issues (create, edit, comment) since `before`."""
    new = world.github.counts - before
    writes = ("POST /repos/{o}/{r}/issues", "PATCH /repos/{o}/{r}/issues")
    return {k: n for k, n in new.items() if k.startswith(writes)}


def line_of(body: str, url: str, section: str) -> str:
    """The checkbox line of `url` under the heading `section`."""
    current = ""
    for line in body.splitlines():
        if line.startswith("### "):
            current = line
        elif f"`{url}`" in line and current.startswith(f"### {section}"):
            return line
    raise AssertionError(f"{url} not under {section}")


def test_first_run_opens_one_issue_with_the_findings(world: World) -> None:
    repo = spec(world)
    readme = repo.file_text("README.md")
    run = issue(world)
    assert run.code == 0, run.err
    assert "issue: opened #1" in run.out
    (dash,) = repo.issues.values()
    assert dash.state == "open" and dash.title == "Link dashboard: README.md"
    assert dash.labels == ["awesome-monitor"] and MARKER in dash.body
    for heading in ("### Dead links (5)", "### Moved repositories (1)",
                    "### Archived repositories (1)", "### Stale repositories ("):  # fmt: skip
        assert heading in dash.body
    moved = line_of(dash.body, "https://github.com/terryum/awesome-deep-learning-papers", "Moved")
    # No `pr` run for this list: no silence box (it would do nothing), the comment to add.
    assert moved.startswith("- line 7: ") and "now [https://github.com/terryum-org/" in moved
    assert "add `<!-- awesome-monitor-disable-line -->` at the end of its line" in dash.body
    # Failing-not-dead and unknown links are not findings; no run date in the body.
    assert "/challenge" not in dash.body and "failure 1" not in dash.body
    # The list is never rewritten; the state is saved on its branch.
    assert repo.file_text("README.md") == readme and repo.pulls == {}
    assert set(repo.branches()) == {repo.default_branch, STATE_BRANCH}
    assert json.loads(repo.file_text("state.json", STATE_BRANCH))["repos"]


def test_second_run_with_the_same_findings_changes_nothing(world: World) -> None:
    assert issue(world).code == 0
    (dash,) = spec(world).issues.values()
    body, updated = dash.body, dash.updated_at
    before = world.github.counts.copy()
    run = issue(world)
    assert run.code == 0, run.err
    assert "issue: unchanged #1" in run.out
    assert issue_writes(world, before) == {}
    assert (world.github.counts - before)["GET /repos/{o}/{r}/issues"] == 1
    assert (dash.body, dash.updated_at, len(spec(world).issues)) == (body, updated, 1)


def test_a_new_dead_link_updates_the_same_issue_and_keeps_ticks(world: World) -> None:
    # `pr` runs for this list too: dead, moved and archived links get a silence box.
    assert world.run("pr", "--repo", LIST_REPO, "--dead-after", "1").code == 0
    assert issue(world).code == 0
    (dash,) = spec(world).issues.values()
    archived = "https://github.com/amusi/awesome-object-detection"
    stale = "https://github.com/ry/tensorflow-resnet"
    assert line_of(dash.body, stale, "Stale").startswith("- line "), "no box that does nothing"
    # The maintainer ticks a box in GitHub's editor (which saves CRLF line endings).
    line = line_of(dash.body, archived, "Archived")
    dash.body = dash.body.replace(line, line.replace("- [ ]", "- [x]", 1))
    dash.body = dash.body.replace("\n", "\r\n")
    before = world.github.counts.copy()
    assert issue(world).code == 0
    assert issue_writes(world, before) == {}, "a tick alone is no change"
    # A repository disappears (dead) and the ticked stale one gets archived.
    world.github.scenario.remove(VICTIM)
    world.github.scenario["ry/tensorflow-resnet"].archived = True
    before = world.github.counts.copy()
    run = issue(world)
    assert run.code == 0, run.err
    assert f"issue: updated #{dash.number}" in run.out
    assert issue_writes(world, before) == {"PATCH /repos/{o}/{r}/issues/{n}": 1}
    assert list(spec(world).issues) == [dash.number]
    assert "### Dead links (7)" in dash.body  # the repository and a file in it
    dead = line_of(dash.body, f"https://github.com/{VICTIM}", "Dead")
    assert re.match(r"- \[ \] <!-- awesome-monitor-silence [0-9a-f]{12} -->line 103: ", dead)
    assert line_of(dash.body, archived, "Archived").startswith("- [x] ")
    # Another link: its own box, not ticked.
    assert line_of(dash.body, stale, "Archived").startswith("- [ ] ")
    assert f"`{stale}`" not in dash.body.split("### Stale")[1]


def test_hand_opened_dashboards_are_adopted_and_never_doubled(world: World) -> None:
    repo = spec(world)
    # A maintainer opened one by hand (copying the marker), before the bot's first run.
    mine = repo.add_issue("Links", f"my notes\n\n{MARKER}\n", user="maintainer")
    unrelated = repo.add_issue("Typo in README", "line 3", user="someone")
    run = issue(world)
    assert run.code == 0, run.err
    assert f"issue: updated #{mine.number}" in run.out
    assert sorted(repo.issues) == [mine.number, unrelated.number]
    assert "### Dead links" in mine.body and unrelated.body == "line 3"
    assert mine.labels == ["awesome-monitor"], "labelled: found again once closed"
    # A second one appears (by hand again): the oldest stays, the other is closed.
    second = repo.add_issue("Links again", f"copy\n{MARKER}", user="maintainer")
    run = issue(world)
    assert run.code == 0, run.err
    assert f"closed #{second.number}, a second dashboard issue" in run.err
    assert (mine.state, second.state, second.state_reason) == ("open", "closed", "not_planned")
    assert any(f"Duplicate of #{mine.number}" in c.body for c in second.comments)
    assert "awesome-monitor-meta" not in second.body, "never taken for the dashboard again"
    assert [i.number for i in repo.open_issues()] == [mine.number, unrelated.number]
    before = world.github.counts.copy()
    assert issue(world).code == 0 and issue_writes(world, before) == {}


# -- a small list that can become clean --------------------------------------------------------

SMALL = """# Small list

- [One](https://github.com/alpha/one) - the first.
- [Two](https://github.com/beta/two) - the second.
- [Three](https://github.com/gamma/three) - the third.
"""


@pytest.fixture
def small(make_world: MakeWorld) -> World:
    w = make_world(SMALL, web_cases=False)
    recent = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for key in ("alpha/one", "beta/two", "gamma/three"):
        s = w.github.scenario[key]
        s.pushed_at = s.last_commit = recent  # nothing stale
    w.add_list_repo()
    return w


def test_clean_closes_with_a_comment_and_a_new_finding_reopens(small: World) -> None:
    scenario = small.github.scenario
    assert issue(small).code == 0
    assert spec(small).issues == {}, "nothing to act on: no issue"
    two = scenario["beta/two"]
    scenario.remove("beta/two")
    run = issue(small)
    assert run.code == 0, run.err
    (dash,) = spec(small).issues.values()
    assert "### Dead links (1)" in dash.body and "`https://github.com/beta/two`" in dash.body
    scenario.repos["beta/two"] = two  # back
    run = issue(small)
    assert run.code == 0, run.err
    assert f"issue: closed #{dash.number}" in run.out
    assert (dash.state, dash.state_reason) == ("closed", "completed")
    assert any("Nothing is left to act on" in c.body for c in dash.comments)
    assert "Nothing left to act on" in dash.body and "- [ ]" not in dash.body
    before = small.github.counts.copy()
    assert issue(small).code == 0 and issue_writes(small, before) == {}
    # Something new: the same issue comes back (as Renovate's dashboard does).
    scenario["gamma/three"].archived = True
    run = issue(small)
    assert run.code == 0, run.err
    assert f"issue: reopened #{dash.number}" in run.out
    assert dash.state == "open" and list(spec(small).issues) == [dash.number]
    assert "### Archived repositories (1)" in dash.body


def test_a_dashboard_closed_by_a_maintainer_stays_closed_until_something_new(
    small: World,
) -> None:
    scenario = small.github.scenario
    scenario["gamma/three"].archived = True
    assert issue(small).code == 0
    (dash,) = spec(small).issues.values()
    dash.state, dash.state_reason = "closed", "not_planned"  # "I know, leave it"
    before = small.github.counts.copy()
    run = issue(small)
    assert run.code == 0 and "issue: dismissed" in run.out
    assert issue_writes(small, before) == {} and dash.state == "closed"
    scenario.remove("alpha/one")
    run = issue(small)
    assert run.code == 0 and f"issue: reopened #{dash.number}" in run.out
    assert dash.state == "open" and len(spec(small).issues) == 1


def test_same_escaping_as_the_pull_request(make_world: MakeWorld) -> None:
    w = make_world(SMALL + "- [ssh](git@github.com:alpha/one.git) `@team`\n", web_cases=False)
    w.github.scenario.rename("gamma/three", "gamma_org/three_x")
    w.add_list_repo()
    run = issue(w)
    assert run.code == 0, run.err
    (dash,) = spec(w).issues.values()
    moved = line_of(dash.body, "https://github.com/gamma/three", "Moved")
    # The new address is a link to itself: escaped as text, its address would break.
    assert moved.endswith(
        "— now [https://github.com/gamma\\_org/three\\_x](<https://github.com/gamma_org/three_x>)"
    )
    ssh = line_of(dash.body, "git@github.com:alpha/one.git", "Malformed")  # code
    assert ssh.startswith("- line 6: ") and "use https://github.com/alpha/one" in ssh


def test_dry_run_prints_and_writes_nothing(world: World) -> None:
    run = issue(world, "--dry-run")
    assert run.code == 0, run.err
    assert "title: Link dashboard: README.md" in run.out and "- line 7: " in run.out
    assert "would open the dashboard issue" in run.out
    repo = spec(world)
    assert repo.issues == {} and set(repo.branches()) == {repo.default_branch}


def test_a_403_on_opening_the_issue_is_one_line_and_exit_3(world: World) -> None:
    world.github.forbid_issue_creation = True
    run = issue(world)
    assert run.code == 3
    lines = [ln for ln in run.err.splitlines() if ln.startswith("awesome-monitor: ")]
    assert len(lines) == 1 and "Traceback" not in run.err, run.err
    assert "opening the dashboard issue" in lines[0]
    assert "permissions: contents: write, issues: write" in lines[0]
    assert TOKEN not in run.out + run.err
    repo = spec(world)
    assert repo.issues == {} and repo.file_text("state.json", STATE_BRANCH), "state saved first"


def test_issues_turned_off_say_where_to_turn_them_on(world: World) -> None:
    spec(world).has_issues = False
    run = issue(world)
    assert run.code == 3 and "Settings → General → Features → Issues" in run.err


def test_an_incomplete_run_touches_no_issue(world: World) -> None:
    assert issue(world).code == 0
    (dash,) = spec(world).issues.values()
    body = dash.body
    world.github.scenario.remove(VICTIM)
    budget = world.github.budget("graphql", TOKEN)
    budget.used = budget.limit - 1  # the first batch passes, the second is refused
    before = world.github.counts.copy()
    run = issue(world)
    assert run.code == 3 and "check incomplete" in run.err
    assert issue_writes(world, before) == {} and dash.body == body
    assert "GET /repos/{o}/{r}/issues" not in world.github.counts - before


# -- the emulator: issues and pull requests as PyGithub sees them --------------------------------


def gh(emu: GitHubEmulator) -> Github:
    return Github(base_url=emu.url, auth=Auth.Token(TOKEN), retry=None,
                  seconds_between_requests=0, seconds_between_writes=0)  # fmt: skip


def test_emulator_issues_share_numbers_with_pulls_and_list_them(
    github_emulator: GitHubEmulator, github_scenario: GitHubScenario
) -> None:
    github_scenario.add("octo/list", files={"README.md": "# list\n"})
    repo = gh(github_emulator).get_repo("octo/list")
    main = repo.get_git_ref("heads/main").object.sha
    repo.create_git_ref("refs/heads/fix", main)
    f = repo.get_contents("README.md", ref="fix")
    repo.update_file("README.md", "fix", "# List\n", f.sha, branch="fix")
    pr = repo.create_pull(base="main", head="fix", title="Fix", body="b")
    pr.add_to_labels("bot")
    first = repo.create_issue(title="Dashboard", body="x", labels=["bot"])
    other = github_scenario["octo/list"].add_issue("By hand", "y", user="jane")
    assert (pr.number, first.number, other.number) == (1, 2, 3)
    listed = list(repo.get_issues(state="open", sort="created", direction="asc"))
    assert [i.number for i in listed] == [1, 2, 3]
    assert listed[0].pull_request is not None and "/pull/1" in listed[0].html_url
    assert [i.number for i in repo.get_issues(labels=["bot"])] == [2, 1]
    assert [i.number for i in repo.get_issues(creator="jane")] == [3]
    got = repo.get_issue(2)
    assert got.pull_request is None and got.user.login == github_emulator.login
    got.create_comment("hello")
    got.edit(state="closed", state_reason="not_planned")
    closed = repo.get_issue(2)
    assert (closed.state, closed.state_reason, closed.closed_by.login) == (
        "closed", "not_planned", github_emulator.login)  # fmt: skip
    assert [c.body for c in closed.get_comments()] == ["hello"]
    assert [i.number for i in repo.get_issues(state="closed")] == [2]
    fresh = gh(github_emulator).get_repo("octo/list")
    assert fresh.open_issues_count == 2 and fresh.has_issues  # GitHub counts PRs too
    github_scenario["octo/list"].has_issues = False
    with pytest.raises(GithubException) as exc:
        repo.create_issue(title="t")
    assert exc.value.status == 410
