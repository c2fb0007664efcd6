"""The referee of `bench/people.py`: it reads the repository on the emulator to say what
the bot did each week and whether a target was missed (the bot's own words and exit codes
are only compared with what the repository shows). Lines are
read independently of the bot: what is the bot's (its notes and the cells of its column, as
the README describes them), what is the maintainer's, and what a bot change shows that a
maintainer acts on (dead, archived, a paper version; counts and dates are drift)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from subprocess import CompletedProcess
from typing import Any

# A note: in front of a list item's main link (`<span>NOTE</span> `), or after a link.
NOTE = re.compile(
    r"(?:<span>| ?\(?)<!-- awesome-monitor -->([^\n]*?)<!-- /awesome-monitor -->(?:</span> ?|\)?)"
)
COLUMN = "<!-- awesome-monitor column -->"
CELL = re.compile(r"(?<!\\)\|")

README = "README.md"
FRESH = "https://github.com/newcomer/fresh-repo"  # the entry the maintainer adds in week 3
RACE = "another awesome-monitor run"
NOT_THE_BOTS = "not the bot's"  # what the bot says on a PR it does not overwrite
# What the bot should do each week, given the story (bench/people.py's docstring).
Snapshot = dict[int, tuple[str, str | None, str, int]]
EXPECTED = {1: "opened", 2: "opened", 3: "updated", 4: "blocked", 5: "blocked", 6: "opened",
            7: "updated", 8: "opened"}  # fmt: skip


def split(text: str) -> list[tuple[str, str]]:
    """Each line as (the maintainer's part, the bot's part)."""
    out: list[tuple[str, str]] = []
    owned: int | None = None
    for line in text.splitlines():
        bot = " ".join(NOTE.findall(line))
        mine = NOTE.sub("", line)
        if not line.lstrip().startswith("|"):
            owned = None
        elif owned is None and COLUMN in line:
            owned = next(i for i, c in enumerate(CELL.split(line)) if COLUMN in c)
        if owned is not None:
            cells = CELL.split(mine)
            if owned < len(cells):
                bot = f"{bot} {cells.pop(owned)}"
                mine = "|".join(cells)
        out.append((mine.rstrip(), " ".join(bot.split())))
    return out


def facts(bot: str) -> tuple[object, ...]:
    """What a maintainer acts on in the bot's words: dead, archived, the paper version,
    withdrawn, and whether there is a status at all (counts and dates are drift)."""

    def tally(word: str) -> int:
        counted = [int(n) for n in re.findall(rf"\b(\d+) {word}\b", bot)]
        return sum(counted) + len(re.findall(rf"(?<!\d )\b{word}\b", bot))

    versions = tuple(sorted(re.findall(r"(?<![\w.])v(\d+)\b", bot)))
    return tally("dead"), tally("archived"), versions, "withdrawn" in bot, bool(bot)


def changes(base: str, head: str) -> list[tuple[tuple[object, ...], str, str]]:
    """A PR's changes a maintainer decides on, as (key, the new line, its bot part): lines
    whose own text (a moved URL) or facts change; drift is no item. The key is the line's
    own text and its facts, before and after: equal keys are the same change."""
    out = []
    pairs = zip(base.splitlines(), head.splitlines(), split(base), split(head), strict=False)
    for a, b, (ma, ba), (mb, bb) in pairs:
        if a != b and (ma != mb or facts(ba) != facts(bb)):
            out.append(((ma, mb, facts(ba), facts(bb)), b, bb))
    return out


def maintainer_changes(base: str, head: str, moved: dict[str, str]) -> list[str]:
    """Lines of the default branch whose own text (outside the bot's notes and column, with
    `moved` URLs as the bot writes them) the PR changes, drops or adds."""

    def own(text: str) -> list[str]:
        out = []
        for mine, _ in split(text):
            for old, new in moved.items():
                mine = re.sub(re.escape(old) + r"(?![\w/.-])", new, mine)
            out.append(mine)
        return out

    a, b = own(base), own(head)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [x for tag, i, j, k, m in ops if tag != "equal" for x in (a[i:j] or b[k:m])]


@dataclass
class Event:
    week: int
    kind: str  # archive | rename | delete | gone | version
    target: str  # the repository, the web page's path, the paper
    what: str
    subject: str  # a changed line of a PR that holds this …
    marker: str  # … and shows this (in the bot's words, or in the line for a moved URL)
    in_line: bool = False
    shown: int | None = None  # the week a PR first showed it


@dataclass
class Week:
    week: int
    person: list[str] = field(default_factory=list)
    world: list[str] = field(default_factory=lambda: ["drift"])
    bot: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # events a PR shows for the first time
    problems: list[str] = field(default_factory=list)


@dataclass
class Tally:
    reverted: int = 0
    written_back: set[str] = field(default_factory=set)  # links whose deleted note came back
    lost: int = 0
    declined: int = 0  # changes declined by closing PRs unmerged …
    again: int = 0  # … proposed again
    runs: int = 0
    failed: int = 0


class Referee:
    """What the bot did, and the targets, for the `story` (a `bench.people.Story`)."""

    def __init__(self, story: Any) -> None:
        self.story = story
        self.tally = Tally()
        self.declined: set[tuple[object, ...]] = set()  # changed lines' keys (`changes`)
        self.last_diff: dict[int, list[tuple[object, ...]]] = {}  # PR → its last bot diff

    @property
    def repo(self) -> Any:
        return self.story.repo

    def decline(self, number: int) -> None:
        """The maintainer closed PR `number` unmerged: its changes are declined."""
        self.declined.update(self.last_diff.get(number, []))
        self.tally.declined += len(self.last_diff.get(number, []))

    def snapshot(self) -> Snapshot:
        """Each PR's state, branch head, body and number of comments."""
        branches = self.repo.branches()
        return {n: (p.state, branches.get(p.head), p.body or "", len(p.comments))
                for n, p in self.repo.pulls.items()}  # fmt: skip

    def observe(self, wk: Week, before: Snapshot, runs: list[CompletedProcess[str]]) -> None:
        """What the bot did, as the repository shows it; the bot's own words must agree."""
        after = self.snapshot()
        for n, (state, tip, body, comments) in after.items():
            pr, said = self.repo.pulls[n], []
            if n not in before:
                wk.bot.append(f"opened #{n} (`{pr.head}`)")
            elif before[n][0] == "open" and state == "closed":
                wk.bot.append(f"closed #{n}")
            elif state == "open" and tip != before[n][1]:
                wk.bot.append(f"{'updated' if body != before[n][2] else 'rebuilt'} #{n}")
            elif state == "open" and tip in self.story.human:
                said = [c for c in pr.comments[before[n][3] :] if NOT_THE_BOTS in c.body]
                wk.bot.append(f"blocked #{n}" + (" (says so on the PR)" if said else ""))
            elif state == "open":
                wk.bot.append(f"unchanged #{n}")
            if comments - (before[n][3] if n in before else 0) > len(said):
                wk.bot.append(f"commented on #{n}")
        wk.bot = wk.bot or ["none"]
        action = wk.bot[0].split()[0]
        if action != EXPECTED[wk.week]:
            wk.problems.append(f"expected {EXPECTED[wk.week]}")
        names = ("the cron run", "the run by hand") if len(runs) == 2 else ("the run",)
        for name, run in zip(names, runs, strict=True):
            self.tally.runs += 1
            err = run.stderr.strip()
            if run.returncode != 0 or "Traceback" in err:
                self.tally.failed += 1
                last = (err.splitlines() or [""])[-1][:200]
                wk.problems.append(f"{name} exited {run.returncode}: {last}")
            said = [ln for ln in run.stdout.splitlines() if ln.startswith("pull request:")]
            if RACE in err:
                wk.bot.append(f"{name}: exit {run.returncode}, “{err}”")
            elif said and said[-1].split()[2].replace("rebased", "rebuilt") != action:
                wk.problems.append(f"the bot says “{said[-1][:120]}”")
        if len(runs) == 2:
            lines = [r.stderr.strip() for r in runs if RACE in r.stderr]
            if len(lines) != 1 or len(lines[0].splitlines()) != 1:
                wk.problems.append(f"{len(lines)} runs said one line about the other run")
            if len(after) - len(before) > 1:
                wk.problems.append("two PRs opened")

    # -- the targets ----------------------------------------------------------------------
    def check(self, wk: Week) -> None:
        """After each run: every open PR the bot wrote, the blocked PR, the human commits."""
        r = self.repo
        base = r.file_text(README) or ""
        for pr in r.open_pulls():
            tip = r.branches().get(pr.head)
            if tip is None or tip in self.story.human:
                continue
            head = r.file_text(README, pr.head) or ""
            reverted = maintainer_changes(base, head, self.story.renames)
            if reverted:
                self.tally.reverted += len(reverted)
                wk.problems.append(f"#{pr.number} reverts {len(reverted)} maintainer lines: "
                                   f"{reverted[0][:80]!r}")  # fmt: skip
            changed = changes(base, head)
            self.last_diff[pr.number] = [key for key, _, _ in changed]
            again = [key for key, _, _ in changed if key in self.declined]
            if again:
                self.tally.again += len(again)
                wk.problems.append(f"#{pr.number} proposes {len(again)} declined changes again")
            for e in self.story.events:
                if e.shown is None and e.week <= wk.week and any(
                    e.subject in line and e.marker in (line if e.in_line else bot)
                    for _, line, bot in changed
                ):  # fmt: skip
                    e.shown = wk.week
                    wk.shown.append(e.what)
            self.pr_checks(wk, pr, head)
        tips = [*r.branches().values()]
        tips += [p.head_sha for p in r.pulls.values() if p.state == "closed" and p.head_sha]
        store = r.git()
        lost = [s for s in self.story.human if not any(store.is_ancestor(s, t) for t in tips)]
        if len(lost) > self.tally.lost:
            wk.problems.append(f"{len(lost) - self.tally.lost} human commits lost")
        self.tally.lost = len(lost)
        if wk.week in (4, 5):
            self.blocked(wk)

    def pr_checks(self, wk: Week, pr: Any, head: str) -> None:
        lines = split(head)
        for url, since in self.story.notes_deleted.items():
            changed = min((e.week for e in self.story.events if e.subject == url), default=99)
            if since <= wk.week < changed and any(bot for m, bot in lines if f"]({url})" in m):
                self.tally.written_back.add(url)
                wk.problems.append(f"#{pr.number} writes back the note deleted by hand after "
                                   f"{url.removeprefix('https://github.com/')}")  # fmt: skip
        if wk.week == 3 and not any(bot for m, bot in lines if f"]({FRESH})" in m):
            wk.problems.append("the new entry has no status")
        if wk.week == 6:
            parents = list(self.repo.head(pr.head).parents)
            if pr.head == self.story.closed_head or parents != [self.repo.head().sha]:
                wk.problems.append(f"#{pr.number} is not on a fresh branch from the default one")

    def blocked(self, wk: Week) -> None:
        """Weeks 4 and 5: the human commit is the branch's head; the bot said so once."""
        pr = next(iter(self.repo.open_pulls()), None)
        if pr is None:
            return
        if self.repo.branches().get(pr.head) not in self.story.human:
            wk.problems.append(f"the human commit on `{pr.head}` was overwritten")
        said = sum(NOT_THE_BOTS in c.body for c in pr.comments)
        if said != 1:
            wk.problems.append(f"said {said} times on #{pr.number} that a commit is not the bot's")
