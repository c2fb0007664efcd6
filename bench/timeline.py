"""Twelve weeks of a list's ordinary life, as a maintainer lives them with the bot's PRs:
`python bench/timeline.py [--weeks 12] [--mode merge|ignore|both]`.

The sample list sits in a repository on the GitHub emulator; arXiv and a web of ~20 extra
links are emulated too. Every week, in this order: the world changes, then
`awesome-monitor pr` runs once with the bot's defaults (only the endpoints point at the
emulators, and the two real web hosts of the sample are excluded: no test reaches the
internet), its clock moved to that Monday by libfaketime (Debian's `faketime`).

The world's weekly drift: every repository gains 0.05-1 % stars; a tenth of them push a
commit; two or three web links fail for that one week (404 or 503) and recover. Five real
events: week 2 a repository is archived, week 4 one is renamed, week 5 one is deleted,
week 7 a web page is gone for good, week 9 a paper gets a new arXiv version.

The maintainer either merges every bot PR the day it comes (`merge`) or leaves it open
(`ignore`). Per week: the PR action, the lines the PR changes, how many one-week failures
the PR body mentions, and which events the PR shows. Then the targets: PRs only in weeks
with a new event (at most 6), none for drift or a one-week failure, every event in a PR
within two runs, no PR line but events and ride-along drift. Run by hand (about a minute
per mode); prints Markdown tables."""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bodies import save, snapshot  # noqa: E402
from bot.check.providers.arxiv import ArxivTarget  # noqa: E402
from bot.check.providers.github_urls import GitHubTarget  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.pipeline import parse_list  # noqa: E402
from tests.emulators import web as w  # noqa: E402
from tests.emulators.arxiv import ArxivEmulator  # noqa: E402
from tests.emulators.github import GitHubEmulator  # noqa: E402
from tests.emulators.sample import build  # noqa: E402

SAMPLE = ROOT / "data" / "awesome-image-classification-2019.md"
LIST_REPO = "maintainer/awesome-list"
BRANCH = "awesome-monitor/status"
START = datetime(2026, 12, 7, 6, 17, tzinfo=UTC)  # a Monday, as the workflow's cron
WEB_PAGES = 20


def _n(text: str, mod: int) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % mod


@dataclass
class Event:
    week: int
    what: str
    subject: str  # a changed line of the PR's diff that holds this …
    marker: str  # … and this shows the event
    shown: int | None = None  # the week a PR first showed it


@dataclass
class Week:
    week: int
    events: list[str] = field(default_factory=list)
    hiccups: list[str] = field(default_factory=list)
    action: str = ""
    lines: int = 0
    flapping: int = 0
    shown: list[str] = field(default_factory=list)


class Timeline:
    def __init__(self, tmp: Path, mode: str) -> None:
        self.tmp, self.mode = tmp, mode
        self.web = w.WebEmulator().start()
        pages = [self.web.script(f"/page{i}", w.ok()) for i in range(WEB_PAGES)]
        text = SAMPLE.read_text(encoding="utf-8")
        text += "\n## More links\n\n" + "".join(f"- [page {i}]({u})\n" for i, u in enumerate(pages))
        self.pages = pages
        doc = parse_list(text, Config())
        gh, ax, _ = build(doc, special=False)
        gh.add(LIST_REPO, files={"README.md": text}, stars=1)
        self.github, self.arxiv = GitHubEmulator(gh).start(), ArxivEmulator(ax).start()
        self.repos = sorted({lk.target.repo for lk in doc.links
                             if isinstance(lk.target, GitHubTarget)})  # fmt: skip
        self.papers = sorted({lk.target.arxiv_id for lk in doc.links
                              if isinstance(lk.target, ArxivTarget)})  # fmt: skip
        self.config = tmp / "awesome-monitor.toml"
        self.config.write_text('[check]\nexclude = ["^https://(cdn\\\\.rawgit\\\\.com|openreview'
                               '\\\\.net)/"]\n')  # fmt: skip
        self.events = self._events()

    def _events(self) -> list[Event]:
        spec = self.github.scenario
        pick = [r for r in self.repos if r.lower() != LIST_REPO]
        archived, renamed, deleted = pick[5], pick[11], pick[17]
        owner, name = renamed.split("/")
        paper = self.papers[3]
        self.plan = {
            2: ("archive", archived), 4: ("rename", renamed), 5: ("delete", deleted),
            7: ("web gone", self.pages[0]), 9: ("new version", paper),
        }  # fmt: skip
        del spec
        version_month = (START + timedelta(weeks=8)).strftime("%Y-%m")
        return [
            Event(2, f"archived {archived}", archived, "archived"),
            Event(4, f"renamed {renamed}", f"{owner}-renamed/{name}", f"{owner}-renamed/{name}"),
            Event(5, f"deleted {deleted}", deleted, "dead since"),
            Event(7, "web page gone for good", "/page0", "dead since"),
            Event(9, f"new version of {paper}", paper, f" · {version_month}"),
        ]

    def stop(self) -> None:
        for emu in (self.web, self.github, self.arxiv):
            emu.stop()

    # -- the world ----------------------------------------------------------------------
    def change_world(self, week: int, now: datetime) -> Week:
        wk = Week(week)
        spec = self.github.scenario
        stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        for repo in self.repos:
            r = spec.resolve(repo)[0]
            if r is None or repo.lower() == LIST_REPO:
                continue
            r.stars = int(r.stars * (1 + (5 + _n(f"{repo}{week}", 96)) / 10_000) + 0.5)
            if _n(f"push {repo} {week}", 10) == 0:
                r.pushed_at = r.last_commit = stamp
        # Two or three pages fail for this one week (404 or 503) and recover the next; a
        # page never fails two weeks in a row (page0 is an event, not a hiccup).
        bad = {1 + (3 * week + k) % (WEB_PAGES - 1) for k in range(2 + week % 2)}
        for i in range(1, WEB_PAGES):
            path = f"/page{i}"
            hiccup = i in bad
            answer = (w.not_found() if _n(path, 2) else w.server_error(503)) if hiccup else w.ok()
            self.web.script(path, answer)
            if hiccup:
                wk.hiccups.append(self.web.link(path))
        if week in self.plan:
            kind, target = self.plan[week]
            wk.events.append(f"{kind} {target}")
            if kind == "archive":
                spec[target].archived, spec[target].archived_at = True, stamp
            elif kind == "rename":
                owner, name = target.split("/")
                spec.rename(target, f"{owner}-renamed/{name}")
            elif kind == "delete":
                spec.remove(target)
            elif kind == "web gone":
                self.web.script("/page0", w.gone())
            elif kind == "new version":
                self.arxiv.scenario.papers[target].versions.append(now.date().isoformat())
        return wk

    # -- one run ------------------------------------------------------------------------
    def run(self, now: datetime) -> str:
        env = dict(os.environ, GITHUB_API_URL=self.github.url,
                   GITHUB_GRAPHQL_URL=self.github.url + "/graphql", GITHUB_TOKEN="test-token",
                   ARXIV_API_URL=self.arxiv.url + "/api/query",
                   PYTHONPATH=str(ROOT))  # fmt: skip
        cmd = ["faketime", "-f", "@" + now.strftime("%Y-%m-%d %H:%M:%S"), sys.executable,
               "-m", "bot", "pr", "--repo", LIST_REPO, "--path", "README.md", "-q"]  # fmt: skip
        proc = subprocess.run(cmd, env=env, cwd=self.tmp, capture_output=True, text=True,
                              timeout=600)  # fmt: skip
        if proc.returncode not in (0, 1):
            raise SystemExit(f"week run failed ({proc.returncode}): {proc.stderr[-2000:]}")
        return proc.stdout

    def observe(self, wk: Week, before: dict[int, tuple[str, str]]) -> None:
        repo = self.github.scenario[LIST_REPO]
        pulls = {n: (p.state, p.body or "") for n, p in repo.pulls.items()}
        opened = [n for n in pulls if n not in before]
        changed = [n for n in pulls if n in before and pulls[n] != before[n]]
        open_now = [n for n, p in repo.pulls.items() if p.state == "open"]
        if opened:
            wk.action = f"opened #{opened[0]}"
        elif any(pulls[n][0] == "closed" and before[n][0] == "open" for n in changed):
            wk.action = "closed"
        elif changed:
            wk.action = f"updated #{changed[0]}"
        elif open_now:
            wk.action = "unchanged"
        else:
            wk.action = "none"
        if not open_now and not opened:
            return
        number = (opened or open_now)[0]
        pr = repo.pulls[number]
        base = repo.file_text("README.md")
        head = repo.file_text("README.md", BRANCH) or base
        diff = [
            (a, b) for a, b in zip(base.splitlines(), head.splitlines(), strict=False) if a != b
        ]
        wk.lines = len(diff)
        wk.flapping = sum(1 for u in wk.hiccups if u in (pr.body or ""))
        added = [b for _, b in diff]
        for e in self.events:
            shows = any(e.subject in b and e.marker in b for b in added)
            if e.week <= wk.week and e.shown is None and shows:
                e.shown = wk.week
                wk.shown.append(e.what)
        if self.mode == "merge" and pr.state == "open":
            repo.merge_pull(number)


def simulate(weeks: int, mode: str,
             bodies: Path | None = None) -> tuple[list[Week], list[Event]]:  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="timeline-"))
    t = Timeline(tmp, mode)
    rows: list[Week] = []
    try:
        for week in range(1, weeks + 1):
            now = START + timedelta(weeks=week - 1)
            wk = t.change_world(week, now)
            repo = t.github.scenario[LIST_REPO]
            before = {n: (p.state, p.body or "") for n, p in repo.pulls.items()}
            seen = snapshot(repo.pulls)
            t.run(now)
            save(bodies, mode, week, seen, repo.pulls)
            t.observe(wk, before)
            rows.append(wk)
    finally:
        t.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return rows, t.events


def report(mode: str, rows: list[Week], events: list[Event]) -> bool:
    print(f"\n### Maintainer {'merges every PR' if mode == 'merge' else 'leaves the PR open'}\n")
    print("| week | events this week | PR action | lines changed | one-week failures in PR | "
          "events shown |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r.week} | {', '.join(r.events) or '—'} | {r.action} | {r.lines} | "
              f"{r.flapping} | {', '.join(r.shown) or '—'} |")  # fmt: skip
    acted = [r for r in rows if r.action.startswith(("opened", "updated"))]
    event_weeks = {1} | {e.week for e in events} | {e.week + 1 for e in events}
    quiet = all(r.week in event_weeks for r in acted)
    in_time = all(e.shown is not None and e.shown <= e.week + 1 for e in events)
    no_flap = all(r.flapping == 0 for r in rows)
    print(f"\nPR opened or updated in {len(acted)} of {len(rows)} weeks (target ≤ 6): "
          f"{'yes' if len(acted) <= 6 else 'NO'}; only in event weeks: {'yes' if quiet else 'NO'}; "
          f"every event within two runs: {'yes' if in_time else 'NO'} "
          f"({', '.join(f'{e.what}: week {e.shown}' for e in events)}); "
          f"no one-week failure in a PR: {'yes' if no_flap else 'NO'}")  # fmt: skip
    return len(acted) <= 6 and quiet and in_time and no_flap


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weeks", type=int, default=12)
    ap.add_argument("--mode", choices=("merge", "ignore", "both"), default="both")
    ap.add_argument("--bodies", type=Path, help="write every PR opened or changed here")
    args = ap.parse_args()
    if shutil.which("faketime") is None:
        print("faketime is missing: apt-get install faketime")
        return 2
    ok = True
    for mode in ("merge", "ignore") if args.mode == "both" else (args.mode,):
        rows, events = simulate(args.weeks, mode, args.bodies)
        ok = report(mode, rows, events) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
