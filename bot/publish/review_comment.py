"""The review's one comment on a pull request: found by a hidden marker (one per list, so two
lists reviewed in one repository keep a comment each), edited in place on every push whose
review says something new, never a second one. None is opened while there is nothing to look
at; one that exists says so once things are fixed.

A pull request from a fork gets a read-only GITHUB_TOKEN on `pull_request` events: GitHub
refuses the write ("Resource not accessible by integration"), and the review says so in one
line and goes on: the annotations and the job summary carry it all."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.publish.github_errors import ReadOnlyToken
from bot.publish.platform import Platform

NEEDS = "contents: read, pull-requests: write"  # named when GitHub refuses the comment


def marker(path: str) -> str:
    """The hidden first line of the review's comment on `path`."""
    return f"<!-- awesome-monitor-review {json.dumps(path)} -->"


@dataclass
class CommentOutcome:
    action: str  # created, edited, unchanged, none (nothing to say), skipped (read-only)
    detail: str = ""


def publish(platform: Platform, number: int, path: str, text: str, news: bool) -> CommentOutcome:
    """Create, edit or leave the review's comment on pull request `number`. `text` starts
    with `marker(path)`; `news`: the review has something to look at (else no comment is
    opened, and an existing one is edited to say so)."""
    mark = marker(path)
    try:
        mine = [c for c in platform.issue_comments(number) if (c.body or "").startswith(mark)]
        if mine:
            if mine[0].body == platform.quiet(text):  # as it was written
                return CommentOutcome("unchanged")
            platform.edit_comment(mine[0], text)
            return CommentOutcome("edited")
        if not news:
            return CommentOutcome("none", "nothing to look at")
        platform.add_issue_comment(number, text)
        return CommentOutcome("created")
    except ReadOnlyToken:
        return CommentOutcome(
            "skipped",
            f"the token may not write to {platform.name} (a pull request from a fork gets a "
            "read-only token): the annotations and the job summary carry the review",
        )
