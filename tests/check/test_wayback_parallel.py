"""Archived copies of dead web links, over HTTP against the Wayback Machine's emulator: the
lookups go in parallel within the run's per-host limit, a run asks at most
`[check] archive_budget` of them (the rest next run, the history says which were asked),
and an archive that does not answer costs one lookup, not one per dead link. What it costs
in requests and seconds: `bench/wayback.py`."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bot.render.caps import SHOWN
from tests.emulators.base import Fault, Reply, Request
from tests.emulators.wayback import WaybackEmulator
from tests.world import MakeWorld, World

pytestmark = pytest.mark.usefixtures("no_proxy_env")


def _world(make_world: MakeWorld, folder: str, dead: int, **check: object) -> World:
    """A list of `dead` web links that answer 404, dead on the first run, each with a
    snapshot in the archive."""
    wd = make_world("# L\n\n- [r](https://github.com/own/r)\n", web_cases=False, folder=folder)
    links = [wd.web.link(f"/gone{i}") for i in range(dead)]
    wd.list_path.write_text("# L\n\n- [r](https://github.com/own/r)\n"
                            + "".join(f"- [g{i}]({u})\n" for i, u in enumerate(links)))  # fmt: skip
    for u in links:
        wd.wayback.add(u, "20190101000000")
    wd.configure("check", **{"dead_after": 1, **check})
    return wd


@pytest.fixture
def make(make_world: MakeWorld) -> Callable[..., World]:
    made: list[World] = []

    def build(dead: int, **check: object) -> World:
        made.append(_world(make_world, f"w{len(made)}", dead, **check))
        return made[-1]

    return build


def _snapshots(wd: World) -> int:
    """Dead links whose archived copy the history keeps (asked, and found)."""
    urls = json.loads(wd.state_path.read_text())["urls"]
    return sum(1 for e in urls.values() if e.get("data", {}).get("archive_snapshot"))


def test_lookups_go_in_parallel_within_the_per_host_limit(make) -> None:
    wd = make(12, per_host=3)
    wd.wayback.latency = 0.2  # long enough for lookups to overlap when they can
    run = wd.run("check", "--write")
    assert run.code == 0, run.err
    assert wd.wayback.total_requests() == 12
    assert wd.wayback.max_concurrency == 3, "parallel, and never more than per_host at once"
    assert run.out.count("archived copy: https://web.archive.org/web/20190101000000/") == 12
    assert _snapshots(wd) == 12


def test_a_run_asks_at_most_its_budget_and_the_rest_next_run(make) -> None:
    wd = make(12, archive_budget=5)
    asked = []
    for _ in range(4):
        before = wd.wayback.total_requests()
        run = wd.run("check", "--write")
        assert run.code == 0, run.err
        asked.append(wd.wayback.total_requests() - before)
        if asked[-1] == 5:
            left = 12 - sum(asked)
            assert f"{left} dead links' archived copies are looked up next run" in run.out
    assert asked == [5, 5, 2, 0], "the history remembers which were asked"
    assert _snapshots(wd) == 12 and run.out.count("archived copy: https://web.archive.org/") == 12


def test_an_archive_out_of_reach_costs_one_lookup_and_is_asked_next_run(make) -> None:
    wd = make(48)
    wd.wayback.inject(Fault(status=503, times=None))
    run = wd.run("check", "--write")
    assert run.code == 0, run.err
    assert wd.wayback.total_requests() == 2, "one lookup (and its one retry), not 48"
    assert "the Wayback Machine did not answer: 48 dead links' archived copies" in run.out
    assert "archived copy" not in run.out and _snapshots(wd) == 0
    wd.wayback.faults.clear()
    again = wd.run("check", "--write")
    assert _snapshots(wd) == 48  # the terminal shows the first `SHOWN` dead links of them
    assert again.out.count("archived copy: https://web.archive.org/") == SHOWN
    assert wd.wayback.total_requests() == 2 + 48


class _FailsAfter(WaybackEmulator):
    """Answers its first `n` lookups, then 503 for good."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def handle(self, req: Request) -> Reply | None:
        if self.total_requests() > self.n:
            return Reply.json(503, {"error": "busy"})
        return super().handle(req)


def test_an_archive_that_stops_answering_is_asked_little_more(make) -> None:
    wd = make(40, per_host=4, retries=0)
    flaky = _FailsAfter(1).start()
    wd.wayback.stop()
    wd.wayback = flaky
    for u in [wd.web.link(f"/gone{i}") for i in range(40)]:
        flaky.add(u, "20190101000000")
    run = wd.run("check", "--write")
    assert run.code == 0, run.err
    # The first answered; then each worker stops once two lookups in a row went unanswered.
    assert 3 <= flaky.total_requests() <= 1 + 2 * 4
    assert "the Wayback Machine did not answer" in run.out
    assert run.out.count("archived copy: https://web.archive.org/") == 1 == _snapshots(wd)
