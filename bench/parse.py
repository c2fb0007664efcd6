"""Parse-time benchmark: `python bench/parse.py [FILE ...]` (default: the bundled
sample and every list in ../shared/corpus). Prints links found and the best of
five parse times per file. Run by hand, not in CI."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bot.parse.markdown import parse

ROOT = Path(__file__).resolve().parent.parent


def main(paths: list[Path]) -> None:
    print(f"{'file':48} {'kB':>6} {'links':>6} {'parse s':>8}")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            doc = parse(text)
            best = min(best, time.perf_counter() - start)
        print(f"{path.name:48} {len(text) / 1000:6.0f} {len(doc.links):6} {best:8.3f}")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    if not args:
        args = [ROOT / "data" / "awesome-image-classification-2019.md"]
        args += sorted((ROOT.parent / "shared" / "corpus").glob("*.md"))
    main(args)
