"""What GitHub's two modes share: the request, the settings, the PyGithub client on the
run's HTTP policy, and short error texts."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import requests
from github import Auth, Github, GithubException
from urllib3.response import BaseHTTPResponse

from bot.check.http import Http, net_error
from bot.check.model import CredentialsRefused, Facts, Outcome, ProviderResult
from bot.check.providers.base import Context
from bot.config import Endpoint, Range, ServiceSection

NAME = "github"
PUBLIC_API = "https://api.github.com"


def token_refused() -> CredentialsRefused:
    """GitHub answered 401: nothing can be checked with this token."""
    return CredentialsRefused(
        "GitHub refused the token (401 Bad credentials)",
        reason="GitHub refused the token",
        hint="check GITHUB_TOKEN",
    )


@dataclass
class RepoObservation:
    repo: str  # owner/name as asked (normalised lower case)
    outcome: Outcome
    full_name: str | None = None  # what GitHub calls it now
    moved_to: str | None = None  # new owner/name when renamed or transferred
    stars: int | None = None
    archived: bool = False
    archived_at: str | None = None
    disabled: bool = False
    is_empty: bool = False
    pushed_at: str | None = None
    last_commit: str | None = None
    # "ref:path" -> True (exists), False (gone), None (not checked)
    paths: dict[str, bool | None] = field(default_factory=dict)
    # issue or pull request number -> True (exists), False (gone), None (not checked)
    numbers: dict[str, bool | None] = field(default_factory=dict)
    etag: str | None = None
    http_status: int | None = None
    error: str | None = None
    server_error: bool = False  # GitHub's 5xx is GitHub's, never the repository's
    network_error: str | None = None

    @property
    def redirect(self) -> str | None:
        return None  # a renamed repository is `moved_to`

    def facts(self) -> Facts:
        counts = (("★", self.stars),) if self.stars is not None else ()
        return Facts(counts=counts, activity=self.last_commit or self.pushed_at,
                     archived=self.archived, archived_at=self.archived_at,
                     name=self.full_name or self.repo)  # fmt: skip

    def report_fields(self, stale: bool) -> dict[str, Any]:
        if stale:
            return {}
        return {"stars": self.stars, "last_commit": self.last_commit,
                "archived": self.archived if self.outcome is Outcome.OK else None,
                "http_status": self.http_status}  # fmt: skip


@dataclass
class RepoRequest:
    """One distinct repository to check, and what is linked inside it: files and folders,
    and (GraphQL only) issue or pull request numbers, commits and release tags."""

    repo: str  # owner/name as first written in the list
    paths: set[tuple[str, str]] = field(default_factory=set)  # (ref, path)
    numbers: set[int] = field(default_factory=set)  # issues and pull requests
    commits: set[str] = field(default_factory=set)  # commit shas (full or abbreviated)
    tags: set[str] = field(default_factory=set)  # release tags


@dataclass
class GitHubConfig:
    """`[github]` in the config."""

    api_url: str = ""  # empty: $GITHUB_API_URL, else https://api.github.com
    graphql_url: str = ""  # empty: $GITHUB_GRAPHQL_URL, else derived from api_url
    batch_size: int = 100  # repositories per GraphQL query (GitHub allows 100)
    rest_reserve: int = 2  # REST requests kept in hand when the anonymous budget runs low


SECTION = ServiceSection(
    NAME,
    GitHubConfig,
    endpoints=(
        Endpoint("api_url", "GITHUB_API_URL", "https://github.example.com/api/v3"),
        Endpoint("graphql_url", "GITHUB_GRAPHQL_URL", "https://github.example.com/api/graphql"),
    ),
    ranges=(Range("batch_size", 1, 100), Range("rest_reserve", 0, 5000)),
)


@dataclass
class GitHubSettings:
    api_url: str = PUBLIC_API
    graphql_url: str | None = None  # None: PyGithub derives it from api_url
    token: str | None = None
    batch_size: int = 100
    rest_reserve: int = 2

    @classmethod
    def resolve(cls, ctx: Context) -> GitHubSettings:
        """The config (overridden by the command line), then the environment, as GitHub
        Actions and GitHub Enterprise set it, then github.com."""
        c, env = ctx.config.service(NAME), ctx.env
        return cls(
            api_url=c.api_url or env.get("GITHUB_API_URL") or PUBLIC_API,
            graphql_url=c.graphql_url or env.get("GITHUB_GRAPHQL_URL") or None,
            token=token(env),
            batch_size=c.batch_size,
            rest_reserve=c.rest_reserve,
        )


def token(env: Any = None) -> str | None:
    env = os.environ if env is None else env
    return (env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or "").strip() or None


def primary_limit(resp: BaseHTTPResponse) -> bool:
    """GitHub's hourly budget is spent: no retry within a run can outlast it."""
    headers = resp.headers
    return headers.get("x-ratelimit-remaining") == "0" and not headers.get("retry-after")


def client(settings: GitHubSettings, http: Http) -> Github:
    kwargs: dict[str, Any] = {
        "base_url": settings.api_url.rstrip("/"),
        "timeout": int(max(1, http.settings.timeout)),
        "retry": http.retry(NAME, give_up=primary_limit),
        "user_agent": "awesome-monitor",
        "seconds_between_requests": 0,  # requests are serial; GitHub asks no pacing of reads
        # The checks only read: a GraphQL query is POSTed, but GitHub counts one without a
        # mutation like a GET (1 point), and its one-second pause is for writes. PyGithub
        # would wait a second before every query (16 s for 1,500 repositories).
        "seconds_between_writes": 0,
        "per_page": 100,
    }
    if settings.token:
        kwargs["auth"] = Auth.Token(settings.token)
    return Github(**kwargs)


def short(exc: BaseException) -> str:
    """A one-line error without anything from request headers (no token)."""
    if isinstance(exc, GithubException):
        msg = exc.data.get("message") if isinstance(exc.data, dict) else None
        return f"HTTP {exc.status}" + (f": {msg}" if msg else "")
    if isinstance(exc, requests.RequestException):
        return net_error(exc).message
    return type(exc).__name__


def repo_key(repo: str) -> str:
    return repo.lower()


# How a repository's observation keeps what was linked inside it: `paths` holds git
# objects and pages by spec ("ref:path" for a file or folder, and the two below, which
# never contain a colon), `numbers` issue and pull request numbers ("12").
def commit_spec(sha: str) -> str:
    return f"commit/{sha}"


def release_spec(tag: str) -> str:
    return f"releases/tag/{tag}"


def mark(batch: list[RepoRequest], result: ProviderResult, outcome: Outcome, error: str) -> None:
    for r in batch:
        result.observations[repo_key(r.repo)] = RepoObservation(
            repo_key(r.repo), outcome, error=error
        )
