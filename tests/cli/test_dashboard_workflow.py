"""The workflow and the README's example of it pick up the dashboard's "Check now": an
`issues: edited` trigger that only the dashboard's edit with that box ticked gets through
(the job's `if` looks for exactly what GitHub saves when the box is ticked), least
privilege, and the issue's text never reaches a shell. (`.ci/run` lints the workflow with
actionlint and zizmor.)"""

from __future__ import annotations

import re

import pytest

from bot.render.boxes import CHECK_NOW, mark
from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "awesome-monitor.yml"


def _readme_example() -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    (block,) = [b for b in blocks if "uses: OWNER/awesome-monitor@" in b]
    return block


@pytest.mark.parametrize("text", [WORKFLOW.read_text(), _readme_example()],
                         ids=["workflow", "readme"])  # fmt: skip
def test_check_now_runs_the_workflow_and_nothing_else_does(text: str) -> None:
    code = re.sub(r"(^|\s)#[^\n]*", "", text)  # the comments
    assert re.search(r"^  issues:(\s*\{types: \[edited\]\}|\n    types: \[edited\])$", code, re.M)
    (job_if,) = re.findall(r"^    if: >-\n((?:      .*\n)+)", code, re.M)
    condition = " ".join(job_if.split())
    assert condition.startswith("github.event_name != 'issues' || (")
    assert "contains(github.event.issue.labels.*.name, 'awesome-monitor')" in condition
    ticked = f"- [x] {mark(CHECK_NOW)}"
    assert f"contains(github.event.issue.body, '{ticked}')" in condition
    # The issue's text is only read by the `if`: no step's script or environment gets it.
    assert code.count("github.event.issue") == 2
    granted = dict(re.findall(r"(contents|pull-requests|issues|actions|checks): (\w+)", code))
    assert granted["issues"] == "write" and granted["contents"] == "write"


def test_the_workflow_keeps_the_dashboard_after_the_pull_request() -> None:
    text = WORKFLOW.read_text()
    pr, issue = text.index("args=(pr --repo"), text.index("args=(issue --repo")
    assert pr < issue, "the dashboard links the pull request this run opened"
    uses = re.findall(r"uses: (\S+)", text)
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", u) for u in uses), uses
    action = (ROOT / "action.yml").read_text()
    assert "if: ${{ inputs.dashboard == 'true' }}" in action
    assert "args=(issue --repo" in action and "github.event" not in action
