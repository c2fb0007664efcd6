"""Does the bot's rewrite add awesome-lint problems? Run by hand (needs Node.js):

    npm install --prefix /tmp/al awesome-lint
    python scripts/awesome_lint_compare.py --awesome-lint /tmp/al/node_modules/.bin/awesome-lint

It rewrites the bundled sample with verdicts from the emulator scenario (no network
beyond loopback), runs awesome-lint on the list before and after, and prints the
problems found after that were not there before: a (line, rule) pair that awesome-lint
did not report before the rewrite (the bot only appends to lines, so line numbers
hold). Exit 1 when there is a new problem."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.world import World  # noqa: E402

PROBLEM = re.compile(r"^\s*[✖⚠]\s+(\d+):\d+\s+(.*?)\s{2,}(\S+)\s*$")


def problems(lint: str, path: Path) -> Counter[tuple[int, str]]:
    proc = subprocess.run([lint, str(path.name)], cwd=path.parent, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    out: Counter[tuple[int, str]] = Counter()
    for line in (proc.stdout + proc.stderr).splitlines():
        m = PROBLEM.match(line)
        if m:
            out[(int(m.group(1)), m.group(3))] += 1
    return out


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--awesome-lint", default=shutil.which("awesome-lint") or "awesome-lint")
    args = p.parse_args()
    sample = (ROOT / "data" / "awesome-image-classification-2019.md").read_text()
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        before = tmpd / "before" / "README.md"
        before.parent.mkdir()
        before.write_text(sample)
        world = World(tmpd, sample, web_cases=False)
        try:
            world.run("check", "--write")
        finally:
            world.stop()
        after = tmpd / "after" / "README.md"
        after.parent.mkdir()
        after.write_text(world.list_path.read_text())
        old, new = problems(args.awesome_lint, before), problems(args.awesome_lint, after)
    added = Counter({k: n for k, n in new.items() if k not in old})
    print(f"awesome-lint: {sum(old.values())} problems before, {sum(new.values())} after")
    for (line, rule), n in sorted(added.items()):
        print(f"  new: line {line}: {rule} (x{n})")
    print("no new problem" if not added else f"{sum(added.values())} new problems")
    return 1 if added else 0


if __name__ == "__main__":
    raise SystemExit(main())
