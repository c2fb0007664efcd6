"""Archived-copy lookups: `python bench/wayback.py [--code DIR]`.

A list of dead web links (404 on the first run: `dead_after = 1`, no time rule) is checked
with `awesome-monitor check --write` in a child process from this checkout or another one
(`--code`, e.g. a copy of an older commit), against the emulators, in four cases:

- the archive answers, 0.1 s a lookup, 150 dead links (the issue's first run);
- the archive answers 503 to everything, 48 dead links;
- the archive refuses connections, 48 dead links;
- the archive never answers in time (5 s; the run's timeout is 2 s), 48 dead links.

Each case runs twice on a fresh history, with `[check] archive = true` and `false`; the
difference in wall time is the time the lookups cost. Printed per case: lookups sent to
the archive (requests, retries included), copies found, the time they cost, and for the
first case that time against as many lookups one after another. The HTTP policy is the default
one (2 retries, backoff 0.5 s, 4 requests per host). Run by hand, not in CI."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.emulators.base import Fault  # noqa: E402
from tests.emulators.web import refused_url  # noqa: E402
from tests.world import World  # noqa: E402

LATENCY = 0.1
CASES = [  # (name, dead links)
    ("archive answers, 0.1 s a lookup", 150),
    ("archive answers 503", 48),
    ("archive refuses connections", 48),
    ("archive too slow (5 s > timeout 2 s)", 48),
]


def _world(tmp: Path, case: str, dead: int, archive: bool) -> tuple[World, str]:
    tmp.mkdir(parents=True)
    head = "# L\n\n- [r](https://github.com/own/r)\n"
    wd = World(tmp, head, web_cases=False)
    links = [wd.web.link(f"/gone{i}") for i in range(dead)]
    wd.list_path.write_text(head + "".join(f"- [g{i}]({u})\n" for i, u in enumerate(links)))
    for u in links:
        wd.wayback.add(u, "20190101000000")
    api = wd.wayback.url
    if case.startswith("archive answers,"):
        wd.wayback.latency = LATENCY
    elif "503" in case:
        wd.wayback.inject(Fault(status=503, times=None))
    elif "refuses" in case:
        api = refused_url("127.0.0.1").rstrip("/")
    else:
        wd.wayback.latency = 5.0
        if wd.wayback._server is not None:  # the client hangs up first: no traceback for it
            wd.wayback._server.handle_error = lambda *a: None  # type: ignore[method-assign]
    wd.config_path.write_text(
        f'[list]\nfile = "README.md"\nstate = "state.json"\n'
        f"[check]\ntimeout = 2.0\ndead_after = 1\ndead_after_days = 0\nrecheck_after = 0\n"
        f"archive = {'true' if archive else 'false'}\n"
    )
    return wd, api


def _run(code: Path, wd: World, api: str) -> tuple[float, int]:
    """(wall seconds, archived copies kept in the history)."""
    env = {**os.environ, **wd.env(), "WAYBACK_API_URL": api, "PYTHONPATH": str(code)}
    cmd = [sys.executable, "-m", "bot", "check", "-q", "--write", "--config", str(wd.config_path)]
    started = time.monotonic()
    subprocess.run(cmd, env=env, cwd=wd.tmp, check=False)
    took = time.monotonic() - started
    urls = json.loads(wd.state_path.read_text())["urls"]
    return took, sum(1 for e in urls.values() if e.get("data", {}).get("archive_snapshot"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout to measure")
    args = ap.parse_args()
    code = args.code.resolve()
    print(f"{code}:")
    print("| case | dead links | requests to the archive | copies found | time in lookups |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for i, (case, dead) in enumerate(CASES):
            times = {}
            for archive in (True, False):
                wd, api = _world(Path(tmp) / f"{i}-{archive}", case, dead, archive)
                try:
                    times[archive], found = _run(code, wd, api)
                    requests = wd.wayback.total_requests() if archive else 0
                finally:
                    wd.stop()
                if archive:
                    copies, asked = found, requests
            cost = max(0.0, times[True] - times[False])
            extra = ""
            if case.startswith("archive answers,") and asked:
                extra = f" ({cost / (asked * LATENCY):.2f} of {asked} lookups one after another)"
            print(f"| {case} | {dead} | {asked} | {copies} | {cost:.1f} s{extra} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
