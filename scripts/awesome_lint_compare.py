"""Does the bot's rewrite add awesome-lint problems? Run by hand (needs Node.js):

    npm ci --prefix .ci/awesome-lint        # awesome-lint 2.3.0, pinned by its lock file
    python scripts/awesome_lint_compare.py [--corpus]

It rewrites the bundled sample (with --corpus: also every list in ../shared/corpus) with
verdicts from the emulator scenario (no network beyond loopback), runs awesome-lint on
each list before and after, and prints, per list, the rules that report more problems
after than before, or fewer (a note hiding an author's problem), and the problems seen on
one side only, by line, rule and message (tests/awesome_lint.py: differences). Exit 1 when
anything differs.

Counting per rule, not per (line, rule) pair: the bot appends to lines that often carry a
problem of the same rule already (every row of an unaligned table has a
table-pipe-alignment report), so new reports on those lines are not new pairs; the pair
comparison printed "205 problems before, 297 after" and "no new problem"."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import awesome_lint  # noqa: E402
from tests.conftest import corpus_files  # noqa: E402


def rewrite(text: str, sample: bool) -> str:
    """The list after `check --write` against the emulators (as the tests run it)."""
    from tests.world import World  # the bot's CLI, imported only here

    with tempfile.TemporaryDirectory() as tmp:
        if sample:
            world = World(Path(tmp), text, web_cases=False)
            args = ("check", "--write")
        else:  # real lists link real web hosts: only GitHub and arXiv are checked
            world = World(Path(tmp), text, web_cases=False, check_web=False)
            args = ("check", "--write", "--dead-after", "1")
        try:
            run = world.run(*args)
            if run.code != 0:
                raise SystemExit(f"check --write failed ({run.code}): {run.err}")
            return world.list_path.read_text(encoding="utf-8")
        finally:
            world.stop()


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--corpus", action="store_true", help="also every list in ../shared/corpus")
    args = p.parse_args()
    reason = awesome_lint.unavailable()
    if reason is not None:
        print(f"awesome-lint unavailable: {reason}", file=sys.stderr)
        return 2
    lists = {"sample": (ROOT / "data" / "awesome-image-classification-2019.md", True)}
    if args.corpus:
        lists.update({path.name: (path, False) for path in corpus_files()})
    befores = [path.read_text(encoding="utf-8") for path, _ in lists.values()]
    afters = [rewrite(path.read_text(encoding="utf-8"), sample) for path, sample in lists.values()]
    results = awesome_lint.lint_texts(befores + afters)
    assert results is not None
    n, worse = len(befores), 0
    for i, name in enumerate(lists):
        old, new = awesome_lint.per_rule(results[i]), awesome_lint.per_rule(results[n + i])
        found = awesome_lint.differences(results[i], results[n + i])
        worse += bool(found)
        print(f"{name}: {sum(old.values())} problems before, {sum(new.values())} after")
        for rule, more in found.get("more", {}).items():
            print(f"  new: {rule}: +{more} ({old[rule]} -> {new[rule]})")
        for rule, fewer in found.get("fewer", {}).items():
            print(f"  hidden: {rule}: -{fewer} ({old[rule]} -> {new[rule]})")
        for line, rule, message in found.get("hidden", []):
            print(f"  hidden: line {line}: {rule}: {message}")
        for line, rule, message in found.get("added", []):
            print(f"  added: line {line}: {rule}: {message}")
        if not found:
            print("  no rule reports more or fewer; every problem the author had is still seen")
    return 1 if worse else 0


if __name__ == "__main__":
    raise SystemExit(main())
