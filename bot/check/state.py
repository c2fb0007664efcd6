"""History between runs (`data/state.json`): per repository, paper, path and URL the
last observation, failures in a row, first failure, last success, a bounded star
history, the last seen arXiv version and ETags.

The file carries a schema version; a corrupt file or one written by a newer bot is
an error, never silently replaced. Writes are atomic, and a lock file keeps two runs
from using the same state at once."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import StateError
from bot.files import atomic_write

SCHEMA_VERSION = 1
# The run-level records in `State.meta`, every one of them:
NOTES = "notes"  # link URL → what its note showed when the list last had one
# item id → {"day", "pr", "reason", "subject", "line", "text"}: the change a closed pull request
# declined, in words a maintainer recognises (bounded: `bot.render.edits.words`, for at most
# `bot.publish.pull_request.WORDS_KEPT` changes of a PR; the rest: day and PR); a bare
# day in histories written before those words were kept
DECLINED = "declined"
DASHBOARD = "dashboard"  # the dashboard issue: {"number", "silence": [link ids ticked]}
PULL = "pr"  # the bot's pull request: {"branch", "number", "items", "notes", "listed"}
REFRESHED = "refreshed"  # when the list last got every drift (ISO date)
INTERRUPTED = "interrupted"  # the last save came from a stopped run: {"at", "by", "answered", "of"}
OWN_ENTRIES = ("repos", "papers", "paths", "urls")  # every file has these, in this order


@dataclass
class Entry:
    first_seen: str | None = None
    last_checked: str | None = None  # last run that got an answer (ok or fail)
    last_ok: str | None = None
    failures: int = 0  # failed runs in a row
    first_failure: str | None = None
    server_errors: int = 0  # runs in a row that got a 5xx from the page itself
    first_server_error: str | None = None
    last_error: str | None = None
    not_checked: bool = False  # skipped last run: goes first next run
    data: dict[str, Any] = field(default_factory=dict)  # last good observation
    stars: list[list[Any]] = field(default_factory=list)  # [[iso date, count], …]
    version: int | None = None  # arXiv: last seen latest version
    etag: str | None = None


@dataclass
class State:
    repos: dict[str, Entry] = field(default_factory=dict)
    papers: dict[str, Entry] = field(default_factory=dict)
    paths: dict[str, Entry] = field(default_factory=dict)
    urls: dict[str, Entry] = field(default_factory=dict)
    updated: str | None = None
    # Run-level records, e.g. the pull-request memory (closed-unmerged fingerprints).
    meta: dict[str, Any] = field(default_factory=dict)
    more: dict[str, dict[str, Entry]] = field(default_factory=dict)  # other providers' entries

    def entries(self, name: str) -> dict[str, Entry]:
        """The entries of one part of the history (a provider's `history`, or `paths`)."""
        return getattr(self, name) if name in OWN_ENTRIES else self.more.setdefault(name, {})

    def json_chunks(self) -> Iterator[str]:
        """The file's text in pieces. `json.dumps(indent=…)` joins millions of small
        pieces at once: for 50,000 entries that cost ~120 MB of peak memory."""
        doc: dict[str, Any] = {"version": SCHEMA_VERSION, "updated": self.updated}
        for name in (*OWN_ENTRIES, *sorted(k for k, v in self.more.items() if v)):
            doc[name] = {k: _compact(asdict(v)) for k, v in sorted(self.entries(name).items())}
        doc["meta"] = self.meta
        yield from json.JSONEncoder(indent=1, ensure_ascii=False).iterencode(doc)
        yield "\n"

    def record(self, key: str) -> dict[str, Any]:
        """A run-level record of `meta` that is a mapping, or {} (none, or a hand-edited one
        of another shape)."""
        found = self.meta.get(key)
        return found if isinstance(found, dict) else {}

    def to_json(self) -> str:
        buf = io.StringIO()
        for chunk in self.json_chunks():
            buf.write(chunk)
        return buf.getvalue()


_DEFAULTS = asdict(Entry())


def _compact(d: dict[str, Any]) -> dict[str, Any]:
    """Drop defaults so the file stays small for 50,000 links."""
    return {k: v for k, v in d.items() if v != _DEFAULTS[k]}


def from_json(text: str, source: str) -> State:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StateError(
            f"{source}: state file is corrupt ({exc.msg} at line {exc.lineno}); "
            "fix it, or move it away to start a fresh history"
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("version"), int):
        raise StateError(f"{source}: not an awesome-monitor state file (no schema version)")
    if doc["version"] > SCHEMA_VERSION:
        raise StateError(
            f"{source}: state schema version {doc['version']} is newer than this bot "
            f"understands ({SCHEMA_VERSION}); upgrade awesome-monitor"
        )
    state = State(updated=doc.get("updated"), meta=doc.get("meta") or {})
    if not isinstance(state.meta, dict):
        raise StateError(f"{source}: state file is corrupt ('meta' is not an object)")
    more = [k for k, v in doc.items() if k not in (*OWN_ENTRIES, "version", "updated", "meta")
            and isinstance(v, dict)]  # fmt: skip
    for name in (*OWN_ENTRIES, *more):
        raw_section = doc.get(name) or {}
        if not isinstance(raw_section, dict):
            raise StateError(f"{source}: state file is corrupt ('{name}' is not an object)")
        section = state.entries(name)
        for key, raw in raw_section.items():
            bad = _bad_field(raw)
            if bad:
                raise StateError(
                    f"{source}: state file is corrupt ('{name}' entry {key!r}: {bad}); "
                    "fix it, or move it away to start a fresh history"
                )
            section[key] = Entry(**{k: v for k, v in raw.items() if k in _FIELD_TYPES})
    return state


# What each field of an entry may hold: a hand-edited or damaged file must fail here
# with a message, not later with a TypeError in the middle of a run.
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "first_seen": (str, type(None)),
    "last_checked": (str, type(None)),
    "last_ok": (str, type(None)),
    "failures": (int,),
    "first_failure": (str, type(None)),
    "server_errors": (int,),
    "first_server_error": (str, type(None)),
    "last_error": (str, type(None)),
    "not_checked": (bool,),
    "data": (dict,),
    "stars": (list,),
    "version": (int, type(None)),
    "etag": (str, type(None)),
}


def _bad_field(raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return "not an object"
    for k, v in raw.items():
        kinds = _FIELD_TYPES.get(k)
        if kinds is None:
            continue  # a field this version does not know: ignored
        if not isinstance(v, kinds) or (isinstance(v, bool) and bool not in kinds):
            return f"'{k}' has the wrong type"
    stars = raw.get("stars") or []
    if not all(isinstance(p, list) and len(p) == 2 and isinstance(p[1], int) for p in stars):
        return "'stars' has the wrong shape"
    return None


def load(path: Path) -> State:
    """Load state; a missing file is a fresh history."""
    if path.is_dir():
        raise StateError(f"{path}: is a directory, expected the history (a JSON state file)")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return State()
    except (OSError, UnicodeDecodeError) as exc:
        raise StateError(f"{path}: cannot read state file ({exc})") from None
    return from_json(text, str(path))


def save(path: Path, state: State) -> None:
    atomic_write(path, state.json_chunks(), "history")


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def locked(path: Path, wait: float = 10.0) -> Iterator[None]:
    """Hold `<state>.lock` for the run; another run waits up to `wait` seconds, then
    is refused with a clear message."""
    lock = lock_path(path)
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StateError(
            f"{lock}: cannot create the history's lock file ({exc.strerror or exc})"
        ) from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StateError(
                        f"{path}: another awesome-monitor run is using this state file; "
                        "try again when it has finished"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)
