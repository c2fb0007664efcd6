"""A whole world for end-to-end tests: the GitHub, arXiv, Hugging Face, PyPI, npm and web
emulators serving a scenario made from a list, a temp folder with the list, a config and a
state file, and a way to run the real CLI against them with the same settings a GitHub
Enterprise user would use (GITHUB_API_URL, GITHUB_GRAPHQL_URL, ARXIV_API_URL, HF_ENDPOINT,
PYPI_URL, NPM_REGISTRY, WAYBACK_API_URL)."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.cli import main
from bot.parse.markdown import parse
from tests.emulators import web as w
from tests.emulators.arxiv import ArxivEmulator
from tests.emulators.github import GitHubEmulator
from tests.emulators.huggingface import HubEmulator, scenario_from
from tests.emulators.npm import NpmEmulator
from tests.emulators.npm import scenario_from as npm_scenario
from tests.emulators.pypi import PypiEmulator
from tests.emulators.pypi import scenario_from as pypi_scenario
from tests.emulators.sample import Truth, build
from tests.emulators.wayback import WaybackEmulator

SAMPLE = (Path(__file__).resolve().parents[1] / "data" / "awesome-image-classification-2019.md"
          ).read_text(encoding="utf-8")  # fmt: skip
TOKEN = "test-token"
LIST_REPO = "maintainer/awesome-list"

# Path on the web emulator → (answer, expected verdict on the first run with dead_after=2)
WEB_CASES: dict[str, tuple[w.Answer, str]] = {
    "/ok": (w.ok(), "alive"),
    "/gone": (w.gone(), "unknown"),  # failing: dead only on the 2nd run
    "/missing": (w.not_found(), "unknown"),
    "/challenge": (w.challenge(), "unknown"),
    "/rate-limited": (w.rate_limited("0"), "unknown"),
    "/linkedin": (w.blocked_999(), "unknown"),
    "/head-refused": (w.head_refused(405), "alive"),
    "/flaky": (w.flaky(1), "alive"),
    "/server-error": (w.server_error(500), "unknown"),
}


@dataclass
class Run:
    code: int
    out: str
    err: str
    report: dict[str, Any] = field(default_factory=dict)

    def by_url(self) -> dict[str, dict[str, Any]]:
        return {e["url"]: e for e in self.report.get("links", [])}


class World:
    def __init__(
        self, tmp: Path, list_text: str, web_cases: bool = True, check_web: bool = True
    ) -> None:
        self.tmp = tmp
        self.server_url: str | None = None  # GITHUB_SERVER_URL (None: the emulator's own)
        self.web = w.WebEmulator().start()
        if web_cases:
            for path, (answer, _) in WEB_CASES.items():
                self.web.script(path, answer)
            self.web.chain(["/old", "/new"], w.ok(), codes=301)
            list_text += "\n## Web\n\n" + "".join(
                f"- [{p}]({self.web.link(p)})\n" for p in [*WEB_CASES, "/old"]
            )
        self.list_path = tmp / "README.md"
        self.list_path.write_text(list_text, encoding="utf-8")
        gh, ax, self.truth = build(parse(list_text))
        self.github = GitHubEmulator(gh).start()
        self.arxiv = ArxivEmulator(ax).start()
        self.hub = HubEmulator(scenario_from(parse(list_text))).start()
        self.pypi = PypiEmulator(pypi_scenario(parse(list_text))).start()
        self.npm = NpmEmulator(npm_scenario(parse(list_text))).start()
        self.wayback = WaybackEmulator().start()
        self.state_path = tmp / "state.json"
        self.config_path = tmp / "config.toml"
        self.config_path.write_text(
            "[list]\n"
            'file = "README.md"\nstate = "state.json"\n'
            "[check]\n"
            "timeout = 2.0\nretries = 1\nbackoff = 0.01\nmax_wait = 2.0\n"
            # Runs seconds apart: no time rule for dead, no cache between runs.
            "dead_after_days = 0\nrecheck_after = 0\n"
            # The sample links two real web hosts; no test may reach them.
            'exclude = ["^https://(cdn\\\\.rawgit\\\\.com|openreview\\\\.net)/"]\n'
            f"web = {'true' if check_web else 'false'}\n"
            "[arxiv]\ninterval = 0.01\n"
            "[pr]\nwrite_interval = 0.0\n",
            encoding="utf-8",
        )

    @property
    def truth_(self) -> Truth:
        return self.truth

    def configure(self, section: str, **keys: Any) -> None:
        """Set keys of a section of the world's config, replacing what it set before (the
        section is added when the config has none)."""
        lines = self.config_path.read_text(encoding="utf-8").splitlines()
        out, current, done = [], "", False
        for line in [*lines, "[end-of-config]"]:
            if line.startswith("["):
                if current == section and not done:
                    out += [f"{k} = {_toml(v)}" for k, v in keys.items()]
                    done = True
                current = line.strip("[]")
            if current == section and line.split(" = ")[0] in keys:
                continue  # replaced
            out.append(line)
        out.pop()  # the end marker
        if not done:
            out += [f"[{section}]", *(f"{k} = {_toml(v)}" for k, v in keys.items())]
        self.config_path.write_text("\n".join(out) + "\n", encoding="utf-8")

    def add_list_repo(self, name: str = LIST_REPO, path: str = "README.md") -> Any:
        """A repository on the GitHub emulator whose default branch holds the list."""
        text = self.list_path.read_text(encoding="utf-8")
        return self.github.scenario.add(name, files={path: text}, stars=1)

    def env(self, token: bool = True) -> dict[str, str]:
        env = {
            "GITHUB_API_URL": self.github.url,
            "GITHUB_GRAPHQL_URL": self.github.url + "/graphql",
            # The emulator is a GitHub Enterprise server (a runner there says so); a test
            # sets `server_url` to "https://github.com" for github.com's ways.
            "GITHUB_SERVER_URL": self.server_url or self.github.url,
            "ARXIV_API_URL": self.arxiv.url + "/api/query",
            "HF_ENDPOINT": self.hub.url,
            "PYPI_URL": self.pypi.url,
            "NPM_REGISTRY": self.npm.url,
            "WAYBACK_API_URL": self.wayback.url,
        }
        if token:
            env["GITHUB_TOKEN"] = TOKEN
        return env

    def run(self, *args: str, token: bool = True) -> Run:
        """Run the real CLI in-process with this world's environment (and its config, unless
        the arguments name one); `check` also writes its JSON report, read into `Run`."""
        report = self.tmp / "report.json"
        report.unlink(missing_ok=True)
        argv = [*args]
        if args and args[0] in ("check", "pr", "issue") and "--config" not in args:
            argv += ["--config", str(self.config_path)]
        if args and args[0] == "check" and "--json" not in args:
            argv += ["--json", str(report)]
        out, err = io.StringIO(), io.StringIO()
        saved = {k: os.environ.get(k) for k in (*self.env(True), "GH_TOKEN", "HF_TOKEN")}
        try:
            for k in saved:
                os.environ.pop(k, None)
            os.environ.update(self.env(token))
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        data = json.loads(report.read_text()) if report.exists() else {}
        return Run(code, out.getvalue(), err.getvalue(), data)

    def stop(self) -> None:
        for emu in (self.web, self.github, self.arxiv, self.hub, self.pypi, self.npm,
                    self.wayback):  # fmt: skip
            emu.stop()


def _toml(value: Any) -> str:
    """A TOML value (JSON writes strings, numbers, booleans and lists the same way)."""
    return json.dumps(value)


MakeWorld = Callable[..., World]  # the `make_world` fixture (tests/conftest.py)
