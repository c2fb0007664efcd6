"""GitHub's refusals said in one line with what to do: a 422 names GitHub's own words
(`errors[].message`), the secondary limit on writes says to wait, and a ref another run
created first stops this run quietly (`RaceLost`, exit 0)."""

from __future__ import annotations

import time

import github
import pytest
import requests

from bot.check.http import Http, HttpSettings
from bot.publish.github_errors import RaceLost, explain
from bot.publish.platform import Platform
from tests.emulators.github import GitHubEmulator, GitHubScenario
from tests.emulators.gitstore import Person


@pytest.fixture
def platform(github_emulator: GitHubEmulator, github_scenario: GitHubScenario) -> Platform:
    github_scenario.add("octo/list", files={"README.md": "# List\n"})
    http = Http(HttpSettings(max_wait=1.0, backoff=0.01))  # a run's wait budget, spent fast
    with Platform(github_emulator.url, "test-token", "octo/list", 5, 0, http=http) as p:
        yield p


def test_a_422_says_what_github_said_and_what_to_do(platform: Platform, github_scenario) -> None:
    base = platform.base_sha()
    spec = github_scenario["octo/list"]
    platform.repo.create_git_ref("refs/heads/b", base)
    spec.git().commit_files("b", {"x.md": "x"}, "x", Person("J", "j@example.com", "2025-01-01"))
    with pytest.raises(github.GithubException) as exc:
        platform.repo.create_pull(base="main", head="b", title="t", body="x" * 70_000)
    err = explain(exc.value, "opening the pull request", "octo/list")
    text = str(err)
    assert "body is too long (maximum is 65536 characters)" in text
    assert "please report it" in text and "\n" not in text and err.exit_code == 3


def test_the_secondary_limit_on_writes_says_to_wait(
    platform: Platform, github_emulator: GitHubEmulator
) -> None:
    github_emulator.write_limits = ((60.0, 1), (3600.0, 500))
    platform.create_issue("one", "fine", [])
    with pytest.raises(Exception) as exc:
        platform.create_issue("two", "fine", [])
    assert "secondary rate limit" in str(exc.value) and "next run picks up" in str(exc.value)


def test_a_branch_another_run_wrote_first_stops_this_run(platform: Platform) -> None:
    base = platform.base_sha()
    first = platform.commit_files("state", {"s.json": "1"}, "m", parent=None, base_tree_of=None,
                                  force=False)  # fmt: skip
    with pytest.raises(RaceLost) as exc:  # a second run that also found no branch
        platform.commit_files("state", {"s.json": "2"}, "m", parent=None, base_tree_of=None,
                              force=False)  # fmt: skip
    assert exc.value.exit_code == 0 and "another awesome-monitor run" in str(exc.value)
    with pytest.raises(RaceLost):  # a run that read the branch before `first`
        platform.commit_files("state", {"s.json": "3"}, "m", parent=base, base_tree_of=None,
                              force=False)  # fmt: skip
    assert platform.branch_head("state")[0] == first


def test_files_over_1_mb_are_read_through_the_git_data_api(
    platform: Platform, github_emulator: GitHubEmulator, github_scenario: GitHubScenario
) -> None:
    """GitHub's contents API gives no file over 1 MB (403 too_large): a big list, or the
    history of a long one (zziz/pwc's is 0.7 MB), is read from its blob instead."""
    big = "".join(f"- [Project {i}](https://github.com/o{i}/r{i}) - Thing {i}.\n"
                  for i in range(25_000))  # fmt: skip
    assert len(big.encode()) > 1_048_576
    spec = github_scenario["octo/list"]
    spec.git().commit_files("main", {"README.md": big, "docs/big.md": big}, "grow",
                            Person("J", "j@example.com", "2025-01-01"))  # fmt: skip
    raw = github_emulator.url + "/repos/octo/list/contents/README.md"
    refused = requests.get(raw, headers={"Authorization": "token test-token"}, timeout=5)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "too_large"
    assert platform.read_file("README.md") == big
    assert platform.read_file("docs/big.md") == big
    assert platform.read_file("docs/missing.md") is None


def test_writes_are_paced_and_a_stopping_run_saves_at_once(
    github_emulator: GitHubEmulator, github_scenario: GitHubScenario
) -> None:
    """GitHub asks for a pause between writes (`[pr] write_interval`); once the run is
    stopping (Ctrl-C, SIGTERM) the history is saved without them, within seconds."""
    github_scenario.add("octo/list", files={"README.md": "# List\n"})

    def save(http: Http, interval: float) -> float:
        with Platform(github_emulator.url, "test-token", "octo/list", 5, interval,
                      http=http) as p:  # fmt: skip
            started = time.monotonic()
            p.commit_files("s", {"s.json": "1"}, "m", parent=None, base_tree_of=None)
            return time.monotonic() - started

    assert save(Http(), 0.3) >= 0.9  # blob, tree, commit, ref: three pauses
    stopping = Http()
    stopping.stop.set()  # the stop refuses new requests of the checks, not GitHub's
    assert save(stopping, 30.0) < 10, "no 90 s of pauses when stopping"
