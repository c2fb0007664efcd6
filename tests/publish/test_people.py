"""People move, the bot follows: maintainers edit the list, push to the bot's branch, close
and merge its pull requests, delete its notes, and run it twice at once. Each test is a
sequence of runs over HTTP against the GitHub emulator, as the weeks of a list go."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from bot.parse.markdown import NOTE_CLOSE, NOTE_OPEN
from tests.conftest import ROOT
from tests.emulators.gitstore import Person
from tests.world import LIST_REPO, SAMPLE, MakeWorld, World

BRANCH = "awesome-monitor/status"
HUMAN = Person("Jane Maintainer", "jane@example.com", "2026-11-20T10:00:00Z")
# A note in front of a list item's main link (`<span>NOTE</span> `) or after a link.
NOTE = re.compile(
    r"(?:<span>| ?\(?)"
    + re.escape(NOTE_OPEN)
    + r"[^\n]*?"
    + re.escape(NOTE_CLOSE)
    + r"(?:</span> ?|\)?)"
)


@pytest.fixture
def wd(make_world: MakeWorld) -> World:
    world = make_world(SAMPLE, web_cases=False)
    world.add_list_repo()
    return world


def pr(wd: World) -> str:
    run = wd.run("pr", "--repo", LIST_REPO, "--dead-after", "1")
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return run.out.strip().splitlines()[-1]


def repo(wd: World):
    return wd.github.scenario[LIST_REPO]


def push(wd: World, text: str, message: str = "maintainer edit") -> None:
    r = repo(wd)
    r.git().commit_files(r.default_branch, {"README.md": text}, message, HUMAN)


def archive_one(wd: World) -> str:
    """An event: a linked repository is archived today. Returns its name."""
    for key, spec in sorted(wd.github.scenario.repos.items()):
        if key != LIST_REPO.lower() and not spec.archived and f"github.com/{key}" in SAMPLE.lower():
            spec.archived, spec.archived_at = True, "2026-12-01T00:00:00Z"
            return spec.full_name
    raise AssertionError("no repository left to archive")


def new_version(wd: World) -> str:
    """An event: a paper of the list gets a new arXiv version. Returns its id."""
    paper = sorted(wd.truth.versions)[5]
    wd.arxiv.scenario.papers[paper].versions.append("2026-12-01")
    return paper


def diff_lines(wd: World, branch: str = BRANCH) -> list[tuple[str, str]]:
    r = repo(wd)
    base, head = r.file_text("README.md"), r.file_text("README.md", branch) or ""
    return [(a, b) for a, b in zip(base.splitlines(), head.splitlines(), strict=True) if a != b]


def test_edits_on_the_default_branch_while_the_pr_is_open_are_kept(wd: World) -> None:
    assert "opened #1" in pr(wd)
    text = repo(wd).file_text("README.md")
    lines = text.splitlines(keepends=True)
    i_reword = next(i for i, ln in enumerate(lines) if "resnet-1k-layers" in ln)
    i_delete = next(i for i, ln in enumerate(lines) if "keras-applications" in ln)
    reworded = lines[i_reword].replace("code:", "official code:")
    deleted = lines[i_delete]
    lines[i_reword] = reworded
    del lines[i_delete]
    added = "- [A new entry](https://github.com/newcomer/fresh-repo) - Just added.\n"
    lines.insert(i_reword + 1, added)
    wd.github.scenario.add("newcomer/fresh-repo", stars=4321, last_commit="2026-11-01T00:00:00Z")
    push(wd, "".join(lines))

    assert "updated #1" in pr(wd)
    r = repo(wd)
    head = r.history(BRANCH)
    assert head[1].sha == r.head().sha, "rebuilt as one commit on the new head"
    proposed = r.file_text("README.md", BRANCH)
    assert NOTE.sub("", reworded) in NOTE.sub("", proposed), "the rewording is kept"
    assert deleted.split("](")[1] not in proposed, "the deleted line stays deleted"
    fresh = next(ln for ln in proposed.splitlines() if "fresh-repo" in ln)
    assert f"{NOTE_OPEN}★ 4.3k{NOTE_CLOSE}" in fresh, "the new entry gets its first status"
    assert "fresh-repo" in r.pulls[1].body


def test_a_human_commit_stays_with_its_pr_and_the_bot_goes_on_from_a_fresh_branch(
    wd: World,
) -> None:
    assert "opened #1" in pr(wd)
    r = repo(wd)
    r.git().commit_files(BRANCH, {"README.md": "a hand-made fix\n"}, "fix a word", HUMAN)
    human = r.branches()[BRANCH]
    archived = archive_one(wd)
    for _ in range(2):
        assert "blocked #1" in pr(wd)
    assert r.branches()[BRANCH] == human, "never overwritten"
    assert sum("not the bot's" in c.body for c in r.pulls[1].comments) == 1, "said once"

    r.close_pull(1)
    assert "opened #2" in pr(wd)
    assert r.branches()[BRANCH] == human and r.pulls[1].head_sha == human
    second = r.pulls[2]
    assert second.head == f"{BRANCH}-2" and second.state == "open"
    assert r.history(second.head)[1].sha == r.head().sha, "fresh from the default branch"
    assert any(
        archived.lower() in b.lower() and "archived" in b for _, b in diff_lines(wd, second.head)
    )

    # The next event updates that PR, on that branch.
    new_version(wd)
    assert "updated #2" in pr(wd)
    assert len(r.pulls) == 2


@pytest.mark.parametrize("delete_branch", [False, True], ids=["branch kept", "branch deleted"])
def test_after_a_merged_pr_with_a_human_commit_the_next_event_opens_a_new_pr(
    wd: World, delete_branch: bool
) -> None:
    assert "opened #1" in pr(wd)
    r = repo(wd)
    text = r.file_text("README.md", BRANCH).replace("Awesome - Image", "Awesome: Image", 1)
    r.git().commit_files(BRANCH, {"README.md": text}, "a better title", HUMAN)
    r.merge_pull(1, delete_branch=delete_branch)
    assert "Awesome: Image" in r.file_text("README.md")
    assert "no pull request" in pr(wd)
    archive_one(wd)
    assert "opened #2" in pr(wd)
    assert r.pulls[2].state == "open" and "Awesome: Image" in r.file_text(
        "README.md", r.pulls[2].head
    )


@pytest.mark.parametrize("delete_branch", [False, True], ids=["branch kept", "branch deleted"])
def test_after_a_merged_pr_the_next_event_opens_a_new_pr(wd: World, delete_branch: bool) -> None:
    assert "opened #1" in pr(wd)
    r = repo(wd)
    r.merge_pull(1, delete_branch=delete_branch)
    assert "no pull request" in pr(wd)
    assert "no pull request" in pr(wd)
    paper = new_version(wd)
    assert "opened #2" in pr(wd)
    changed = diff_lines(wd, r.pulls[2].head)
    assert changed and all(paper in b or "v" in b for _, b in changed)
    assert r.pulls[2].head == BRANCH


def test_a_declined_pr_is_not_proposed_again_but_a_new_event_is(wd: World) -> None:
    assert "opened #1" in pr(wd)
    r = repo(wd)
    r.close_pull(1)
    for _ in range(2):
        last = pr(wd)
        assert "nothing to act on" in last and "declined" in last
    assert len(r.pulls) == 1
    archived = archive_one(wd)
    assert "opened #2" in pr(wd)
    changed = diff_lines(wd)
    # Only the new event: none of the first PR's notes and no status column.
    assert changed and all(archived.lower() in b.lower() for _, b in changed), changed
    assert "<!-- awesome-monitor column -->" not in r.file_text("README.md", BRANCH)
    assert archived in r.pulls[2].body


def test_a_note_deleted_by_hand_is_not_written_back_until_its_link_changes(wd: World) -> None:
    assert "opened #1" in pr(wd)
    r = repo(wd)
    r.merge_pull(1)
    assert "no pull request" in pr(wd)  # the bot sees its notes on the default branch
    text = r.file_text("README.md")
    line = next(ln for ln in text.splitlines() if "resnet-1k-layers" in ln and NOTE_OPEN in ln)
    push(wd, text.replace(line, NOTE.sub("", line)), "no note on this one, please")
    for _ in range(2):
        assert "no pull request" in pr(wd)
    assert len(r.pulls) == 1
    # The link's state changes: its note is proposed again, saying so.
    wd.github.scenario["KaimingHe/resnet-1k-layers"].archived = True
    assert "opened #2" in pr(wd)
    # Its note, and the table row that names the repository (bb66b15): both say archived.
    changed = [b for _, b in diff_lines(wd) if "resnet-1k-layers" in b]
    assert any(NOTE_OPEN in b for b in changed) and all("archived" in b for b in changed)


def test_two_runs_at_once_one_writes_the_other_says_so(wd: World) -> None:
    wd.github.latency = 0.02  # both runs read the history before either saves it
    env = {**os.environ, **wd.env(), "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "bot", "pr", "--repo", LIST_REPO, "--dead-after", "1",
            "--config", str(wd.config_path)]  # fmt: skip
    runs = [subprocess.Popen(args, env=env, cwd=wd.tmp, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    done = [(p.wait(timeout=120), *p.communicate()) for p in runs]
    assert [code for code, _, _ in done] == [0, 0], done
    said = [err for _, _, err in done if "another awesome-monitor run" in err]
    assert len(said) == 1 and len(said[0].strip().splitlines()) == 1, done
    assert "Traceback" not in "".join(err for _, _, err in done)
    assert len(repo(wd).pulls) == 1, "nothing duplicated"


def test_a_note_deleted_right_after_the_merge_is_not_written_back(wd: World) -> None:
    """The maintainer merges the bot's PR and deletes one of its notes before the next run
    (found by bench/people.py)."""
    assert "opened #1" in pr(wd)
    r = repo(wd)
    r.merge_pull(1)
    text = r.file_text("README.md")
    line = next(ln for ln in text.splitlines() if "resnet-1k-layers" in ln and NOTE_OPEN in ln)
    push(wd, text.replace(line, NOTE.sub("", line)), "no note on this one, please")
    last = pr(wd)
    assert "no pull request" in last, (last, diff_lines(wd))


def test_deleting_the_blocked_branch_declines_and_the_next_event_gets_a_pr(wd: World) -> None:
    """Deleting the bot's branch closes its PR, as closing it does: its changes are declined,
    the bot is blocked no more, and the next event gets a PR of its own (found by
    bench/people.py: the bot's comment promised more than that)."""
    assert "opened #1" in pr(wd)
    r = repo(wd)
    r.git().commit_files(BRANCH, {"README.md": "a hand-made fix\n"}, "fix a word", HUMAN)
    assert "blocked #1" in pr(wd)
    (note,) = [c.body for c in r.pulls[1].comments]
    assert "close it (its changes are then declined" in note
    r.close_pull(1, delete_branch=True)  # what GitHub does when the head branch is deleted
    assert "declined" in pr(wd)
    archived = archive_one(wd)
    assert "opened #2" in pr(wd)
    assert r.pulls[2].head == BRANCH
    assert all(archived.lower() in b.lower() for _, b in diff_lines(wd))
