"""People move, the bot follows: eight simulated weeks in which a maintainer and the bot
take turns, on the sample list and on Awesome-LLM (../shared/corpus; skipped with a message
when that folder is absent): `python bench/people.py [--list sample|llm|both]`.

Each list sits in a repository on the GitHub emulator; arXiv, Hugging Face, the Wayback
Machine and four web pages (appended to the list) are emulated too, and the list's links to
real web hosts are excluded: nothing reaches the internet. Every week, in this order: the
world drifts (stars, pushes, as in timeline.py) and has its events, the maintainer makes
their move, then `awesome-monitor pr` runs with the bot's defaults under libfaketime
(Debian's `faketime`), its clock on that Monday.

    week  the maintainer                                  the world
    1     -                                               -
    2     merges the PR (GitHub keeps its branch), then   a repository (A) is archived
          deletes the bot's note after one link by hand
    3     adds an entry, rewords A's line, deletes one,   a repository is renamed
          deletes the note after another link by hand
    4     pushes a commit to the bot's branch             -
    5     leaves the PR as it is                          a paper gets a new arXiv version
    6     closes the PR unmerged                          a web page is gone for good
    7     runs the workflow by hand during the cron run   A (declined archived) is deleted
    8     merges the PR and deletes its branch            both links whose notes were
                                                          deleted are archived

Targets, each read from the repository on the emulator, not from the bot's output:
0 maintainer lines reverted (a line of the default branch whose text outside the bot's
notes, column and moved URLs an open bot PR changes, drops or adds), 0 notes deleted by hand
written back before their link changed, 0 human commits lost (each still reachable from a
branch or from its closed PR's head), 0 declined items proposed again (a line changed the
same way, in what a maintainer acts on, as by a PR closed unmerged), every event in a PR
within two runs, every run exit 0, and no other problem (the bot's action each week, said
once and never overwritten, a fresh branch, one line when two runs meet). Prints Markdown
tables; exits 1 when a target is missed. Well under a minute per list."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bodies import save, snapshot  # noqa: E402
from bench.people_referee import FRESH, NOTE, README, Event, Referee, Week  # noqa: E402
from bot.check.providers import owner  # noqa: E402
from bot.check.providers.arxiv import ArxivTarget  # noqa: E402
from bot.check.providers.github_urls import GitHubKind, GitHubTarget  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.parse.markdown import Document, Link  # noqa: E402
from bot.pipeline import parse_list  # noqa: E402
from tests.emulators import web as w  # noqa: E402
from tests.emulators.arxiv import ArxivEmulator  # noqa: E402
from tests.emulators.github import GitHubEmulator  # noqa: E402
from tests.emulators.github_scenario import GitHubScenario, PullRequest, RepoSpec  # noqa: E402
from tests.emulators.gitstore import Person  # noqa: E402
from tests.emulators.huggingface import HubEmulator, scenario_from  # noqa: E402
from tests.emulators.sample import build  # noqa: E402
from tests.emulators.wayback import WaybackEmulator  # noqa: E402

LISTS = {
    "sample": ROOT / "data" / "awesome-image-classification-2019.md",
    "llm": ROOT.parent / "shared" / "corpus" / "Hannibal046__Awesome-LLM.md",
}
LIST_REPO = "maintainer/awesome-list"
START = datetime(2026, 12, 7, 6, 17, tzinfo=UTC)  # a Monday, as the workflow's cron
WEEKS = 8
ITEM = re.compile(r"^(\s*[-*+] )")
# The links the story acts on: A is archived, reworded, declined, then deleted; B renamed;
# a line removed; two notes deleted by hand (one the day the PR is merged, one a week on).
ROLES = ("A", "renamed", "removed", "note", "note2")


def _targets(doc: Document, kind: type) -> list:
    """The targets of `doc` of one provider's type."""
    return [lk.target for lk in doc.links if isinstance(lk.target, kind)]


class Story:
    """One list's world, the people in it, and the bench's record of what the bot did."""

    def __init__(self, tmp: Path, source: Path) -> None:
        self.tmp, self.source = tmp, source
        self.web = w.WebEmulator().start()
        self.pages = [self.web.script(f"/page{i}", w.ok()) for i in range(4)]
        text = source.read_text(encoding="utf-8") + "\n## More links\n\n"
        text += "".join(f"- [page {i}]({u})\n" for i, u in enumerate(self.pages))
        doc = parse_list(text, Config())
        gh, ax, _ = build(doc, special=False)
        gh.add(LIST_REPO, files={README: text}, stars=1)
        self.github, self.arxiv = GitHubEmulator(gh).start(), ArxivEmulator(ax).start()
        self.hub, self.wayback = HubEmulator(scenario_from(doc)).start(), WaybackEmulator().start()
        real = sorted({lk.url for lk in doc.links if (o := owner(lk.target)) is not None
                       and o[0].name == "web" and not lk.url.startswith(self.web.url)})  # fmt: skip
        (tmp / "awesome-monitor.toml").write_text(
            "[check]\nexclude = " + json.dumps([f"^{re.escape(u)}$" for u in real]) + "\n"
            "[pr]\nwrite_interval = 0.0\n", encoding="utf-8")  # fmt: skip
        self.repos = sorted({t.repo for t in _targets(doc, GitHubTarget)} - {LIST_REPO})
        self.human: dict[str, str] = {}  # sha → what the person did
        self.renames: dict[str, str] = {}  # old URL → new URL
        self.notes_deleted: dict[str, int] = {}  # link URL → the week its note was deleted
        self.closed_head = ""  # the branch of the PR closed unmerged
        self.weeks: list[Week] = []
        self.referee = Referee(self)
        self._pick(doc, text)

    def _pick(self, doc: Document, text: str) -> None:
        """List items holding one plain repository link each, whose repository the list
        links nowhere else, spread over the list; a paper linked once, without a version."""
        lines = text.splitlines()
        per_line: dict[int, list[Link]] = {}
        for lk in doc.links:
            per_line.setdefault(lk.use_line, []).append(lk)
        repos = [t.repo_key for t in _targets(doc, GitHubTarget)]
        papers = [t.arxiv_id for t in _targets(doc, ArxivTarget)]
        items, pdfs = [], []
        for n, (lk, *more) in sorted(per_line.items()):
            t = lk.target
            if more:
                continue
            if (ITEM.match(lines[n - 1]) and isinstance(t, GitHubTarget)
                    and t.kind == GitHubKind.REPO and repos.count(t.repo_key) == 1
                    and lk.raw_url == f"https://github.com/{t.repo}"):  # fmt: skip
                items.append(lk)
            if (isinstance(t, ArxivTarget) and papers.count(t.arxiv_id) == 1
                    and not t.arxiv_version):  # fmt: skip
                pdfs.append(lk)
        n = len(ROLES)
        picked = {r: items[(2 * k + 1) * len(items) // (2 * n)] for k, r in enumerate(ROLES)}
        self.url = {r: lk.raw_url for r, lk in picked.items()}
        self.name = {r: lk.target.repo for r, lk in picked.items()}  # type: ignore[attr-defined]
        self.paper = pdfs[len(pdfs) // 3].target.arxiv_id  # type: ignore[attr-defined]
        owner_, name = self.name["renamed"].split("/")
        self.new_name = f"{owner_}-renamed/{name}"
        a, note, note2 = self.name["A"], self.name["note"], self.name["note2"]
        self.events = [
            Event(2, "archive", a, f"archived {a} (A)", self.url["A"], "archived"),
            Event(3, "rename", self.name["renamed"], f"renamed {self.name['renamed']}",
                  self.new_name, f"github.com/{self.new_name}", in_line=True),
            Event(5, "version", self.paper, f"new version of {self.paper}", self.paper, "v?"),
            Event(6, "gone", "/page0", "web page gone", self.pages[0], "dead"),
            Event(7, "delete", a, f"deleted {a} (A)", self.url["A"], "dead"),
            Event(8, "archive", note, f"archived {note} (note deleted in week 2)",
                  self.url["note"], "archived"),
            Event(8, "archive", note2, f"archived {note2} (note deleted in week 3)",
                  self.url["note2"], "archived"),
        ]  # fmt: skip

    @property
    def repo(self) -> RepoSpec:
        return self.github.scenario[LIST_REPO]

    def stop(self) -> None:
        for emu in (self.web, self.github, self.arxiv, self.hub, self.wayback):
            emu.stop()

    # -- the world ----------------------------------------------------------------------
    def change_world(self, wk: Week, now: datetime) -> None:
        spec = self.github.scenario
        stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        drift(spec, self.repos, wk.week, stamp)
        self.github.reset_budgets()  # a week between runs: GitHub's write windows are over
        for e in (e for e in self.events if e.week == wk.week):
            wk.world.append(e.what)
            if e.kind == "archive":
                spec[e.target].archived, spec[e.target].archived_at = True, stamp
            elif e.kind == "rename":
                spec.rename(e.target, self.new_name)
                self.renames[self.url["renamed"]] = f"https://github.com/{self.new_name}"
            elif e.kind == "delete":
                spec.remove(e.target)
            elif e.kind == "gone":
                self.web.script(e.target, w.gone())
            elif e.kind == "version":
                versions = self.arxiv.scenario.papers[e.target].versions
                versions.append(now.date().isoformat())
                e.marker = f"v{len(versions)}"

    # -- the maintainer -------------------------------------------------------------------
    def commit(self, branch: str, text: str, message: str, when: datetime) -> None:
        who = Person("Jane Maintainer", "jane@example.com", when.strftime("%Y-%m-%dT%H:%M:%SZ"))
        c = self.repo.git().commit_files(branch, {README: text}, message, who)
        self.human[c.sha] = message

    def open_pr(self, wk: Week) -> PullRequest | None:
        found = self.repo.open_pulls()
        if not found:
            wk.problems.append("no open PR for the maintainer's move")
        return found[0] if found else None

    def move(self, wk: Week, now: datetime) -> None:
        r, day = self.repo, now - timedelta(days=1)
        if wk.week in (2, 8) and (pr := self.open_pr(wk)) is not None:
            if not r.git().is_ancestor(r.head().sha, r.head(pr.head).sha):
                wk.problems.append(f"#{pr.number} is not on the default branch's head")
            c = r.merge_pull(pr.number, delete_branch=wk.week == 8)
            self.human[c.sha] = f"merge #{pr.number}"
            kept = "deletes its branch" if wk.week == 8 else "GitHub keeps its branch"
            wk.person.append(f"merges #{pr.number} ({kept})")
            if wk.week == 2:
                self.delete_note(wk, "note", day)
        elif wk.week == 3:
            self.edit(wk, day)
            self.delete_note(wk, "note2", day)
        elif wk.week == 4 and (pr := self.open_pr(wk)) is not None:
            lines = r.file_text(README, pr.head).splitlines(keepends=True)
            prose = (i for i, ln in enumerate(lines) if len(ln) > 40 and ln[0].isalpha())
            i = next((i for i in prose if "](" not in lines[i]), len(lines) - 1)
            lines[i] = lines[i].rstrip("\n") + " (Edited by hand.)\n"
            self.commit(pr.head, "".join(lines), "A word of my own", day)
            wk.person.append(f"pushes a commit to `{pr.head}` (#{pr.number})")
        elif wk.week == 5:
            wk.person.append("leaves the PR as it is")
        elif wk.week == 6 and (pr := self.open_pr(wk)) is not None:
            r.close_pull(pr.number)
            self.closed_head = pr.head
            self.referee.decline(pr.number)
            wk.person.append(f"closes #{pr.number} unmerged")
        elif wk.week == 7:
            wk.person.append("runs the workflow by hand during the cron run (two runs at once)")

    def edit(self, wk: Week, day: datetime) -> None:
        """While the bot's PR is open: reword A's line (which the PR changes) and add an
        entry after it; delete another line."""
        r = self.repo
        lines = r.file_text(README).splitlines(keepends=True)
        at = {k: next(i for i, ln in enumerate(lines) if f"]({u})" in ln)
              for k, u in self.url.items()}  # fmt: skip
        indent = ITEM.match(lines[at["A"]]).group(1)
        lines[at["A"]] = ITEM.sub(r"\1Recommended: ", lines[at["A"]], count=1)
        lines[at["A"]] += f"{indent}[A new entry]({FRESH}) - Just added.\n"
        self.github.scenario.add(FRESH.removeprefix("https://github.com/"), stars=4321,
                                 last_commit=day.strftime("%Y-%m-%dT%H:%M:%SZ"))  # fmt: skip
        lines[at["removed"]] = ""
        self.commit(r.default_branch, "".join(lines), "Add, reword and remove entries", day)
        wk.person.append("adds an entry, rewords A's line, deletes one")

    def delete_note(self, wk: Week, role: str, day: datetime) -> None:
        lines = self.repo.file_text(README).splitlines(keepends=True)
        i = next(i for i, ln in enumerate(lines) if f"]({self.url[role]})" in ln)
        if not NOTE.search(lines[i]):
            wk.problems.append(f"no note after {self.name[role]} to delete")
        lines[i] = NOTE.sub("", lines[i])
        self.commit(self.repo.default_branch, "".join(lines), "No note on this one, please", day)
        self.notes_deleted[self.url[role]] = wk.week
        wk.person.append(f"deletes the note after {self.name[role]} by hand")

    # -- the bot --------------------------------------------------------------------------
    def run(self, now: datetime, twice: bool) -> list[subprocess.CompletedProcess[str]]:
        env = dict(os.environ, GITHUB_API_URL=self.github.url,
                   GITHUB_GRAPHQL_URL=self.github.url + "/graphql", GITHUB_TOKEN="test-token",
                   ARXIV_API_URL=self.arxiv.url + "/api/query", HF_ENDPOINT=self.hub.url,
                   WAYBACK_API_URL=self.wayback.url, PYTHONPATH=str(ROOT),
                   # A belt to the exclusions' braces: no request leaves this machine.
                   HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
                   NO_PROXY="127.0.0.1,localhost")  # fmt: skip
        self.github.latency = 0.02 if twice else 0.0  # both read the history before a save
        procs = []
        # The run by hand starts half a minute into the cron's (at the very same second,
        # both would write byte-identical commits, which is no race at all).
        for when in (now, now + timedelta(seconds=30))[: 2 if twice else 1]:
            cmd = ["faketime", "-f", "@" + when.strftime("%Y-%m-%d %H:%M:%S"), sys.executable,
                   "-m", "bot", "pr", "--repo", LIST_REPO, "--path", README]  # fmt: skip
            procs.append(subprocess.Popen(cmd, env=env, cwd=self.tmp, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True))  # fmt: skip
        done = []
        for p in procs:
            out, err = p.communicate(timeout=600)
            done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
        self.github.latency = 0.0
        return done

    def week(self, week: int, bodies: Path | None = None) -> Week:
        now = START + timedelta(weeks=week - 1)
        wk = Week(week)
        self.change_world(wk, now)
        self.move(wk, now)
        before = self.referee.snapshot()
        seen = snapshot(self.repo.pulls)
        runs = self.run(now, twice=week == 7)
        save(bodies, self.source.stem, week, seen, self.repo.pulls)
        self.referee.observe(wk, before, runs)
        self.referee.check(wk)
        return wk


def drift(spec: GitHubScenario, repos: list[str], week: int, stamp: str) -> None:
    """As in timeline.py: every repository gains 0.05-1 % stars, a tenth of them push."""
    for repo in repos:
        r = spec.resolve(repo)[0]
        if r is None:
            continue
        r.stars = int(r.stars * (1 + (5 + _n(f"{repo}{week}", 96)) / 10_000) + 0.5)
        if _n(f"push {repo} {week}", 10) == 0:
            r.pushed_at = r.last_commit = stamp


def _n(text: str, mod: int) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % mod


def simulate(source: Path, bodies: Path | None = None) -> Story:
    tmp = Path(tempfile.mkdtemp(prefix="people-"))
    story = Story(tmp, source)
    try:
        for week in range(1, WEEKS + 1):
            story.weeks.append(story.week(week, bodies))
    finally:
        story.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return story


def report(name: str, source: Path, s: Story) -> bool:
    print(f"\n### {name} (`{source.name}`)\n")
    print("| week | the maintainer | the world | the bot | events the PR shows | problems seen |")
    print("|---|---|---|---|---|---|")
    for wk in s.weeks:
        cells = (wk.person, wk.world, wk.bot, wk.shown, wk.problems)
        print(f"| {wk.week} | " + " | ".join("; ".join(c) or "—" for c in cells) + " |")
    t = s.referee.tally
    in_time = [e for e in s.events if e.shown is not None and e.shown <= e.week + 1]
    problems = sum(1 for wk in s.weeks if wk.problems)
    rows = [
        ("maintainer lines reverted", t.reverted, t.reverted == 0),
        ("notes deleted by hand written back before their link changed",
         f"{len(t.written_back)} of {len(s.notes_deleted)}", not t.written_back),
        ("human commits lost", f"{t.lost} of {len(s.human)}", t.lost == 0),
        ("declined items proposed again", f"{t.again} (of {t.declined} declined)", t.again == 0),
        ("events in a PR within two runs", f"{len(in_time)} of {len(s.events)} ("
         + ", ".join(f"{e.what}: week {e.week} → {e.shown or 'never'}" for e in s.events) + ")",
         len(in_time) == len(s.events)),
        ("runs that exited 0", f"{t.runs - t.failed} of {t.runs}", t.failed == 0),
        ("weeks with a problem", problems, problems == 0),
    ]  # fmt: skip
    print("\n| target | measured | met |\n|---|---|---|")
    for what, value, ok in rows:
        print(f"| {what} | {value} | {'yes' if ok else 'NO'} |")
    return all(ok for _, _, ok in rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--list", choices=("sample", "llm", "both"), default="both")
    ap.add_argument("--bodies", type=Path, help="write every PR opened or changed here")
    args = ap.parse_args()
    if shutil.which("faketime") is None:
        print("faketime is missing: apt-get install faketime")
        return 2
    ok = True
    for key in ("sample", "llm") if args.list == "both" else (args.list,):
        source = LISTS[key]
        if not source.is_file():
            print(f"\n{source}: absent (../shared is only in the project's workspace); skipped")
            continue
        name = "The sample list" if key == "sample" else "Awesome-LLM"
        ok = report(name, source, simulate(source, args.bodies)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
