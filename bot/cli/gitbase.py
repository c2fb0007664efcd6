"""The version of a list that a change starts from, read with git from the checkout.

Why git and not GitHub's Contents API: the workflow has the pull request checked out anyway
(with `fetch-depth: 0`, so the base branch is there too), git needs no token at all (a pull
request from a fork gets a read-only one; a local run may have none) and costs no request,
and the same command works on a laptop against any branch. The base is the merge base of
HEAD and the ref (GitHub's three-dot diff): on a pull request's merge commit that is the
base branch as the pull request is merged into it, and locally only the branch's own
changes count, however far the base branch moved since. Only `git rev-parse`, `merge-base`,
`cat-file` and `show` of a blob run: nothing from the checkout is executed. `review` reads
its config from the base commit too (`BaseCommit.read`)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bot.errors import InputError

ACTIONS_HINT = (" (in GitHub Actions, check out with `fetch-depth: 0` so that the base "
                "branch is there)")  # fmt: skip


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              env=env, check=False, timeout=60)  # fmt: skip
    except FileNotFoundError:
        raise InputError("review reads the base version with git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git {args[0]} took over a minute in {folder}") from None


def _said(done: subprocess.CompletedProcess[bytes]) -> str:
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ") if lines else f"exit {done.returncode}"


@dataclass(frozen=True)
class BaseCommit:
    """The commit a change starts from, in the git checkout at `root`."""

    root: Path
    commit: str
    name: str  # "origin/main at 1a2b3c4", for the report

    def inside(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.root)

    def path_of(self, path: Path) -> str:
        """`path` relative to the checkout (where GitHub puts annotations)."""
        if not self.inside(path):
            raise InputError(f"{path}: outside the git checkout {self.root}")
        return path.resolve().relative_to(self.root).as_posix()

    def read(self, path: Path) -> str | None:
        """`path` as the base commit has it; None when it has no such file."""
        rel = self.path_of(path)
        if _git(self.root, "cat-file", "-e", f"{self.commit}:{rel}").returncode != 0:
            return None
        shown = _git(self.root, "show", f"{self.commit}:{rel}")
        if shown.returncode != 0:
            raise InputError(f"{rel} at {self.name}: git could not read it ({_said(shown)})")
        try:
            return shown.stdout.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{rel} at {self.name}: not UTF-8 text") from None


def base_commit(folder: Path, ref: str) -> BaseCommit:
    """The merge base of HEAD and `ref` in the git checkout holding `folder`."""
    if not ref.strip() or ref.startswith("-"):
        raise InputError(f"--base {ref!r}: give a branch, tag or commit")
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise InputError(f"{folder}: not in a git checkout ({_said(top)}); review compares "
                         "the list with a git ref")  # fmt: skip
    root = Path(top.stdout.decode().strip()).resolve()
    found = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found.returncode != 0:
        hint = ACTIONS_HINT if os.environ.get("GITHUB_ACTIONS") == "true" else ""
        raise InputError(f"--base {ref}: no such branch, tag or commit here{hint}")
    commit = found.stdout.decode().strip()
    merged = _git(root, "merge-base", "HEAD", commit)
    if merged.returncode == 0 and merged.stdout.strip():
        commit = merged.stdout.decode().strip()  # else no common history: the ref itself
    return BaseCommit(root, commit, f"{ref} at {commit[:7]}")


def head_commit(path: Path) -> str | None:
    """The commit checked out where `path` is (None outside git or before a commit)."""
    done = _git(path.resolve().parent, "rev-parse", "--verify", "--quiet", "HEAD")
    if done.returncode != 0:
        return None
    return done.stdout.decode().strip() or None
