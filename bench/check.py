"""Check benchmark: `python bench/check.py [FILE ...]` (default: the bundled sample and
every list in ../shared/corpus). For each list it starts the GitHub and arXiv
emulators on a scenario made from the list, with 50 ms latency on every answer,
runs `awesome-monitor check` in a child process with a token, and prints: distinct
repos, papers and web URLs, requests per service, the minimum possible
(⌈repos/100⌉ GraphQL, ⌈ids/100⌉ arXiv), wall time and the child's peak RSS.
Web links point at real hosts, so web checks are off here (no traffic leaves
loopback). Run by hand, not in CI."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.parse.markdown import parse  # noqa: E402
from tests.emulators.arxiv import ArxivEmulator  # noqa: E402
from tests.emulators.github import GitHubEmulator  # noqa: E402
from tests.emulators.sample import build  # noqa: E402

LATENCY = 0.05


def bench(path: Path, tmp: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    gh, ax, _ = build(parse(text))
    github, arxiv = GitHubEmulator(gh).start(), ArxivEmulator(ax).start()
    github.latency = arxiv.latency = LATENCY
    cfg = tmp / "config.toml"
    cfg.write_text(
        f'[list]\nfile = "{path}"\nstate = "{tmp / "state.json"}"\n[check]\nweb = false\n'
    )
    report = tmp / "report.json"
    env = dict(os.environ, GITHUB_API_URL=github.url, GITHUB_GRAPHQL_URL=github.url + "/graphql",
               ARXIV_API_URL=arxiv.url + "/api/query", GITHUB_TOKEN="test-token")  # fmt: skip
    cmd = [sys.executable, "-m", "bot", "check", "-q", "--config", str(cfg), "--json", str(report)]
    start = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    github.stop()
    arxiv.stop()
    data = json.loads(report.read_text())
    links = data["links"]
    repos = len({e["repo"].lower() for e in links if e["repo"]})
    papers = len({e["arxiv_id"] for e in links if e["arxiv_id"]})
    urls = len({e["url"] for e in links if e["kind"] == "web"})
    return {
        "file": path.name, "exit": os.waitstatus_to_exitcode(status), "repos": repos,
        "papers": papers, "web": urls, "gh_req": data["requests"]["github"],
        "gh_min": math.ceil(repos / 100), "ax_req": data["requests"]["arxiv"],
        "ax_min": math.ceil(papers / 100), "wall": wall, "rss_mb": usage.ru_maxrss / 1024,
    }  # fmt: skip


def main(paths: list[Path]) -> None:
    head = f"{'file':44} {'repos':>5} {'papers':>6} {'web':>5} {'GitHub':>9} {'arXiv':>7}"
    print(head + f" {'wall s':>7} {'RSS MB':>7} exit")
    for path in paths:
        with tempfile.TemporaryDirectory() as tmp:
            r = bench(path, Path(tmp))
        print(f"{r['file']:44} {r['repos']:5} {r['papers']:6} {r['web']:5} "
              f"{r['gh_req']:>4}/{r['gh_min']:<4} {r['ax_req']:>3}/{r['ax_min']:<3} "
              f"{r['wall']:7.2f} {r['rss_mb']:7.0f} {r['exit']}")  # fmt: skip
    print("(GitHub and arXiv columns: requests made / minimum possible)")


if __name__ == "__main__":
    args = [Path(a).resolve() for a in sys.argv[1:]]
    if not args:
        args = [ROOT / "data" / "awesome-image-classification-2019.md"]
        args += sorted((ROOT.parent / "shared" / "corpus").glob("*.md"))
    main(args)
