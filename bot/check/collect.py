"""Collect: one check per distinct repository, paper and URL, however often the
list links it, grouped by provider."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.check.providers.github import RepoRequest
from bot.parse.markdown import Document, Link
from bot.parse.target import Kind


@dataclass
class Work:
    repos: dict[str, RepoRequest] = field(default_factory=dict)  # repo key → request
    papers: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)  # the links that are checked
    excluded: list[Link] = field(default_factory=list)


def path_key(repo_key: str, ref: str, path: str) -> str:
    return f"{repo_key}@{ref}:{path}"


def collect(doc: Document, exclude: list[str] | None = None) -> Work:
    patterns = [re.compile(p) for p in exclude or []]
    work = Work()
    papers: dict[str, None] = {}
    urls: dict[str, None] = {}
    for link in doc.links:
        if any(p.search(link.url) for p in patterns):
            work.excluded.append(link)
            continue
        work.links.append(link)
        t = link.target
        if t.repo_key:
            req = work.repos.setdefault(t.repo_key, RepoRequest(t.repo or t.repo_key))
            if t.kind is Kind.GITHUB_PATH and t.ref and t.path:
                req.paths.add((t.ref, t.path))
        elif t.kind is Kind.ARXIV and t.arxiv_id:
            papers.setdefault(t.arxiv_id, None)
        elif t.kind is Kind.WEB and t.url.lower().startswith(("http://", "https://")):
            urls.setdefault(t.url, None)
    work.papers = list(papers)
    work.urls = list(urls)
    return work
