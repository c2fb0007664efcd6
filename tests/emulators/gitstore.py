"""A tiny in-memory git: content-addressed blobs, flat trees (full path -> blob sha),
commits with parents and named branches. SHAs are computed like git's for blobs
(so a blob sha matches what `git hash-object` prints) and deterministically for
trees and commits. Enough to back the REST write endpoints the bot uses."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def blob_sha(data: bytes) -> str:
    """Git's blob id: sha1 of "blob <len>\\0<data>"."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    date: str  # ISO 8601, "Z" suffix

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email, "date": self.date}


BOT = Person("awesome-monitor[bot]", "bot@example.invalid", "2024-01-01T00:00:00Z")


@dataclass(frozen=True)
class Commit:
    sha: str
    tree: str
    parents: tuple[str, ...]
    message: str
    author: Person
    committer: Person


@dataclass
class GitStore:
    """One repository's objects and branches. All methods are thread-safe."""

    blobs: dict[str, bytes] = field(default_factory=dict)
    trees: dict[str, dict[str, str]] = field(default_factory=dict)
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    # -- objects ------------------------------------------------------------------
    def put_blob(self, data: bytes) -> str:
        sha = blob_sha(data)
        with self._lock:
            self.blobs[sha] = data
        return sha

    def put_tree(self, entries: dict[str, str]) -> str:
        """Store a flat tree (path -> blob sha) and return its id."""
        canon = "\n".join(f"{p}\x00{s}" for p, s in sorted(entries.items())).encode()
        sha = hashlib.sha1(b"tree %d\x00" % len(canon) + canon).hexdigest()
        with self._lock:
            self.trees[sha] = dict(entries)
        return sha

    def put_commit(
        self,
        tree: str,
        parents: list[str] | tuple[str, ...],
        message: str,
        author: Person = BOT,
        committer: Person | None = None,
    ) -> Commit:
        committer = committer or author
        if tree not in self.trees:
            raise KeyError(f"unknown tree {tree}")
        for p in parents:
            if p not in self.commits:
                raise KeyError(f"unknown parent {p}")
        text = "\n".join(
            [f"tree {tree}", *(f"parent {p}" for p in parents), repr(author), repr(committer)]
        )
        raw = f"{text}\n\n{message}".encode()
        sha = hashlib.sha1(b"commit %d\x00" % len(raw) + raw).hexdigest()
        c = Commit(sha, tree, tuple(parents), message, author, committer)
        with self._lock:
            self.commits[sha] = c
        return c

    # -- refs -----------------------------------------------------------------------
    def resolve(self, ref: str) -> Commit | None:
        """A branch name, "refs/heads/X", "heads/X" or a full/abbreviated commit sha."""
        with self._lock:
            for prefix in ("refs/heads/", "heads/"):
                if ref.startswith(prefix) and ref[len(prefix) :] in self.branches:
                    return self.commits[self.branches[ref[len(prefix) :]]]
            if ref in self.branches:
                return self.commits[self.branches[ref]]
            if ref in self.commits:
                return self.commits[ref]
            if len(ref) >= 7:
                hits = [c for s, c in self.commits.items() if s.startswith(ref)]
                if len(hits) == 1:
                    return hits[0]
        return None

    def set_branch(self, name: str, sha: str) -> None:
        with self._lock:
            if sha not in self.commits:
                raise KeyError(f"unknown commit {sha}")
            self.branches[name] = sha

    def delete_branch(self, name: str) -> None:
        with self._lock:
            del self.branches[name]

    # -- convenience for tests and the REST layer --------------------------------------
    def commit_files(
        self,
        branch: str,
        changes: dict[str, str | bytes | None],
        message: str,
        author: Person = BOT,
        committer: Person | None = None,
    ) -> Commit:
        """Commit on top of `branch` (created if absent): path -> new text, None deletes."""
        with self._lock:
            head = self.resolve(branch) if branch in self.branches else None
            entries = dict(self.trees[head.tree]) if head else {}
            for path, content in changes.items():
                if content is None:
                    entries.pop(path, None)
                else:
                    data = content.encode() if isinstance(content, str) else content
                    entries[path] = self.put_blob(data)
            tree = self.put_tree(entries)
            c = self.put_commit(tree, [head.sha] if head else [], message, author, committer)
            self.branches[branch] = c.sha
            return c

    def files(self, ref: str) -> dict[str, str]:
        """path -> blob sha at `ref` ({} when the ref is unknown)."""
        c = self.resolve(ref)
        return dict(self.trees[c.tree]) if c else {}

    def read(self, ref: str, path: str) -> bytes | None:
        sha = self.files(ref).get(path)
        return None if sha is None else self.blobs[sha]

    def text(self, ref: str, path: str) -> str | None:
        data = self.read(ref, path)
        return None if data is None else data.decode()

    def is_dir(self, ref: str, path: str) -> bool:
        prefix = path.rstrip("/") + "/" if path.strip("/") else ""
        return any(p.startswith(prefix) for p in self.files(ref))

    def listdir(self, ref: str, path: str) -> list[tuple[str, str | None]]:
        """Direct children of folder `path`: (child path, blob sha or None for a folder)."""
        prefix = path.strip("/") + "/" if path.strip("/") else ""
        out: dict[str, str | None] = {}
        for p, sha in self.files(ref).items():
            if p.startswith(prefix):
                head, sep, _ = p[len(prefix) :].partition("/")
                out[prefix + head] = None if sep else sha
        return sorted(out.items())

    def history(self, ref: str, path: str | None = None) -> list[Commit]:
        """First-parent history, newest first; with `path`, only commits that changed it."""
        out: list[Commit] = []
        c = self.resolve(ref)
        while c is not None:
            parent = self.commits[c.parents[0]] if c.parents else None
            if path is None or self._blob_at(c, path) != (
                self._blob_at(parent, path) if parent else None
            ):
                out.append(c)
            c = parent
        return out

    def changed_paths(self, c: Commit) -> list[tuple[str, str]]:
        """(path, "added" | "modified" | "removed") against the first parent."""
        new = self.trees[c.tree]
        old = self.trees[self.commits[c.parents[0]].tree] if c.parents else {}
        out = []
        for p in sorted(set(new) | set(old)):
            if p not in old:
                out.append((p, "added"))
            elif p not in new:
                out.append((p, "removed"))
            elif old[p] != new[p]:
                out.append((p, "modified"))
        return out

    def _blob_at(self, c: Commit, path: str) -> str | None:
        return self.trees[c.tree].get(path)

    def is_ancestor(self, ancestor: str, sha: str) -> bool:
        """True when `ancestor` is reachable from `sha` (or equal to it)."""
        seen: set[str] = set()
        todo = [sha]
        while todo:
            s = todo.pop()
            if s == ancestor:
                return True
            if s in seen or s not in self.commits:
                continue
            seen.add(s)
            todo.extend(self.commits[s].parents)
        return False
