"""`review` on every real list: a simulated pull request adds ten links of every kind (see
tests/review_contribution.py) and rewords a line. Each new link is reported exactly (its
findings, blocking or not, its line), with the fewest requests (one GraphQL query for all
its repositories, one arXiv query, one request per new web page, nothing for the list's own
links or for a duplicate), annotated on its line, and after a second push that fixes the
blocking links there is still one comment, edited in place."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import corpus_files
from tests.review_contribution import Expected, contribution, fixed, prepare
from tests.review_world import ReviewWorld

CORPUS = corpus_files()


def _check(run, cases: list[Expected]) -> None:  # noqa: ANN001
    got = {e["url"]: e for e in run.report["links"]}
    assert set(got) == {c.url for c in cases}, "every new link, and only them"
    for c in cases:
        e = got[c.url]
        assert e["line"] == c.line, c.url
        assert {f["kind"] for f in e["findings"]} == c.kinds, (c.url, e["findings"])
        assert e["blocking"] is c.blocking, c.url
        said = "; ".join(f["detail"] for f in e["findings"])
        assert c.detail in said, (c.url, said)
        if c.same_as:
            assert e["duplicate_of"] == {"url": c.same_as, "line": c.same_line}
    blocking = sorted(c.line for c in cases if c.blocking)
    # One severity everywhere (bot/render/severity.py): a stale link is a notice.
    notices = sorted(c.line for c in cases if c.kinds == {"stale"} and not c.blocking)
    warnings = sorted(c.line for c in cases if c.kinds and not c.blocking and c.line not in notices)
    assert sorted(line for line, _ in run.annotations("error")) == blocking
    assert sorted(line for line, _ in run.annotations("warning")) == warnings
    assert sorted(line for line, _ in run.annotations("notice")) == notices and notices
    assert run.code == (1 if blocking else 0), run.err


def _requests(world: ReviewWorld, web_paths: list[str]) -> None:
    got = world.requests()
    github = {
        k: n for k, n in got["github"].items() if "/issues/" not in k and k != "GET /repos/{o}/{r}"
    }
    assert github == {"POST /graphql": 1}, got["github"]
    assert got["arxiv"] == Counter({"GET /api/query": 1})
    assert got["web"] == Counter(dict.fromkeys(web_paths, 1))


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is absent")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_a_contribution_of_ten_links_to_every_real_list(path: Path, tmp_path: Path) -> None:
    base = path.read_text(encoding="utf-8")
    world = ReviewWorld(tmp_path, base)
    try:
        prepare(world)
        head, cases = contribution(world, base)
        assert len(cases) >= 9 and any("duplicate" in c.kinds for c in cases)
        first = world.push(head, "ten new links")
        run = world.run()
        _check(run, cases)
        _requests(world, ["/gone-page"])
        assert f"Reviewed at {first[:7]}" in world.comments()[0]

        world.reset_counts()
        text, kept = fixed(head, cases)
        second = world.push(text, "fix the failing links, drop the duplicates")
        run = world.run()
        _check(run, kept)
        _requests(world, ["/fine-page"])
        (comment,) = world.comments()
        assert f"Reviewed at {second[:7]}" in comment and "0 blocking" in comment
        assert world.github.counts["POST /repos/{o}/{r}/issues/{n}/comments"] == 0
        assert world.github.counts["PATCH /repos/{o}/{r}/issues/comments/{id}"] == 1
    finally:
        world.stop()
