"""What the GitHub emulator serves: repositories (with renames), their git data, pull
requests, issues (one number sequence with the pull requests, as on GitHub), labels and
comments. Tests build a scenario, mutate it between runs, and read
it back; the emulator reads it live on every request."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

from tests.emulators.gitstore import Commit, GitStore, Person, now_iso

DEFAULT_DATE = "2024-01-01T00:00:00Z"
SCENARIO_AUTHOR = "scenario"


@dataclass
class Comment:
    id: int
    body: str
    user: str
    created_at: str


@dataclass
class PullRequest:
    number: int
    id: int
    title: str
    body: str | None
    head: str  # branch name in the same repository
    head_owner: str
    base: str
    user: str
    head_sha: str = ""  # last known head commit (kept when the branch is deleted)
    state: str = "open"
    labels: list[str] = field(default_factory=list)
    merged: bool = False
    draft: bool = False
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    closed_at: str | None = None
    merged_at: str | None = None
    comments: list[Comment] = field(default_factory=list)

    @property
    def head_label(self) -> str:
        return f"{self.head_owner}:{self.head}"


@dataclass
class Issue:
    """A plain issue. Pull requests are issues too on GitHub: both share `RepoSpec`'s
    number sequence, and the issues API serves both (PRs with a `pull_request` key)."""

    number: int
    id: int
    title: str
    body: str | None
    user: str
    state: str = "open"
    state_reason: str | None = None  # completed, not_planned, reopened
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    locked: bool = False
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    closed_at: str | None = None
    closed_by: str | None = None
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Release:
    """A release, found by its tag (`release(tagName:)` in GraphQL)."""

    tag: str
    name: str | None = None
    draft: bool = False
    prerelease: bool = False
    created_at: str = DEFAULT_DATE
    published_at: str | None = DEFAULT_DATE


@dataclass
class RepoSpec:
    """One repository. `files`/`last_commit` describe the default branch: changing them
    between runs adds a commit; API writes to the default branch update them."""

    full_name: str
    id: int = 0  # 0: assigned by GitHubScenario.add
    stars: int = 0
    forks: int = 0
    archived: bool = False
    archived_at: str | None = None
    disabled: bool = False  # REST 403 "Repository access blocked"
    blocked: bool = False  # REST 451 (legal takedown)
    is_empty: bool = False
    fork: bool = False
    private: bool = False
    pushed_at: str | None = DEFAULT_DATE
    last_commit: str | None = DEFAULT_DATE
    created_at: str = "2015-01-01T00:00:00Z"
    updated_at: str | None = None
    default_branch: str = "main"
    files: dict[str, str] = field(default_factory=lambda: {"README.md": "# readme\n"})
    description: str | None = None
    homepage: str | None = None
    topics: list[str] = field(default_factory=list)
    language: str | None = None
    license_key: str | None = "mit"
    owner_type: str = "User"
    owner_id: int = 0
    has_issues: bool = True  # False: the issues API answers 410 "Issues are disabled"
    # -- state behind the write endpoints ------------------------------------------
    store: GitStore = field(default_factory=GitStore, repr=False)
    pulls: dict[int, PullRequest] = field(default_factory=dict, repr=False)
    issues: dict[int, Issue] = field(default_factory=dict, repr=False)
    releases: dict[str, Release] = field(default_factory=dict, repr=False)  # by tag
    tags: set[str] = field(default_factory=set, repr=False)  # tags with no release (at head)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    _seed: tuple[Any, ...] | None = field(default=None, repr=False)
    _synced_head: str | None = field(default=None, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def owner(self) -> str:
        return self.full_name.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.full_name.split("/", 1)[1]

    # -- git data, kept in step with `files` / `last_commit` ----------------------------
    def git(self) -> GitStore:
        """The store, after folding in API pushes and then scenario edits."""
        with self._lock:
            head = self.store.branches.get(self.default_branch)
            if head is not None and head != self._synced_head and self._seed is not None:
                self._absorb(self.store.commits[head])
            seed = (tuple(sorted(self.files.items())), self.last_commit, self.default_branch)
            if not self.is_empty and seed != self._seed:
                current = self.store.files(self.default_branch)
                changes: dict[str, str | bytes | None] = {p: None for p in current}
                changes.update(self.files)
                when = self.last_commit or DEFAULT_DATE
                who = Person(SCENARIO_AUTHOR, "scenario@example.invalid", when)
                msg = "Initial commit" if not current else "Update from scenario"
                c = self.store.commit_files(self.default_branch, changes, msg, who)
                self._synced_head = c.sha
                self._seed = seed
            return self.store

    def _absorb(self, head: Commit) -> None:
        store = self.store
        self.files = {p: store.blobs[s].decode() for p, s in store.trees[head.tree].items()}
        self.last_commit = head.committer.date
        self.is_empty = False
        self._synced_head = head.sha
        self._seed = (tuple(sorted(self.files.items())), self.last_commit, self.default_branch)

    def head(self, branch: str | None = None) -> Commit | None:
        return self.git().resolve(branch or self.default_branch)

    # -- read-back helpers for tests ------------------------------------------------------
    def branches(self) -> dict[str, str]:
        return dict(self.git().branches)

    def history(self, branch: str | None = None) -> list[Commit]:
        return self.git().history(branch or self.default_branch)

    def file_text(self, path: str, branch: str | None = None) -> str | None:
        return self.git().text(branch or self.default_branch, path)

    def open_pulls(self) -> list[PullRequest]:
        return [p for p in self.pulls.values() if p.state == "open"]

    def open_issues(self) -> list[Issue]:
        return [i for i in self.issues.values() if i.state == "open"]

    def next_number(self) -> int:
        """Issues and pull requests share one sequence."""
        return max([*self.pulls, *self.issues], default=0) + 1

    def numbered(self, number: int) -> Issue | PullRequest | None:
        """What `/issues/{number}` names: an issue or a pull request."""
        return self.issues.get(number) or self.pulls.get(number)

    def next_comment_id(self) -> int:
        return (
            7000000
            + sum(len(x.comments) for x in [*self.pulls.values(), *self.issues.values()])
            + 1
        )

    def add_issue(
        self,
        title: str,
        body: str | None = None,
        user: str = "maintainer",
        labels: list[str] | None = None,
        state: str = "open",
    ) -> Issue:
        """Test helper: an issue opened by hand (by `user`)."""
        with self._lock:
            n = self.next_number()
            issue = Issue(
                n, self.id * 1000 + n, title, body, user, state, labels=list(labels or [])
            )
            if state == "closed":
                issue.closed_at, issue.state_reason, issue.closed_by = now_iso(), "completed", user
            self.issues[n] = issue
            return issue

    def add_release(self, tag: str, name: str | None = None, **kw: Any) -> Release:
        """Test helper: a release of `tag` (keyword arguments are Release fields)."""
        with self._lock:
            release = self.releases[tag] = Release(tag, name if name is not None else tag, **kw)
            return release

    def merge_pull(
        self, number: int, by: str = "maintainer", delete_branch: bool = False
    ) -> Commit:
        """Test helper: merge a PR the way the web UI would (merge commit on base). GitHub
        keeps the head branch unless the repository deletes head branches."""
        with self._lock:
            pr = self.pulls[number]
            store = self.git()
            head, base = store.resolve(pr.head), store.resolve(pr.base)
            if head is None or base is None:
                raise KeyError("head or base branch is gone")
            who = Person(by, f"{by}@example.invalid", now_iso())
            msg = f"Merge pull request #{number} from {pr.head_label}"
            c = store.put_commit(head.tree, [base.sha, head.sha], msg, who)
            store.set_branch(pr.base, c.sha)
            pr.state, pr.merged = "closed", True
            pr.merged_at = pr.closed_at = pr.updated_at = now_iso()
            pr.head_sha = head.sha
            if delete_branch:
                store.delete_branch(pr.head)
            return c

    def close_pull(self, number: int, delete_branch: bool = False) -> None:
        """Test helper: a maintainer closes a PR without merging it (the branch stays)."""
        with self._lock:
            pr = self.pulls[number]
            store = self.git()
            pr.head_sha = store.branches.get(pr.head, pr.head_sha)
            pr.state, pr.closed_at, pr.updated_at = "closed", now_iso(), now_iso()
            if delete_branch:
                store.delete_branch(pr.head)


class GitHubScenario:
    """Repositories keyed by lower-cased "owner/name", plus the redirects renames leave."""

    def __init__(self) -> None:
        self.repos: dict[str, RepoSpec] = {}
        self.redirects: dict[str, int] = {}  # old lower-cased full name -> repo id
        self.lock = threading.RLock()
        self._ids = itertools.count(100001)

    def add(self, full_name: str, **kw: Any) -> RepoSpec:
        """Add (or replace) a repository; keyword arguments are RepoSpec fields."""
        spec = RepoSpec(full_name=full_name, **kw)
        with self.lock:
            if not spec.id:
                spec.id = next(self._ids)
            if not spec.owner_id:
                spec.owner_id = 5000 + sum(map(ord, spec.owner.lower()))
            self.repos[full_name.lower()] = spec
            self.redirects.pop(full_name.lower(), None)
        return spec

    def __getitem__(self, full_name: str) -> RepoSpec:
        return self.repos[full_name.lower()]

    def __contains__(self, full_name: str) -> bool:
        return full_name.lower() in self.repos

    def remove(self, full_name: str) -> None:
        with self.lock:
            del self.repos[full_name.lower()]

    def rename(self, old: str, new: str) -> RepoSpec:
        """Rename or transfer: the repo lives on as `new`; `old` redirects to it."""
        with self.lock:
            spec = self.repos.pop(old.lower())
            spec.full_name = new
            self.repos[new.lower()] = spec
            self.redirects[old.lower()] = spec.id
            self.redirects.pop(new.lower(), None)
            return spec

    def by_id(self, repo_id: int) -> RepoSpec | None:
        return next((s for s in self.repos.values() if s.id == repo_id), None)

    def resolve(self, full_name: str, follow: bool = True) -> tuple[RepoSpec | None, bool]:
        """(repo, moved): a current name wins over a redirect left by a rename."""
        with self.lock:
            spec = self.repos.get(full_name.lower())
            if spec is not None:
                return spec, False
            if follow and full_name.lower() in self.redirects:
                spec = self.by_id(self.redirects[full_name.lower()])
                return spec, spec is not None
            return None, False
