"""Issue 10, trust: the bot touches only its own bytes, writes only durable states, calls a
link dead only when it is, does not churn, opens a pull request only for what a maintainer
acts on, explains it, and says the same numbers everywhere. End to end against the
emulators (tests/world.py) over real HTTP, on small lists; plus unit tests of
`bot.render.display`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.parse.markdown import parse
from bot.render.display import ShownText, activity, change_reason, moved_enough
from tests.conftest import ROOT
from tests.emulators import web as w
from tests.emulators.base import Fault, Reply, Request
from tests.emulators.gitstore import Person
from tests.world import LIST_REPO, MakeWorld, World

BRANCH = "awesome-monitor/status"
STATE_BRANCH = "awesome-monitor/state"
COLUMN_MARK = "<!-- awesome-monitor column -->"
NOTE_OPEN = "<!-- awesome-monitor -->"
# A bot note with the space (and, for a link alone in its item, the parentheses) before it,
# or in front of a list item's main link, in a <span> with a space after it.
NOTE = re.compile(
    r"<span><!-- awesome-monitor -->.*?<!-- /awesome-monitor --></span> "
    r"| \(<!-- awesome-monitor -->.*?<!-- /awesome-monitor -->\)"
    r"| <!-- awesome-monitor -->.*?<!-- /awesome-monitor -->"
)
NOT_DURABLE = ("failing", "not checked", "unknown")
HUMAN = Person("Jane Maintainer", "jane@example.com", "2026-11-20T10:00:00Z")
RECENT = "2026-11-30T10:00:00Z"  # a commit pushed this week


# -- helpers -----------------------------------------------------------------------------


@pytest.fixture
def scripted(make_world: MakeWorld) -> Callable[..., World]:
    """A world around `text`, where `http://WEB/…` links point at the web emulator with the
    given answers. One world per test."""

    def make(text: str, web: dict[str, w.Answer] | None = None) -> World:
        wd = make_world(text, web_cases=False)
        for path, answer in (web or {}).items():
            wd.web.script(path, answer)
        wd.list_path.write_text(text.replace("http://WEB", wd.web.url), encoding="utf-8")
        return wd

    return make


def line_with(text: str, needle: str) -> str:
    (line,) = [ln for ln in text.splitlines() if needle in ln]
    return line


def line_no(text: str, needle: str) -> int:
    (n,) = [i for i, ln in enumerate(text.splitlines(), 1) if needle in ln]
    return n


def iso(days_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def pr(world: World, *extra: str):
    return world.run("pr", "--repo", LIST_REPO, "--dead-after", "1", *extra)


def bot_column(text: str) -> list[str]:
    """The bot's cell text in each body row of the first table."""
    table = parse(text).tables[0]
    col = next(i for i, c in enumerate(table.header.cells) if COLUMN_MARK in c.text)
    return [r.cells[col].text.strip() for r in table.rows]


# -- 1. ownership ---------------------------------------------------------------------------

OWN_COLUMN = """# Awesome vision

Models and libraries.

| Model | Code | Status |
| --- | --- | --- |
| ResNet | [code](https://github.com/alpha/resnet) | Deprecated, use torchvision |
| VGG | [code](https://github.com/beta/vgg) | Active |

## Libraries

- [lib](https://github.com/gamma/lib) - My own words after the link.
- See [resnet](https://github.com/alpha/resnet), my favourite; it is *great*.
"""


def test_a_maintainers_own_status_column_and_text_are_never_touched(
    scripted: Callable[..., World],
) -> None:
    world = scripted(OWN_COLUMN)  # three repositories: none archived, missing or moved
    original = world.list_path.read_text()
    first = world.run("check", "--write")
    assert first.code == 0, first.err
    written = world.list_path.read_text()

    before, after = parse(original).tables[0], parse(written).tables[0]
    old_rows = [before.header, before.delimiter, *before.rows]
    new_rows = [after.header, after.delimiter, *after.rows]
    for old, new in zip(old_rows, new_rows, strict=True):
        assert len(new.cells) == 4, "one column added, no other"
        assert [c.text for c in new.cells[:3]] == [c.text for c in old.cells], new.line
    assert after.header.cells[3].text.strip() == f"Link status {COLUMN_MARK}"
    assert all(cell.startswith("★") for cell in bot_column(written))
    assert "has its own 'Status' column" in first.out and "'Link status'" in first.out

    # Outside the table, the bot only added its notes: every other byte is as it was.
    table_lines = range(before.first_line, before.last_line + 1)
    pairs = list(enumerate(zip(original.splitlines(), written.splitlines(), strict=True), 1))
    for n, (old, new) in pairs:
        if n not in table_lines:
            assert NOTE.sub("", new) == old, n
    assert NOTE.search(line_with(written, "My own words"))
    assert "(https://github.com/alpha/resnet) <!-- awesome-monitor -->" in written
    assert "<!-- /awesome-monitor -->, my favourite; it is *great*." in written

    second = world.run("check", "--write")
    assert second.code == 0, second.err
    assert world.list_path.read_text() == written, "a second run changes nothing"

    # Something to act on: only the bytes between the bot's markers change.
    world.github.scenario["gamma/lib"].archived = True
    third = world.run("check", "--write")
    assert third.code == 0, third.err
    now = world.list_path.read_text()
    assert now != written and "archived" in line_with(now, "gamma/lib")
    assert NOTE.sub("", now) == NOTE.sub("", written)


def test_links_in_a_maintainers_own_status_column_are_still_checked(
    scripted: Callable[..., World],
) -> None:
    """BUG (fails): a maintainer's own `Status` column (no mark) is the maintainer's, yet
    its links are dropped as if they were the bot's output: `bot.pipeline.parse_list`
    passes `status_column=cfg.status.column` to `parse`, and `status_cells`
    (bot/parse/blocks.py; bot/parse/markdown.py at HEAD) picks the column by *name*
    (`Table.column`), not by the `<!-- awesome-monitor column -->` mark the rewrite uses
    (`bot.render.columns.owned_column`). A dead link there is never checked nor flagged."""
    text = OWN_COLUMN.replace(
        "| Active |", "| Active, see [torchvision](https://github.com/pytorch/vision) |"
    )
    world = scripted(text)  # pytorch/vision is the 3rd repository: missing on GitHub
    run = world.run("check", "--dead-after", "1")
    assert run.code == 0, run.err
    by_url = run.by_url()
    assert "https://github.com/pytorch/vision" in by_url, "the maintainer's link is checked"
    assert by_url["https://github.com/pytorch/vision"]["verdict"] == "dead"


# -- 2. only durable states ----------------------------------------------------------------

DURABLE = """# Awesome durable

| Name | Code |
| --- | --- |
| A | [code](https://github.com/o1/a) |
| B | [code](https://github.com/o2/b) |

- [c](https://github.com/o3/c) - C.
- [e](https://github.com/o5/e) - E.
- [f](https://github.com/o6/f) - F.
- [gone](http://WEB/missing) - A page that is gone.
- [busy](http://WEB/busy) - A page that answers 429.
- [down](http://WEB/down) - A page that answers 503.
"""


def assert_durable(text: str) -> None:
    for word in NOT_DURABLE:
        assert word not in text, word


def test_only_durable_states_reach_the_list(scripted: Callable[..., World]) -> None:
    web = {"/missing": w.not_found(), "/busy": w.rate_limited("0"), "/down": w.server_error(503)}
    world = scripted(DURABLE, web)
    hiccups = [world.web.link(p) for p in ("/busy", "/down")]
    gone = world.web.link("/missing")

    # No token, and a REST budget that covers two repositories: the rest is not checked.
    budget = world.github.budget("core", None)
    budget.used = budget.limit - 4  # two requests above the reserve of two
    first = world.run("check", "--write", token=False)
    assert first.code == 0, first.err
    unchecked = [e for e in first.report["links"] if "not checked" in (e["error"] or "")]
    assert unchecked and "not checked" in first.out
    assert first.by_url()[gone]["failures_in_a_row"] == 1  # failing, not dead yet
    assert "Failing, not dead yet" in first.out
    assert all(first.by_url()[u]["failures_in_a_row"] == 0 for u in hiccups)
    assert_durable(world.list_path.read_text())

    # With a token everything is answered: the page is dead now; the missing repository,
    # skipped last time, failed once: failing, it shows nothing yet.
    second = world.run("check", "--write")
    assert second.code == 0, second.err
    written = world.list_path.read_text()
    assert_durable(written)
    assert "dead since" in line_with(written, "/missing)") and "★" in line_with(written, "o6/f")
    assert second.by_url()["https://github.com/o3/c"]["failures_in_a_row"] == 1
    assert NOTE_OPEN not in line_with(written, "o3/c")
    assert all(second.by_url()[u]["failures_in_a_row"] == 0 for u in hiccups)

    # No token and no budget left: nothing new is learned; the list keeps what it shows.
    world.github.exhaust("core", None)
    third = world.run("check", "--write", token=False)
    assert third.code == 0, third.err
    assert "not checked" in third.out
    assert world.list_path.read_text() == written

    # A repository that starts failing keeps showing its last good status (the missing
    # one, failing a second time, is dead now).
    world.github.scenario.remove("o6/f")
    fourth = world.run("check", "--write")
    assert fourth.code == 0, fourth.err
    assert fourth.by_url()["https://github.com/o6/f"]["failures_in_a_row"] == 1
    now = world.list_path.read_text()
    assert_durable(now)
    assert changed_lines(written, now) == {line_no(now, "o3/c")}
    assert "dead since" in line_with(now, "o3/c")


def test_github_lost_mid_run_exits_3_keeps_the_list_and_saves_what_it_learned(
    scripted: Callable[..., World],
) -> None:
    text = "# Awesome many\n\n" + "".join(
        f"- [r{i}](https://github.com/own{i}/repo{i}) - Repository {i}.\n" for i in range(105)
    )  # 105 repositories: two GraphQL batches of 100 and 5
    world = scripted(text)
    first = world.run("check", "--write")
    assert first.code == 0, first.err
    written = world.list_path.read_text()
    before = json.loads(world.state_path.read_text())["repos"]

    gh = world.github
    for spec in gh.scenario.repos.values():
        spec.stars += 50_000
        spec.archived = True  # would be a change to write, were the run complete
    answer = gh.handle

    def first_batch_then_broken(req: Request) -> Reply | None:
        reply = answer(req)
        if req.path.endswith("/graphql"):  # every later GraphQL request: connection reset
            gh.inject(Fault(reset=True, match_path="/graphql", times=None))
        return reply

    gh.handle = first_batch_then_broken
    logged = len(gh.graphql_log)
    run = world.run("check", "--write")
    assert run.code == 3, run.err
    assert "could not reach github" in run.err
    assert world.list_path.read_text() == written, "the list is byte-identical"

    (answered,) = gh.graphql_log[logged:]  # only the first batch got an answer
    names = answered["variables"]
    batch = {f"{names[f'o{i}']}/{names[f'n{i}']}".lower() for i in range(100) if f"o{i}" in names}
    assert len(batch) == 100
    after = json.loads(world.state_path.read_text())["repos"]
    learned = {k for k, e in after.items() if e.get("data") and e["data"] != before[k]["data"]}
    with_data = {k for k, e in before.items() if e.get("data")}
    assert learned == batch & with_data and len(learned) >= 95
    for key in learned:
        assert after[key]["data"]["stars"] == before[key]["data"]["stars"] + 50_000
    for key in set(after) - batch:
        assert after[key].get("data") == before[key].get("data"), key
        assert after[key].get("failures", 0) == before[key].get("failures", 0), key


# -- 3. dead means dead ----------------------------------------------------------------------

HICCUPS = """# Awesome hiccups

- [gone](http://WEB/missing) - A page that is gone.
- [busy](http://WEB/busy) - A page that answers 429.
- [down](http://WEB/down) - A page that answers 503.
- [slow](http://WEB/slow) - A page that never answers in time.
"""


def test_dead_takes_failed_runs_over_days_and_hiccups_never_count(
    scripted: Callable[..., World],
) -> None:
    web = {"/missing": w.not_found(), "/busy": w.rate_limited("0"),
           "/down": w.server_error(503), "/slow": w.slow(2.5)}  # fmt: skip
    world = scripted(HICCUPS, web)
    world.configure("check", dead_after_days=3.0)  # the real default: 3 days
    gone = world.web.link("/missing")
    hiccups = [world.web.link(p) for p in ("/busy", "/down", "/slow")]

    for n in (1, 2):  # two runs seconds apart
        run = world.run("check", "--write", "--timeout", "1")
        assert run.code == 0, run.err
        entry = run.by_url()[gone]
        assert entry["verdict"] != "dead" and entry["failures_in_a_row"] == n
        assert "dead" not in world.list_path.read_text()
        for url in hiccups:
            assert run.by_url()[url]["failures_in_a_row"] == 0, url
            assert run.by_url()[url]["verdict"] == "unknown", url

    state = json.loads(world.state_path.read_text())
    since = iso(4)
    state["urls"][gone]["first_failure"] = since
    world.state_path.write_text(json.dumps(state), encoding="utf-8")
    run = world.run("check", "--write", "--timeout", "1")
    assert run.code == 0, run.err
    assert run.by_url()[gone]["verdict"] == "dead"
    assert f"dead since {since[:7]}" in line_with(world.list_path.read_text(), "/missing)")
    for url in hiccups:
        assert run.by_url()[url]["failures_in_a_row"] == 0, url
    saved = json.loads(world.state_path.read_text())["urls"]
    assert all(saved[url].get("failures", 0) == 0 for url in hiccups)


# -- 4. no churn ------------------------------------------------------------------------------

CHURN = """# Awesome churn

- [a](https://github.com/o1/a) - A.
- [b](https://github.com/o2/b) - B.
- [c](https://github.com/o3/c) - C.
"""


def test_drift_does_not_churn_and_is_written_only_on_refresh(
    scripted: Callable[..., World],
) -> None:
    world = scripted(CHURN)  # three repositories: none archived, missing or moved
    repos = world.github.scenario
    repos["o1/a"].stars, repos["o2/b"].stars, repos["o3/c"].stars = 2000, 995, 5000
    first = world.run("check", "--write")
    assert first.code == 0, first.err
    written = world.list_path.read_text()
    assert "★ 2k" in line_with(written, "o1/a") and "★ 995" in line_with(written, "o2/b")
    assert "★ 5k" in line_with(written, "o3/c")

    # 5 %: nothing changes (unrounded, 2100 would show as 2.1k and 5250 as 5.3k).
    repos["o1/a"].stars, repos["o3/c"].stars = 2100, 5250
    run = world.run("check", "--write")
    assert run.code == 0 and run.by_url()["https://github.com/o1/a"]["stars"] == 2100
    assert world.list_path.read_text() == written
    assert "no change to the list" in run.out

    # 15 %: the count is re-rendered, but drift alone is written only with --refresh.
    repos["o1/a"].stars = 2300
    run = world.run("check", "--write")
    assert run.code == 0, run.err
    assert "drift only" in run.out and "★ 2.3k" in run.out  # the diff it proposes
    assert world.list_path.read_text() == written
    run = world.run("check", "--write", "--refresh")
    assert run.code == 0, run.err
    refreshed = world.list_path.read_text()
    assert "★ 2.3k" in line_with(refreshed, "o1/a")
    assert line_with(refreshed, "o3/c") == line_with(written, "o3/c"), "5 % still kept"
    assert line_with(refreshed, "o2/b") == line_with(written, "o2/b")

    # Crossing 1k (995 → 1003, fewer than 10 stars) re-renders; it is written once
    # `[pr] refresh_after` (90 days) passed since the list last got every drift.
    repos["o2/b"].stars = 1003
    run = world.run("check", "--write")
    assert "drift only" in run.out and "★ 1k" in run.out
    assert world.list_path.read_text() == refreshed
    state = json.loads(world.state_path.read_text())
    assert state["meta"]["refreshed"]
    state["meta"]["refreshed"] = iso(100)
    world.state_path.write_text(json.dumps(state), encoding="utf-8")
    run = world.run("check", "--write")
    assert run.code == 0, run.err
    now = world.list_path.read_text()
    assert "★ 1k" in line_with(now, "o2/b")
    assert changed_lines(refreshed, now) == {line_no(now, "o2/b")}


def test_moved_enough_keeps_a_shown_count_until_it_moved_10_percent_or_crossed() -> None:
    assert not moved_enough(2000, 2100, 0.1, 10)  # 5 %
    assert not moved_enough(2000, 1850, 0.1, 10)  # -7.5 %
    assert moved_enough(2000, 2300, 0.1, 10)  # 15 %
    assert moved_enough(2000, 1700, 0.1, 10)
    assert moved_enough(995, 1003, 0.1, 10)  # crossed 1k, by 8 stars
    assert moved_enough(1003, 995, 0.1, 10)
    assert moved_enough(9990, 10_001, 0.1, 10)  # crossed 10k
    assert moved_enough(99_000, 100_500, 0.1, 10)  # crossed 100k
    assert not moved_enough(50, 55, 0.1, 10)  # 10 %, but fewer than 10 stars
    assert moved_enough(50, 60, 0.1, 10)
    assert not moved_enough(0, 5, 0.1, 10)
    assert moved_enough(1200, 1200 + 120, 0.1, 10)  # exactly 10 %


def test_activity_is_nothing_while_recent_then_the_year_then_stale_since() -> None:
    today = datetime(2026, 12, 2, tzinfo=UTC)
    assert activity("2026-11-30T10:00:00Z", today, 365, 730) == ""
    assert activity("2025-12-10T00:00:00Z", today, 365, 730) == ""  # under a year
    assert activity("2025-11-01T00:00:00Z", today, 365, 730) == "2025"
    assert activity("2025-01-15T00:00:00Z", today, 365, 730) == "2025"
    assert activity("2024-11-01T00:00:00Z", today, 365, 730) == "stale since 2024"
    assert activity("2019-03-15T10:00:00Z", today, 365, 730) == "stale since 2019"
    assert activity("2019-03-15T10:00:00Z", today, 365, 0) == "2019"  # stale_after 0: off
    assert activity("2019-03-15", today, 365, 730) == "stale since 2019"  # no zone
    assert activity(None, today, 365, 730) == ""
    assert activity("last week", today, 365, 730) == ""


def test_shown_reads_the_bots_words_back() -> None:
    s = ShownText.read("★ 1.2k · stale since 2021 · archived")
    assert s.counts == {"★": ("1.2k", 1200)} and s.archived == 1 and s.dead == 0
    assert s.version is None and not s.withdrawn and not s.empty
    s = ShownText.read("★ 12k · v3 · 1 archived · 2 dead")
    assert (s.counts["★"], s.version, s.archived, s.dead) == (("12k", 12_000), 3, 1, 2)
    assert ShownText.read("dead since 2026-11").dead == 1
    assert ShownText.read("dead since 2026-11 · 2 dead").dead == 3
    s = ShownText.read("♥ 120 · ↓ 3.4M · 2024")
    assert s.counts == {"♥": ("120", 120), "↓": ("3.4M", 3_400_000)}
    assert ShownText.read("v2 · 2016-03 · withdrawn").withdrawn
    assert ShownText.read("★ 995").counts["★"] == ("995", 995)
    assert ShownText.read("").empty and ShownText.read("").actionable()[-1] is False
    # Drift is not in what a maintainer acts on.
    assert ShownText.read("★ 2k · 2024").actionable() == ShownText.read("★ 2.3k").actionable()
    assert ShownText.read("★ 2k").actionable() != ShownText.read("★ 2k · archived").actionable()


def test_change_reason_tells_actionable_changes_from_drift() -> None:
    def reason(old: str, new: str) -> str | None:
        return change_reason(ShownText.read(old), ShownText.read(new))

    assert reason("★ 2k", "★ 2k") is None
    assert reason("", "★ 2k") == "new"
    assert reason("★ 2k", "dead since 2026-11") == "dead"
    assert reason("★ 2k · v1", "★ 2k · v1 · 1 dead") == "dead"
    assert reason("dead since 2026-11", "★ 2k") == "revived"
    assert reason("★ 2k", "") == "removed"
    assert reason("★ 2k", "★ 2k · archived") == "archived"
    assert reason("★ 2k · 1 archived", "★ 2k") == "unarchived"
    assert reason("★ 2k · v1", "★ 2k · v2") == "new version"
    assert reason("v1 · 2016-01", "v1 · 2016-01 · withdrawn") == "withdrawn"
    assert reason("★ 2k", "★ 2.3k") == "drift"
    assert reason("★ 2k · stale since 2022", "★ 2k") == "drift"
    assert reason("★ 2k · 2025", "★ 2k · stale since 2025") == "drift"


# -- 5. what opens a pull request -------------------------------------------------------------

PR_LIST = """# Awesome PRs

| Name | Code |
| --- | --- |
| A | [code](https://github.com/o1/a) |
| B | [code](https://github.com/o2/b) |

- [c](https://github.com/o3/c) - C.
- [d](https://github.com/o4/d) - D.
- [e](https://github.com/o5/e) - E.
- [f](https://github.com/o6/f) - F.
- [g](https://github.com/o7/g) - G.
"""


def push(world: World, key: str) -> None:
    """The repository gets a commit this week: its activity drifts (the year goes away)."""
    spec = world.github.scenario[key]
    spec.last_commit = spec.pushed_at = RECENT


def changed_lines(old: str, new: str) -> set[int]:
    pairs = zip(old.splitlines(), new.splitlines(), strict=True)
    return {n for n, (a, b) in enumerate(pairs, 1) if a != b}


def test_pull_requests_open_only_for_what_a_maintainer_acts_on(
    scripted: Callable[..., World],
) -> None:
    world = scripted(PR_LIST)
    for i, key in enumerate(("o1/a", "o2/b", "o3/c", "o4/d", "o5/e", "o6/f", "o7/g")):
        if key in world.github.scenario:  # o3/c is missing, o4/d renamed
            world.github.scenario[key].stars = 2000 + 1000 * i  # +5 % crosses no threshold
    world.add_list_repo()
    repo = world.github.scenario[LIST_REPO]
    first = pr(world)
    assert first.code == 0, first.err
    assert "opened #1" in first.out
    repo.merge_pull(1)

    # Drift only: stars +5 %, two repositories pushed commits → no PR, and it says why.
    for key, spec in world.github.scenario.repos.items():
        if key != LIST_REPO:
            spec.stars = round(spec.stars * 1.05)
    push(world, "o5/e")
    push(world, "o7/g")
    run = pr(world)
    assert run.code == 0, run.err
    assert "no pull request: nothing to act on (2 lines of drift" in run.out
    assert list(repo.pulls) == [1]

    # A newly archived repository: a PR whose diff touches its line, drift riding along.
    world.github.scenario["o6/f"].archived = True
    run = pr(world)
    assert run.code == 0, run.err
    assert "opened #2" in run.out
    second = repo.pulls[2]
    base, proposed = repo.file_text("README.md"), repo.file_text("README.md", BRANCH)
    lines = {k: line_no(base, k) for k in ("o5/e", "o6/f", "o7/g")}
    assert changed_lines(base, proposed) == set(lines.values())
    assert "archived" in line_with(proposed, "o6/f") and "archived" not in line_with(base, "o6/f")
    assert "stale" not in line_with(proposed, "o5/e") and "stale" in line_with(base, "o5/e")
    assert "(1 archived)" in second.title  # what it proposes (the rest: from before)

    # An open PR and a drift-only week: the PR is left exactly as it is.
    push(world, "o1/a")
    kept = (second.title, second.body, repo.branches()[BRANCH])
    run = pr(world)
    assert run.code == 0, run.err
    assert f"pull request: unchanged #{second.number}" in run.out
    assert (second.title, second.body, repo.branches()[BRANCH]) == kept
    assert second.state == "open" and len(repo.pulls) == 2

    # Merged; drift alone waits … until `[pr] refresh_after` passed: then a refresh PR.
    repo.merge_pull(2)
    run = pr(world)
    assert "nothing to act on (1 line of drift" in run.out and len(repo.pulls) == 2
    state = json.loads(repo.file_text("state.json", STATE_BRANCH))
    assert state["meta"]["refreshed"]
    state["meta"]["refreshed"] = iso(100)
    repo.git().commit_files(STATE_BRANCH, {"state.json": json.dumps(state)}, "older", HUMAN)
    run = pr(world)
    assert run.code == 0, run.err
    assert "opened #3" in run.out
    third = repo.pulls[3]
    assert "refresh" in third.title and "periodic refresh" in third.body
    base, proposed = repo.file_text("README.md"), repo.file_text("README.md", BRANCH)
    assert changed_lines(base, proposed) == {line_no(base, "o1/a")}
    assert "stale" not in line_with(proposed, "o1/a")


# -- 6. dead web links are flagged ------------------------------------------------------------

DEAD_WEB = """# Awesome web

| Name | Code | Site |
| --- | --- | --- |
| A | [code](https://github.com/o1/a) | [site](http://WEB/gone-site) |
| B | [code](https://github.com/o2/b) | [site](http://WEB/fine) |

- [page](http://WEB/gone-page) - A page that went away.
- [fine page](http://WEB/fine) - A page that works.
"""


def test_dead_web_links_are_flagged_in_notes_and_counted_in_rows(
    scripted: Callable[..., World],
) -> None:
    web = {"/gone-site": w.not_found(), "/gone-page": w.not_found(), "/fine": w.ok()}
    world = scripted(DEAD_WEB, web)
    first = world.run("check", "--write")
    assert first.code == 0, first.err
    text = world.list_path.read_text()
    assert "dead" not in text, "one failure is not dead"
    assert NOTE_OPEN not in line_with(text, "/fine) - A page")  # alive: nothing to say
    second = world.run("check", "--write")
    assert second.code == 0, second.err
    text = world.list_path.read_text()
    month = datetime.now(UTC).strftime("%Y-%m")
    assert f"{NOTE_OPEN}dead since {month}<!-- /awesome-monitor -->" in line_with(
        text, "/gone-page)"
    )
    assert NOTE_OPEN not in line_with(text, "/fine) - A page")
    row_a, row_b = bot_column(text)
    assert row_a.startswith("★") and row_a.endswith("1 dead")
    assert "dead" not in row_b


# -- 7 and 8. the pull request explains itself; every output says the same numbers -------------

EXPLAIN = """# Awesome explained

| Model | Code | Paper |
| --- | --- | --- |
| A | [code](https://github.com/o1/a) | [paper](https://arxiv.org/abs/1512.03385) |
| B | [code](https://github.com/o2/b) | [paper](https://arxiv.org/abs/1409.1556) |

- [c](https://github.com/o3/c) - C, gone.
- [d](https://github.com/o4/d) - D, renamed.
- [e](https://github.com/o5/e) - E.
- [gone page](http://WEB/missing) - A page that is gone.

Also see [c again](https://github.com/o3/c) and [the gone page again](http://WEB/missing).
"""
KINDS = ("dead", "moved", "archived")


def inline_numbers(text: str) -> dict[str, int]:
    """`… 3 dead, 1 moved, 1 archived, …` as in the PR body, commit and job summary."""
    m = re.search(r"(\d+) dead, (\d+) moved, (\d+) archived", text)
    assert m, text
    return dict(zip(KINDS, map(int, m.groups()), strict=True))


def headed_numbers(text: str, headings: dict[str, str]) -> dict[str, int]:
    """The count in each group's heading (`Dead (3):`, `### Dead links (3)`); 0 when absent."""
    out = {}
    for kind, pattern in headings.items():
        found = re.findall(pattern, text, re.M)
        assert len(found) <= 1, (kind, found)
        out[kind] = int(found[0]) if found else 0
    return out


TERMINAL = {"dead": r"^Dead \((\d+)\):$", "moved": r"^Moved \((\d+)\):$",
            "archived": r"^Archived \((\d+)\):$"}  # fmt: skip
SUMMARY = {"dead": r"^### Dead \((\d+)\)$", "moved": r"^### Moved \((\d+)\)$",
           "archived": r"^### Archived \((\d+)\)$"}  # fmt: skip
BODY = {"dead": r"^### Dead links \((\d+)\)$",
        "moved": r"^### Moved repositories \(fixed in this PR\) \((\d+)\)$",
        "archived": r"^### Archived repositories \((\d+)\)$"}  # fmt: skip


def title_numbers(title: str) -> dict[str, int]:
    return {k: int(m.group(1)) if (m := re.search(rf"(\d+) {k}\b", title)) else 0 for k in KINDS}


def report_items(out: str) -> list[str]:
    return sorted(ln for ln in out.splitlines() if ln.startswith("  line "))


def test_the_pull_request_explains_itself_and_every_output_agrees(
    scripted: Callable[..., World], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = scripted(EXPLAIN, {"/missing": w.not_found()})
    world.add_list_repo()
    repo = world.github.scenario[LIST_REPO]
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    check_summary, pr_summary = tmp_path / "check-summary.md", tmp_path / "pr-summary.md"

    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(check_summary))
    check = world.run("check", "--dead-after", "1")
    assert check.code == 0, check.err
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(pr_summary))
    run = pr(world)
    assert run.code == 0, run.err
    assert "opened #1" in run.out
    pull = repo.pulls[1]
    commit = repo.history(BRANCH)[0]

    # 8. `pr` shows what `check` shows: the grouped report, annotations, the job summary.
    assert re.search(r"^README\.md: 10 links, 8 distinct", run.out, re.M)
    assert report_items(run.out) == report_items(check.out) != []
    text, gone = world.list_path.read_text(), world.web.link("/missing")
    for out in (check.out, run.out):
        errors = [ln for ln in out.splitlines() if ln.startswith("::error file=")]
        annotations = [ln for ln in out.splitlines() if ln.startswith("::warning file=")]
        # One per distinct link (3 dead links, used 5 times): dead links are errors.
        assert len(errors) == 3 and len(annotations) == 2  # 1 moved, 1 archived
        line = line_no(text, "[gone page]")
        assert any(f",line={line}::Dead link {gone}: HTTP 404" in a for a in errors)
        line = line_no(text, "o4/d")
        assert any(f",line={line}::Moved: https://github.com/o4/d is now" in a
                   for a in annotations)  # fmt: skip
        line = line_no(text, "o2/b")
        assert any(f",line={line}::Archived repository: https://github.com/o2/b" in a
                   for a in annotations)  # fmt: skip
    assert "::warning file=README.md,line=" in run.out
    first = r"## awesome-monitor: \[pull request #1\]\(\S+/pull/1\) opened\n\n`README\.md`: "
    assert re.match(first, pr_summary.read_text())
    assert check_summary.read_text().startswith("## awesome-monitor: dry run: nothing written")

    # 7. The same numbers everywhere (distinct links: a link linked twice counts once).
    summary = check.report["summary"]
    expected = {k: summary[k] for k in KINDS}
    assert expected == {"dead": 3, "moved": 1, "archived": 1}
    occurrences = sum(e["verdict"] == "dead" for e in check.report["links"])
    assert occurrences == 5 > expected["dead"]
    seen = {
        "PR title": title_numbers(pull.title),
        "PR body": inline_numbers(pull.body),
        "PR body groups": headed_numbers(pull.body, BODY),
        "commit message": inline_numbers(commit.message),
        "pr terminal": headed_numbers(run.out, TERMINAL),
        "check terminal": headed_numbers(check.out, TERMINAL),
        "check job summary": inline_numbers(check_summary.read_text()),
        "check job summary groups": headed_numbers(check_summary.read_text(), SUMMARY),
        "pr job summary": inline_numbers(pr_summary.read_text()),
        "pr job summary groups": headed_numbers(pr_summary.read_text(), SUMMARY),
    }
    for where, numbers in seen.items():
        assert numbers == expected, where
    assert commit.message.startswith(pull.title)

    # 7. The first PR says what it adds, with the legend and how to turn parts off.
    proposed = repo.file_text("README.md", BRANCH)
    rows = sum(1 for cell in bot_column(proposed) if cell)
    notes = proposed.count(NOTE_OPEN)
    assert (rows, notes) == (2, 6)
    assert f"a **Status** column to {rows} rows (1 table) and a note on {notes} links" in (
        pull.body
    )
    legend = pull.body[pull.body.index("How to read the status") :]
    for shown in ("`★ 12k`", "`2024`", "`stale since 2022`", "`v3 · 2016-03`", "`2 dead`",
                  "`archived`", "`dead since"):  # fmt: skip
        assert shown in legend, shown
    for knob in ("`[status] notes = false`", "`note_kinds`", "`[status] stale_after`",
                 "`[check] dead_after`", "star_change"):  # fmt: skip
        assert knob in legend, knob

    # 7. A later PR lists every changed line once, with a link to it: in its finding's
    # section, else under its reason line by line.
    repo.merge_pull(1)
    monkeypatch.delenv("GITHUB_ACTIONS")
    world.github.scenario["o5/e"].archived = True
    world.arxiv.scenario.papers["1409.1556"].versions.append("2026-11-01")
    run = pr(world)
    assert run.code == 0, run.err
    assert "opened #2" in run.out
    later = repo.pulls[2].body
    assert "How to read the status" not in later
    base, proposed = repo.file_text("README.md"), repo.file_text("README.md", BRANCH)
    changed = changed_lines(base, proposed)
    assert changed == {line_no(base, "o2/b"), line_no(base, "o5/e")}
    for n in changed:
        assert len(re.findall(rf"^- \[line {n}\]\(<[^>]*#L{n}>\): ", later, re.M)) == 1, n
    archived = later[later.index("### Archived repositories (1)") :]
    assert f"- [line {line_no(base, 'o5/e')}](" in archived.split("###")[1]
    assert "[https://github.com/o5/e](<https://github.com/o5/e>) — archived" in archived
    versions = later[later.index("### New arXiv versions (1)") :].split("###")[1]
    assert f"- [line {line_no(base, 'o2/b')}](" in versions and "v3 → v4" in versions
    by_line = later[later.index("### What this pull request changes, line by line") :]
    assert "2 changes are in the sections above" in by_line
    # o2/b, archived, was in the first PR: said in one line, not listed again.
    assert (
        "**From before** (reported already, not listed again): 3 dead links, 1 archived " in later
    )


# -- 10. defaults: the current folder's README.md and awesome-monitor.toml ---------------------

DEFAULTS = """# Awesome here

| Name | Code |
| --- | --- |
| A | [code](https://github.com/o1/a) |

- [gone](http://WEB/missing) - A page that is gone.
"""


def test_check_without_a_file_uses_the_folders_readme_config_and_state(
    scripted: Callable[..., World],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    world = scripted(DEFAULTS, {"/missing": w.not_found()})
    for key, value in world.env().items():
        monkeypatch.setenv(key, value)
    for key in ("GH_TOKEN", "HF_TOKEN", "GITHUB_ACTIONS"):
        monkeypatch.delenv(key, raising=False)
    package_data = ROOT / "data"
    data_before = sorted(p.name for p in package_data.iterdir())
    root_state = ROOT / ".awesome-monitor"
    root_state_before = root_state.exists()

    # A folder without a list: a usage error that names README.md.
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    assert main(["check"]) == 2
    assert "README.md" in capsys.readouterr().err

    here = tmp_path / "here"
    here.mkdir()
    (here / "README.md").write_text(world.list_path.read_text(), encoding="utf-8")
    (here / "awesome-monitor.toml").write_text(
        "[check]\ndead_after = 1\ndead_after_days = 0\ntimeout = 2.0\nretries = 1\n"
        'backoff = 0.01\nmax_wait = 2.0\n[status]\ncolumn = "Health"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(here)
    report = tmp_path / "report.json"
    gone = world.web.link("/missing")

    assert main(["check", "--write", "--json", str(report)]) == 0
    out = capsys.readouterr().out
    data = json.loads(report.read_text())
    assert Path(data["file"]).resolve() == (here / "README.md").resolve()
    assert data["summary"]["links"] == 2
    assert "awesome-image-classification" not in out
    assert f"| Health {COLUMN_MARK}" in (here / "README.md").read_text()
    state = here / ".awesome-monitor" / "README.md.json"
    assert state.is_file()
    assert out.startswith("README.md: 2 links, 2 distinct")
    first = {e["url"]: e for e in data["links"]}[gone]
    assert first["failures_in_a_row"] == 1 and first["verdict"] == "dead"  # dead_after = 1
    assert json.loads(state.read_text())["urls"][gone]["failures"] == 1

    assert main(["check", "--write", "--json", str(report)]) == 0
    capsys.readouterr()
    data = json.loads(report.read_text())
    entry = {e["url"]: e for e in data["links"]}[gone]
    assert entry["verdict"] == "dead" and entry["failures_in_a_row"] == 2
    assert sorted(p.name for p in package_data.iterdir()) == data_before
    assert root_state.exists() == root_state_before
