"""What the review workflow and the README's example of it promise: `pull_request` only (never
`pull_request_target`), least privilege, actions pinned by full commit SHA, no credentials
left in a checkout, awesome-monitor installed from a pinned source and never from the pull
request's checkout, one run per pull request at a time, and the `paths` filter naming the
list the review reads. (`.ci/run` lints the workflow with actionlint and zizmor.)"""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "awesome-monitor-review.yml"


def _readme_example() -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    (block,) = [b for b in blocks if "awesome-monitor review" in b]
    return block


@pytest.mark.parametrize("text", [WORKFLOW.read_text(), _readme_example()],
                         ids=["workflow", "readme"])  # fmt: skip
def test_the_review_workflow_is_safe_for_a_strangers_pull_request(text: str) -> None:
    text = re.sub(r"(^|\s)#[^\n]*", "", text)  # the comments
    assert re.search(r"^on:\n  pull_request:\n    paths:", text, re.M)
    assert "pull_request_target" not in text and "workflow_run" not in text
    assert re.search(r"^permissions: \{\}$", text, re.M), "nothing by default"
    granted = re.findall(r"(contents|pull-requests|issues|actions|checks|statuses): (\w+)", text)
    assert sorted(granted) == [("contents", "read"), ("pull-requests", "write")]
    uses = re.findall(r"uses: (\S+)", text)
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses
    assert text.count("persist-credentials: false") == text.count("actions/checkout@")
    assert re.search(r"fetch-depth: 0", text), "the base branch must be there"
    assert re.search(r"^concurrency:", text, re.M) and "cancel-in-progress: true" in text
    (install,) = re.findall(r"pip install ([^\n]+)", text)
    assert re.search(r"@[0-9A-Fa-f]{40}|@COMMIT_SHA|\./awesome-monitor", install), install
    assert "-e " not in install and not re.search(r"install (--\S+ )*\.$", install)
    runs = re.findall(r"run: ([^\n]+)", text)
    assert [r for r in runs if "pip" not in r] == [
        re.findall(r"run: (awesome-monitor review \S+)", text)[0]
    ]
    (path,) = re.findall(r"awesome-monitor review (\S+)", text)
    assert re.search(rf"paths:\s*(\[|\n\s+- ){re.escape(path)}", text), "the filter names the list"


def test_this_repository_installs_the_reviewer_from_the_base_commit() -> None:
    text = WORKFLOW.read_text()
    step = text[text.index("Check out awesome-monitor") : text.index("Check out the pull request")]
    assert (
        "ref: ${{ github.event.pull_request.base.sha }}" in step and "path: awesome-monitor" in step
    )
    assert "pip install --disable-pip-version-check ./awesome-monitor" in text
    assert "working-directory: pull-request" in text
