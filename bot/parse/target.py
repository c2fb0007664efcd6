"""Classify a URL: which service it points at and what it identifies there.

A list links the same repository in many spellings (`GitHub.com/Owner/Repo/`,
`…/repo.git`, `…/repo#readme`); classification turns each into one identity so
the checker asks GitHub once. Pure functions, no network."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote, urlsplit


class Kind(StrEnum):
    GITHUB_REPO = "github_repo"
    GITHUB_PATH = "github_path"
    # A page of a repository (issue, pull request, commit, release, wiki, …): claimed from a
    # web link by the GitHub provider, which checks it with its repository.
    GITHUB_PAGE = "github_page"
    ARXIV = "arxiv"
    WEB = "web"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Target:
    """What a URL points at. `repo` is `owner/name` as written; `repo_key` is its
    case-insensitive identity."""

    kind: Kind
    url: str  # normalised URL
    repo: str | None = None
    ref: str | None = None
    path: str | None = None
    arxiv_id: str | None = None
    arxiv_version: int | None = None
    problem: str | None = None  # why the link is malformed, for `invalid`
    suggestion: str | None = None  # the URL to use instead, for `invalid`

    @property
    def repo_key(self) -> str | None:
        return self.repo.lower() if self.repo else None


# GitHub's own rules: owners are alphanumerics and single hyphens; repo names
# allow letters, digits, `.`, `-`, `_`.
_OWNER = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"
_NAME = r"[A-Za-z0-9._-]{1,100}"
_SCP_GIT = re.compile(rf"^git@github\.com:(?P<owner>{_OWNER})/(?P<name>{_NAME}?)(?:\.git)?/?$")
# The one arXiv id pattern: new style `1409.1556`, old style `hep-th/9901001` or
# `math.GT/0309136` (the subject class is not part of the id arXiv answers with).
ARXIV_ID = r"(?P<new>\d{4}\.\d{4,5})|(?P<arch>[a-z][a-z-]*)(?:\.[A-Za-z][A-Za-z-]*)?/(?P<num>\d{7})"
_ARXIV_ID = re.compile(rf"(?:{ARXIV_ID})(?:v\d+)?")
_ARXIV_PATH = re.compile(
    rf"^/(?:abs|pdf|html|format|ps)/(?P<id>{ARXIV_ID})(?:v(?P<v>\d+))?(?:\.pdf)?/?$"
)
_OWNER_RE, _NAME_RE = re.compile(_OWNER), re.compile(_NAME)
# `https://github.com/owner/name` and nothing more (what `_classify_github` makes a repo of).
_PLAIN_REPO = re.compile(rf"https://github\.com/(?P<owner>{_OWNER})/(?P<name>[A-Za-z0-9._-]+)")
_EMBEDDED = re.compile(r"https?://\S+")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
# Top-level github.com paths that are GitHub's own pages, never `owner/`.
_GITHUB_RESERVED = {
    "about", "apps", "blog", "collections", "contact", "customer-stories", "enterprise",
    "events", "explore", "features", "login", "marketplace", "new", "notifications",
    "orgs", "organizations", "pricing", "pulls", "search", "security", "settings",
    "site", "sponsors", "topics", "trending", "issues", "join", "readme", "team",
}  # fmt: skip
# Second-level pages of a repository that are not repository content.
_REPO_PATH_KINDS = {"blob", "tree", "raw"}


def arxiv_canonical(raw: str) -> str | None:
    """The id arXiv answers with (no version, no subject class), or None if malformed."""
    m = _ARXIV_ID.fullmatch(raw.strip())
    if not m:
        return None
    return m.group("new") or f"{m.group('arch')}/{m.group('num')}"


def classify(raw: str) -> Target:
    """Classify one URL as written in a list (surrounding spaces and `<>` allowed)."""
    url = raw.strip().strip("<>").strip()
    plain = _PLAIN_REPO.fullmatch(url)  # the commonest link: what `_classify` makes of it
    if plain and plain["owner"].lower() not in _GITHUB_RESERVED:
        name = plain["name"].removesuffix(".git")
        if _NAME_RE.fullmatch(name):
            repo = f"{plain['owner']}/{name}"
            return Target(Kind.GITHUB_REPO, f"https://github.com/{repo}", repo=repo)
    return _classify(url)


def _classify(url: str) -> Target:
    scp = _SCP_GIT.match(url)
    if scp:
        repo = f"{scp['owner']}/{scp['name']}"
        return Target(
            Kind.INVALID,
            url,
            repo=repo,
            problem="SSH clone address, not a web link",
            suggestion=f"https://github.com/{repo}",
        )
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return Target(Kind.INVALID, url, problem="not a valid URL")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        embedded = _EMBEDDED.search(url)
        if embedded and not url.lower().startswith("http"):
            return Target(
                Kind.INVALID,
                url,
                problem="stray characters before the address",
                suggestion=embedded.group(0),
            )
        if scheme in ("", "mailto", "tel") or url.startswith("#"):
            return Target(Kind.WEB, url)  # relative or non-web: kept, never fetched
        return Target(Kind.INVALID, url, problem=f"unsupported scheme {scheme!r}")
    if not host or _SPACE_OR_CONTROL.search(url):
        # Control characters (a bell, an escape, CR/LF for header injection) are never
        # part of a URL: such a link is reported, never fetched.
        return Target(Kind.INVALID, url, problem="not a valid URL")
    if host.startswith("www."):
        host = host[4:]
    if host == "github.com":
        return _classify_github(url, parts.path)
    if host == "raw.githubusercontent.com":
        return _classify_raw(url, parts.path)
    if host in ("arxiv.org", "export.arxiv.org"):
        m = _ARXIV_PATH.match(parts.path)
        if m:
            version = int(m["v"]) if m["v"] else None
            arxiv_id = m["id"]
            vtext = f"v{version}" if version else ""
            return Target(
                Kind.ARXIV,
                f"https://arxiv.org/abs/{arxiv_id}{vtext}",
                arxiv_id=arxiv_id,
                arxiv_version=version,
            )
    return Target(Kind.WEB, url)


def _segments(path: str) -> list[str]:
    return [unquote(s) for s in path.split("/") if s]


def github_repo_path(url: str) -> tuple[str, list[str]] | None:
    """`owner/name` and the (unquoted) path segments after it, for an http(s) link into a
    repository on github.com (`www.` allowed); None for anything else, GitHub's own
    top-level pages (`/orgs`, `/topics`, …) included."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or host.removeprefix("www.") != "github.com":
        return None
    segs = _segments(parts.path)
    repo = _github_repo(segs)
    return (repo, segs[2:]) if repo else None


def _github_repo(segs: list[str]) -> str | None:
    if len(segs) < 2 or segs[0].lower() in _GITHUB_RESERVED:
        return None
    owner, name = segs[0], segs[1]
    if name.endswith(".git"):
        name = name[:-4]
    if not _OWNER_RE.fullmatch(owner) or not _NAME_RE.fullmatch(name):
        return None
    return f"{owner}/{name}"


def _classify_github(url: str, path: str) -> Target:
    segs = _segments(path)
    repo = _github_repo(segs)
    if repo is None:
        return Target(Kind.WEB, url)
    if len(segs) == 2:
        return Target(Kind.GITHUB_REPO, f"https://github.com/{repo}", repo=repo)
    if segs[2] in _REPO_PATH_KINDS and len(segs) >= 4:
        ref, rest = segs[3], "/".join(segs[4:])
        return Target(
            Kind.GITHUB_PATH,
            f"https://github.com/{repo}/{segs[2]}/{ref}/{rest}".rstrip("/"),
            repo=repo,
            ref=ref,
            path=rest,
        )
    return Target(Kind.WEB, url)  # issues, releases, wiki, …: checked as web pages


def _classify_raw(url: str, path: str) -> Target:
    segs = _segments(path)
    if len(segs) < 4:
        return Target(Kind.WEB, url)
    owner, name, ref, rest = segs[0], segs[1], segs[2], "/".join(segs[3:])
    if not _OWNER_RE.fullmatch(owner) or not _NAME_RE.fullmatch(name):
        return Target(Kind.WEB, url)
    return Target(Kind.GITHUB_PATH, url, repo=f"{owner}/{name}", ref=ref, path=rest)
