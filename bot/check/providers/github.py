"""GitHub: repositories (stars, last commit, archived, renamed, gone) and the files and
folders linked inside them; with a token, also the pages of a repository (issues, pull
requests, commits, releases, wiki, …).

With a token: GraphQL, up to 100 repositories per query by alias, with the
`object(expression:)` of every linked file, folder or commit, the `issueOrPullRequest` of
every linked number, the `release` and tag `ref` of every linked release in the same query
(a page that none of them names shares its repository's fate); one missing
repository is one NOT_FOUND among the others' data. Without a token: REST, one request
per repository (`github_rest`), and a repository's pages stay web links (the web provider
fetches them: REST would cost a request each from a budget of 60 an hour). PyGithub is the
transport (auth, base URL, GitHub Enterprise paths); retries and waits are the run's HTTP
policy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from bot.check.http import Http
from bot.check.model import Observation, ProviderResult, RepoObservation, rebuild
from bot.check.providers.base import Context
from bot.check.providers.github_api import (
    NAME,
    GitHubSettings,
    RepoRequest,
    client,
    commit_spec,
    release_spec,
    token,
)
from bot.check.providers.github_graphql import GraphQL
from bot.check.providers.github_rest import Rest
from bot.parse.target import Kind, Target, github_repo_path

KINDS = (Kind.GITHUB_REPO, Kind.GITHUB_PATH, Kind.INVALID)  # INVALID: an SSH clone address
# Pages of a repository that share its fate, whatever follows them (`wiki/Home`,
# `actions/workflows/ci.yml`, `issues?q=…`, …): the repository vouches for them.
FATE_PAGES = frozenset({
    "actions", "activity", "branches", "commits", "compare", "deployments", "discussions",
    "forks", "graphs", "issues", "labels", "milestones", "network", "packages", "projects",
    "pulls", "pulse", "security", "stargazers", "tags", "watchers", "wiki",
})  # fmt: skip
_SHA = re.compile(r"[0-9a-fA-F]{7,40}")
_MAX_NUMBER = 2**31 - 1  # GraphQL's Int


@dataclass(frozen=True)
class GitHubPage(Target):
    """A page of a repository (`kind` GITHUB_PAGE, `repo` set, `path` what follows
    owner/name, e.g. "issues/12" or "wiki/Home"): an issue or pull request (`number`), a
    commit (`sha`), a release (`tag`), or, with none of them, a page that only shares the
    repository's fate. `url` is the link as written: without a token it is a web link."""

    number: int | None = None
    sha: str | None = None
    tag: str | None = None


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


class GitHub:
    name = NAME
    section = "repos"
    what = "repositories"  # in "114 repositories, 43 papers, …"
    cache = False  # see bot.check.cache

    def claim(self, target: Target) -> Target | None:
        """A web link to a page of a repository on github.com becomes a GitHubPage."""
        if target.kind != Kind.WEB:
            return None
        found = github_repo_path(target.url)
        if found is None or not found[1]:
            return None
        repo, rest = found
        checks = page(rest)
        if checks is None:
            return None
        return GitHubPage(Kind.GITHUB_PAGE, target.url, repo=repo, path="/".join(rest), **checks)

    def key(self, target: Target) -> str | None:
        if target.kind == Kind.GITHUB_PAGE:
            # Checked with its repository's batch only with a token (GraphQL); without
            # one the web provider takes it, as before.
            return target.repo_key if token() else None
        return target.repo_key if target.kind in KINDS else None

    def check(self, targets: list[Target], ctx: Context) -> ProviderResult:
        repos: dict[str, RepoRequest] = {}
        for t in targets:
            if (k := self.key(t)) is None:
                continue
            req = repos.setdefault(k, RepoRequest(t.repo or k))
            if t.kind == Kind.GITHUB_PATH and t.ref and t.path:
                req.paths.add((t.ref, t.path))
            if isinstance(t, GitHubPage):
                if t.number is not None:
                    req.numbers.add(t.number)
                if t.sha:
                    req.commits.add(t.sha)
                if t.tag is not None:
                    req.tags.add(t.tag)
        ordered = [repos[k] for k in ctx.order(list(repos))]
        previous = {k: {**e.data, "etag": e.etag} for k, e in ctx.previous.items() if e.data}
        return check_repos(ordered, GitHubSettings.resolve(ctx), ctx.http, previous, ctx.progress)

    def part(self, target: Target, obs: Observation) -> tuple[str, bool | None] | None:
        """A file or folder, an issue or pull request, a commit or a release: its key in
        the `paths` history and whether it exists. None for the repository itself and for
        the pages that share its fate."""
        if not isinstance(obs, RepoObservation):
            return None
        if target.kind == Kind.GITHUB_PATH:
            spec = f"{target.ref}:{target.path}"
        elif isinstance(target, GitHubPage) and target.number is not None:
            return f"{target.repo_key}#{target.number}", obs.numbers.get(str(target.number))
        elif isinstance(target, GitHubPage) and target.sha:
            spec = commit_spec(target.sha)
        elif isinstance(target, GitHubPage) and target.tag is not None:
            spec = release_spec(target.tag)
        else:
            return None
        return f"{target.repo_key}@{spec}", obs.paths.get(spec)

    def moved_url(self, target: Target, url: str, moved_to: str) -> str | None:
        """The URL with the new owner/name; path, query, fragment, `.git` and a trailing
        slash kept."""
        if target.kind == Kind.INVALID:
            return f"https://github.com/{moved_to}"
        if not target.repo:
            return None
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

    def restore(self, data: dict) -> Observation | None:
        return rebuild(RepoObservation, data)


# scheme://host[:port]/ then owner and name as written, then whatever follows (kept).
_REPO_IN_URL = re.compile(
    r"(?P<head>[^:/?#]+://[^/?#]*/)(?P<owner>[^/?#]+)/(?P<name>[^/?#]+)(?P<rest>.*)", re.S
)


def check_repos(
    repos: list[RepoRequest],
    settings: GitHubSettings,
    http: Http,
    previous: dict[str, dict[str, Any]] | None = None,
    progress: Any = None,
) -> ProviderResult:
    """Check repositories in the given order (never-checked ones first). `previous` holds
    last run's observation per repo key (with its `etag`)."""
    gh = client(settings, http)
    before = http.counts[NAME]
    try:
        checker = GraphQL(gh, settings, http) if settings.token else Rest(gh, settings, http)
        result = checker.run(repos, previous or {}, progress or (lambda n: None))
    finally:
        gh.close()
    result.requests = http.counts[NAME] - before
    return result
