"""Collect: which provider checks each link, one check per distinct key however often the
list links it; excluded links are never fetched."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.check.providers import owner
from bot.parse.markdown import Document, Link
from bot.parse.target import Target


@dataclass
class Work:
    targets: dict[str, list[Target]] = field(default_factory=dict)  # provider → its targets
    counts: dict[str, int] = field(default_factory=dict)  # provider → distinct keys
    links: list[Link] = field(default_factory=list)  # the links that are checked
    excluded: list[Link] = field(default_factory=list)


def collect(doc: Document, exclude: list[str] | None = None) -> Work:
    patterns = [re.compile(p) for p in exclude or []]
    work = Work()
    keys: dict[str, set[str]] = {}
    seen: set[tuple[str, str]] = set()
    for link in doc.links:
        if link.ignored or any(p.search(link.url) for p in patterns):
            work.excluded.append(link)
            continue
        work.links.append(link)
        found = owner(link.target)
        if found is None:
            continue
        p, key = found
        keys.setdefault(p.name, set()).add(key)
        if (p.name, link.target.url) not in seen:
            seen.add((p.name, link.target.url))
            work.targets.setdefault(p.name, []).append(link.target)
    work.counts = {name: len(k) for name, k in keys.items()}
    return work
