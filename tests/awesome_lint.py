"""awesome-lint as a test oracle: lint Markdown texts with the pinned awesome-lint and
count the problems per rule.

The package is pinned by .ci/awesome-lint/package-lock.json and installed (by .ci/run)
with

    npm ci --prefix .ci/awesome-lint

Another install can be named with AWESOME_LINT_DIR (the folder that holds
node_modules/awesome-lint). Without Node.js or the package, lint_texts() returns None and
unavailable() says why, so tests can skip with that reason; with AWESOME_LINT_REQUIRED=1
in the environment (CI) a missing install is an error instead of a skip.

Each text is written as readme.md into its own temporary folder next to a non-empty
contributing.md; all texts go through one Node process (starting one costs ~0.8 s, a
large list takes a few seconds more). No network: git is pointed at no repository, so
awesome-lint's repository rule stops at "must reside in a valid git repository" instead of
asking GitHub. The repository-level rules (REPO_RULES) judge the repository, not the text,
and are left out unless asked for."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PINNED_DIR = ROOT / ".ci" / "awesome-lint"
RUNNER = Path(__file__).resolve().parent / "awesome_lint_run.mjs"
VERSION = "2.3.0"
INSTALL_HINT = "npm ci --prefix .ci/awesome-lint"

# Rules about the repository around the list (git remote, GitHub metadata, contributing
# and code-of-conduct files): constant for a given folder, whatever the text says.
REPO_RULES = frozenset({"awesome-github", "awesome-contributing", "awesome-code-of-conduct"})


class Problem(NamedTuple):
    line: int
    column: int
    rule: str  # remark-lint rule id, e.g. "table-pipe-alignment", "awesome-list-item"
    message: str


def package_dir() -> Path:
    """The folder holding node_modules/awesome-lint."""
    return Path(os.environ.get("AWESOME_LINT_DIR") or PINNED_DIR)


def unavailable() -> str | None:
    """Why awesome-lint cannot run here, or None when it can."""
    node = shutil.which("node")
    if node is None:
        return "Node.js is not installed (awesome-lint needs node >= 20)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    if int(version.strip().lstrip("v").split(".")[0] or 0) < 20:
        return f"Node.js {version.strip()} is too old (awesome-lint needs node >= 20)"
    pkg = package_dir() / "node_modules" / "awesome-lint"
    manifest = pkg / "package.json"
    if not manifest.is_file():
        return f"awesome-lint is not installed in {package_dir()} (run: {INSTALL_HINT})"
    installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    if installed != VERSION:
        return f"awesome-lint {installed} is installed in {pkg}, the tests pin {VERSION}"
    return None


def skip_unless_available() -> None:
    """In a test: skip with the reason when awesome-lint cannot run (fail instead when
    AWESOME_LINT_REQUIRED is set)."""
    reason = unavailable()
    if reason is None:
        return
    if os.environ.get("AWESOME_LINT_REQUIRED"):
        raise RuntimeError(f"AWESOME_LINT_REQUIRED is set but {reason}")
    import pytest

    pytest.skip(reason)


def lint_texts(texts: Sequence[str], *, repo_rules: bool = False) -> list[list[Problem]] | None:
    """The problems awesome-lint finds in each text (as a list's readme.md), in order of
    line; None when awesome-lint is unavailable (see unavailable())."""
    reason = unavailable()
    if reason is not None:
        if os.environ.get("AWESOME_LINT_REQUIRED"):
            raise RuntimeError(f"AWESOME_LINT_REQUIRED is set but {reason}")
        return None
    if not texts:
        return []
    with tempfile.TemporaryDirectory(prefix="awesome-lint-") as tmp:
        files = []
        for i, text in enumerate(texts):
            d = Path(tmp) / str(i)
            d.mkdir()
            (d / "contributing.md").write_text("# Contributing\n\nSend a pull request.\n")
            readme = d / "readme.md"
            readme.write_text(text, encoding="utf-8", newline="")
            files.append(str(readme))
        env = {k: v for k, v in os.environ.items() if k.lower() != "github_token"}
        env.update(GIT_DIR=str(Path(tmp) / "no-git"), GIT_CEILING_DIRECTORIES=tmp)
        env.update(NO_COLOR="1", FORCE_COLOR="0")
        proc = subprocess.run(
            ["node", str(RUNNER), str(package_dir() / "node_modules" / "awesome-lint"), *files],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            timeout=60 + 10 * len(texts),
        )
        if proc.returncode != 0:
            raise RuntimeError(f"awesome-lint failed ({proc.returncode}): {proc.stderr[-2000:]}")
        results = json.loads(proc.stdout)
    out = []
    for result in results:
        problems = [
            Problem(m["line"], m["column"], m["rule"], m["message"])
            for m in result["messages"]
            if m["file"] == "readme.md" and (repo_rules or m["rule"] not in REPO_RULES)
        ]
        out.append(sorted(problems))
    return out


def lint_text(text: str, *, repo_rules: bool = False) -> list[Problem] | None:
    """lint_texts() for one text."""
    results = lint_texts([text], repo_rules=repo_rules)
    return None if results is None else results[0]


def per_rule(problems: Sequence[Problem]) -> Counter[str]:
    """How many problems each rule reported."""
    return Counter(p.rule for p in problems)


def new_problems(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    """The rules that report more problems after than before, with the increase.

    Counted per rule, not per (line, rule): a rewrite that fixes one problem and makes
    another of the same rule elsewhere is not flagged, but neither is a problem hidden
    because the same line already had one (the comparison the old script made)."""
    return {rule: n - before[rule] for rule, n in sorted(after.items()) if n > before[rule]}


# Rules whose messages carry a table's widths, which the bot's column changes: compared by
# their count per rule only. Every other problem is compared as (line, rule, message): the
# rewrite never adds or removes a line, so the author's problem is on the same line after.
TABLE_RULES = ("table-",)


def differences(before: list[Problem], after: list[Problem]) -> dict[str, object]:
    """What the rewrite changed in awesome-lint's eyes: the rules that report more (`more`)
    or fewer (`fewer`) problems, and the author's problems no longer reported (`hidden`) or
    new ones (`added`) by line, rule and message; empty when it changed nothing."""
    b, a = per_rule(before), per_rule(after)
    more = new_problems(b, a)
    fewer = new_problems(a, b)

    def exact(ps: list[Problem]) -> Counter[tuple[int, str, str]]:
        return Counter((p.line, p.rule, p.message) for p in ps
                       if not p.rule.startswith(TABLE_RULES))  # fmt: skip

    hidden = sorted((exact(before) - exact(after)).elements())
    added = sorted((exact(after) - exact(before)).elements())
    found = {"more": more, "fewer": fewer, "hidden": hidden, "added": added}
    return {k: v for k, v in found.items() if v}
