"""Loopback emulator of the Hugging Face Hub API: `GET /api/{models,datasets,spaces}/{id}`
and `GET /api/papers/{arxiv id}`.

It answers the way the Hub does (see the provider's docstring for the sources):
- a repository: 200 JSON with `_id` and `id` (the canonical id, whatever case was asked)
  and, when `expand=` is given, only the properties asked; an `expand` the type does not
  have (a Space's `downloads`) is a 400;
- a renamed repository: 307 with a `Location` relative to the Hub, to the new id, and no
  query (clients re-ask their fields);
- a missing repository, or a private one the caller cannot see: 401 with
  `X-Error-Code: RepoNotFound` to an anonymous caller, 404 with the same code to an
  authenticated one; a gated repository's metadata is public (200, `gated: "auto"`);
- a token it does not know: 401 with `X-Error-Message: Invalid credentials in
  Authorization header`; a known token sees the private repositories it is given;
- a disabled repository: 403 with `X-Error-Message: Access to this resource is disabled.`;
- a paper page: 200 JSON (`id`, `title`, `upvotes`, `publishedAt`), else 404.

Every request is kept (`seen`, faults included), headers and all, so tests can tell where
a token went."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from bot.check.providers import classify
from bot.check.providers.huggingface import HubTarget
from bot.parse.markdown import Document
from tests.emulators.base import Emulator, Reply, Request

TYPES = {"models": "model", "datasets": "dataset", "spaces": "space"}
EXPANDABLE = {
    "model": {"author", "cardData", "config", "createdAt", "disabled", "downloads",
              "downloadsAllTime", "gated", "lastModified", "library_name", "likes",
              "pipeline_tag", "private", "safetensors", "sha", "spaces", "tags"},
    "dataset": {"author", "cardData", "citation", "createdAt", "description", "disabled",
                "downloads", "downloadsAllTime", "gated", "lastModified", "likes", "private",
                "sha", "tags"},
    "space": {"author", "cardData", "createdAt", "datasets", "disabled", "lastModified",
              "likes", "models", "private", "runtime", "sdk", "sha", "subdomain", "tags"},
}  # fmt: skip


@dataclass
class RepoSpec:
    repo_type: str  # "model", "dataset", "space"
    repo_id: str  # canonical "org/name"
    likes: int = 0
    downloads: int = 0  # models and datasets only
    last_modified: str = "2024-01-15T10:00:00.000Z"
    created_at: str = "2023-01-01T00:00:00.000Z"
    gated: str | bool = False  # False, "auto", "manual"
    private: bool = False
    disabled: bool = False

    def json(self) -> dict[str, Any]:
        org = self.repo_id.split("/")[0]
        data: dict[str, Any] = {
            "_id": hashlib.sha1(f"{self.repo_type}:{self.repo_id}".encode()).hexdigest()[:24],
            "id": self.repo_id,
            "author": org,
            "sha": hashlib.sha1(self.repo_id.encode()).hexdigest(),
            "lastModified": self.last_modified,
            "createdAt": self.created_at,
            "private": self.private,
            "disabled": self.disabled,
            "likes": self.likes,
            "tags": [],
        }
        if self.repo_type == "model":
            data.update(modelId=self.repo_id, pipeline_tag="text-generation",
                        library_name="transformers")  # fmt: skip
        if self.repo_type != "space":
            data.update(gated=self.gated, downloads=self.downloads)
        else:
            data.update(sdk="gradio", subdomain=self.repo_id.replace("/", "-").lower(),
                        runtime={"stage": "RUNNING"})  # fmt: skip
        return data


@dataclass
class PaperSpec:
    arxiv_id: str
    title: str = "A Paper"
    upvotes: int = 0
    published_at: str = "2024-01-01T00:00:00.000Z"

    def json(self) -> dict[str, Any]:
        return {
            "id": self.arxiv_id,
            "title": self.title,
            "upvotes": self.upvotes,
            "publishedAt": self.published_at,
            "authors": [{"name": "Ada Lovelace", "hidden": False}],
            "summary": "An abstract.",
        }


def _key(repo_type: str, repo_id: str) -> tuple[str, str]:
    return repo_type, repo_id.lower()


@dataclass
class HubScenario:
    repos: dict[tuple[str, str], RepoSpec] = field(default_factory=dict)
    renamed: dict[tuple[str, str], str] = field(default_factory=dict)  # old → new id
    papers: dict[str, PaperSpec] = field(default_factory=dict)
    # token → the private repositories it can see ((type, lower id))
    tokens: dict[str, set[tuple[str, str]]] = field(default_factory=dict)

    def add(self, repo_id: str, repo_type: str = "model", **kw: Any) -> RepoSpec:
        spec = RepoSpec(repo_type, repo_id, **kw)
        self.repos[_key(repo_type, repo_id)] = spec
        return spec

    def add_paper(self, arxiv_id: str, **kw: Any) -> PaperSpec:
        spec = self.papers[arxiv_id] = PaperSpec(arxiv_id, **kw)
        return spec

    def rename(self, old: str, new: str, repo_type: str = "model") -> RepoSpec:
        spec = self.repos.pop(_key(repo_type, old))
        spec.repo_id = new
        self.repos[_key(repo_type, new)] = spec
        self.renamed[_key(repo_type, old)] = new
        return spec

    def remove(self, repo_id: str, repo_type: str = "model") -> None:
        del self.repos[_key(repo_type, repo_id)]

    def allow(self, token: str, repo_id: str = "", repo_type: str = "model") -> None:
        seen = self.tokens.setdefault(token, set())
        if repo_id:
            seen.add(_key(repo_type, repo_id))


def scenario_from(doc: Document) -> HubScenario:
    """Every repository and paper page the document links, all present."""
    s = HubScenario()
    for link in doc.links:
        t = classify(link.target)
        if not isinstance(t, HubTarget):
            continue
        if t.repo_type == "paper":
            s.papers.setdefault(t.repo_id, PaperSpec(t.repo_id, upvotes=len(t.repo_id)))
        elif _key(t.repo_type, t.repo_id) not in s.repos:
            s.add(t.repo_id, t.repo_type, likes=len(t.repo_id) * 7, downloads=len(t.repo_id) * 991)
    return s


class HubEmulator(Emulator):
    name = "huggingface"

    def __init__(self, scenario: HubScenario | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.scenario = scenario or HubScenario()
        self.seen: list[Request] = []

    def endpoint_name(self, req: Request) -> str:
        return f"{req.method} {req.path}"

    def requests_to(self, path: str) -> int:
        with self._lock:
            return self.counts[f"GET {path}"]

    def _dispatch(self, req: Request) -> Reply | None:
        with self._lock:
            self.seen.append(req)  # scripted faults included
        return super()._dispatch(req)

    def handle(self, req: Request) -> Reply | None:
        parts = [p for p in req.path.split("/") if p]
        if req.method != "GET" or len(parts) < 3 or parts[0] != "api":
            return _error(404, "Not Found")
        auth = req.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
        if token is not None and token not in self.scenario.tokens:
            return _error(401, "Invalid credentials in Authorization header")
        if parts[1] == "papers" and len(parts) == 3:
            paper = self.scenario.papers.get(parts[2])
            return Reply.json(200, paper.json()) if paper else _error(404, "Paper not found")
        repo_type = TYPES.get(parts[1])
        if repo_type is None or len(parts) not in (3, 4):
            return _error(404, "Not Found")
        repo_id = "/".join(parts[2:])
        return self._repo(repo_type, repo_id, parts[1], token, req.query.get("expand", []))

    def _repo(
        self, repo_type: str, repo_id: str, plural: str, token: str | None, expand: list[str]
    ) -> Reply:
        key = _key(repo_type, repo_id)
        new = self.scenario.renamed.get(key)
        if new is not None:
            where = f"/api/{plural}/{new}"
            body = f"Temporary Redirect. Redirecting to {where}".encode()
            return Reply(307, body, {"Location": where, "Content-Type": "text/plain"})
        spec = self.scenario.repos.get(key)
        visible = spec is not None and (
            not spec.private or (token is not None and key in self.scenario.tokens[token])
        )
        if not visible:
            return _error(404 if token else 401, "Repository not found", code="RepoNotFound")
        assert spec is not None
        if spec.disabled:
            return _error(403, "Access to this resource is disabled.")
        bad = [e for e in expand if e not in EXPANDABLE[repo_type]]
        if bad:
            return _error(400, f'"expand" must be one of {sorted(EXPANDABLE[repo_type])}')
        data = spec.json()
        if expand:
            data = {k: v for k, v in data.items() if k in ("_id", "id", *expand)}
        return Reply.json(200, data)


def _error(status: int, message: str, code: str | None = None) -> Reply:
    headers = {"X-Error-Message": message}
    if code:
        headers["X-Error-Code"] = code
    return Reply.json(status, {"error": message}, headers)
