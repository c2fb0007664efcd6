"""Secrets and trust: the token never shows up anywhere but the GitHub API's Authorization
header (and, in GitHub Actions, the one `::add-mask::` line printed first); text from
outside (repo names, titles, errors) cannot inject Markdown, HTML or @-mentions into
the PR or the list; only http(s) URLs are requested."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.emulators import web as w
from tests.emulators.base import Fault
from tests.world import LIST_REPO, World

PAPER = "1409.1556"
HOSTILE_NAME = "@everyone/x](javascript:alert(1))<script>alert(2)</script>|@octocat"
HOSTILE_TITLE = "<script>alert(3)</script> [click](javascript:alert(4)) @here | **bold**"


def hostile_list() -> str:
    return (
        "# Trust\n\n"
        "| Name | Code |\n|---|---|\n"
        "| one | [code](https://github.com/own/one) |\n"
        "| two | [code](https://github.com/own/two) |\n\n"
        "- [three](https://github.com/own/three) - a tool.\n"
        "- [four](https://github.com/own/four) - another.\n"
        "- [renamed](https://github.com/own/renamed) - moved away.\n"
        f"- [paper](https://arxiv.org/abs/{PAPER})\n"
    )


class SecretWorld(World):
    """A World whose token is distinctive and whose non-GitHub emulators record every
    request's headers."""

    def __init__(self, tmp: Path, text: str) -> None:
        super().__init__(tmp, text, web_cases=False)
        self.token = "ghp_" + secrets.token_hex(18)
        self.github.tokens = {self.token}
        self.seen: dict[str, list[dict[str, str]]] = {"web": [], "arxiv": [], "github": []}
        for name, emu in (("web", self.web), ("arxiv", self.arxiv), ("github", self.github)):
            self._record(name, emu)

    def _record(self, name: str, emu: Any) -> None:
        inner = emu._dispatch

        def dispatch(req: Any) -> Any:
            self.seen[name].append({**req.headers, ":path": req.path})
            return inner(req)

        emu._dispatch = dispatch

    def env(self, token: bool = True) -> dict[str, str]:
        env = super().env(token=False)
        if token:
            env["GITHUB_TOKEN"] = self.token
        return env


class Records(logging.Handler):
    """Every record of the bot's and its libraries' loggers, formatted."""

    NAMES = ("bot", "github", "urllib3", "requests", "apscheduler")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))
        self.texts.append(repr(record.args))


@pytest.fixture
def records() -> Iterator[Records]:
    handler = Records()
    for name in Records.NAMES:
        logging.getLogger(name).addHandler(handler)
    try:
        yield handler
    finally:
        for name in Records.NAMES:
            logging.getLogger(name).removeHandler(handler)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[SecretWorld]:
    wd = SecretWorld(tmp_path, hostile_list())
    wd.add_list_repo()
    scenario = wd.github.scenario
    scenario.rename("own/renamed", HOSTILE_NAME)
    scenario.add("own/three", stars=7, description=HOSTILE_TITLE)  # the sample removed it
    wd.arxiv.scenario.add(PAPER, ["2014-09-04", "2015-04-10"], HOSTILE_TITLE)  # was unknown
    try:
        yield wd
    finally:
        wd.stop()


def everything(world: SecretWorld, runs: list[Any], records: Records) -> str:
    """All text the runs left anywhere: outputs, logs, reports, files, GitHub's store."""
    parts: list[str] = []
    for run in runs:
        parts += [run.out, run.err, json.dumps(run.report)]
    parts += records.texts
    for path in world.tmp.rglob("*"):
        if path.is_file():
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    repo = world.github.scenario[LIST_REPO]
    for pr in repo.pulls.values():
        parts += [pr.title, pr.body or "", *(c.body for c in pr.comments)]
    for branch in repo.branches():
        parts += [c.message for c in repo.history(branch)]
        parts += [repo.file_text(p, branch) or "" for p in ("README.md", "state.json")]
    parts += [json.dumps(p) for p in world.github.graphql_log]
    return "\n".join(parts)


def assert_token_only_to_github(world: SecretWorld) -> None:
    for name in ("web", "arxiv"):
        for headers in world.seen[name]:
            assert "authorization" not in headers, (name, headers[":path"])
            assert world.token not in json.dumps(headers)
    sent = [h for h in world.seen["github"] if world.token in h.get("authorization", "")]
    assert sent, "the token does go to the GitHub API"


# -- the token ----------------------------------------------------------------------------


def test_token_stays_secret_through_check_and_pr_and_their_errors(
    world: SecretWorld, records: Records
) -> None:
    web = world.web
    web.script("/page", w.ok())
    web.script("/to-github", w.redirect(world.github.url + "/user", 302))
    text = world.list_path.read_text() + f"- [site]({web.link('/page')})\n"
    text += f"- [hop]({web.link('/to-github')})\n"
    world.list_path.write_text(text)
    world.add_list_repo()
    gh = world.github
    runs = [world.run("check", "-vv", "--write")]
    gh.fail_graphql(times=5, status=502)  # 5xx
    runs.append(world.run("check", "-vv", "--write"))
    gh.secondary_rate_limit(times=5, retry_after=0, path="/graphql")  # 403
    runs.append(world.run("check", "-vv"))
    gh.inject(Fault(reset=True, match_path="/graphql", times=5))  # an exception underneath
    runs.append(world.run("check", "-vv"))
    gh.faults.clear()
    runs.append(world.run("pr", "--repo", LIST_REPO, "-vv"))
    gh.inject(Fault(500, "PATCH", f"/repos/{LIST_REPO}/pulls", times=None))  # write fails
    gh.scenario["own/one"].archived = True
    runs.append(world.run("pr", "--repo", LIST_REPO, "-vv"))
    gh.faults.clear()
    gh.forbid_pull_creation = True
    gh.scenario[LIST_REPO].pulls.clear()
    runs.append(world.run("pr", "--repo", LIST_REPO, "-vv"))
    good = world.token
    gh.tokens = {"another"}  # 401
    runs.append(world.run("check", "-vv", "--write"))
    runs.append(world.run("pr", "--repo", LIST_REPO, "-vv"))
    codes = [r.code for r in runs]
    # GitHub failing or lost for a batch leaves the check incomplete (exit 3).
    assert codes[0] == 0 and codes[1:4] == [3, 3, 3] and codes[4] == 0, codes
    assert codes[-2:] == [3, 3], codes
    assert 3 in codes[5:7]
    assert records.texts, "debug logging was on"
    blob = everything(world, runs, records)
    assert good not in blob
    assert good[4:] not in blob and good[-12:] not in blob  # not even a part of it
    assert_token_only_to_github(world)


def test_in_actions_the_token_is_masked_first_and_only_there(
    world: SecretWorld, records: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(world.tmp / "summary.md"))
    for args in (("check", "-vv", "--write"), ("pr", "--repo", LIST_REPO, "-vv")):
        run = world.run(*args)
        assert run.code == 0, run.err
        mask = f"::add-mask::{world.token}"
        assert run.out.splitlines()[0] == mask, args
        assert (run.out + run.err).count(world.token) == 1, args
        rest = (run.out + run.err).replace(mask, "")
        assert world.token not in rest + "\n".join(records.texts)


def test_token_refused_in_actions_is_masked_too(
    world: SecretWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    world.github.tokens = {"another"}
    for args in (("check",), ("pr", "--repo", LIST_REPO)):
        run = world.run(*args)
        assert run.code == 3
        assert run.out.splitlines()[0] == f"::add-mask::{world.token}"
        assert (run.out + run.err).count(world.token) == 1


# -- text from outside ----------------------------------------------------------------------


def _inert(text: str) -> None:
    """No live HTML, no javascript: link, no @-mention of anyone."""
    assert "<script>" not in text and "<script" not in text.lower().replace("\\<script", "")
    assert "](javascript:" not in text
    for who in ("@everyone", "@octocat", "@here"):
        assert who not in text, who


def test_outside_text_cannot_inject_into_the_pr_or_the_list(
    world: SecretWorld, tmp_path: Path
) -> None:
    run = world.run("pr", "--repo", LIST_REPO, "--dead-after", "1")
    assert run.code == 0, run.err
    repo = world.github.scenario[LIST_REPO]
    (pr,) = repo.pulls.values()
    assert "Moved" in pr.body and "everyone" in pr.body  # the name is there, inert
    _inert(pr.title)
    _inert(pr.body)
    readme = repo.file_text("README.md", "awesome-monitor/status") or ""
    _inert(readme)
    # The list keeps its own links: the hostile name is not written as the new URL.
    assert "https://github.com/own/renamed" in readme
    # Every table row still has exactly its cells: no `|` got in from outside.
    for line in readme.splitlines():
        if line.startswith("| one") or line.startswith("| two"):
            assert line.replace("\\|", "").count("|") == 4, line
    # The same from `check --write` on a local copy.
    check = world.run("check", "--write", "--dead-after", "1")
    assert check.code == 0, check.err
    _inert(world.list_path.read_text())


def test_only_http_urls_are_requested(world: SecretWorld, offline_dns: None) -> None:
    web = world.web
    web.script("/ok", w.ok())
    web.script("/to-file", w.redirect("file:///etc/passwd", 302))
    web.script("/to-ftp", w.redirect("ftp://127.0.0.1/x", 302))
    text = world.list_path.read_text()
    text += "".join(f"- [x{i}]({u})\n" for i, u in enumerate([
        web.link("/ok"), web.link("/to-file"), web.link("/to-ftp"), "mailto:a@b.example",
        "ftp://127.0.0.1/y", "ssh://git@127.0.0.1/z", "tel:+123",
    ]))  # fmt: skip
    world.list_path.write_text(text)
    run = world.run("check", "--dead-after", "1")
    assert run.code == 0, run.err
    assert set(web.hits) == {"/ok", "/to-file", "/to-ftp"}
    by_url = run.by_url()
    assert by_url[web.link("/to-file")]["verdict"] == "dead"
    assert "unsupported" in by_url[web.link("/to-file")]["error"]
    assert_token_only_to_github(world)
