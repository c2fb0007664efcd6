"""`awesome-monitor pr` end to end against the GitHub emulator's in-memory store."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.emulators.gitstore import Person
from tests.world import LIST_REPO, TOKEN, World

BRANCH = "awesome-monitor/status"
STATE_BRANCH = "awesome-monitor/state"
HUMAN = Person("Jane Maintainer", "jane@example.com", "2026-11-20T10:00:00Z")


@pytest.fixture
def world(world: World) -> World:
    """The sample world, plus a repository on GitHub that holds the list."""
    world.add_list_repo()
    return world


def pr(world: World, *extra: str):
    return world.run("pr", "--repo", LIST_REPO, "--dead-after", "1", *extra)


def spec(world: World):
    return world.github.scenario[LIST_REPO]


def entry_repo(world: World) -> str:
    """A repository the list links from a list item, not archived yet: an entry, whose note
    says `archived` (the badge's and the intro's links get no alive facts)."""
    lines = world.list_path.read_text(encoding="utf-8").splitlines()
    names = (m.group(1).lower() for ln in lines if ln.startswith("- ")
             for m in re.finditer(r"\(https://github\.com/([\w.-]+/[\w.-]+)\)", ln))  # fmt: skip
    repos = world.github.scenario.repos
    return next(n for n in names if n in repos and n != LIST_REPO.lower() and not repos[n].archived)


def test_first_run_opens_one_pr_matching_check(world: World, tmp_path: Path) -> None:
    run = pr(world)
    assert run.code == 0, run.err
    repo = spec(world)
    pulls = list(repo.pulls.values())
    assert len(pulls) == 1 and pulls[0].state == "open"
    assert pulls[0].head == BRANCH and "awesome-monitor" in pulls[0].labels
    body = pulls[0].body
    for heading in ("### Dead links", "### Moved repositories", "### Archived repositories"):
        assert heading in body
    assert "<!-- awesome-monitor-meta" in body
    # The PR's README is exactly what `check --write` makes of the same data.
    local = tmp_path / "local"
    local.mkdir()
    shutil.copy(world.list_path, local / "README.md")
    world.run("check", str(local / "README.md"), "--write", "--dead-after", "1",
              "--state", str(local / "state.json"))  # fmt: skip
    assert repo.file_text("README.md", BRANCH) == (local / "README.md").read_text()
    # One commit on top of the default branch head.
    head = repo.history(BRANCH)
    assert head[1].sha == repo.head().sha
    state = json.loads(repo.file_text("state.json", STATE_BRANCH))
    assert state["version"] == 1 and state["repos"]


def test_second_run_without_changes_does_nothing(world: World) -> None:
    assert pr(world).code == 0
    repo = spec(world)
    (first,) = repo.pulls.values()
    head, body, title = repo.branches()[BRANCH], first.body, first.title
    writes_before = world.github.counts.copy()
    run = pr(world)
    assert run.code == 0, run.err
    assert "unchanged" in run.out
    assert len(repo.pulls) == 1
    assert repo.branches()[BRANCH] == head
    assert (first.body, first.title) == (body, title)
    new = world.github.counts - writes_before
    assert not [k for k in new if k.startswith(("PATCH", "POST /repos")) and "git/" not in k]


def test_changed_data_updates_the_same_pr_on_the_new_base(world: World) -> None:
    assert pr(world).code == 0
    repo = spec(world)
    (first,) = repo.pulls.values()
    # Someone merges unrelated work; a repo gets archived; a paper gets a new version.
    repo.git().commit_files(repo.default_branch, {"CONTRIBUTING.md": "be nice\n"}, "docs", HUMAN)
    world.github.scenario.repos[entry_repo(world)].archived = True
    paper = next(iter(world.truth.versions))
    world.arxiv.scenario.papers[paper].versions.append("2026-11-01")
    run = pr(world)
    assert run.code == 0, run.err
    assert "updated" in run.out
    assert list(repo.pulls) == [first.number]
    history = repo.history(BRANCH)
    assert history[1].sha == repo.head().sha, "rebuilt on the current default branch head"
    assert repo.file_text("CONTRIBUTING.md", BRANCH) == "be nice\n"
    assert "archived" in repo.file_text("README.md", BRANCH)


def test_human_commit_on_the_bot_branch_is_not_overwritten(world: World) -> None:
    assert pr(world).code == 0
    repo = spec(world)
    (first,) = repo.pulls.values()
    repo.git().commit_files(BRANCH, {"README.md": "hand edit\n"}, "my fix", HUMAN)
    human_head = repo.branches()[BRANCH]
    other = next(k for k in world.github.scenario.repos if k != LIST_REPO.lower())
    world.github.scenario.repos[other].stars += 90_000
    run = pr(world)
    assert run.code == 0
    assert "not the bot's" in run.err
    assert repo.branches()[BRANCH] == human_head
    comments = [c.body for c in first.comments]
    assert any("not the bot's" in c for c in comments)
    pr(world)
    assert sum("not the bot's" in c.body for c in first.comments) == 1, "said once"


def test_closed_unmerged_pr_is_not_reopened_for_the_same_change(world: World) -> None:
    assert pr(world).code == 0
    repo = spec(world)
    (first,) = repo.pulls.values()
    first.state = "closed"
    run = pr(world)
    assert run.code == 0 and "nothing to act on" in run.out and "you declined" in run.out
    assert len(repo.pulls) == 1
    # A new change gets a new PR.
    world.github.scenario.repos[entry_repo(world)].archived = True
    run = pr(world)
    assert run.code == 0 and "opened" in run.out
    assert len(repo.pulls) == 2
    assert [p.state for p in repo.pulls.values()] == ["closed", "open"]


def test_pr_is_closed_when_the_change_disappears(world: World) -> None:
    assert pr(world).code == 0
    repo = spec(world)
    (first,) = repo.pulls.values()
    # The maintainer applies the change by hand on the default branch (twice: once
    # fixed, a moved link's note changes once more), and the change disappears.
    for _ in range(3):
        if first.state == "closed":
            break
        text = repo.file_text("README.md", BRANCH)
        repo.git().commit_files(repo.default_branch, {"README.md": text}, "apply", HUMAN)
        run = pr(world)
        assert run.code == 0, run.err
    assert first.state == "closed"
    assert any("no longer needed" in c.body for c in first.comments)


def test_rate_limit_spent_mid_run_keeps_partial_state_and_opens_no_pr(world: World) -> None:
    budget = world.github.budget("graphql", TOKEN)
    budget.used = budget.limit - 1  # the first batch passes, the second is refused
    run = pr(world)
    assert run.code == 3
    repo = spec(world)
    assert repo.pulls == {}
    state = json.loads(repo.file_text("state.json", STATE_BRANCH))
    with_data = [k for k, e in state["repos"].items() if e.get("data")]
    assert 0 < len(with_data) < len(state["repos"])


def test_dry_run_prints_and_writes_nothing(world: World) -> None:
    run = pr(world, "--dry-run")
    assert run.code == 0, run.err
    assert "title: awesome-monitor" in run.out and "+++ b/README.md" in run.out
    repo = spec(world)
    assert repo.pulls == {} and set(repo.branches()) == {repo.default_branch}


def test_actions_not_permitted_to_open_prs_says_which_setting(world: World) -> None:
    world.github.forbid_pull_creation = True
    run = pr(world)
    assert run.code == 3
    assert "Allow GitHub Actions to create and approve pull requests" in run.err
    assert TOKEN not in run.out + run.err
