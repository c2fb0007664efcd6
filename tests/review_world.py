"""A pull request to a list, for end-to-end tests of `review`: a git checkout whose `main`
holds the list (and `origin/main`, as actions/checkout with `fetch-depth: 0` leaves it),
a contributor's branch on which each `push` is a commit, and the GitHub, arXiv and web
emulators serving only what the contribution links (a request for any link of the list
itself would find nothing there). The repository on the GitHub emulator has pull request
#1, for the review's comment. `run` runs the real CLI in-process, in GitHub Actions'
environment for a `pull_request` event."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.cli import main
from tests.emulators.arxiv import ArxivEmulator, ArxivScenario
from tests.emulators.github import GitHubEmulator, GitHubScenario, PullRequest
from tests.emulators.web import WebEmulator

TOKEN = "test-token"
FORK_TOKEN = "fork-read-only-token"  # GITHUB_TOKEN on a pull request from a fork
LIST_REPO = "maintainer/awesome-list"
PULL = 1
GIT_ENV = {"GIT_AUTHOR_NAME": "Contributor", "GIT_AUTHOR_EMAIL": "c@example.com",
           "GIT_COMMITTER_NAME": "Contributor", "GIT_COMMITTER_EMAIL": "c@example.com",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}  # fmt: skip


@dataclass
class Run:
    code: int
    out: str
    err: str
    report: dict[str, Any] = field(default_factory=dict)
    summary: str = ""

    def annotations(self, level: str) -> list[tuple[int, str]]:
        """(line, message) of each `::error` / `::warning` the run printed."""
        out = []
        for ln in self.out.splitlines():
            if ln.startswith(f"::{level} file="):
                head, _, msg = ln.partition("::")[2].partition("::")
                line = int(head.split("line=")[1])
                out.append((line, msg))
        return out


class ReviewWorld:
    def __init__(self, tmp: Path, base_text: str, name: str = "README.md") -> None:
        self.tmp = tmp
        self.checkout = tmp / "checkout"
        self.checkout.mkdir()
        self.list_path = self.checkout / name
        self.list_path.write_text(base_text, encoding="utf-8")
        self.git("init", "-q", "-b", "main")
        self.git("add", name)
        self.git("commit", "-q", "-m", "the list")
        self.git("update-ref", "refs/remotes/origin/main", "HEAD")
        self.git("checkout", "-q", "-b", "contribution")
        self.github = GitHubEmulator(GitHubScenario(), read_only_tokens=(FORK_TOKEN,)).start()
        self.arxiv = ArxivEmulator(ArxivScenario()).start()
        self.web = WebEmulator().start()
        self.repo = self.github.scenario.add(LIST_REPO, files={name: base_text})
        self.repo.pulls[PULL] = PullRequest(
            number=PULL, id=self.repo.id * 1000 + PULL, title="Add some links", body="",
            head="contribution", head_owner="contributor", base="main", user="contributor",
        )  # fmt: skip
        self.config = tmp / "awesome-monitor.toml"
        self.config.write_text(
            "[check]\ntimeout = 2.0\nretries = 1\nbackoff = 0.01\nmax_wait = 2.0\n"
            "[arxiv]\ninterval = 0.01\n[pr]\nwrite_interval = 0.0\n",
            encoding="utf-8",
        )

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", "-C", str(self.checkout), *args], capture_output=True,
                              text=True, env={**os.environ, **GIT_ENV}, check=True)  # fmt: skip
        return done.stdout.strip()

    def push(self, text: str, message: str = "more links") -> str:
        """A commit on the contribution's branch; returns its sha."""
        self.list_path.write_text(text, encoding="utf-8")
        self.git("commit", "-q", "-a", "-m", message)
        return self.git("rev-parse", "HEAD")

    def comments(self) -> list[str]:
        return [c.body for c in self.repo.pulls[PULL].comments]

    def requests(self) -> dict[str, Counter[str]]:
        return {"github": Counter(self.github.counts), "arxiv": Counter(self.arxiv.counts),
                "web": Counter(self.web.hits)}  # fmt: skip

    def reset_counts(self) -> None:
        for emu in (self.github, self.arxiv, self.web):
            emu.counts.clear()
        self.web.hits.clear()

    def env(self, token: str | None, actions: bool) -> dict[str, str]:
        env = {
            "GITHUB_API_URL": self.github.url,
            "GITHUB_GRAPHQL_URL": self.github.url + "/graphql",
            "ARXIV_API_URL": self.arxiv.url + "/api/query",
            "HF_ENDPOINT": self.web.url,  # nothing reaches out of the machine
            "WAYBACK_API_URL": self.web.url,
        }
        if token:
            env["GITHUB_TOKEN"] = token
        if actions:
            event = self.tmp / "event.json"
            head = self.git("rev-parse", "HEAD")
            event.write_text(json.dumps({"pull_request": {"number": PULL, "head": {"sha": head}}}))
            env.update(GITHUB_ACTIONS="true", GITHUB_EVENT_NAME="pull_request",
                       GITHUB_BASE_REF="main", GITHUB_REF=f"refs/pull/{PULL}/merge",
                       GITHUB_REPOSITORY=LIST_REPO, GITHUB_EVENT_PATH=str(event),
                       GITHUB_STEP_SUMMARY=str(self.tmp / "summary.md"))  # fmt: skip
        return env

    def run(
        self, *args: str, token: str | None = TOKEN, actions: bool = True, config: bool = True
    ) -> Run:
        """`review` on the list in this world's environment (in GitHub Actions unless not
        `actions`), with `--json`, and this world's `--config` unless not `config`."""
        report = self.tmp / "review.json"
        summary = self.tmp / "summary.md"
        for f in (report, summary):
            f.unlink(missing_ok=True)
        argv = ["review", str(self.list_path), "--json", str(report), *args]
        if config:
            argv += ["--config", str(self.config)]
        names = {*self.env(TOKEN, True), "GH_TOKEN", "HF_TOKEN", "GITHUB_TOKEN"}
        saved = {k: os.environ.get(k) for k in names}
        out, err = io.StringIO(), io.StringIO()
        try:
            for k in saved:
                os.environ.pop(k, None)
            os.environ.update(self.env(token, actions))
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        data = json.loads(report.read_text()) if report.exists() else {}
        text = summary.read_text(encoding="utf-8") if summary.exists() else ""
        return Run(code, out.getvalue(), err.getvalue(), data, text)

    def stop(self) -> None:
        for emu in (self.github, self.arxiv, self.web):
            emu.stop()
