"""`--sarif FILE` on `check` and `pr`, end to end over HTTP against the emulators: the log is
valid SARIF 2.1.0 (the OASIS schema, vendored), holds exactly the report's dead, moved,
archived and stale items, points at each URL's line and columns, and keeps fingerprints that
do not depend on the line."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from bot.render.sarif import plain
from tests.conftest import FIXTURES
from tests.emulators import web as w
from tests.world import LIST_REPO, MakeWorld, World

SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
GROUP_OF = {
    "dead-link": "dead",
    "moved-repository": "moved",
    "archived-repository": "archived",
    "stale-repository": "stale",
}
TINY = "# Tiny list\n\n- [a repository](https://github.com/tiny/repo) — fine.\n"


def load(path: Path) -> dict[str, Any]:
    """The SARIF log at `path`, after checking it against the SARIF 2.1.0 schema."""
    log = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(Draft4Validator(SCHEMA).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    return log


def results(log: dict[str, Any]) -> list[dict[str, Any]]:
    (run,) = log["runs"]
    return run["results"]


def where(result: dict[str, Any]) -> tuple[str, int, int, int]:
    (loc,) = result["locations"]
    region = loc["physicalLocation"]["region"]
    return (loc["physicalLocation"]["artifactLocation"]["uri"], region["startLine"],
            region["startColumn"], region["endColumn"])  # fmt: skip


def keyed(log: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """The results by (rule, fingerprint): unique, or GitHub would merge two alerts."""
    out = {(r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"]): r
           for r in results(log)}  # fmt: skip
    assert len(out) == len(results(log))
    return out


@pytest.fixture
def tiny(make_world: MakeWorld) -> World:
    return make_world(TINY)


def test_check_sarif_is_valid_and_matches_the_report(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Draft4Validator.check_schema(SCHEMA) is None
    monkeypatch.chdir(world.tmp)  # the list is ./README.md
    world.configure("sarif", stale=True)  # every kind of finding (stale: only on request)
    run = world.run("check", "--dead-after", "1", "--sarif", "out.sarif")
    assert run.code == 0, run.err
    log = load(world.tmp / "out.sarif")
    assert log["version"] == "2.1.0"
    (sarif_run,) = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "awesome-monitor" and driver["version"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(GROUP_OF) <= set(rules)
    for r in rules.values():
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["help"]["text"] and r["help"]["markdown"]
    levels = {k: rules[k]["defaultConfiguration"]["level"] for k in GROUP_OF}
    assert levels == {"dead-link": "error", "moved-repository": "warning",
                      "archived-repository": "warning", "stale-repository": "note"}  # fmt: skip

    # Exactly one result per item of the report's groups: the counts agree.
    summary = run.report["summary"]
    counts = Counter(GROUP_OF[r["ruleId"]] for r in results(log))
    assert {g: counts[g] for g in GROUP_OF.values()} == {g: summary[g] for g in GROUP_OF.values()}
    assert all(summary[g] for g in GROUP_OF.values()), "the sample world has every kind"

    text = world.list_path.read_text(encoding="utf-8")
    lines = text.splitlines()
    by_url = run.by_url()
    for r in results(log):
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] == levels[r["ruleId"]]
        uri, line, col, end = where(r)
        assert uri == "README.md"
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        url = lines[line - 1][col - 1 : end - 1]
        assert lines[line - 1][col - 1 :].startswith(url) and url in by_url, r
        assert url in r["message"]["text"]
        if r["ruleId"] == "moved-repository":
            assert by_url[url]["moved_to"] in r["message"]["text"]
        if r["ruleId"] == "dead-link":
            assert by_url[url]["verdict"] == "dead"

    # The same run again: the same log. A line inserted above: the same fingerprints, each
    # result one line further down.
    again = world.run("check", "--dead-after", "1", "--sarif", "again.sarif")
    assert again.code == 0, again.err
    assert load(world.tmp / "again.sarif") == log
    world.list_path.write_text("A line the maintainer added.\n" + text, encoding="utf-8")
    moved = world.run("check", "--dead-after", "1", "--sarif", "moved.sarif")
    assert moved.code == 0, moved.err
    before, after = keyed(log), keyed(load(world.tmp / "moved.sarif"))
    assert before.keys() == after.keys()
    for key, r in before.items():
        uri, line, col, end = where(r)
        assert where(after[key]) == (uri, line + 1, col, end)


def test_pr_writes_the_same_findings_at_the_repository_path(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(world.tmp)
    path = "lists/awesome.md"
    world.add_list_repo(path=path)
    check = world.run("check", "--dead-after", "1", "--sarif", "check.sarif")
    assert check.code == 0, check.err
    dry = world.run("pr", "--repo", LIST_REPO, "--path", path, "--dry-run", "--dead-after", "1",
                    "--sarif", "dry.sarif")  # fmt: skip
    assert dry.code == 0, dry.err
    assert world.github.scenario[LIST_REPO].pulls == {}, "a dry run opens nothing"
    from_check = keyed(load(world.tmp / "check.sarif"))
    from_pr = keyed(load(world.tmp / "dry.sarif"))
    assert from_check.keys() == from_pr.keys()
    for key, r in from_pr.items():
        assert where(r) == (path, *where(from_check[key])[1:])
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert r["message"] == from_check[key]["message"]

    real = world.run("pr", "--repo", LIST_REPO, "--path", path, "--dead-after", "1",
                     "--sarif", "pr.sarif")  # fmt: skip
    assert real.code == 0, real.err
    assert len(world.github.scenario[LIST_REPO].pulls) == 1
    assert keyed(load(world.tmp / "pr.sarif")).keys() == from_pr.keys()


def test_a_reference_link_points_at_its_url_and_names_its_use(
    tiny: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tiny.tmp)
    url = tiny.web.script("/ref-gone", w.not_found())
    text = tiny.list_path.read_text(encoding="utf-8")
    text += f"\nSee [the page][gone] too.\n\nMore text.\n\n[gone]: {url}\n"
    tiny.list_path.write_text(text, encoding="utf-8")
    run = tiny.run("check", "--dead-after", "1", "--sarif", "out.sarif")
    assert run.code == 0, run.err
    (r,) = [r for r in results(load(tiny.tmp / "out.sarif")) if url in r["message"]["text"]]
    lines = text.splitlines()
    _, line, col, end = where(r)
    assert lines[line - 1][col - 1 : end - 1] == url and lines[line - 1].startswith("[gone]:")
    (related,) = r["relatedLocations"]
    use = related["physicalLocation"]["region"]["startLine"]
    assert lines[use - 1].startswith("See [the")
    assert r["message"]["text"].endswith(f" It is [used on line {use}]({related['id']}).")
    assert r["ruleId"] == "dead-link"


def test_a_file_outside_the_current_folder_is_an_absolute_file_uri(tiny: World) -> None:
    out = tiny.tmp / "out.sarif"
    run = tiny.run("check", str(tiny.list_path), "--dead-after", "1", "--sarif", str(out))
    assert run.code == 0, run.err
    found = results(load(out))
    assert found, "the web cases give dead links"
    for r in found:
        location = r["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": tiny.list_path.resolve().as_uri()}


def test_an_incomplete_run_writes_no_sarif(tiny: World) -> None:
    tiny.github.tokens.clear()  # the token is refused: exit 3, nothing judged
    out = tiny.tmp / "out.sarif"
    run = tiny.run("check", "--sarif", str(out))
    assert run.code == 3
    assert not out.exists()


def test_an_unwritable_sarif_path_is_an_input_error(tiny: World) -> None:
    run = tiny.run("check", "--sarif", str(tiny.tmp))  # a folder
    assert run.code == 2
    assert "cannot write the SARIF log" in run.err


def test_outside_text_cannot_form_an_embedded_link() -> None:
    assert plain("Dead link: https://x.org/a (404).") == "Dead link: https://x.org/a (404)."
    assert plain("https://x.org/[a](1)") == "https://x.org/\\[a\\](1)"
    assert plain("a [b] c") == "a [b] c"


def test_stale_links_stay_out_unless_asked_and_the_most_severe_come_first(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(world.tmp)
    run = world.run("check", "--dead-after", "1", "--sarif", "out.sarif")
    assert run.code == 0, run.err
    found = results(load(world.tmp / "out.sarif"))
    summary = run.report["summary"]
    assert summary["stale"] > 100 and not [r for r in found if r["ruleId"] == "stale-repository"]
    assert len(found) == summary["dead"] + summary["moved"] + summary["archived"]
    order = {"error": 0, "warning": 1, "note": 2}
    assert [order[r["level"]] for r in found] == sorted(order[r["level"]] for r in found)
    (sarif_run,) = load(world.tmp / "out.sarif")["runs"]
    assert sarif_run["invocations"] == [{"executionSuccessful": True}], "nothing left out"
    # The annotations say the same levels: dead links are errors, moved and archived warnings.
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(world.tmp / "summary.md"))
    run = world.run("check", "--dead-after", "1")
    levels = Counter(line.split(" ", 1)[0] for line in run.out.splitlines()
                     if line.startswith(("::error ", "::warning ", "::notice ")))  # fmt: skip
    by_rule = Counter(r["level"] for r in found)
    assert levels == Counter({"::error": by_rule["error"], "::warning": by_rule["warning"]})


def test_a_big_list_keeps_the_25000_most_severe_results_and_says_how_many_are_left_out(
    tmp_path: Path,
) -> None:
    from bot.check.model import CheckResult
    from bot.check.state import State
    from bot.config import Config
    from bot.pipeline import parse_list
    from bot.render.sarif import MAX_RESULTS, sarif_log
    from tests.render.test_rewrite import fake_verdicts

    n = 30_000  # 2,000 dead, 28,000 stale (stale asked for): more than code scanning keeps
    text = "# Big\n\n" + "".join(f"- [p{i}](https://github.com/o{i}/p{i})\n" for i in range(n))
    doc = parse_list(text)
    dead = {lk.raw_url for lk in doc.links[::15]}
    verdicts = fake_verdicts(doc, dead=dead)  # the others' last commit is 2024-03: stale
    state = State(updated="2026-12-07T06:00:00Z")
    cfg = Config()
    cfg.sarif.stale = True
    log = sarif_log(cfg, CheckResult(verdicts, state, {}), "README.md")
    (sarif_run,) = log["runs"]
    found = sarif_run["results"]
    assert len(found) == MAX_RESULTS
    assert [r["ruleId"] for r in found[: len(dead)]] == ["dead-link"] * len(dead)
    assert {r["ruleId"] for r in found[len(dead) :]} == {"stale-repository"}
    (note,) = sarif_run["invocations"][0]["toolExecutionNotifications"]
    assert f"{n - MAX_RESULTS:,} more results are not in this log" in note["message"]["text"]
    path = tmp_path / "big.sarif"
    path.write_text(json.dumps(log), encoding="utf-8")
    load(path)  # valid SARIF 2.1.0
