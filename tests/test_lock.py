"""Issue 17: the weekly bot cannot break by itself. The workflow and the composite action
install requirements/action.txt with `--require-hashes`, then the project with `--no-deps`:
the lock pins every runtime dependency (each pin within pyproject's range), everything they
need in turn, and the build backend, each with its hashes. The README's `uses:` names the
release tag and sits beside the one repository setting a pull request needs."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

LOCK = ROOT / "requirements" / "action.txt"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\]+)[ \\]*$")


def pins() -> dict[str, tuple[Version, list[str]]]:
    """name → (pinned version, its hashes)."""
    out: dict[str, tuple[Version, list[str]]] = {}
    name = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = _PIN.match(line)
        if m:
            name = canonicalize_name(m[1])
            out[name] = (Version(m[2]), [])
        elif line.strip().startswith("--hash=sha256:") and name:
            out[name][1].append(line.strip().removeprefix("--hash=sha256:").rstrip(" \\"))
        elif line and not line.startswith((" ", "#")):
            raise AssertionError(f"not a pin with hashes: {line!r}")
    return out


def test_every_dependency_and_the_build_backend_is_pinned_within_its_range() -> None:
    locked = pins()
    wanted = [*PYPROJECT["project"]["dependencies"], *PYPROJECT["build-system"]["requires"]]
    for spec in map(Requirement, wanted):
        name = canonicalize_name(spec.name)
        assert name in locked, f"{spec.name} is not in {LOCK.name}"
        assert spec.specifier.contains(locked[name][0], prereleases=True), (
            f"{spec.name}=={locked[name][0]} is outside pyproject's {spec.specifier}"
        )


def test_every_pin_has_hashes() -> None:
    for name, (_, hashes) in pins().items():
        assert hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), name


def test_what_the_dependencies_need_in_turn_is_pinned_too() -> None:
    """Walk the installed dependencies' own requirements (markers as on this Python): every
    one is in the lock, so `pip install --require-hashes` finds nothing missing."""
    locked = pins()
    seen: set[str] = set()
    todo = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        assert name in locked, f"{req.name} (needed by the bot's dependencies) is not locked"
        for sub in metadata.requires(req.name) or []:
            r = Requirement(sub)
            extras = req.extras or {""}
            if r.marker is None or any(r.marker.evaluate({"extra": e}) for e in extras):
                todo.append(r)
    assert len(seen) > len(PYPROJECT["project"]["dependencies"])


def test_the_workflow_and_the_action_install_the_lock_by_hash() -> None:
    for path in (ROOT / "action.yml", ROOT / ".github" / "workflows" / "awesome-monitor.yml"):
        text = path.read_text(encoding="utf-8")
        by_hash = r"pip install[^\n]*--require-hashes[^\n]*\\?\s*-r \S*requirements/action\.txt"
        assert re.search(by_hash, text), path
        assert re.search(r"pip install[^\n]*--no-deps --no-build-isolation", text), path
        installs = re.findall(r"pip install[^\n]*", text)
        assert len(installs) == 2, f"{path}: every install goes through the lock"


def test_the_readme_names_the_release_tag_beside_the_setting_a_pr_needs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    version = PYPROJECT["project"]["version"]
    snippet = readme[readme.index("### Any awesome list: the reusable action") :]
    snippet = snippet[: snippet.index("\n### ", 10)]
    assert f"uses: OWNER/awesome-monitor@v{version}" in snippet
    assert "full commit SHA" in snippet
    assert "Allow GitHub Actions to create and approve pull requests" in snippet
