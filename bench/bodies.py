"""`--bodies DIR` of the simulated weeks (`people.py`, `timeline.py`): every pull request the
bot opened or changed that week, as a maintainer reads it (its title, state and body), one
file each, so that a person can read every PR of the story."""

from __future__ import annotations

from pathlib import Path
from typing import Any

Seen = dict[int, tuple[str, str, str]]


def snapshot(pulls: dict[int, Any]) -> Seen:
    return {n: (p.state, p.title or "", p.body or "") for n, p in pulls.items()}


def save(folder: Path | None, prefix: str, week: int, before: Seen, pulls: dict[int, Any]) -> None:
    """Write each pull request that is new or changed since `before`."""
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for n, (state, title, body) in snapshot(pulls).items():
        if before.get(n) != (state, title, body):
            name = f"{prefix}-week{week:02d}-pr{n}.md"
            (folder / name).write_text(f"{title}\n\n({state})\n\n{body}\n", encoding="utf-8")
