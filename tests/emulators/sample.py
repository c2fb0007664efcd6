"""A scenario made from a real list: every repository and paper it links exists in
the emulators, with a chosen few archived, missing, renamed, with a linked file
gone, or with new arXiv versions, so a run has something to find.

`truth` records what each special target is, so tests compare the bot's verdicts
with it. Deterministic: the same list gives the same scenario."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from bot.check.providers import classify
from bot.check.providers.arxiv import ArxivTarget
from bot.check.providers.github_urls import GitHubKind, GitHubTarget
from bot.parse.markdown import Document
from tests.emulators.arxiv import ArxivScenario
from tests.emulators.github_scenario import GitHubScenario


@dataclass
class Truth:
    archived: set[str] = field(default_factory=set)  # repo keys
    missing: set[str] = field(default_factory=set)
    renamed: dict[str, str] = field(default_factory=dict)  # old key → new full name
    paths_gone: set[str] = field(default_factory=set)  # link URLs
    versions: dict[str, int] = field(default_factory=dict)  # arxiv id → latest version
    unknown_papers: set[str] = field(default_factory=set)


def _n(text: str, mod: int) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % mod


def build(
    doc: Document,
    special: bool = True,
) -> tuple[GitHubScenario, ArxivScenario, Truth]:
    """GitHub and arXiv scenarios for every repo and paper of `doc`. With `special`,
    the 2nd repo is archived, the 3rd missing, the 4th renamed, the first linked
    file of the 2nd path-linked repo is gone, and the 1st paper is unknown."""
    gh, ax, truth = GitHubScenario(), ArxivScenario(), Truth()
    repos: dict[str, str] = {}
    paths: dict[str, dict[str, str]] = {}
    path_links: list[tuple[str, GitHubTarget]] = []  # (link URL, its target)
    papers: dict[str, None] = {}
    for link in doc.links:
        t = classify(link.target)  # as the providers claim it
        if isinstance(t, GitHubTarget):
            repos.setdefault(t.repo_key, t.repo or t.repo_key)
            if t.kind is GitHubKind.PATH and t.path:
                paths.setdefault(t.repo_key, {})[t.path] = f"content of {t.path}\n"
                path_links.append((t.url, t))
        elif isinstance(t, ArxivTarget) and t.arxiv_id:
            papers.setdefault(t.arxiv_id, None)
    keys = list(repos)
    for key in keys:
        files = {"README.md": "# readme\n", **paths.get(key, {})}
        gh.add(
            repos[key],
            stars=50 + _n(key, 40_000),
            files=files,
            default_branch="master",
            pushed_at=f"20{18 + _n(key, 7)}-0{1 + _n(key, 9)}-15T10:00:00Z",
            last_commit=f"20{18 + _n(key, 7)}-0{1 + _n(key, 9)}-15T10:00:00Z",
        )
    if special and len(keys) >= 4:
        gh[keys[1]].archived = True
        gh[keys[1]].archived_at = "2023-05-01T00:00:00Z"
        truth.archived.add(keys[1])
        gh.remove(keys[2])
        truth.missing.add(keys[2])
        new = f"{repos[keys[3]].split('/')[0]}-org/{repos[keys[3]].split('/')[1]}"
        gh.rename(repos[keys[3]], new)
        truth.renamed[keys[3]] = new
    if special:
        usable = [t for _, t in path_links if t.repo_key not in truth.missing]
        if len(usable) > 1:
            gone = usable[1]
            spec = gh.resolve(gone.repo or "")[0]
            if spec is not None and gone.path in spec.files:
                del spec.files[gone.path]
                truth.paths_gone.update(
                    url for url, t in path_links if t.path == gone.path
                    and t.repo_key == gone.repo_key
                )  # fmt: skip
    ids = list(papers)
    for i, pid in enumerate(ids):
        if special and i == 0:
            truth.unknown_papers.add(pid)
            continue
        count = 1 + _n(pid, 4)
        dates = [f"2016-{m:02d}-10" for m in range(1, count + 1)]
        ax.add(pid, versions=dates, title=f"Paper {pid}")
        truth.versions[pid] = count
    return gh, ax, truth
