"""GitHub: repositories (stars, last commit, archived, renamed, gone) and paths inside them.

With a token: GraphQL, up to 100 repositories per query by alias, with the
`object(expression:)` of every linked file or folder in the same query; one missing
repository is one NOT_FOUND among the others' data. Without a token: REST, one
request per repository, with the ETags of the previous run (a 304 is free) and a
budget read from `X-RateLimit-Remaining`: what the budget does not cover is
"not checked" this run and goes first next run.

PyGithub is the transport (auth, base URL, GitHub Enterprise paths); its own retry
is off so that retries, `Retry-After` and the total wait stay under our control."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from github import Auth, Github, GithubException

from bot.check.model import HttpSettings, Outcome, ProviderResult, RepoObservation

log = logging.getLogger(__name__)

PUBLIC_API = "https://api.github.com"
UNREACHABLE_STOP = 3  # REST: stop after this many repositories without any answer


class TokenRefused(Exception):
    """The token was refused (401): nothing can be checked with it."""


@dataclass
class RepoRequest:
    """One distinct repository to check, and the paths linked inside it."""

    repo: str  # owner/name as first written in the list
    paths: set[tuple[str, str]] = field(default_factory=set)  # (ref, path)


@dataclass
class GitHubSettings:
    api_url: str = PUBLIC_API
    graphql_url: str | None = None  # None: PyGithub derives it from api_url
    token: str | None = None
    batch_size: int = 100
    rest_reserve: int = 2
    http: HttpSettings = field(default_factory=HttpSettings)


_REPO_FIELDS = """
    nameWithOwner
    stargazerCount
    isArchived
    archivedAt
    isDisabled
    isEmpty
    pushedAt
    defaultBranchRef { name target { ... on Commit { committedDate } } }
"""


def build_query(batch: list[RepoRequest]) -> tuple[str, dict[str, str]]:
    """One GraphQL query for a batch: alias `rN` per repository, `pN_M` per path.
    Names travel as variables, never spliced into the query text."""
    params: list[str] = []
    parts: list[str] = []
    variables: dict[str, str] = {}
    for i, req in enumerate(batch):
        owner, name = req.repo.split("/", 1)
        variables[f"o{i}"], variables[f"n{i}"] = owner, name
        params += [f"$o{i}: String!", f"$n{i}: String!"]
        objects = []
        for j, (ref, path) in enumerate(sorted(req.paths)):
            variables[f"e{i}_{j}"] = f"{ref}:{path}"
            params.append(f"$e{i}_{j}: String!")
            objects.append(f"p{j}: object(expression: $e{i}_{j}) {{ __typename }}")
        body = _REPO_FIELDS + "\n    ".join(objects)
        parts.append(f"  r{i}: repository(owner: $o{i}, name: $n{i}) {{{body}  }}")
    query = (
        f"query AwesomeMonitor({', '.join(params)}) {{\n"
        + "\n".join(parts)
        + "\n  rateLimit { cost remaining resetAt }\n}"
    )
    return query, variables


def check_repos(
    repos: list[RepoRequest],
    settings: GitHubSettings,
    previous: dict[str, dict[str, Any]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ProviderResult:
    """Check repositories in the given order (put never-checked ones first).
    `previous` holds last run's observation per repo key (with its `etag`)."""
    client = _client(settings)
    checker = _GraphQL(client, settings) if settings.token else _Rest(client, settings)
    try:
        return checker.run(repos, previous or {}, progress or (lambda n: None))
    finally:
        client.close()


def _client(settings: GitHubSettings) -> Github:
    kwargs: dict[str, Any] = {
        "base_url": settings.api_url.rstrip("/"),
        "timeout": int(max(1, settings.http.timeout)),
        "retry": None,
        "user_agent": "awesome-monitor",
        # Requests are serial already; GitHub asks for no pacing on reads.
        "seconds_between_requests": 0,
        "per_page": 100,
    }
    if settings.token:
        kwargs["auth"] = Auth.Token(settings.token)
    return Github(**kwargs)


def _key(repo: str) -> str:
    return repo.lower()


class _Waiter:
    """Backoff and Retry-After, bounded by a total wait for the whole run."""

    def __init__(self, http: HttpSettings) -> None:
        self.http = http
        self.waited = 0.0

    def wait(self, attempt: int, retry_after: str | None) -> bool:
        """Sleep before another attempt; False when the budget of waiting is spent."""
        delay = self.http.backoff * (2**attempt)
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, float(retry_after))
        if attempt >= self.http.retries or self.waited + delay > self.http.max_wait:
            return False
        time.sleep(delay)
        self.waited += delay
        return True


def _header(headers: dict[str, Any], name: str) -> str | None:
    for k, v in headers.items():
        if k.lower() == name:
            return str(v)
    return None


def _short(exc: BaseException) -> str:
    """A one-line error without anything from request headers (no token)."""
    if isinstance(exc, GithubException):
        msg = exc.data.get("message") if isinstance(exc.data, dict) else None
        return f"HTTP {exc.status}" + (f": {msg}" if msg else "")
    return type(exc).__name__


class _GraphQL:
    def __init__(self, client: Github, settings: GitHubSettings) -> None:
        self.req = client.requester
        self.settings = settings
        self.waiter = _Waiter(settings.http)
        # PyGithub sends every request, GraphQL included, to the API host: of a
        # configured GraphQL URL only the path is used, so the token goes nowhere else.
        self.url = settings.graphql_url or self.req.graphql_url

    def run(
        self,
        repos: list[RepoRequest],
        previous: dict[str, dict[str, Any]],
        progress: Callable[[int], None],
    ) -> ProviderResult:
        result = ProviderResult()
        size = self.settings.batch_size
        reached_any = False
        for start in range(0, len(repos), size):
            batch = repos[start : start + size]
            if result.budget_spent:
                for r in batch:
                    result.observations[_key(r.repo)] = RepoObservation(
                        _key(r.repo), Outcome.NOT_CHECKED, error="GraphQL rate limit spent"
                    )
                continue
            reached = self._batch(batch, result)
            reached_any = reached_any or reached
            progress(len(batch))
        result.network_down = bool(repos) and not reached_any
        return result

    def _batch(self, batch: list[RepoRequest], result: ProviderResult) -> bool:
        """Run one batch; returns whether GitHub answered at all."""
        query, variables = build_query(batch)
        attempt = 0
        while True:
            result.requests += 1
            try:
                status, headers, body = self._post(query, variables)
            except GithubException as exc:
                if exc.status == 401:
                    raise TokenRefused("GitHub refused the token (401 Bad credentials)") from None
                retry_after = _header(exc.headers or {}, "retry-after")
                remaining = _header(exc.headers or {}, "x-ratelimit-remaining")
                if exc.status in (403, 429) and remaining == "0" and not retry_after:
                    self._budget_spent(result)
                    self._mark(batch, result, Outcome.NOT_CHECKED, "GraphQL rate limit spent")
                    return True
                if (exc.status >= 500 or exc.status in (403, 429)) and self.waiter.wait(
                    attempt, retry_after
                ):
                    attempt += 1
                    continue
                self._mark(batch, result, Outcome.UNKNOWN, _short(exc))
                return True
            except Exception as exc:  # network: refused, DNS, timeout, reset
                if self.waiter.wait(attempt, None):
                    attempt += 1
                    continue
                log.debug("GraphQL request failed: %s", _short(exc))
                self._mark(batch, result, Outcome.UNKNOWN, f"GitHub unreachable ({_short(exc)})")
                return False
            self._read(batch, body, headers, result)
            return True

    def _post(self, query: str, variables: dict[str, str]) -> tuple[int, dict, dict]:
        headers, data = self.req.requestJsonAndCheck(
            "POST", self.url, input={"query": query, "variables": variables}
        )
        return 200, headers, data

    @staticmethod
    def _budget_spent(result: ProviderResult) -> None:
        result.budget_spent = True
        result.notes.append("rate limit spent: the GraphQL budget ran out")

    def _mark(
        self, batch: list[RepoRequest], result: ProviderResult, outcome: Outcome, error: str
    ) -> None:
        for r in batch:
            result.observations[_key(r.repo)] = RepoObservation(_key(r.repo), outcome, error=error)

    def _read(
        self, batch: list[RepoRequest], body: dict, headers: dict, result: ProviderResult
    ) -> None:
        data = body.get("data") or {}
        errors = body.get("errors") or []
        by_alias: dict[str, dict] = {}
        for err in errors:
            path = err.get("path") or []
            if path:
                by_alias.setdefault(str(path[0]), err)
        if errors and not data:
            rate = any(e.get("type") == "RATE_LIMITED" for e in errors) or (
                _header(headers, "x-ratelimit-remaining") == "0"
            )
            if rate:
                self._budget_spent(result)
                self._mark(batch, result, Outcome.NOT_CHECKED, "GraphQL rate limit spent")
            else:
                msg = str(errors[0].get("message", "GraphQL error"))[:200]
                self._mark(batch, result, Outcome.UNKNOWN, msg)
            return
        for i, req in enumerate(batch):
            key, alias = _key(req.repo), f"r{i}"
            node = data.get(alias)
            if node is None:
                err = by_alias.get(alias, {})
                if err.get("type") == "NOT_FOUND":
                    obs = RepoObservation(key, Outcome.FAIL, error="repository not found")
                else:
                    obs = RepoObservation(
                        key, Outcome.UNKNOWN, error=str(err.get("message", "no data"))[:200]
                    )
                result.observations[key] = obs
                continue
            result.observations[key] = self._observation(req, node)

    @staticmethod
    def _observation(req: RepoRequest, node: dict) -> RepoObservation:
        key = _key(req.repo)
        full = node.get("nameWithOwner") or req.repo
        branch = node.get("defaultBranchRef") or {}
        target = branch.get("target") or {}
        paths: dict[str, bool | None] = {}
        for j, (ref, path) in enumerate(sorted(req.paths)):
            paths[f"{ref}:{path}"] = node.get(f"p{j}") is not None
        return RepoObservation(
            repo=key,
            outcome=Outcome.FAIL if node.get("isDisabled") else Outcome.OK,
            full_name=full,
            moved_to=full if full.lower() != key else None,
            stars=node.get("stargazerCount"),
            archived=bool(node.get("isArchived")),
            archived_at=node.get("archivedAt"),
            disabled=bool(node.get("isDisabled")),
            is_empty=bool(node.get("isEmpty")),
            pushed_at=node.get("pushedAt"),
            last_commit=target.get("committedDate") or node.get("pushedAt"),
            paths=paths,
            error="repository disabled by GitHub" if node.get("isDisabled") else None,
        )


class _Rest:
    """Anonymous mode: one GET per repository (and per linked path), ETags, budget."""

    def __init__(self, client: Github, settings: GitHubSettings) -> None:
        self.req = client.requester
        self.settings = settings
        self.waiter = _Waiter(settings.http)
        self.remaining: int | None = None

    def run(
        self,
        repos: list[RepoRequest],
        previous: dict[str, dict[str, Any]],
        progress: Callable[[int], None],
    ) -> ProviderResult:
        result = ProviderResult()
        reached_any = False
        unreachable = 0  # repositories in a row with no answer at all
        self.remaining = self._rate_limit()
        for req in repos:
            key = _key(req.repo)
            if unreachable >= UNREACHABLE_STOP and not reached_any:
                # GitHub (or our network) is down: asking 100 more times won't help.
                result.observations[key] = RepoObservation(
                    key, Outcome.UNKNOWN, error="GitHub unreachable"
                )
                continue
            if self.remaining is not None and self.remaining <= self.settings.rest_reserve:
                result.observations[key] = RepoObservation(
                    key, Outcome.NOT_CHECKED, error="not checked this run (REST budget spent)"
                )
                continue
            obs, reached = self._repo(req, previous.get(key), result)
            reached_any = reached_any or reached
            unreachable = 0 if reached else unreachable + 1
            result.observations[key] = obs
            progress(1)
        # Linked files and folders after every repository: they spend what is left.
        for req in repos:
            obs = result.observations[_key(req.repo)]
            if obs.outcome is Outcome.OK and req.paths:
                self._paths(req, obs, previous.get(_key(req.repo)), result)
        skipped = sum(1 for o in result.observations.values() if o.outcome is Outcome.NOT_CHECKED)
        if skipped:
            result.notes.append(
                f"{skipped} repositories not checked: the anonymous REST budget ran out "
                "(set GITHUB_TOKEN to check them all; they go first next run)"
            )
        result.network_down = bool(repos) and not reached_any and skipped < len(repos)
        return result

    def _rate_limit(self) -> int | None:
        """GET /rate_limit is free; it tells the budget before we spend it."""
        try:
            status, headers, body = self.req.requestJson("GET", "/rate_limit")
        except Exception as exc:
            log.debug("rate_limit failed: %s", _short(exc))
            return None
        remaining = _header(headers, "x-ratelimit-remaining")
        return int(remaining) if remaining and remaining.isdigit() else None

    def _get(
        self, url: str, etag: str | None, result: ProviderResult
    ) -> tuple[int, dict, str] | None:
        """GET with retries; None when GitHub could not be reached."""
        attempt = 0
        while True:
            headers = {"If-None-Match": etag} if etag else {}
            result.requests += 1
            try:
                status, rh, body = self.req.requestJson("GET", url, headers=headers)
            except Exception as exc:
                if self.waiter.wait(attempt, None):
                    attempt += 1
                    continue
                log.debug("GET %s failed: %s", url, _short(exc))
                return None
            remaining = _header(rh, "x-ratelimit-remaining")
            if remaining and remaining.isdigit():
                self.remaining = int(remaining)
            retry_after = _header(rh, "retry-after")
            if (status >= 500 or (status in (403, 429) and retry_after)) and self.waiter.wait(
                attempt, retry_after
            ):
                attempt += 1
                continue
            return status, rh, body

    def _repo(
        self, req: RepoRequest, prev: dict[str, Any] | None, result: ProviderResult
    ) -> tuple[RepoObservation, bool]:
        key = _key(req.repo)
        etag = (prev or {}).get("etag")
        got = self._get(f"/repos/{req.repo}", etag, result)
        if got is None:
            return RepoObservation(key, Outcome.UNKNOWN, error="GitHub unreachable"), False
        status, headers, body = got
        if status == 304 and prev:
            fields = {k: v for k, v in prev.items() if k in RepoObservation.__dataclass_fields__}
            fields.update(repo=key, outcome=Outcome.OK, http_status=304, error=None, paths={})
            obs = RepoObservation(**fields)
            return obs, True
        if status == 200:
            data = json.loads(body)
            full = data.get("full_name") or req.repo
            if full.lower() != key:
                result.requests += 1  # the 301 hop PyGithub followed
            return RepoObservation(
                repo=key,
                outcome=Outcome.OK,
                full_name=full,
                moved_to=full if full.lower() != key else None,
                stars=data.get("stargazers_count"),
                archived=bool(data.get("archived")),
                disabled=bool(data.get("disabled")),
                pushed_at=data.get("pushed_at"),
                last_commit=data.get("pushed_at"),
                etag=_header(headers, "etag"),
                http_status=200,
            ), True
        if status in (404, 410, 451):
            reason = {451: "blocked for legal reasons (451)"}.get(status, "repository not found")
            return RepoObservation(key, Outcome.FAIL, http_status=status, error=reason), True
        if status == 403 and _header(headers, "x-ratelimit-remaining") == "0":
            self.remaining = 0
            return RepoObservation(
                key, Outcome.NOT_CHECKED, http_status=403, error="REST budget spent"
            ), True
        if status == 403:
            return RepoObservation(
                key, Outcome.FAIL, http_status=403, disabled=True, error="access blocked (403)"
            ), True
        if status == 401:
            raise TokenRefused("GitHub refused the token (401 Bad credentials)")
        return RepoObservation(
            key, Outcome.UNKNOWN, http_status=status, error=f"HTTP {status}"
        ), True

    def _paths(
        self,
        req: RepoRequest,
        obs: RepoObservation,
        prev: dict[str, Any] | None,
        result: ProviderResult,
    ) -> None:
        old = (prev or {}).get("paths") or {}
        repo = obs.full_name or req.repo
        for ref, path in sorted(req.paths):
            spec = f"{ref}:{path}"
            if self.remaining is not None and self.remaining <= self.settings.rest_reserve:
                obs.paths[spec] = None
                continue
            if obs.http_status == 304 and spec in old:
                obs.paths[spec] = old[spec]  # repo unchanged since last run
                continue
            got = self._get(f"/repos/{repo}/contents/{path}?ref={ref}", None, result)
            if got is None:
                obs.paths[spec] = None
                continue
            status = got[0]
            obs.paths[spec] = True if status == 200 else False if status == 404 else None


def observation_dict(obs: RepoObservation) -> dict[str, Any]:
    """What the state keeps of an observation (enough to answer a 304)."""
    d = asdict(obs)
    d["outcome"] = obs.outcome.value
    return d
