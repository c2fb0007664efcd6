"""GitHub without a token: REST, one GET per repository (and per linked path) within the
anonymous budget of 60 an hour. `GET /rate_limit` (free) tells the budget first; ETags from
the previous run make an unchanged repository free (304). What the budget does not cover
is "not checked" this run and goes first next run. A repository's pages (issues, commits,
releases) are not GitHub's links without a token: the web provider checks them."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
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
    repo_key,
    short,
    token_refused,
)

log = logging.getLogger(__name__)

UNREACHABLE_STOP = 3  # repositories in a row without an answer: GitHub is lost, stop


class Rest:
    def __init__(self, gh: Github, settings: GitHubSettings, http: Http) -> None:
        self.req = gh.requester
        self.settings = settings
        self.http = http
        self.remaining: int | None = None

    def run(
        self,
        repos: list[RepoRequest],
        previous: dict[str, dict[str, Any]],
        progress: Callable[[int], None],
    ) -> ProviderResult:
        result = ProviderResult()
        unanswered = 0  # repositories in a row with no answer
        self.remaining = self._rate_limit()
        for req in repos:
            key = repo_key(req.repo)
            if unanswered >= UNREACHABLE_STOP:
                result.observations[key] = RepoObservation(
                    key, Outcome.UNKNOWN, error="GitHub unreachable"
                )
                continue
            if self.remaining is not None and self.remaining <= self.settings.rest_reserve:
                result.observations[key] = RepoObservation(
                    key, Outcome.NOT_CHECKED, error="not checked this run (REST budget spent)"
                )
                continue
            obs, answered = self._repo(req, previous.get(key))
            if not answered:
                result.lost = True  # GitHub lost: the run is incomplete
            unanswered = 0 if answered else unanswered + 1
            result.observations[key] = obs
            progress(1)
        # Linked files and folders after every repository: they spend what is left.
        for req in repos:
            obs = result.observations[repo_key(req.repo)]
            if obs.outcome is Outcome.OK and req.paths and isinstance(obs, RepoObservation):
                self._paths(req, obs, previous.get(repo_key(req.repo)))
        skipped = sum(1 for o in result.observations.values() if o.outcome is Outcome.NOT_CHECKED)
        if skipped:
            result.notes.append(
                f"{skipped} repositories not checked: the anonymous REST budget ran out "
                "(set GITHUB_TOKEN to check them all; they go first next run)"
            )
        return result

    def _rate_limit(self) -> int | None:
        """GET /rate_limit is free; it tells the budget before we spend it."""
        try:
            with self.http.slot(NAME, self.settings.api_url):
                status, headers, body = self.req.requestJson("GET", "/rate_limit")
        except requests.RequestException as exc:
            log.info("github: /rate_limit failed: %s", short(exc))
            return None
        remaining = headers.get("x-ratelimit-remaining")
        return int(remaining) if remaining and remaining.isdigit() else None

    def _get(self, url: str, etag: str | None) -> tuple[int, dict, str] | None:
        """One GET (the policy retries); None when GitHub could not be reached."""
        headers = {"If-None-Match": etag} if etag else {}
        try:
            with self.http.slot(NAME, self.settings.api_url):
                status, rh, body = self.req.requestJson("GET", url, headers=headers)
        except requests.RequestException as exc:
            log.info("github: GET %s failed: %s", url, short(exc))
            return None
        remaining = rh.get("x-ratelimit-remaining")
        if remaining and remaining.isdigit():
            self.remaining = int(remaining)
        return status, rh, body

    def _repo(self, req: RepoRequest, prev: dict[str, Any] | None) -> tuple[RepoObservation, bool]:
        """The repository's observation, and whether GitHub answered for it."""
        key = repo_key(req.repo)
        got = self._get(f"/repos/{req.repo}", (prev or {}).get("etag"))
        if got is None:
            return RepoObservation(key, Outcome.UNKNOWN, error="GitHub unreachable"), False
        status, headers, body = got
        if status == 304 and prev:
            fields = {k: v for k, v in prev.items() if k in RepoObservation.__dataclass_fields__}
            fields.update(
                repo=key, outcome=Outcome.OK, http_status=304, error=None, paths={}, numbers={}
            )
            return RepoObservation(**fields), True
        if status == 200:
            data = json.loads(body)
            full = data.get("full_name") or req.repo
            if full.lower() != key:
                self.http.count(NAME)  # the 301 hop PyGithub followed
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
                etag=headers.get("etag"),
                http_status=200,
            ), True
        if status in (404, 410, 451):
            reason = {451: "blocked for legal reasons (451)"}.get(status, "repository not found")
            return RepoObservation(key, Outcome.FAIL, http_status=status, error=reason), True
        if status in (403, 429) and headers.get("x-ratelimit-remaining") == "0":
            self.remaining = 0
            return RepoObservation(
                key, Outcome.NOT_CHECKED, http_status=status, error="REST budget spent"
            ), True
        if status == 403:
            return RepoObservation(
                key, Outcome.FAIL, http_status=403, disabled=True, error="access blocked (403)"
            ), True
        if status == 401:
            raise token_refused()
        obs = RepoObservation(key, Outcome.UNKNOWN, http_status=status, error=f"HTTP {status}")
        return obs, status < 500

    def _paths(self, req: RepoRequest, obs: RepoObservation, prev: dict[str, Any] | None) -> None:
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
            got = self._get(f"/repos/{repo}/contents/{path}?ref={ref}", None)
            if got is None:
                obs.paths[spec] = None
                continue
            status = got[0]
            obs.paths[spec] = True if status == 200 else False if status == 404 else None
