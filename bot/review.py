"""The review of a change to a list: parse both versions with the same parser as the weekly
check, find the links the change adds or alters (`bot.parse.diff`), find those that repeat
a target the list already has (`bot.check.identity`), and check the rest, and only them,
with the same providers and the same rules (`bot.check.run`). Nothing is saved: a review
starts from no history, so one run never makes a link dead.

A duplicate of a link already in the list is not checked: that target is the list's
already, and the duplicate is the finding. A link under a disable comment or
`[check] exclude` is neither checked nor reported."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.check.collect import collect
from bot.check.identity import duplicates
from bot.check.run import Progress, run_check
from bot.check.state import State
from bot.check.stop import Stop
from bot.config import Config
from bot.parse.diff import added_links, written
from bot.pipeline import parse_list
from bot.render.review import Review, reviewed


def review(
    file: str,
    base_name: str,
    base_text: str,
    head_text: str,
    cfg: Config,
    progress: Progress | None = None,
    env: Mapping[str, str] | None = None,
    stop: Stop | None = None,
) -> Review:
    """The review of `head_text` against `base_text` (empty: a new list)."""
    head = parse_list(head_text, cfg)
    base = parse_list(base_text, cfg)
    new = added_links(base, head)
    excluded = {lk.start for lk in collect(replace(head, links=new), cfg.check.exclude).excluded}
    kept = [lk for lk in new if lk.start not in excluded]
    same = duplicates(kept, written(head))
    listed = {lk.start for lk in kept}
    ask = [lk for lk in kept if lk.start not in same or same[lk.start].start in listed]
    result = None
    if ask:
        result = run_check(replace(head, links=ask), cfg, State(), progress, env=env, stop=stop)
    return Review(file, base_name, reviewed(kept, same, result, cfg), len(new) - len(kept),
                  result)  # fmt: skip
