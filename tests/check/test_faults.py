"""The fault matrix: every case is an end-to-end run of the real CLI (`check`, and `pr`
where it applies) against the loopback emulators with one fault injected, asserting
the exit code, the verdicts, the files and state on disk and the PRs in the store.

Each test records a short `expected` text first and an `observed` text before its
asserts (pytest `user_properties`), so `python bench/faults.py` can print the whole
matrix as one table. Settings are World's small ones (timeout 2 s, retries 1, backoff
0.01 s, max_wait 2 s); lists are small so the whole file runs in seconds."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from bot.check import state as state_mod
from bot.check.providers.arxiv import ArxivTarget
from bot.check.providers.github_urls import GitHubTarget
from bot.pipeline import parse_list
from tests.conftest import ROOT
from tests.emulators import web as w
from tests.emulators.base import Fault
from tests.world import LIST_REPO, TOKEN, MakeWorld, Run, World

PAPERS = ("1409.1556", "1512.03385", "1706.03762", "1608.06993")
STATE_BRANCH = "awesome-monitor/state"
BRANCH = "awesome-monitor/status"


def fault_list(repos: int = 6) -> str:
    """A small list: `repos` repositories (the scenario archives the 2nd, removes the
    3rd and renames the 4th), one linked file, and four papers (the 1st unknown)."""
    lines = ["# Awesome faults", "", "## Tools", ""]
    lines += [f"- [tool{i}](https://github.com/owner{i}/tool{i}) - does {i}." for i in range(repos)]
    lines += ["- [docs](https://github.com/owner0/tool0/blob/master/README.md) - its docs.", ""]
    lines += ["## Papers", ""]
    lines += [f"- [Paper {p}](https://arxiv.org/abs/{p})" for p in PAPERS]
    return "\n".join(lines) + "\n"


class Case:
    """What a matrix row says: the expectation, then what was seen."""

    def __init__(self, record: Callable[[str, object], None]) -> None:
        self.record = record

    def expect(self, text: str) -> None:
        self.record("expected", text)

    def observe(self, text: str) -> None:
        self.record("observed", text)


@pytest.fixture
def case(record_property: Callable[[str, object], None]) -> Case:
    return Case(record_property)


@pytest.fixture
def world(make_world: MakeWorld) -> World:
    return make_world(fault_list(), web_cases=False)


def verdicts(run: Run, kind: str | None = None) -> dict[str, str]:
    return {e["url"]: e["verdict"] for e in run.report.get("links", [])
            if kind is None or e["kind"] == kind}  # fmt: skip


def tally(run: Run, kind: str | None = None) -> str:
    counts: dict[str, int] = {}
    for v in verdicts(run, kind).values():
        counts[v] = counts.get(v, 0) + 1
    return ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) or "no links"


def expected_first_run(world: World) -> dict[str, str]:
    """Verdicts of a fault-free first run (dead_after 2) from the scenario's truth."""
    truth, out = world.truth, {}
    for link in _links(world):
        t = link.target
        key = t.repo_key if isinstance(t, GitHubTarget) else None
        if key:
            if key in truth.archived:
                out[link.url] = "archived"
            elif key in truth.renamed:
                out[link.url] = "moved"
            elif key in truth.missing or link.url in truth.paths_gone:
                out[link.url] = "unknown"
            else:
                out[link.url] = "alive"
        elif isinstance(t, ArxivTarget):
            out[link.url] = "unknown" if t.arxiv_id in truth.unknown_papers else "alive"
    return out


def _links(world: World) -> list[Any]:
    return parse_list(world.list_path.read_text(encoding="utf-8")).links


def gh_lines(text: bytes) -> list[bytes]:
    return [ln for ln in text.splitlines() if b"github.com" in ln]


def state_of(world: World) -> dict[str, Any]:
    return json.loads(world.state_path.read_text()) if world.state_path.exists() else {}


def failures(state: dict[str, Any], section: str) -> dict[str, int]:
    return {k: e.get("failures", 0) for k, e in state.get(section, {}).items()}


# -- GitHub ----------------------------------------------------------------------------


def test_github_502_on_the_first_call_is_retried(world: World, case: Case) -> None:
    case.expect("exit 0; the batch retried once; every verdict as without the fault")
    world.github.fail_graphql(times=1, status=502)
    run = world.run("check")
    got = {u: v for u, v in verdicts(run).items() if u in expected_first_run(world)}
    case.observe(f"exit {run.code}; {world.github.total_requests('POST /graphql')} GraphQL "
                 f"calls; verdicts match: {got == expected_first_run(world)}")  # fmt: skip
    assert run.code == 0, run.err
    assert world.github.total_requests("POST /graphql") == 2
    assert got == expected_first_run(world)


def test_github_502_beyond_retries_leaves_repos_unknown_never_dead(
    world: World, case: Case
) -> None:
    case.expect("502 past the retries: repos unknown, none dead, no failure counted, "
                "the repos' lines keep their last statuses")  # fmt: skip
    assert world.run("check", "--write").code == 0  # a history to keep
    before, fails_before = world.list_path.read_bytes(), failures(state_of(world), "repos")
    world.github.fail_graphql(times=10, status=502)
    run = world.run("check", "--write")
    gh = verdicts(run, "github_repo")
    fails = failures(state_of(world), "repos")
    was_failing = {f"https://github.com/{k}" for k in world.truth.missing}
    newly_dead = [u for u, v in gh.items() if v == "dead" and u not in was_failing]
    case.observe(f"exit {run.code}; repos: {tally(run, 'github_repo')}; failures counted: "
                 f"{sum(fails.values()) - sum(fails_before.values())}; repo lines changed: "
                 f"{gh_lines(world.list_path.read_bytes()) != gh_lines(before)}")  # fmt: skip
    assert set(gh.values()) <= {"unknown", "dead"} and not newly_dead
    assert fails == fails_before
    assert world.github.total_requests("POST /graphql") == 3  # 1 earlier run + 1 + retries
    assert gh_lines(world.list_path.read_bytes()) == gh_lines(before)


def test_secondary_rate_limit_retry_after_is_honoured(world: World, case: Case) -> None:
    case.expect("403 + Retry-After 1: waits ≥1 s (< max_wait 2 s), then every verdict as usual")
    world.github.secondary_rate_limit(times=1, retry_after=1, path="/graphql")
    started = time.monotonic()
    run = world.run("check")
    took = time.monotonic() - started
    got = {u: v for u, v in verdicts(run).items() if u in expected_first_run(world)}
    case.observe(f"exit {run.code}; waited {took:.1f} s; verdicts match: "
                 f"{got == expected_first_run(world)}")  # fmt: skip
    assert run.code == 0, run.err
    assert 1.0 <= took < 4.0
    assert got == expected_first_run(world)


def test_secondary_rate_limit_beyond_max_wait_gives_up_fast(world: World, case: Case) -> None:
    case.expect("Retry-After 60 > max_wait 2: no wait, repos unknown, none dead")
    world.github.secondary_rate_limit(times=5, retry_after=60, path="/graphql")
    started = time.monotonic()
    run = world.run("check", "--dead-after", "1")
    took = time.monotonic() - started
    case.observe(f"exit {run.code}; took {took:.1f} s; repos: {tally(run, 'github_repo')}")
    assert took < 20, "it did not wait the 60 s asked"
    assert set(verdicts(run, "github_repo").values()) == {"unknown"}


def test_graphql_budget_spent_half_way(world: World, case: Case) -> None:
    case.expect("2nd of 2 batches RATE_LIMITED: exit 3, 1st batch saved in state, "
                "rest not checked, list untouched")  # fmt: skip
    world.configure("github", batch_size=3)
    budget = world.github.budget("graphql", TOKEN)
    budget.used = budget.limit - 1
    before = world.list_path.read_bytes()
    run = world.run("check", "--write")
    state = state_of(world)
    with_data = sorted(k for k, e in state["repos"].items() if e.get("data"))
    skipped = sorted(k for k, e in state["repos"].items() if e.get("not_checked"))
    case.observe(f"exit {run.code}; repos with data {len(with_data)}, not checked "
                 f"{len(skipped)}; dead {list(verdicts(run).values()).count('dead')}; "
                 f"list changed: {world.list_path.read_bytes() != before}")  # fmt: skip
    assert run.code == 3 and "budget" in run.err
    assert 0 < len(with_data) < len(state["repos"]) and skipped
    assert "dead" not in verdicts(run, "github_repo").values()
    assert world.list_path.read_bytes() == before
    # The next run (budget back) checks the skipped ones first and completes.
    budget.used = 0
    again = world.run("check", "--write")
    assert again.code == 0, again.err
    assert not [k for k, e in state_of(world)["repos"].items() if e.get("not_checked")]


def test_rest_budget_spent_without_token_is_not_a_failure(world: World, case: Case) -> None:
    case.expect("anonymous budget runs out: exit 0, the rest 'not checked', never a 403 spent")
    budget = world.github.budget("core", None)
    budget.used = budget.limit - 5
    run = world.run("check", "--write", token=False)
    entries = [e for e in run.report["links"] if e["kind"] == "github_repo"]
    skipped = [e for e in entries if "not checked" in (e["error"] or "")]
    case.observe(f"exit {run.code}; {len(skipped)}/{len(entries)} repos not checked; "
                 f"budget left {budget.remaining}")  # fmt: skip
    assert run.code == 0, run.err
    assert skipped and len(skipped) < len(entries)
    assert all(e["verdict"] != "dead" for e in entries)
    assert budget.remaining >= 1  # the reserve is kept, never spent into a 403


def test_a_third_of_repos_not_found_in_a_batch(world: World, case: Case) -> None:
    case.expect("2 of 6 repos NOT_FOUND in one batch: those failing, the others' data intact")
    scenario = world.github.scenario
    gone = ["owner4/tool4", "owner5/tool5"]
    for name in gone:
        scenario.remove(name)
    run = world.run("check", "--write")
    by_url = run.by_url()
    lost = [by_url[f"https://github.com/{n}"] for n in gone]
    kept = [e for e in run.report["links"] if e["kind"] == "github_repo"
            and e["verdict"] == "alive"]  # fmt: skip
    intact = all(e["stars"] == scenario[e["repo"]].stars for e in kept)
    case.observe(f"exit {run.code}; removed: {[e['verdict'] for e in lost]} failures "
                 f"{[e['failures_in_a_row'] for e in lost]}; {len(kept)} alive with exact stars: "
                 f"{intact}")  # fmt: skip
    assert run.code == 0
    assert all(e["verdict"] == "unknown" and e["failures_in_a_row"] == 1 for e in lost)
    assert kept and intact
    assert world.github.total_requests("POST /graphql") == 1


def test_disabled_and_blocked_repos_without_token(world: World, case: Case) -> None:
    case.expect("REST 403 (disabled) and 451 (blocked): failing, dead after --dead-after runs")
    scenario = world.github.scenario
    scenario["owner0/tool0"].disabled = True
    scenario["owner5/tool5"].blocked = True
    run = world.run("check", "--write", "--dead-after", "1", token=False)
    by_url = run.by_url()
    dis, blk = by_url["https://github.com/owner0/tool0"], by_url["https://github.com/owner5/tool5"]
    case.observe(f"exit {run.code}; disabled: {dis['verdict']} ({dis['error']}); "
                 f"blocked: {blk['verdict']} ({blk['error']})")  # fmt: skip
    assert run.code == 0, run.err
    assert dis["verdict"] == "dead" and "403" in dis["error"]
    assert blk["verdict"] == "dead" and "451" in blk["error"]
    assert by_url["https://github.com/owner4/tool4"]["verdict"] == "alive"


def test_one_call_times_out_then_the_retry_answers(world: World, case: Case) -> None:
    case.expect("1st GraphQL call slower than the timeout: retried, exit 0, verdicts as usual")
    world.github.inject(Fault(200, "POST", "/graphql", times=1, delay=1.6))
    started = time.monotonic()
    run = world.run("check", "--timeout", "1")
    took = time.monotonic() - started
    got = {u: v for u, v in verdicts(run).items() if u in expected_first_run(world)}
    calls = world.github.total_requests("POST /graphql")
    match = got == expected_first_run(world)
    case.observe(f"exit {run.code}; {calls} GraphQL calls in {took:.1f} s; verdicts match: {match}")
    assert run.code == 0, run.err
    assert world.github.total_requests("POST /graphql") == 2
    assert got == expected_first_run(world)


def test_bad_token_exits_3_and_changes_nothing(world: World, case: Case) -> None:
    case.expect("401: exit 3 'refused the token', nothing dead, list and failures unchanged")
    assert world.run("check", "--write").code == 0
    before_list, before = world.list_path.read_bytes(), state_of(world)
    world.github.tokens.clear()
    run = world.run("check", "--write", "--dead-after", "1")
    after = state_of(world)
    repos_dead = list(verdicts(run, "github_repo").values()).count("dead")
    case.observe(f"exit {run.code}; repos dead {repos_dead}; list same: "
                 f"{world.list_path.read_bytes() == before_list}; repo failures same: "
                 f"{failures(after, 'repos') == failures(before, 'repos')}")  # fmt: skip
    assert run.code == 3 and "refused the token" in run.err
    assert "dead" not in verdicts(run, "github_repo").values()
    assert world.list_path.read_bytes() == before_list
    assert failures(after, "repos") == failures(before, "repos")


def test_pr_write_fails_after_the_branch_is_created_then_recovers(world: World, case: Case) -> None:
    case.expect("POST /pulls fails: exit 3, branch + state branch kept, no PR; "
                "next run opens exactly one")  # fmt: skip
    world.add_list_repo()
    repo = world.github.scenario[LIST_REPO]
    world.github.inject(Fault(500, "POST", f"/repos/{LIST_REPO}/pulls", times=None))
    run = world.run("pr", "--repo", LIST_REPO)
    pulls_after_failure = len(repo.pulls)
    branches = set(repo.branches())
    state_saved = repo.file_text("state.json", STATE_BRANCH) is not None
    world.github.faults.clear()
    again = world.run("pr", "--repo", LIST_REPO)
    third = world.run("pr", "--repo", LIST_REPO)
    case.observe(f"exit {run.code}, PRs {pulls_after_failure} after the failure; "
                 f"branches {sorted(branches - {repo.default_branch})}; state saved "
                 f"{state_saved}; next run exit {again.code}: {len(repo.pulls)} PR, "
                 f"then '{third.out.strip().split(' (')[0]}'")  # fmt: skip
    assert run.code == 3, run.err
    assert "could not be reached or kept failing" in run.err and pulls_after_failure == 0
    assert BRANCH in branches and STATE_BRANCH in branches and state_saved
    assert again.code == 0, again.err
    assert len(repo.pulls) == 1 and next(iter(repo.pulls.values())).state == "open"
    assert third.code == 0 and len(repo.pulls) == 1


# -- arXiv -----------------------------------------------------------------------------


def _papers(run: Run) -> dict[str, dict[str, Any]]:
    return {e["arxiv_id"]: e for e in run.report["links"] if e["kind"] == "arxiv"}


def test_arxiv_503_then_ok(world: World, case: Case) -> None:
    case.expect("503 once: retried, papers alive with their versions")
    world.arxiv.inject(Fault(503, "GET", "/api/query", times=1))
    run = world.run("check")
    papers = _papers(run)
    ok = all(papers[p]["arxiv_version"] == world.truth.versions[p] for p in world.truth.versions)
    case.observe(f"exit {run.code}; {world.arxiv.total_requests()} arXiv requests; "
                 f"versions right: {ok}")  # fmt: skip
    assert run.code == 0 and ok
    assert world.arxiv.total_requests() == 2


def test_arxiv_429_is_retried_then_unknown(world: World, case: Case) -> None:
    case.expect("429 (Retry-After 0) once: retried, alive; 429 always: unknown, never dead")
    world.arxiv.inject(Fault(429, "GET", "/api/query", times=1, headers={"Retry-After": "0"}))
    once = world.run("check", "--dead-after", "1")
    world.arxiv.inject(Fault(429, "GET", "/api/query", times=None, headers={"Retry-After": "0"}))
    always = world.run("check", "--dead-after", "1")
    known = {p: e["verdict"] for p, e in _papers(once).items() if p in world.truth.versions}
    case.observe(f"once: known papers {sorted(set(known.values()))}; always: "
                 f"{tally(always, 'arxiv')} (exit {always.code})")  # fmt: skip
    assert known == dict.fromkeys(world.truth.versions, "alive")
    assert set(verdicts(always, "arxiv").values()) == {"unknown"}


def test_arxiv_malformed_id_in_a_batch(world: World, case: Case) -> None:
    case.expect("400 error feed naming one id: that id malformed (failing), the others alive")
    bad = PAPERS[2]
    world.arxiv.scenario.malformed.add(bad)
    run = world.run("check")
    papers = _papers(run)
    others = {p: papers[p]["verdict"] for p in world.truth.versions if p != bad}
    case.observe(f"exit {run.code}; {bad}: {papers[bad]['verdict']} ({papers[bad]['error']}); "
                 f"others: {sorted(set(others.values()))}")  # fmt: skip
    assert run.code == 0
    assert papers[bad]["failures_in_a_row"] == 1 and "malformed" in papers[bad]["error"]
    assert set(others.values()) == {"alive"}


EMPTY_FEED = (
    b"<?xml version='1.0' encoding='UTF-8'?>\n"
    b'<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    b'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
    b"  <id>https://arxiv.org/api/x</id>\n  <title>arXiv Query</title>\n"
    b"  <updated>2026-01-01T00:00:00Z</updated>\n"
    b"  <opensearch:itemsPerPage>4</opensearch:itemsPerPage>\n"
    b"  <opensearch:totalResults>0</opensearch:totalResults>\n"
    b"  <opensearch:startIndex>0</opensearch:startIndex>\n</feed>\n"
)


def test_arxiv_empty_feed_for_a_batch_is_not_a_failure(world: World, case: Case) -> None:
    case.expect("200 with an empty feed for a whole batch: papers unknown, no failure counted")
    world.arxiv.inject(Fault(200, "GET", "/api/query", times=1, body=EMPTY_FEED,
                             headers={"Content-Type": "application/atom+xml"}))  # fmt: skip
    run = world.run("check", "--write", "--dead-after", "1")
    fails = failures(state_of(world), "papers")
    case.observe(f"exit {run.code}; papers: {tally(run, 'arxiv')}; failures counted: "
                 f"{sum(fails.values())}")  # fmt: skip
    assert run.code == 0
    assert set(verdicts(run, "arxiv").values()) == {"unknown"}
    assert sum(fails.values()) == 0


def test_arxiv_slower_than_the_timeout_is_unknown(world: World, case: Case) -> None:
    case.expect("every answer slower than the timeout: exit 3 (arXiv unreachable), papers "
                "unknown, never dead")  # fmt: skip
    world.arxiv.inject(Fault(200, "GET", "/api/query", times=2, delay=1.3))
    run = world.run("check", "--write", "--dead-after", "1", "--timeout", "1")
    case.observe(f"exit {run.code}; papers: {tally(run, 'arxiv')}; "
                 f"errors: {sorted({e['error'] for e in _papers(run).values()})}")  # fmt: skip
    assert run.code == 3 and "could not reach arxiv" in run.err
    assert set(verdicts(run, "arxiv").values()) == {"unknown"}
    assert sum(failures(state_of(world), "papers").values()) == 0


# -- web -------------------------------------------------------------------------------

# path → (answer, verdict with --dead-after 1: FAIL is dead, UNKNOWN is unknown). Timeouts,
# resets and 5xx are never failures: a server having a bad day is not a dead link.
WEB_BEHAVIOURS: dict[str, tuple[w.Answer, str]] = {
    "/ok": (w.ok(), "alive"),
    "/not-found": (w.not_found(), "dead"),
    "/gone": (w.gone(), "dead"),
    "/challenge": (w.challenge(), "unknown"),
    "/challenge-503": (w.challenge(503), "unknown"),
    "/rate-limited": (w.rate_limited("0"), "unknown"),
    "/linkedin": (w.blocked_999(), "unknown"),
    "/redirect-302": (w.redirect("/ok", 302), "alive"),
    "/slow-ok": (w.slow(0.2), "alive"),
    "/slow-timeout": (w.slow(1.5), "unknown"),
    "/reset": (w.reset(), "unknown"),
    "/head-refused": (w.head_refused(405), "alive"),
    "/head-lies": (w.head_refused(404), "alive"),
    "/flaky": (w.flaky(1), "alive"),
    "/server-error": (w.server_error(500), "unknown"),
    "/maintenance": (w.server_error(503, retry_after="0"), "unknown"),
    "/to-javascript": (w.redirect("javascript:alert(1)"), "dead"),
}


def test_every_scripted_web_behaviour(make_world: MakeWorld, case: Case, offline_dns: None) -> None:
    case.expect("one verdict per behaviour (see WEB_BEHAVIOURS); 301 reported as moved_to")
    wd = make_world("# Web\n\n- [x](https://example.invalid/)\n", web_cases=False)
    links = {p: wd.web.script(p, a) for p, (a, _) in WEB_BEHAVIOURS.items()}
    links["/old"] = wd.web.chain(["/old", "/new"], w.ok(), codes=301)
    extra = {"tls": (wd.web.https_url("/ok"), "dead"),
             "refused": (w.refused_url(), "dead"),
             "dns": (f"http://{w.DNS_FAIL_HOST}/", "dead")}  # fmt: skip
    body = "".join(f"- [{p}]({u})\n" for p, u in links.items())
    body += "".join(f"- [{k}]({u})\n" for k, (u, _) in extra.items())
    wd.list_path.write_text("# Web\n\n" + body)
    run = wd.run("check", "--dead-after", "1", "--timeout", "1")
    by_url = run.by_url()
    want = {links[p]: v for p, (_, v) in WEB_BEHAVIOURS.items()}
    want.update({u: v for u, v in extra.values()})
    want[links["/old"]] = "alive"
    got = {u: by_url[u]["verdict"] for u in want}
    wrong = {u: (got[u], want[u]) for u in want if got[u] != want[u]}
    right = len(want) - len(wrong)
    case.observe(f"exit {run.code}; {right}/{len(want)} behaviours as expected; {tally(run)}"
                 + (f"; wrong: {wrong}" if wrong else ""))  # fmt: skip
    assert not wrong
    assert by_url[links["/old"]]["moved_to"] == wd.web.link("/new")
    assert by_url[links["/redirect-302"]]["moved_to"] is None
    assert run.code == 0, run.err


def test_500_links_on_one_slow_host(make_world: MakeWorld, case: Case) -> None:
    per_host, delay, n = 8, 0.02, 500
    bound = math.ceil(n / per_host) * (delay + 0.02) + 3.0
    case.expect(f"{n} links, {delay}s each: ≤{per_host} in flight on the host, wall < "
                f"{bound:.1f} s (⌈n/per_host⌉·(delay+20 ms) + 3 s)")  # fmt: skip
    wd = make_world("# Web\n", web_cases=False)
    wd.configure("check", per_host=per_host, concurrency=32)
    wd.web.latency = delay
    wd.web.script("/", w.ok())
    urls = [wd.web.link(f"/page/{i}") for i in range(n)]
    for i in range(n):
        wd.web.script(f"/page/{i}", w.ok())
    wd.list_path.write_text("# Web\n\n" + "".join(f"- [p{i}]({u})\n" for i, u in
                                                  enumerate(urls)))  # fmt: skip
    started = time.monotonic()
    run = wd.run("check", "-q")
    took = time.monotonic() - started
    peak = wd.web.max_concurrency_by_host["127.0.0.1"]
    case.observe(f"exit {run.code}; {tally(run)}; peak per host {peak}; wall {took:.1f} s")
    assert run.code == 0, run.err
    assert set(verdicts(run).values()) == {"alive"}
    assert peak <= per_host
    assert took < bound


# -- the network, the process, the state file --------------------------------------------


def test_network_down_for_everything(make_world: MakeWorld, case: Case) -> None:
    case.expect("all services unreachable: exit 3, nothing dead, list untouched, "
                "failures unchanged, history kept")  # fmt: skip
    wd = make_world(fault_list(), web_cases=False)
    hosts = w.WebHosts(["127.0.0.2", "127.0.0.3"]).start()
    try:
        sites = [wd.web.script("/site", w.ok()), *hosts.script("/site", w.ok()).values()]
        web = "".join(f"- [site {i}]({u})\n" for i, u in enumerate(sites))
        wd.list_path.write_text(wd.list_path.read_text() + "\n## Sites\n\n" + web)
        assert wd.run("check", "--write").code == 0
        before_list, before = wd.list_path.read_bytes(), state_of(wd)
        wd.stop()
        hosts.stop()
        run = wd.run("check", "--write")
        after = state_of(wd)
        same = {s: failures(after, s) == failures(before, s) for s in state_mod.OWN_ENTRIES}
        kept = all(after["repos"][k].get("data") == e.get("data")
                   for k, e in before["repos"].items())  # fmt: skip
        case.observe(f"exit {run.code}; {tally(run)}; list same: "
                     f"{wd.list_path.read_bytes() == before_list}; failures same: "
                     f"{all(same.values())}; history kept: {kept}")  # fmt: skip
        assert run.code == 3 and "could not reach" in run.err
        assert "dead" not in verdicts(run).values()
        assert wd.list_path.read_bytes() == before_list
        assert all(same.values()), same
        assert kept
    finally:
        wd.stop()
        hosts.stop()


def _child_env(world: World) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "GH_TOKEN")}
    env.update(world.env())
    env["PYTHONPATH"] = str(ROOT)
    return env


def _spawn(world: World, *extra: str) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "bot", "check", "--write", "-q", "--config",
           str(world.config_path), *extra]  # fmt: skip
    return subprocess.Popen(cmd, env=_child_env(world), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)  # fmt: skip


def test_killed_mid_run_leaves_old_or_new_files(world: World, case: Case) -> None:
    case.expect("SIGKILL at 4 moments: README and state each exactly old or new, "
                "next run completes")  # fmt: skip
    world.github.latency = world.arxiv.latency = 0.05
    assert world.run("check", "--write").code == 0  # an old state with history
    old_list, old_state = world.list_path.read_bytes(), world.state_path.read_bytes()
    world.github.scenario["owner0/tool0"].stars += 50_000  # the new run changes the list
    done = _spawn(world)
    assert done.wait(30) == 0, done.stderr.read() if done.stderr else ""
    new_list = world.list_path.read_bytes()
    assert new_list != old_list
    seen: list[str] = []
    for delay in (0.3, 0.55, 0.8, 1.1):
        world.list_path.write_bytes(old_list)
        world.state_path.write_bytes(old_state)
        child = _spawn(world)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        lst, st = world.list_path.read_bytes(), world.state_path.read_bytes()
        assert lst in (old_list, new_list), f"README mixed after {delay}s"
        assert st == old_state or state_mod.from_json(st.decode(), "state").repos, delay
        json.loads(st)  # whole, never half-written
        seen.append(("old" if lst == old_list else "new") + "/" +
                    ("old" if st == old_state else "new"))  # fmt: skip
        # Leftover temp files (a kill between write and rename) do not disturb the next run.
        again = world.run("check", "--write")
        assert again.code == 0, again.err
        assert world.list_path.read_bytes() == new_list
    leftovers = [p.name for p in world.tmp.glob(".*.tmp")]
    case.observe(f"README/state after kills: {', '.join(seen)}; next runs exit 0; "
                 f"temp files left: {len(leftovers)}")  # fmt: skip


def test_two_runs_at_once_on_one_state_file(
    world: World, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    case.expect("2 processes at once: the 2nd waits for the lock, both exit 0, state whole; "
                "a held lock past the wait: exit 2 'another … run'")  # fmt: skip
    world.github.latency = 0.2
    a, b = _spawn(world), _spawn(world)
    codes = (a.wait(30), b.wait(30))
    state = state_mod.from_json(world.state_path.read_text(), "state")
    # A run that cannot get the lock in time is refused with a clear message.
    monkeypatch.setattr(state_mod.locked.__wrapped__, "__defaults__", (0.3,))
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with state_mod.locked(world.state_path):
            held.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    before = world.state_path.read_bytes()
    refused = world.run("check", "--write")
    release.set()
    t.join()
    case.observe(f"exits {codes}; state parses ({len(state.repos)} repos); while held: "
                 f"exit {refused.code} '…{refused.err.strip()[-62:]}'")  # fmt: skip
    assert codes == (0, 0)
    assert state.repos
    assert refused.code == 2 and "another awesome-monitor run" in refused.err
    assert world.state_path.read_bytes() == before
