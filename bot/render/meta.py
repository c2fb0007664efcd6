"""The bot's hidden metadata in the bodies it writes (a pull request's, the dashboard's): an
HTML comment GitHub does not show, holding what the next run reads back (a fingerprint, the
kind of body, the list's path)."""

from __future__ import annotations

import json
import re

META_RE = re.compile(r"<!-- awesome-monitor-meta (\{.*?\}) -->")


def meta_comment(data: dict[str, str]) -> str:
    return f"<!-- awesome-monitor-meta {json.dumps(data, sort_keys=True)} -->"


def read_meta(body: str | None) -> dict[str, str]:
    m = META_RE.search(body or "")
    if not m:
        return {}
    try:
        return json.loads(m.group(1))
    except json.JSONDecodeError:
        return {}
