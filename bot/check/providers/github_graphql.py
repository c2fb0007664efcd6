"""GitHub with a token: GraphQL, 100 repositories per query by alias, in the same query every
linked file, folder or commit as an `object(expression:)`, every linked issue or pull request
as an `issueOrPullRequest(number:)` (a missing one is null plus a NOT_FOUND error whose path
is inside the repository's alias), every linked release as a `release(tagName:)` and the
`ref(qualifiedName:)` of its tag, and `rateLimit` to know the budget."""

from __future__ import annotations

import json
import logging
from typing import Any

import requests
from github import Github

from bot.check.http import Http
from bot.check.model import Outcome, ProviderResult
from bot.check.providers.github_api import (
    NAME,
    GitHubSettings,
    RepoObservation,
    RepoRequest,
    commit_spec,
    mark,
    release_spec,
    repo_key,
    short,
    token_refused,
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


# What is asked inside a repository, per linked thing: (alias and variable letter, field
# with `$v` for its variable, the variable's type).
_INSIDE = {
    "paths": ("p", "e", "object(expression: $v)", "String!"),
    "numbers": ("i", "i", "issueOrPullRequest(number: $v)", "Int!"),
    "commits": ("c", "c", "object(expression: $v)", "String!"),
    "tags": ("t", "t", "release(tagName: $v)", "String!"),
    # `releases/tag/X` also shows a tag that has no release: either one keeps the link.
    "tag_refs": ("g", "g", "ref(qualifiedName: $v)", "String!"),
}


def _asked(req: RepoRequest) -> dict[str, list[Any]]:
    """What is asked inside `req`, in a stable order (aliases are positions in it)."""
    return {
        "paths": [f"{ref}:{path}" for ref, path in sorted(req.paths)],
        "numbers": sorted(req.numbers),
        "commits": sorted(req.commits),
        "tags": sorted(req.tags),
        "tag_refs": [f"refs/tags/{tag}" for tag in sorted(req.tags)],
    }


def build_query(batch: list[RepoRequest]) -> tuple[str, dict[str, Any]]:
    """One GraphQL query for a batch: alias `rN` per repository and, inside it, `pM` per
    file or folder, `iM` per issue or pull request number, `cM` per commit, `tM` and `gM`
    per release tag (the release, the tag). Names travel as variables, never spliced into
    the query text."""
    params: list[str] = []
    parts: list[str] = []
    variables: dict[str, Any] = {}
    for i, req in enumerate(batch):
        owner, name = req.repo.split("/", 1)
        variables[f"o{i}"], variables[f"n{i}"] = owner, name
        params += [f"$o{i}: String!", f"$n{i}: String!"]
        inside = []
        for what, values in _asked(req).items():
            alias, letter, fld, typ = _INSIDE[what]
            for j, value in enumerate(values):
                var = f"{letter}{i}_{j}"
                variables[var] = value
                params.append(f"${var}: {typ}")
                inside.append(f"{alias}{j}: {fld.replace('$v', '$' + var)} {{ __typename }}")
        body = _REPO_FIELDS + "".join(f"    {line}\n" for line in inside)
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
            raise token_refused()
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
        # With a token the whole list is owed an answer: the run is incomplete (without
        # one, REST leaves the rest for next run instead).
        result.incomplete = "the GitHub API budget ran out"
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
            if len(path) == 1:  # about the repository itself, not a missing issue inside it
                by_alias[str(path[0])] = err
            elif path:
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
    asked = _asked(req)
    paths: dict[str, bool | None] = {
        spec: node.get(f"p{j}") is not None for j, spec in enumerate(asked["paths"])
    }
    for j, sha in enumerate(asked["commits"]):
        paths[commit_spec(sha)] = node.get(f"c{j}") is not None
    for j, tag in enumerate(asked["tags"]):
        paths[release_spec(tag)] = bool(node.get(f"t{j}") or node.get(f"g{j}"))
    numbers = {str(n): node.get(f"i{j}") is not None for j, n in enumerate(asked["numbers"])}
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
        numbers=numbers,
        error="repository disabled by GitHub" if node.get("isDisabled") else None,
    )
