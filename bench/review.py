"""Review benchmark: `python bench/review.py [FILE ...]` (default: the bundled sample and every
list in ../shared/corpus). For each list, the simulated pull request of
tests/review_contribution.py (ten new links of every kind and a reworded line) is reviewed
on a git checkout against the emulators, then a second push fixes the blocking links and is
reviewed again. It prints the requests of the first review per service (GitHub's GraphQL for
the check; GitHub's REST for the comment: the repository, its comments, the one write), what
a full `check` of the same list would need at least (⌈repos/100⌉ GraphQL, ⌈papers/100⌉
arXiv, one request per web link), the comments on the pull request after both pushes, and
the wall time of each review in-process. Run by hand, not in CI."""

from __future__ import annotations

import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.check.providers import classify_links  # noqa: E402
from bot.check.providers.arxiv import ArxivTarget  # noqa: E402
from bot.check.providers.github_urls import GitHubTarget  # noqa: E402
from bot.parse.markdown import parse  # noqa: E402
from tests.review_contribution import contribution, fixed, prepare  # noqa: E402
from tests.review_world import ReviewWorld  # noqa: E402


def full_check_minimum(text: str) -> tuple[int, int, int]:
    """(GraphQL, arXiv, web) requests a full check of `text` needs at least."""
    doc = classify_links(parse(text))
    repos = {t.repo_key for lk in doc.links if isinstance(t := lk.target, GitHubTarget)}
    papers = {t.arxiv_id for lk in doc.links if isinstance(t := lk.target, ArxivTarget)}
    web = {lk.url for lk in doc.links if lk.kind in ("web", "github_page")
           and lk.url.startswith("http")}  # fmt: skip
    return math.ceil(len(repos) / 100), math.ceil(len(papers) / 100), len(web)


def bench(path: Path, tmp: Path) -> dict[str, object]:
    base = path.read_text(encoding="utf-8")
    world = ReviewWorld(tmp, base)
    try:
        prepare(world)
        head, cases = contribution(world, base)
        world.push(head)
        start = time.perf_counter()
        first = world.run()
        wall1 = time.perf_counter() - start
        got = world.requests()
        gh = got["github"]
        rest = sum(n for k, n in gh.items() if k != "POST /graphql")
        world.reset_counts()
        world.push(fixed(head, cases)[0], "fix")
        start = time.perf_counter()
        second = world.run()
        wall2 = time.perf_counter() - start
        dups = sorted(c.url.split("/")[2] for c in cases if "duplicate" in c.kinds)
        return {
            "file": path.name, "links": len(parse(base).links), "new": len(cases),
            "dups": ",".join(d.replace("www.", "") for d in dups),
            "graphql": gh["POST /graphql"], "rest": rest,
            "arxiv": sum(got["arxiv"].values()), "web": sum(got["web"].values()),
            "full": full_check_minimum(head), "comments": len(world.comments()),
            "exits": f"{first.code},{second.code}", "wall": (wall1, wall2),
        }  # fmt: skip
    finally:
        world.stop()


def main(paths: list[Path]) -> None:
    print(f"{'list':44} {'links':>5} {'new':>3} {'GraphQL':>7} {'REST':>4} {'arXiv':>5} "
          f"{'web':>3}  {'full check at least':>19}  {'comments':>8} {'exits':>5} "
          f"{'wall s':>9}  duplicates of")  # fmt: skip
    for path in paths:
        with tempfile.TemporaryDirectory() as tmp:
            r = bench(path, Path(tmp))
        g, a, w = r["full"]  # type: ignore[misc]
        full = f"{g} + {a} + {w:,}"
        wall = "{:.2f}/{:.2f}".format(*r["wall"])  # type: ignore[str-format]
        print(f"{r['file']:44} {r['links']:5} {r['new']:3} {r['graphql']:7} {r['rest']:4} "
              f"{r['arxiv']:5} {r['web']:3}  {full:>19}  {r['comments']:8} {r['exits']:>5} "
              f"{wall:>9}  {r['dups']}")  # fmt: skip
    print("(REST: the comment's requests. Full check: GraphQL + arXiv + web requests at least. "
          "wall: first/second review)")  # fmt: skip


if __name__ == "__main__":
    args = [Path(a).resolve() for a in sys.argv[1:]]
    if not args:
        args = [ROOT / "data" / "awesome-image-classification-2019.md"]
        args += sorted((ROOT.parent / "shared" / "corpus").glob("*.md"))
    main(args)
