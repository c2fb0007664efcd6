"""A page whose server answers 5xx on every run is dead after `[check]
dead_after_days_5xx` days (and `dead_after` runs); a single 5xx, a 429 or a bot challenge
never counts, and any other answer ends the streak."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.emulators import web as w
from tests.world import MakeWorld


def _days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _age_streaks(state_path: Path, days: int) -> None:
    """Move every 5xx streak `days` into the past, as if the runs had been weeks apart."""
    state = json.loads(state_path.read_text())
    for entry in state["urls"].values():
        if entry.get("first_server_error"):
            entry["first_server_error"] = _days_ago(days)
    state_path.write_text(json.dumps(state))


def test_a_page_broken_with_5xx_for_30_days_is_dead(make_world: MakeWorld) -> None:
    wd = make_world("# List\n\n", web_cases=False)
    cases = {
        "/broken": w.server_error(503),  # every run
        "/challenge": w.challenge(503),  # Cloudflare: never counts
        "/limited": w.rate_limited("0"),  # 429: never counts
    }
    for path, answer in cases.items():
        wd.web.script(path, answer)
    links = "".join(f"- [{p}]({wd.web.link(p)})\n" for p in [*cases, "/flaky"])
    wd.list_path.write_text("# List\n\n" + links)
    wd.web.script("/flaky", w.server_error(500))

    def verdicts() -> dict[str, str]:
        run = wd.run("check", "--write", "--dead-after", "2")
        assert run.code == 0, run.err
        return {e["url"].rsplit("/", 1)[1]: e["verdict"] for e in run.report["links"]}

    assert set(verdicts().values()) == {"unknown"}
    wd.web.script("/flaky", w.ok())  # one 5xx, then it answers: the streak ends
    assert verdicts()["flaky"] == "alive"
    wd.web.script("/flaky", w.server_error(500))
    assert verdicts()["broken"] == "unknown", "3 runs, but minutes apart: not yet"
    _age_streaks(wd.state_path, 31)
    found = verdicts()
    assert found == {"broken": "dead", "challenge": "unknown", "limited": "unknown",
                     "flaky": "dead"}  # fmt: skip
    state = json.loads(wd.state_path.read_text())
    (broken,) = [e for u, e in state["urls"].items() if u.endswith("/broken")]
    assert broken["server_errors"] == 4
    text = wd.list_path.read_text()
    assert "/broken) (<!-- awesome-monitor -->dead since" in text
    wd.web.script("/broken", w.ok())
    assert verdicts()["broken"] == "alive", "an answer brings it back"
