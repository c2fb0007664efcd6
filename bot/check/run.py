"""One check run: collect → providers (concurrently) → judge. No printing here, and
nothing written: the caller prints, and saves state only with --write."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.check.collect import collect
from bot.check.judge import Observations, Verdict, judge
from bot.check.model import HttpSettings, Outcome
from bot.check.providers import arxiv, web
from bot.check.providers.github import GitHubSettings, RepoRequest, TokenRefused, check_repos
from bot.check.state import State
from bot.config import Config
from bot.parse.markdown import Document

PUBLIC_ARXIV = "https://export.arxiv.org/api/query"
PUBLIC_GITHUB = "https://api.github.com"

Progress = Callable[[str, int, int], None]  # (provider, advance, total)


@dataclass
class Endpoints:
    github_api: str
    github_graphql: str | None
    arxiv_api: str
    token: str | None

    @classmethod
    def resolve(cls, cfg: Config, env: dict[str, str] | None = None) -> Endpoints:
        """The config (which the command line overrides), then the environment (as GitHub
        Actions and GitHub Enterprise set it), then the public services."""
        env = dict(os.environ) if env is None else env
        return cls(
            github_api=cfg.github.api_url or env.get("GITHUB_API_URL") or PUBLIC_GITHUB,
            github_graphql=cfg.github.graphql_url or env.get("GITHUB_GRAPHQL_URL") or None,
            arxiv_api=cfg.arxiv.api_url or env.get("ARXIV_API_URL") or PUBLIC_ARXIV,
            token=(env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or "").strip() or None,
        )


@dataclass
class CheckResult:
    verdicts: list[Verdict]
    state: State
    requests: dict[str, int]
    notes: list[str] = field(default_factory=list)
    down: set[str] = field(default_factory=set)  # providers that could not be reached
    token_refused: bool = False
    budget_spent_with_token: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # distinct targets per provider

    @property
    def incomplete(self) -> bool:
        """Exit 3: the check could not be completed."""
        return bool(self.down) or self.token_refused or self.budget_spent_with_token

    @property
    def incomplete_reason(self) -> str:
        if self.token_refused:
            return "GitHub refused the token"
        if self.budget_spent_with_token:
            return "the GitHub API budget ran out"
        return f"could not reach {', '.join(sorted(self.down))}"


def _order(repos: dict[str, RepoRequest], state: State) -> list[RepoRequest]:
    """Never-checked and skipped-last-time first, then the longest unchecked."""

    def rank(key: str) -> tuple[int, str]:
        e = state.repos.get(key)
        if e is None or e.not_checked or not e.last_checked:
            return (0, "")
        return (1, e.last_checked)

    return [repos[k] for k in sorted(repos, key=rank)]


def _discount_web_network_errors(obs: Observations, notes: list[str]) -> None:
    """GitHub or arXiv was unreachable: a web link that got no answer at all (DNS,
    refused) says more about our network than about the link. Not counted."""
    hits = [o for o in obs.urls.values() if o.outcome is Outcome.FAIL and o.network_error]
    for o in hits:
        o.outcome = Outcome.UNKNOWN
    if hits:
        notes.append(f"{len(hits)} web links got no answer while other services were "
                     "unreachable: not counted as failures")  # fmt: skip


def run_check(
    doc: Document,
    cfg: Config,
    endpoints: Endpoints,
    state: State,
    progress: Progress | None = None,
    now: str | None = None,
) -> CheckResult:
    now = now or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    http = HttpSettings.from_config(cfg.check)
    dead_after = cfg.check.dead_after
    work = collect(doc, cfg.check.exclude)
    tick = progress or (lambda name, n, total: None)
    obs = Observations()
    requests = {"github": 0, "arxiv": 0, "web": 0}
    notes: list[str] = []
    result_flags = {"token_refused": False, "budget": False}

    gh_settings = GitHubSettings(
        api_url=endpoints.github_api,
        graphql_url=endpoints.github_graphql,
        token=endpoints.token,
        batch_size=cfg.github.batch_size,
        rest_reserve=cfg.github.rest_reserve,
        http=http,
    )
    ordered = _order(work.repos, state)
    previous = {k: {**e.data, "etag": e.etag} for k, e in state.repos.items() if e.data}

    def run_github() -> None:
        if not ordered:
            return
        try:
            res = check_repos(ordered, gh_settings, previous,
                              lambda n: tick("github", n, len(ordered)))  # fmt: skip
        except TokenRefused as exc:
            result_flags["token_refused"] = True
            notes.append(f"{exc}: check GITHUB_TOKEN")
            obs.down.add("github")
            return
        obs.repos.update(res.observations)  # type: ignore[arg-type]
        requests["github"] += res.requests
        notes.extend(res.notes)
        if res.network_down:
            obs.down.add("github")
        if endpoints.token and res.budget_spent:
            result_flags["budget"] = True

    def run_arxiv() -> None:
        if not work.papers:
            return
        res = arxiv.check_papers(work.papers, endpoints.arxiv_api, http,
                                 lambda n: tick("arxiv", n, len(work.papers)))  # fmt: skip
        obs.papers.update(res.observations)  # type: ignore[arg-type]
        requests["arxiv"] += res.requests
        notes.extend(res.notes)
        if res.network_down:
            obs.down.add("arxiv")

    def run_web() -> None:
        if not work.urls or not cfg.check.web:
            return
        done = [0]

        def web_tick(total_done: int) -> None:  # the web provider reports a running total
            tick("web", total_done - done[0], len(work.urls))
            done[0] = total_done

        res = web.check_urls(work.urls, http, web_tick)
        obs.urls.update(res.observations)  # type: ignore[arg-type]
        requests["web"] += res.requests
        notes.extend(res.notes)
        if res.network_down:
            obs.down.add("web")

    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="provider") as pool:
        for fut in [pool.submit(f) for f in (run_github, run_arxiv, run_web)]:
            fut.result()

    if obs.down - {"web"}:
        _discount_web_network_errors(obs, notes)
    verdicts, new_state = judge(
        work.links, obs, state, now, dead_after=dead_after, star_history=cfg.check.star_history
    )
    return CheckResult(
        verdicts=verdicts,
        state=new_state,
        requests=requests,
        notes=notes,
        down=obs.down,
        token_refused=result_flags["token_refused"],
        budget_spent_with_token=result_flags["budget"],
        counts={"repos": len(work.repos), "papers": len(work.papers), "urls": len(work.urls)},
    )
