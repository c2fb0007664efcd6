"""Big-list benchmark: `python bench/big_list.py [SIZES...]` (default 5000 10000 25000 50000).

For each size it generates an awesome list of that many links (60 % GitHub repositories,
some with a linked file, 20 % arXiv papers, 20 % web pages spread over four loopback
web emulators, in sections of 100 links), starts the GitHub and arXiv emulators on a
scenario made from the list (tests/emulators/sample.py) and the web emulators with
every page scripted 200, then runs `python -m bot check -q --json` in a child process
with a token and prints: links, distinct repos / papers / URLs, requests per service,
wall time, the child's CPU time and peak RSS (os.wait4) and its CPU seconds per 1,000
links, so
one sees whether growth is linear. Budget: under 300 MB RSS at 50,000 links.
`--no-web` leaves the web links out of the check. Nothing leaves loopback. Run by
hand, not in CI (the emulators' GraphQL validation makes the largest size take a few
minutes of wall time, mostly in this process, not the child's)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.parse.markdown import parse  # noqa: E402
from tests.emulators import web as w  # noqa: E402
from tests.emulators.arxiv import ArxivEmulator  # noqa: E402
from tests.emulators.github import GitHubEmulator  # noqa: E402
from tests.emulators.sample import build  # noqa: E402

WEB_HOSTS = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]
RSS_BUDGET_MB = 300


def generate(n: int, hosts: w.WebHosts | None) -> str:
    """`n` links: 3 of 5 repos (every 10th of those a file link), 1 paper, 1 web page."""
    lines = [f"# Awesome big list ({n} links)", "", "A generated list.", ""]
    for k in range(n):
        if k % 100 == 0:
            lines += ["", f"## Section {k // 100}", ""]
        kind = k % 5
        if kind < 3:
            url = f"https://github.com/owner{k % 997}/tool{k}"
            if k % 30 == 0:
                url += "/blob/master/README.md"
        elif kind == 3:
            url = f"https://arxiv.org/abs/{1500 + k % 400}.{k % 90000 + 10000:05d}"
        else:
            host = WEB_HOSTS[k % len(WEB_HOSTS)]
            url = hosts.link(host, f"/page/{k}") if hosts else f"https://site{k % 50}.example/{k}"
        lines.append(f"- [item {k}]({url}) - does thing {k}.")
    return "\n".join(lines) + "\n"


def bench(n: int, tmp: Path, web: bool) -> dict[str, object]:
    hosts = w.WebHosts(WEB_HOSTS).start() if web else None
    try:
        text = generate(n, hosts)
        if hosts:
            for emu in hosts:
                emu.script("/", w.ok())
                for k in range(4, n, 5):
                    emu.script(f"/page/{k}", w.ok())
        list_path = tmp / "README.md"
        list_path.write_text(text, encoding="utf-8")
        gh, ax, _ = build(parse(text), special=False)
        github, arxiv = GitHubEmulator(gh).start(), ArxivEmulator(ax).start()
        cfg = tmp / "config.toml"
        cfg.write_text(
            f'[list]\nfile = "{list_path}"\nstate = "{tmp / "state.json"}"\n'
            f"[check]\nweb = {'true' if web else 'false'}\narxiv_interval = 0.0\n"
            "per_host = 8\nconcurrency = 32\ntimeout = 10.0\n"
        )
        report = tmp / "report.json"
        env = dict(os.environ, GITHUB_API_URL=github.url,
                   GITHUB_GRAPHQL_URL=github.url + "/graphql",
                   ARXIV_API_URL=arxiv.url + "/api/query", GITHUB_TOKEN="test-token",
                   PYTHONPATH=str(ROOT))  # fmt: skip
        cmd = [sys.executable, "-m", "bot", "check", "-q", "--write", "--config", str(cfg),
               "--json", str(report)]  # fmt: skip
        start = time.perf_counter()
        child = subprocess.Popen(cmd, env=env, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        github.stop()
        arxiv.stop()
    finally:
        if hosts:
            hosts.stop()
    data = json.loads(report.read_text())
    links = data["links"]
    return {
        "links": len(links),
        "repos": len({e["repo"].lower() for e in links if e["repo"]}),
        "papers": len({e["arxiv_id"] for e in links if e["arxiv_id"]}),
        "urls": len({e["url"] for e in links if e["kind"] == "web"}),
        "req": data["requests"],
        "exit": os.waitstatus_to_exitcode(status),
        "wall": wall,
        "rss": usage.ru_maxrss / 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
    }


def main(argv: list[str]) -> int:
    web = "--no-web" not in argv
    sizes = [int(a) for a in argv if a.isdigit()] or [5000, 10000, 25000, 50000]
    print(f"{'links':>7} {'repos':>6} {'papers':>6} {'urls':>6} {'GitHub':>6} {'arXiv':>5} "
          f"{'web':>6} {'wall s':>7} {'cpu s':>6} {'RSS MB':>7} {'cpu/1k':>6} exit")  # fmt: skip
    worst = 0.0
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            r = bench(n, Path(tmp), web)
        req = r["req"]
        assert isinstance(req, dict)
        print(f"{r['links']:7} {r['repos']:6} {r['papers']:6} {r['urls']:6} "
              f"{req['github']:6} {req['arxiv']:5} {req['web']:6} {r['wall']:7.1f} "
              f"{r['cpu']:6.1f} {r['rss']:7.0f} {float(r['cpu']) / n * 1000:6.2f} "
              f"{r['exit']}", flush=True)  # fmt: skip
        if n >= 50_000:
            worst = max(worst, float(r["rss"]))  # type: ignore[arg-type]
    if worst:
        verdict = "within" if worst < RSS_BUDGET_MB else "OVER"
        print(f"peak RSS at 50,000 links: {worst:.0f} MB ({verdict} the {RSS_BUDGET_MB} MB budget)")
    return 0 if worst < RSS_BUDGET_MB else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
