"""What an item says, with its links (a moved link's new address, a dead link's archived
copy), is one macro (`templates/links.md.j2`) in the PR body, the dashboard and the job
summary: rendered by cmark-gfm, each address is the link's own (a `_` escaped as text would
give GitHub a broken address)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from bot.render.groups import Item
from bot.render.templating import environment
from tests.gfm_oracle import render

TEMPLATES = Path(__file__).parents[2] / "bot" / "render" / "templates"
NEW = "https://github.com/new_owner/some_repo"
COPY = "http://web.archive.org/web/2024/https://example.com/a_b_c"


def hrefs(markdown: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'<a href="([^"]*)"', render(markdown))]


def test_a_moved_address_and_an_archived_copy_are_links_to_themselves() -> None:
    detail = environment().from_string('{% from "links.md.j2" import detail %}{{ detail(i) }}')
    moved = Item(1, "https://github.com/old_owner/some_repo", f"now {NEW}", to=NEW)
    dead = Item(2, "https://example.com/a_b_c", "HTTP 404", archive=COPY)
    assert hrefs(detail.render(i=moved)) == [NEW]
    assert hrefs(detail.render(i=dead)) == [COPY]
    # The old way (`detail | md`) is what broke them.
    md = environment().from_string("{{ i.detail | md }}")
    assert hrefs(md.render(i=moved)) != [NEW]


def test_every_markdown_text_says_items_through_the_one_macro() -> None:
    for name in ("pr_body.md.j2", "issue_body.md.j2", "report.md.j2"):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        assert '{% from "links.md.j2" import' in text and "detail | md" not in text, name
