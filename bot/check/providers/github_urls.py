"""GitHub's links: what a URL on github.com (or raw.githubusercontent.com, or an SSH clone
address) points at. A list links the same repository in many spellings
(`GitHub.com/Owner/Repo/`, `…/repo.git`, `…/repo#readme`); each becomes one target whose
`repo_key` is the repository's case-insensitive identity, so GitHub is asked once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import unquote, urlsplit

from bot.parse.target import Kind, Target, web_host


class GitHubKind(StrEnum):
    REPO = "github_repo"
    PATH = "github_path"  # a file or folder: `/blob/`, `/tree/`, `/raw/`, raw.githubusercontent.com
    # A page of a repository (issue, pull request, commit, release, wiki, …): checked with its
    # repository with a token, as a web page without one.
    PAGE = "github_page"


@dataclass(frozen=True)
class GitHubTarget(Target):
    """A repository, or a file or folder in one (`ref`, `path`); an SSH clone address is an
    `invalid` one that names its repository. `repo` is `owner/name` as written."""

    repo: str = ""
    ref: str | None = None
    path: str | None = None

    @property
    def repo_key(self) -> str:
        return self.repo.lower()

    def scan_fields(self) -> dict[str, Any]:
        return {"repo": self.repo, "ref": self.ref, "path": self.path}

    def report_fields(self) -> dict[str, Any]:
        return {"repo": self.repo}


@dataclass(frozen=True)
class GitHubPage(GitHubTarget):
    """A page of a repository (`path` is what follows owner/name, e.g. "issues/12" or
    "wiki/Home"): an issue or pull request (`number`), a commit (`sha`), a release (`tag`),
    or, with none of them, a page that only shares the repository's fate. `url` is the link
    as written: without a token it is a web link."""

    number: int | None = None
    sha: str | None = None
    tag: str | None = None


# GitHub's own rules: owners are alphanumerics and single hyphens; repo names
# allow letters, digits, `.`, `-`, `_`.
_OWNER = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"
_NAME = r"[A-Za-z0-9._-]{1,100}"
_SCP_GIT = re.compile(rf"^git@github\.com:(?P<owner>{_OWNER})/(?P<name>{_NAME}?)(?:\.git)?/?$")
_OWNER_RE, _NAME_RE = re.compile(_OWNER), re.compile(_NAME)
# `https://github.com/owner/name` and nothing more: the commonest link.
_PLAIN_REPO = re.compile(rf"https://github\.com/(?P<owner>{_OWNER})/(?P<name>[A-Za-z0-9._-]+)")
# Top-level github.com paths that are GitHub's own pages, never `owner/`.
_RESERVED = {
    "about", "apps", "blog", "collections", "contact", "customer-stories", "enterprise",
    "events", "explore", "features", "login", "marketplace", "new", "notifications",
    "orgs", "organizations", "pricing", "pulls", "search", "security", "settings",
    "site", "sponsors", "topics", "trending", "issues", "join", "readme", "team",
}  # fmt: skip
_CONTENT = {"blob", "tree", "raw"}  # second-level pages that are repository content
# Pages of a repository that share its fate, whatever follows them (`wiki/Home`,
# `actions/workflows/ci.yml`, `issues?q=…`, …): the repository vouches for them.
FATE_PAGES = frozenset({
    "actions", "activity", "branches", "commits", "compare", "deployments", "discussions",
    "forks", "graphs", "issues", "labels", "milestones", "network", "packages", "projects",
    "pulls", "pulse", "security", "stargazers", "tags", "watchers", "wiki",
})  # fmt: skip
_SHA = re.compile(r"[0-9a-fA-F]{7,40}")
_MAX_NUMBER = 2**31 - 1  # GraphQL's Int


def claim(target: Target) -> GitHubTarget | None:
    """GitHub's target for a web link (or an SSH clone address), else None."""
    plain = _PLAIN_REPO.fullmatch(target.url)  # the commonest link: no split needed
    if plain and plain["owner"].lower() not in _RESERVED:
        name = plain["name"].removesuffix(".git")
        if _NAME_RE.fullmatch(name):
            repo = f"{plain['owner']}/{name}"
            return GitHubTarget(GitHubKind.REPO, f"https://github.com/{repo}", repo=repo)
    return _claim(target.url)


def _claim(url: str) -> GitHubTarget | None:
    """`claim` without its shortcut (tests/parse/test_fast_paths.py compares the two)."""
    scp = _SCP_GIT.match(url)
    if scp:
        repo = f"{scp['owner']}/{scp['name']}"
        return GitHubTarget(Kind.INVALID, url, problem="SSH clone address, not a web link",
                            suggestion=f"https://github.com/{repo}", repo=repo)  # fmt: skip
    host = web_host(url)
    if host == "github.com":
        return _on_github(url)
    if host == "raw.githubusercontent.com":
        return _raw(url)
    return None


def _segments(url: str) -> list[str]:
    return [unquote(s) for s in urlsplit(url.strip()).path.split("/") if s]


def _repo(segs: list[str]) -> str | None:
    if len(segs) < 2 or segs[0].lower() in _RESERVED:
        return None
    owner, name = segs[0], segs[1].removesuffix(".git")
    if not _OWNER_RE.fullmatch(owner) or not _NAME_RE.fullmatch(name):
        return None
    return f"{owner}/{name}"


def _on_github(url: str) -> GitHubTarget | None:
    segs = _segments(url)
    repo = _repo(segs)
    if repo is None:
        return None  # GitHub's own pages (`/orgs`, `/topics`, …): web links
    if len(segs) == 2:
        return GitHubTarget(GitHubKind.REPO, f"https://github.com/{repo}", repo=repo)
    if segs[2] in _CONTENT and len(segs) >= 4:
        ref, rest = segs[3], "/".join(segs[4:])
        return GitHubTarget(GitHubKind.PATH,
                            f"https://github.com/{repo}/{segs[2]}/{ref}/{rest}".rstrip("/"),
                            repo=repo, ref=ref, path=rest)  # fmt: skip
    checks = page(segs[2:])
    if checks is None:
        return None  # a release download, an archive, an unknown path: a web link
    return GitHubPage(GitHubKind.PAGE, url, repo=repo, path="/".join(segs[2:]), **checks)


def _raw(url: str) -> GitHubTarget | None:
    segs = _segments(url)
    if len(segs) < 4:
        return None
    owner, name, ref, rest = segs[0], segs[1], segs[2], "/".join(segs[3:])
    if not _OWNER_RE.fullmatch(owner) or not _NAME_RE.fullmatch(name):
        return None
    return GitHubTarget(GitHubKind.PATH, url, repo=f"{owner}/{name}", ref=ref, path=rest)


def page(rest: list[str]) -> dict[str, Any] | None:
    """What a repository's page checks, from the path segments after owner/name; None for
    what is no page of it (a release download, an archive, an unknown path)."""
    head = rest[0] if rest else ""
    number = rest[1] if head in ("issues", "pull") and len(rest) > 1 else ""
    if number.isascii() and number.isdigit():  # `pull/3/files` too: a tab of the PR
        return {"number": int(number)} if 0 < int(number) <= _MAX_NUMBER else None
    if head == "commit":
        sha = rest[1].removesuffix(".patch").removesuffix(".diff") if len(rest) == 2 else ""
        return {"sha": sha.lower()} if _SHA.fullmatch(sha) else None
    if head == "releases":
        if len(rest) == 1 or rest[1:] == ["latest"]:
            return {}
        if len(rest) > 2 and rest[1] == "tag":
            return {"tag": "/".join(rest[2:])}
        return None
    return {} if head in FATE_PAGES else None


def identity(target: Target) -> str | None:
    """The same repository, file or page however it is written (for duplicates)."""
    if isinstance(target, GitHubPage):
        parts = urlsplit(target.url)
        tail = (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else "")  # fmt: skip
        return f"{target.repo_key} {(target.path or '').strip('/')}{tail}"
    if isinstance(target, GitHubTarget) and target.kind == GitHubKind.PATH:
        return f"{target.repo_key} {target.ref}:{(target.path or '').strip('/')}"
    return target.repo_key if isinstance(target, GitHubTarget) else None


# scheme://host[:port]/ then owner and name as written, then whatever follows (kept).
_REPO_IN_URL = re.compile(
    r"(?P<head>[^:/?#]+://[^/?#]*/)(?P<owner>[^/?#]+)/(?P<name>[^/?#]+)(?P<rest>.*)", re.S
)


def moved_url(target: GitHubTarget, url: str, moved_to: str) -> str | None:
    """The URL with the new owner/name; path, query, fragment, `.git` and a trailing
    slash kept."""
    if target.kind == Kind.INVALID:
        return f"https://github.com/{moved_to}"
    new = moved_to.split("/")
    m = _REPO_IN_URL.match(url)
    if len(new) != 2 or not all(new) or m is None:
        return None
    owner, name = target.repo.lower().split("/", 1)
    written = unquote(m["name"]).lower()
    if unquote(m["owner"]).lower() != owner or written not in (name, f"{name}.git"):
        return None
    suffix = m["name"][-4:] if written != name else ""  # `.git` as written
    return f"{m['head']}{new[0]}/{new[1]}{suffix}{m['rest']}"
