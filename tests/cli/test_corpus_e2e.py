"""Every real list, end to end, against the emulators (GitHub refusing what GitHub refuses):
`check --write`, `pr --dry-run`, `pr`, `pr` again and `issue`. Each exits 0 (every PyPI
and npm package the list links is checked on its emulator, 149 of PyPI's on
best-of-python-dev); there is one
pull request and one issue, within GitHub's limits; the second `pr` writes nothing but the
state. Web links to real hosts are not checked (no test reaches the internet)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import corpus_files
from tests.world import LIST_REPO, MakeWorld

CORPUS = corpus_files()
STATE_BRANCH = "awesome-monitor/state"


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is absent")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_every_command_on_every_real_list(path: Path, make_world: MakeWorld) -> None:
    wd = make_world(path.read_text(encoding="utf-8"), web_cases=False, check_web=False)
    wd.add_list_repo()
    repo = wd.github.scenario[LIST_REPO]
    config = ("--config", str(wd.config_path))
    run = wd.run("check", "--write", "--dead-after", "1")
    assert run.code == 0, run.err
    for kind, known in (("pypi", wd.pypi.scenario.projects), ("npm", wd.npm.scenario.packages)):
        links = [e for e in run.report["links"] if e["kind"] == kind]
        assert run.report["requests"][kind] == len({e["package"] for e in links}) == len(known)
        assert all(e["verdict"] == "alive" and e["release"] for e in links), kind
    for args in (("pr", "--dry-run"), ("pr",)):
        run = wd.run(*args, "--repo", LIST_REPO, "--dead-after", "1")
        assert run.code == 0, run.err
        assert "Traceback" not in run.err
    assert len(repo.pulls) == 1, "one pull request"
    (pull,) = repo.pulls.values()
    assert pull.state == "open" and len(pull.body) <= 65_536 and len(pull.title) <= 256
    head = repo.branches()["awesome-monitor/status"]

    before = Counter(wd.github.counts)
    run = wd.run("pr", "--repo", LIST_REPO, "--dead-after", "1")
    assert run.code == 0, run.err
    writes = {k for k in Counter(wd.github.counts) - before if not k.startswith("GET ")}
    assert "POST /repos/{o}/{r}/pulls" not in writes and not [
        k for k in writes if k.startswith("PATCH /repos/{o}/{r}/pulls")
    ], "the second run leaves the pull request alone"
    assert repo.branches()["awesome-monitor/status"] == head
    assert len(repo.pulls) == 1

    run = wd.run("issue", "--repo", LIST_REPO, "--dead-after", "1", *config)
    assert run.code == 0, run.err
    issues = [i for i in repo.issues.values() if i.state == "open"]
    assert len(issues) == 1 and all(len(i.body or "") <= 65_536 for i in issues)
    assert STATE_BRANCH in repo.branches()
