"""GitHub with a token: GraphQL, 100 repositories per query by alias, every linked file or
folder as an `object(expression:)` in the same query, and `rateLimit` to know the budget."""

from __future__ import annotations

import json
import logging
from typing import Any

import requests
from github import Github

from bot.check.http import Http
from bot.check.model import Outcome, ProviderResult, RepoObservation
from bot.check.providers.github_api import (
    NAME,
    GitHubSettings,
    RepoRequest,
    TokenRefused,
    mark,
    repo_key,
    short,
)

log = logging.getLogger(__name__)

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


class GraphQL:
    def __init__(self, gh: Github, settings: GitHubSettings, http: Http) -> None:
        self.req = gh.requester
        self.settings = settings
        self.http = http
        # PyGithub sends every request, GraphQL included, to the API host: of a
        # configured GraphQL URL only the path is used, so the token goes nowhere else.
        self.url = settings.graphql_url or self.req.graphql_url

    def run(
        self, repos: list[RepoRequest], previous: dict[str, dict[str, Any]], progress: Any
    ) -> ProviderResult:
        result = ProviderResult()
        size = self.settings.batch_size
        for start in range(0, len(repos), size):
            batch = repos[start : start + size]
            if result.budget_spent:
                mark(batch, result, Outcome.NOT_CHECKED, "GraphQL rate limit spent")
                continue
            if not self._batch(batch, result):
                result.lost = True  # GitHub lost for this batch: run incomplete
            progress(len(batch))
        return result

    def _batch(self, batch: list[RepoRequest], result: ProviderResult) -> bool:
        """Run one batch; returns whether it got GitHub's answer."""
        query, variables = build_query(batch)
        log.info("github: GraphQL batch of %d repositories", len(batch))
        try:
            with self.http.slot(NAME, self.settings.api_url):
                status, headers, text = self.req.requestJson(
                    "POST", self.url, input={"query": query, "variables": variables}
                )
        except requests.RequestException as exc:
            log.info("github: GraphQL request failed: %s", short(exc))
            mark(batch, result, Outcome.UNKNOWN, f"GitHub unreachable ({short(exc)})")
            return False
        if status == 401:
            raise TokenRefused("GitHub refused the token (401 Bad credentials)")
        remaining = headers.get("x-ratelimit-remaining")
        if status in (403, 429) and remaining == "0":
            self._budget_spent(batch, result)
            return True
        body = _json(text)
        if status != 200 or body is None:
            mark(batch, result, Outcome.UNKNOWN, f"HTTP {status} from GitHub")
            return False
        self._read(batch, body, headers, result)
        return True

    def _budget_spent(self, batch: list[RepoRequest], result: ProviderResult) -> None:
        result.budget_spent = True
        result.notes.append("rate limit spent: the GraphQL budget ran out")
        mark(batch, result, Outcome.NOT_CHECKED, "GraphQL rate limit spent")

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
                headers.get("x-ratelimit-remaining") == "0"
            )
            if rate:
                self._budget_spent(batch, result)
            else:
                msg = str(errors[0].get("message", "GraphQL error"))[:200]
                mark(batch, result, Outcome.UNKNOWN, msg)
            return
        for i, req in enumerate(batch):
            key, alias = repo_key(req.repo), f"r{i}"
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
            result.observations[key] = _observation(req, node)


def _json(text: str) -> dict | None:
    try:
        body = json.loads(text) if text else None
    except json.JSONDecodeError:
        return None
    return body if isinstance(body, dict) else None


def _observation(req: RepoRequest, node: dict) -> RepoObservation:
    key = repo_key(req.repo)
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
