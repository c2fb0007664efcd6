"""`awesome-monitor check` end to end against the emulators, over real HTTP."""

from __future__ import annotations

import json
import math

from tests.emulators.base import Fault
from tests.world import SAMPLE, TOKEN, WEB_CASES, MakeWorld, World


def _repo_verdicts(run) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in run.report["links"]:
        if e["kind"] == "github_repo":
            out.setdefault(e["repo"].lower(), set()).add(e["verdict"])
    return out


def test_with_token_requests_are_minimal_and_verdicts_match_truth(world: World) -> None:
    run = world.run("check", "--write")
    assert run.code == 0, run.err
    report, truth = run.report, world.truth
    repos = {e["url"] for e in report["links"] if e["kind"] in ("github_repo", "github_path")}
    assert repos
    distinct_repos = len({e["repo"].lower() for e in report["links"] if e["repo"]})
    distinct_ids = len({e["arxiv_id"] for e in report["links"] if e["arxiv_id"]})
    assert report["requests"]["github"] <= math.ceil(distinct_repos / 100) + 1
    assert world.github.total_requests() <= math.ceil(distinct_repos / 100) + 1
    assert report["requests"]["arxiv"] == math.ceil(distinct_ids / 100)
    assert world.arxiv.total_requests() == math.ceil(distinct_ids / 100)

    by_url = run.by_url()
    for e in report["links"]:
        key = (e["repo"] or "").lower()
        if e["kind"] == "github_repo":
            if key in truth.archived:
                assert e["verdict"] == "archived" and e["archived"] is True
            elif any(key == old for old in truth.renamed):
                assert e["verdict"] == "moved"
                assert e["moved_to"] == f"https://github.com/{truth.renamed[key]}"
            elif key in truth.missing:
                assert e["verdict"] == "unknown" and e["failures_in_a_row"] == 1
            else:
                assert e["verdict"] == "alive", e
                assert isinstance(e["stars"], int) and e["last_commit"]
        if e["kind"] == "github_path" and e["url"] in truth.paths_gone:
            assert e["verdict"] == "unknown" and e["failures_in_a_row"] == 1
        if e["kind"] == "arxiv":
            if e["arxiv_id"] in truth.unknown_papers:
                assert e["verdict"] == "unknown" and e["failures_in_a_row"] == 1
            else:
                assert e["verdict"] == "alive"
                assert e["arxiv_version"] == truth.versions[e["arxiv_id"]]
    for path, (_, expected) in WEB_CASES.items():
        assert by_url[world.web.link(path)]["verdict"] == expected, path
    moved = by_url[world.web.link("/old")]
    assert moved["verdict"] == "alive" and moved["moved_to"] == world.web.link("/new")

    # Second run: the missing repo, gone file, unknown paper and 404/410 links are dead.
    second = world.run("check", "--write")
    by_url = second.by_url()
    for e in second.report["links"]:
        if (e["repo"] or "").lower() in truth.missing and e["kind"] == "github_repo":
            assert e["verdict"] == "dead" and e["failures_in_a_row"] == 2
        if e["arxiv_id"] in truth.unknown_papers:
            assert e["verdict"] == "dead"
        if e["url"] in truth.paths_gone:
            assert e["verdict"] == "dead"
    assert by_url[world.web.link("/gone")]["verdict"] == "dead"
    assert by_url[world.web.link("/missing")]["verdict"] == "dead"
    for path in ("/flaky", "/challenge", "/rate-limited", "/linkedin"):
        assert by_url[world.web.link(path)]["verdict"] != "dead", path
    assert "Dead (" in second.out


def test_dead_after_one_flags_a_404_on_the_first_run(world: World) -> None:
    run = world.run("check", "--dead-after", "1")
    assert run.by_url()[world.web.link("/missing")]["verdict"] == "dead"
    assert not world.state_path.exists(), "dry run writes nothing"


def test_flaky_link_is_never_dead(world: World) -> None:
    for _ in range(3):
        run = world.run("check", "--write", "--dead-after", "1")
        assert run.by_url()[world.web.link("/flaky")]["verdict"] == "alive"


def test_without_token_a_small_budget_checks_part_and_says_so(world: World) -> None:
    first = world.run("check", "--write", token=False)
    assert first.code == 0, first.err
    verdicts = [e for e in first.report["links"] if e["kind"] == "github_repo"]
    unchecked = [
        e for e in verdicts if e["verdict"] == "unknown" and "not checked" in (e["error"] or "")
    ]
    assert unchecked and len(unchecked) < len(verdicts)
    assert "not checked" in first.out and "GITHUB_TOKEN" in first.out
    budget = world.github.budget("core", None)
    assert budget.remaining <= 2  # spent down to the reserve, never into a 403

    # Each new hour the budget is back; the repos not checked go first, so two
    # more runs cover the whole list.
    budget.used = 0
    second = world.run("check", "--write", token=False)
    assert second.code == 0, second.err
    unchecked2 = {
        e["repo"].lower()
        for e in second.report["links"]
        if e["kind"] == "github_repo" and "not checked" in (e["error"] or "")
    }
    assert not unchecked2 & {e["repo"].lower() for e in unchecked}, "skipped repos go first"

    # Third run: saved ETags make unchanged repos free (304), so the budget goes only
    # to what was not checked, what changed, and what has no ETag (404, the 301 hop).
    state = json.loads(world.state_path.read_text())
    with_etag = [k for k, e in state["repos"].items() if e.get("etag") and k not in unchecked2]
    changed = with_etag[0]
    world.github.scenario[changed].stars += 5000
    budget.used = 0
    third = world.run("check", "--write", token=False)
    assert third.code == 0, third.err
    paths = {
        (e["repo"].lower(), e["url"])
        for e in third.report["links"]
        if e["kind"] == "github_path" and e["repo"].lower() in unchecked2 | {changed}
    }
    no_etag = len(world.truth.missing) + len(world.truth.renamed)
    assert budget.used <= len(unchecked2) + 1 + len(paths) + no_etag
    assert budget.used < len(state["repos"]) / 2
    after = {e["repo"].lower(): e for e in third.report["links"] if e["kind"] == "github_repo"}
    assert after[changed]["stars"] == world.github.scenario[changed].stars
    assert all(e["error"] is None or "not checked" not in e["error"] for e in after.values())


def test_network_down_exits_3_and_flags_nothing(make_world: MakeWorld) -> None:
    wd = make_world(SAMPLE, web_cases=False)
    first = wd.run("check", "--write")
    assert first.code == 0, first.err
    before = json.loads(wd.state_path.read_text())
    for emu in (wd.github, wd.arxiv):
        emu.stop()
    run = wd.run("check", "--write")
    assert run.code == 3
    assert "could not reach" in run.err
    assert all(e["verdict"] != "dead" for e in run.report["links"])
    after = json.loads(wd.state_path.read_text())
    for key, entry in before["repos"].items():
        assert after["repos"][key].get("failures", 0) == entry.get("failures", 0)


def test_graphql_502_then_ok_is_retried(world: World) -> None:
    world.github.inject(Fault(status=502, match_path="/graphql", times=1))
    run = world.run("check")
    assert run.code == 0
    assert all(e["verdict"] != "dead" for e in run.report["links"])
    assert run.report["requests"]["github"] >= 3


def test_bad_token_exits_3(world: World) -> None:
    world.github.tokens.clear()
    run = world.run("check", "--write")
    assert run.code == 3
    assert "token" in run.err.lower()
    assert TOKEN not in run.out + run.err


def test_token_never_appears_in_any_output(world: World) -> None:
    run = world.run("check", "-vv", "--write")
    assert run.code == 0
    text = run.out + run.err + json.dumps(run.report) + world.state_path.read_text()
    assert TOKEN not in text


def test_bad_config_names_key_and_file(world: World) -> None:
    world.config_path.write_text("[check]\ndead_aftr = 3\n")
    run = world.run("check")
    assert run.code == 2
    assert "dead_aftr" in run.err and str(world.config_path) in run.err


def test_corrupt_state_is_an_error_not_replaced(world: World) -> None:
    world.state_path.write_text("{not json")
    run = world.run("check", "--write")
    assert run.code == 2 and "corrupt" in run.err
    assert world.state_path.read_text() == "{not json"


def test_unanswered_links_keep_their_last_status_in_the_list(world: World) -> None:
    """Without a token, what the budget skips shows its last known status: the list does
    not flap between runs (and no PR is proposed for it)."""
    first = world.run("check", "--write", "--dead-after", "1", token=False)
    assert first.code == 0, first.err
    written = world.list_path.read_text()
    assert "★" in written
    # The budget is still spent: nothing new is learned about GitHub.
    second = world.run("check", "--write", "--dead-after", "1", token=False)
    assert second.code == 0, second.err
    assert "not checked" in second.out
    assert world.list_path.read_text() == written


def test_when_github_and_arxiv_are_down_we_stop_asking_and_count_no_web_failure(
    make_world: MakeWorld,
) -> None:
    from tests.emulators.web import refused_url

    refused = refused_url()
    wd = make_world(SAMPLE + f"\n- [gone host]({refused})\n", web_cases=False)
    for emu in (wd.github, wd.arxiv):
        emu.stop()
    run = wd.run("check", "--write", token=False)
    assert run.code == 3
    # The budget probe and three repositories in a row without an answer (each
    # retried once), then stop.
    assert run.report["requests"]["github"] <= 2 + 3 * 2
    entry = run.by_url()[refused]
    assert entry["verdict"] == "unknown" and entry["failures_in_a_row"] == 0
    assert "not counted as failures" in run.out
