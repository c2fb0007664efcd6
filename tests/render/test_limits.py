"""What GitHub refuses or drops, on a list no body can hold: 5,000 dead links. The pull
request, the dashboard issue and the job summary stay within GitHub's limits and say how
many items they leave out; the annotations stop at what GitHub shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.render.fit import Limit, clip, fit
from tests.world import LIST_REPO, MakeWorld, World

N = 5_000


@pytest.fixture
def big(make_world: MakeWorld) -> World:
    text = "# A very big list\n\n## Projects\n\n" + "".join(
        f"- [Project {i}](https://github.com/gone-owner-{i}/project-{i}) - Thing number {i}.\n"
        for i in range(N)
    )
    wd = make_world(text, web_cases=False, check_web=False)
    for key in list(wd.github.scenario.repos):  # every one of them is gone
        wd.github.scenario.remove(key)
    wd.add_list_repo()
    return wd


def test_5000_dead_links_fit_in_the_pr_the_issue_and_the_summary(
    big: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = big.run("pr", "--repo", LIST_REPO, "--dead-after", "1")
    assert run.code == 0, run.err
    (pull,) = big.github.pulls(LIST_REPO)  # the emulator refuses what GitHub refuses
    assert len(pull.body) <= 65_536 and len(pull.title) <= 256
    # Every dead link it can hold, then the count of the rest and where they are.
    item = r"^- \[line \d+\]\(<[^>]*>\): \[https://github\.com/gone-owner-"
    listed = len(re.findall(item, pull.body, re.M))
    more = re.search(r"^- … and ([\d,]+) more: this run's job summary", pull.body, re.M)
    assert more and listed >= 20 and listed + int(more.group(1).replace(",", "")) == N
    # Each link once: the line-by-line list holds no dead link again, it counts them.
    assert f"{N:,} changes are in the sections above" in pull.body
    assert pull.body.rstrip().endswith("-->"), "the hidden metadata survives"

    # The job summary (1 MiB) lists every one of them (in its collapsed list).
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 1_048_576
    collapsed = text.split("<details>", 1)[1]
    assert len(re.findall(r"^- line \d+: `https://github.com/gone-owner-", collapsed, re.M)) == N
    # Annotations: 10 errors (what GitHub shows), then one notice with the rest.
    errors = [ln for ln in run.out.splitlines() if ln.startswith("::error ")]
    notices = [ln for ln in run.out.splitlines() if ln.startswith("::notice ")]
    assert len(errors) == 10 and len(notices) == 1 and f"{N - 10} more" in notices[0]

    run = big.run("issue", "--repo", LIST_REPO, "--dead-after", "1", "--config",
                  str(big.config_path))  # fmt: skip
    assert run.code == 0, run.err
    (dashboard,) = big.github.scenario[LIST_REPO].issues.values()
    assert len(dashboard.body) <= 65_536
    boxes = len(re.findall(r"^- \[ \] <!-- awesome-monitor-silence \w+ -->line \d+",
                           dashboard.body, re.M))  # fmt: skip
    more = re.search(r"^- … and ([\d,]+) more", dashboard.body, re.M)
    assert more and boxes >= 20 and boxes + int(more.group(1).replace(",", "")) == N


def test_fit_cuts_the_least_important_section_first_at_a_whole_item() -> None:
    items = {"a": [f"a{i}" for i in range(100)], "b": [f"b{i}" for i in range(100)]}

    def render(shown: dict[str, int]) -> str:
        out = []
        for key, lines in items.items():
            out += lines[: shown[key]]
            if shown[key] < len(lines):
                out.append(f"… and {len(lines) - shown[key]} more {key}")
        return "\n".join(out)

    totals = {k: len(v) for k, v in items.items()}
    text, shown = fit(render, totals, [("b", 0), ("a", 0)], Limit(500))
    assert len(text) <= 500 and shown["a"] == 100 and 0 < shown["b"] < 100
    assert text.endswith(f"… and {100 - shown['b']} more b")
    text, shown = fit(render, totals, [("b", 10), ("a", 5)], Limit(200))
    assert shown["b"] == 10 and len(text) <= 200 and 5 <= shown["a"] < 100
    assert fit(render, totals, [], Limit(10_000))[1] == totals  # it fits: nothing cut


def test_clip_keeps_the_metadata_line_and_cuts_at_a_line() -> None:
    text = "".join(f"line {i}\n" for i in range(1000)) + "<!-- awesome-monitor-meta {} -->\n"
    out = clip(text, Limit(500))
    assert len(out) <= 500 and out.endswith("<!-- awesome-monitor-meta {} -->\n")
    assert all(ln.startswith(("line ", "…", "<!--")) for ln in out.splitlines() if ln)
    assert clip("é" * 600, Limit(1000, lambda s: len(s.encode()))).count("é") <= 500
