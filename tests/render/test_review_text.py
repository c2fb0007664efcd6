"""The review's texts keep within what GitHub takes, however many links a pull request adds
(a whole new list): the comment within 262,144 bytes (GitHub refuses more), the job summary
within 1 MiB (GitHub drops more), every blocking link first, the rest counted."""

from __future__ import annotations

import re

from bot.config import Config
from bot.parse.markdown import parse
from bot.render.caps import SHOWN
from bot.render.fit import COMMENT, SUMMARY
from bot.render.review import Finding, Review, Reviewed
from bot.render.review_text import counts, review_markdown, review_text


def big_review(n: int) -> Review:
    text = "".join(f"- [e{i}](https://github.com/owner-{i:05d}/{'x' * 60}-{i})\n" for i in range(n))
    links = parse(text).links
    out = []
    for i, lk in enumerate(links):
        r = Reviewed(lk)
        if i % 3 == 0:
            r.findings.append(Finding("failing", "failing now: repository not found", True))
        elif i % 3 == 1:
            r.findings.append(Finding("stale", "stale: no commit since 2019-03-04"))
        else:
            r.shows = "★ 1.2k"
        out.append(r)
    return Review("README.md", "origin/main at 1234567", out)


def test_a_huge_review_fits_a_comment_and_a_summary() -> None:
    review = big_review(6_000)
    cfg = Config()
    comment = review_markdown(review, cfg, COMMENT, marker="<!-- m -->", where="the summary")
    assert len(comment.encode("utf-8")) <= 262_144
    assert comment.startswith("<!-- m -->\n") and "6,000 links added or changed" in comment
    shown = re.findall(r"^- line (\d+):", comment, re.M)
    assert shown[:3] == ["1", "4", "7"], "the blocking links first"
    assert re.search(r"^- … and [\d,]+ more \(the summary\)$", comment, re.M)
    summary = review_markdown(review, cfg, SUMMARY)
    assert len(summary.encode("utf-8")) <= 1_048_576
    assert len(re.findall(r"^- line \d+:", summary, re.M)) > len(shown)
    assert "<summary>Fine (2000)</summary>" in summary

    terminal = review_text(review, cfg)
    assert f"… and {2000 - SHOWN} more (all of them in --json)" in terminal
    assert counts(review) == {
        "added": 6000, "skipped": 0, "blocking": 2000, "warnings": 2000, "fine": 2000,
        "finding_failing": 2000, "finding_stale": 2000,
    }  # fmt: skip
