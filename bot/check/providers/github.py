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

from typing import Any

from bot.check.http import Http
from bot.check.model import Inside, LinkKind, Observation, ProviderResult, rebuild
from bot.check.providers import github_urls
from bot.check.providers.base import Context
from bot.check.providers.github_api import (
    NAME,
    SECTION,
    GitHubSettings,
    RepoObservation,
    RepoRequest,
    client,
    commit_spec,
    release_spec,
    token,
)
from bot.check.providers.github_graphql import GraphQL
from bot.check.providers.github_rest import Rest
from bot.check.providers.github_urls import GitHubKind, GitHubPage, GitHubTarget
from bot.parse.target import Kind, Target


class GitHub:
    name = NAME
    title = "GitHub"
    noun = "repositories"  # in "114 repositories, 43 papers, …"
    history = "repos"
    cache = False  # see bot.check.cache
    archivable = False
    settings = SECTION
    kinds = (
        LinkKind(GitHubKind.REPO, stale_listed=True),
        LinkKind(GitHubKind.PATH),
        LinkKind(GitHubKind.PAGE, alive_note=False, row_speaker=False),
    )
    scan_keys = ("repo", "ref", "path")
    report_keys = ("repo", "stars", "last_commit", "archived")

    def claim(self, target: Target) -> Target | None:
        """Repositories, their files and folders and their pages on github.com, raw files,
        and an SSH clone address (malformed, naming its repository)."""
        return github_urls.claim(target) if target.kind == Kind.WEB else None

    def key(self, target: Target) -> str | None:
        if isinstance(target, GitHubPage):
            # Checked with its repository's batch only with a token (GraphQL); without
            # one the web provider takes it.
            return target.repo_key if token() else None
        return target.repo_key if isinstance(target, GitHubTarget) else None

    def identity(self, target: Target) -> str | None:
        return github_urls.identity(target)

    def check(self, targets: list[Target], ctx: Context) -> ProviderResult:
        repos: dict[str, RepoRequest] = {}
        for t in targets:
            if (k := self.key(t)) is None or not isinstance(t, GitHubTarget):
                continue
            req = repos.setdefault(k, RepoRequest(t.repo or k))
            if t.kind == GitHubKind.PATH and t.ref and t.path:
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

    def inside(self, target: Target, obs: Observation) -> Inside | None:
        """A file or folder, an issue or pull request, a commit or a release: its key in
        the `paths` history and whether it exists. None for the repository itself and for
        the pages that share its fate."""
        if not isinstance(obs, RepoObservation) or not isinstance(target, GitHubTarget):
            return None
        if target.kind == GitHubKind.PATH:
            spec, what = f"{target.ref}:{target.path}", "file or folder"
        elif isinstance(target, GitHubPage) and target.number is not None:
            return Inside(f"{target.repo_key}#{target.number}",
                          obs.numbers.get(str(target.number)), _missing(target.path))  # fmt: skip
        elif isinstance(target, GitHubPage) and target.sha:
            spec, what = commit_spec(target.sha), target.path
        elif isinstance(target, GitHubPage) and target.tag is not None:
            spec, what = release_spec(target.tag), target.path
        else:
            return None
        return Inside(f"{target.repo_key}@{spec}", obs.paths.get(spec), _missing(what))

    def moved_url(self, target: Target, url: str, moved_to: str) -> str | None:
        if not isinstance(target, GitHubTarget):
            return None
        return github_urls.moved_url(target, url, moved_to)

    def restore(self, data: dict) -> Observation | None:
        return rebuild(RepoObservation, data)


PROVIDER = GitHub()


def _missing(what: str | None) -> str:
    return f"{what} not found in the repository"


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
