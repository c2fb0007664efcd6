"""What the workflow and the README's workflow example promise: runs never overlap (a
second run at once could only stop, see tests/test_people.py), and the PR's own words about
people's moves hold (tested in tests/test_people.py)."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def _yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```ya?ml\n(.*?)```", markdown, re.S)


def test_the_workflow_and_the_readme_example_keep_runs_apart() -> None:
    workflow = (ROOT / ".github" / "workflows" / "awesome-monitor.yml").read_text()
    assert re.search(r"^concurrency:\s*\n\s+group:", workflow, re.M)
    assert "cancel-in-progress: false" in workflow, "a manual run waits; it never kills a run"
    examples = [b for b in _yaml_blocks((ROOT / "README.md").read_text()) if "uses:" in b]
    assert examples and all(re.search(r"^concurrency:", b, re.M) for b in examples)
