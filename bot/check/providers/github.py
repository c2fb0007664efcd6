"""GitHub: repositories (stars, last commit, archived, renamed, gone) and the files and
folders linked inside them.

With a token: GraphQL, up to 100 repositories per query by alias, with the
`object(expression:)` of every linked file or folder in the same query; one missing
repository is one NOT_FOUND among the others' data. Without a token: REST, one request
per repository (`github_rest`). PyGithub is the transport (auth, base URL, GitHub
Enterprise paths); retries and waits are the run's HTTP policy."""

from __future__ import annotations

from typing import Any

from bot.check.http import Http
from bot.check.model import Observation, Outcome, ProviderResult, RepoObservation
from bot.check.providers.base import Context
from bot.check.providers.github_api import NAME, GitHubSettings, RepoRequest, client
from bot.check.providers.github_graphql import GraphQL
from bot.check.providers.github_rest import Rest
from bot.parse.target import Kind, Target

KINDS = (Kind.GITHUB_REPO, Kind.GITHUB_PATH, Kind.INVALID)  # INVALID: an SSH clone address


class GitHub:
    name = NAME
    section = "repos"
    what = "repositories"  # in "114 repositories, 43 papers, …"
    cache = False  # see bot.check.cache

    def claim(self, target: Target) -> Target | None:
        return None

    def key(self, target: Target) -> str | None:
        return target.repo_key if target.kind in KINDS else None

    def check(self, targets: list[Target], ctx: Context) -> ProviderResult:
        repos: dict[str, RepoRequest] = {}
        for t in targets:
            if (k := self.key(t)) is None:
                continue
            req = repos.setdefault(k, RepoRequest(t.repo or k))
            if t.kind == Kind.GITHUB_PATH and t.ref and t.path:
                req.paths.add((t.ref, t.path))
        ordered = [repos[k] for k in ctx.order(list(repos))]
        previous = {k: {**e.data, "etag": e.etag} for k, e in ctx.previous.items() if e.data}
        return check_repos(ordered, GitHubSettings.resolve(ctx), ctx.http, previous, ctx.progress)

    def part(self, target: Target, obs: Observation) -> tuple[str, bool | None] | None:
        if target.kind != Kind.GITHUB_PATH or not isinstance(obs, RepoObservation):
            return None
        spec = f"{target.ref}:{target.path}"
        return f"{target.repo_key}@{spec}", obs.paths.get(spec)

    def moved_url(self, target: Target, url: str, moved_to: str) -> str | None:
        """The URL with the new owner/name; path, query, fragment, `.git` and a trailing
        slash kept."""
        if target.kind == Kind.INVALID:
            return f"https://github.com/{moved_to}"
        if not target.repo:
            return None
        head, sep, rest = url.partition("://")
        if not sep:
            return None
        host, slash, path = rest.partition("/")
        owner, name = target.repo.split("/", 1)
        segs = path.split("/")
        if len(segs) < 2 or segs[0].lower() != owner.lower():
            return None
        second = segs[1]
        tail = ""
        for mark in ("?", "#"):
            if mark in second:
                second, _, t = second.partition(mark)
                tail = mark + t + tail
                break
        suffix = ".git" if second.lower().endswith(".git") else ""
        if (second[: -len(suffix)] if suffix else second).lower() != name.lower():
            return None
        segs[:2] = [moved_to.split("/")[0], moved_to.split("/")[1] + suffix + tail]
        return f"{head}://{host}{slash}{'/'.join(segs)}"

    def restore(self, data: dict) -> Observation | None:
        fields = {k: v for k, v in data.items() if k in RepoObservation.__dataclass_fields__}
        try:
            return RepoObservation(**{**fields, "outcome": Outcome.OK})
        except TypeError:
            return None


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
