"""GitHub API emulator: REST (under "" and "/api/v3") and GraphQL (at "/graphql" and
"/api/graphql") on loopback, backed by a live GitHubScenario.

Faithful where the bot or PyGithub depends on it: rate-limit headers and budgets
(60 anonymous / 5000 with a token, 304s free), ETags, 301 for renamed repos, 401 for a
bad token, GitHub's error bodies, and URLs that use the caller's own host and prefix."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from tests.emulators.base import Emulator, Fault, Reply, Request
from tests.emulators.github_graphql import (
    MAX_REPOSITORY_ALIASES,
    REPOSITORY_FIELDS,
    GraphQLExecutor,
    repository_query,
)
from tests.emulators.github_json import Urls, user_json
from tests.emulators.github_rest import (
    ACTIONS_PR_MESSAGE,
    REPO_BY_ID,
    REPO_ROOT,
    SUB_ROUTES,
    Ctx,
    HttpError,
    RestHandlers,
    error,
    not_found,
)
from tests.emulators.github_scenario import GitHubScenario, PullRequest, RepoSpec
from tests.emulators.gitstore import Person

__all__ = [
    "ACTIONS_PR_MESSAGE",
    "MAX_REPOSITORY_ALIASES",
    "REPOSITORY_FIELDS",
    "Budget",
    "Fault",
    "GitHubEmulator",
    "GitHubScenario",
    "Person",
    "PullRequest",
    "RepoSpec",
    "repository_query",
]

# About 80 content-creating requests a minute and 500 an hour (../shared/api-facts.md).
WRITE_LIMITS = ((60.0, 80), (3600.0, 500))
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID 0000:0000."
)


@dataclass
class Budget:
    """One rate-limit bucket (per resource and per token, or anonymous)."""

    limit: int
    used: int = 0
    reset: int = 0

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def roll(self) -> None:
        now = int(time.time())
        if now >= self.reset:
            self.used, self.reset = 0, now + 3600


def split_prefix(path: str) -> tuple[str, str]:
    """("/api/v3", "/repos/o/r") for GHE-style paths, ("", path) for dotcom-style."""
    if path == "/api/graphql":
        return "/api", "/graphql"
    if path.startswith("/api/v3/") or path == "/api/v3":
        return "/api/v3", path[len("/api/v3") :] or "/"
    return "", path


class GitHubEmulator(RestHandlers, Emulator):
    """See the module docstring. Faults (`inject`) match canonical paths: "/graphql"
    also catches "/api/graphql", and "/repos/o/r" also catches "/api/v3/repos/o/r"."""

    name = "github"

    def __init__(
        self,
        scenario: GitHubScenario | None = None,
        *,
        tokens: Iterable[str] = ("test-token",),
        login: str = "awesome-monitor-bot",
        rest_limit: int = 5000,
        anonymous_limit: int = 60,
        graphql_limit: int = 5000,
        rate_limit_status: int = 403,
        graphql_rate_limit_status: int = 200,
        html_base: str = "https://github.com",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host, port)
        self.scenario = scenario or GitHubScenario()
        self.tokens = set(tokens)
        self.login = login
        self.limits = {"core": rest_limit, "anonymous": anonymous_limit, "graphql": graphql_limit}
        self.rate_limit_status = rate_limit_status
        self.graphql_rate_limit_status = graphql_rate_limit_status
        self.html_base = html_base
        self.forbid_pull_creation = False
        # GitHub's secondary limit on content-creating requests: (window seconds, most).
        self.write_limits: tuple[tuple[float, int], ...] = WRITE_LIMITS
        self._writes: list[float] = []  # when each write was accepted
        self.graphql_log: list[dict[str, Any]] = []  # every GraphQL request body
        self._budgets: dict[tuple[str, str | None], Budget] = {}
        self._budget_lock = threading.Lock()
        self._gql = GraphQLExecutor(self.scenario, html_base)

    def start(self) -> GitHubEmulator:
        super().start()
        # base.py writes headers and body in two segments; with Nagle on, each keep-alive
        # request then waits ~40 ms for a delayed ACK.
        assert self._server is not None
        self._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        return self

    # -- URLs -------------------------------------------------------------------------
    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    # -- budgets ------------------------------------------------------------------------
    def budget(self, resource: str = "core", token: str | None = "test-token") -> Budget:
        """The live bucket for `resource` ("core" or "graphql") and `token` (None: anonymous)."""
        key = (resource, token)
        with self._budget_lock:
            b = self._budgets.get(key)
            if b is None:
                limit = self.limits["anonymous" if token is None else resource]
                b = self._budgets[key] = Budget(limit, 0, int(time.time()) + 3600)
            b.roll()
            return b

    def exhaust(self, resource: str = "core", token: str | None = "test-token") -> None:
        b = self.budget(resource, token)
        b.used = b.limit

    def reset_budgets(self) -> None:
        with self._budget_lock:
            self._budgets.clear()
            self._writes.clear()

    def _write_refused(self) -> Reply | None:
        """A write past the secondary limit: GitHub's 403 with `Retry-After` (the time until
        the oldest write in the full window leaves it)."""
        now = time.monotonic()
        with self._budget_lock:
            longest = max((w for w, _ in self.write_limits), default=0)
            self._writes = [t for t in self._writes if now - t < longest]
            for window, most in self.write_limits:
                recent = [t for t in self._writes if now - t < window]
                if len(recent) >= most:
                    wait = max(1, int(window - (now - recent[0])) + 1)
                    doc = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
                    body = {"message": SECONDARY_MESSAGE, "documentation_url": doc}
                    return Reply.json(403, body, {"Retry-After": str(wait)})
            self._writes.append(now)
        return None

    @staticmethod
    def _rate_headers(resource: str, b: Budget) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(b.limit),
            "X-RateLimit-Remaining": str(b.remaining),
            "X-RateLimit-Used": str(b.used),
            "X-RateLimit-Reset": str(b.reset),
            "X-RateLimit-Resource": resource,
        }

    # -- fault helpers ------------------------------------------------------------------
    def fail_graphql(self, times: int = 1, status: int = 502, body: bytes = b"") -> None:
        """The next `times` GraphQL calls answer `status` (GitHub's 502 is an HTML page)."""
        self.inject(Fault(status, "POST", "/graphql", times, body=body))

    def secondary_rate_limit(
        self,
        times: int = 1,
        retry_after: int | None = 60,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """The next `times` matching requests get GitHub's secondary-limit 403."""
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        doc = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
        body = json.dumps({"message": SECONDARY_MESSAGE, "documentation_url": doc}).encode()
        self.inject(Fault(403, method, path, times, headers=headers, body=body))

    def _take_fault(self, method: str, path: str) -> Fault | None:
        prefix, rest = split_prefix(path)
        return super()._take_fault(method, rest)

    # -- counters ------------------------------------------------------------------------
    def endpoint_name(self, req: Request) -> str:
        _, path = split_prefix(req.path)
        if path == "/graphql":
            return f"{req.method} /graphql"
        for rx, head in ((REPO_ROOT, "/repos/{o}/{r}"), (REPO_BY_ID, "/repositories/{id}")):
            m = rx.match(path)
            if m:
                rest = m["rest"] or ""
                for method, sub, template, _h in SUB_ROUTES:
                    if method == req.method and sub.match(rest):
                        return f"{req.method} {head}{template}"
                return f"{req.method} {head}{rest}"
        return f"{req.method} {path}"

    # -- request handling ------------------------------------------------------------------
    def handle(self, req: Request) -> Reply | None:
        prefix, path = split_prefix(req.path)
        urls = Urls(f"http://{req.host}{prefix}", self.html_base)
        auth = req.headers.get("authorization", "")
        token = auth.split(None, 1)[1].strip() if " " in auth else None
        if auth and token not in self.tokens:
            return error(401, "Bad credentials")
        ctx = Ctx(req, urls, token, self.login)
        if path == "/graphql":
            return self._graphql(ctx) if req.method == "POST" else not_found()
        if path == "/rate_limit" and req.method == "GET":
            return self._with_rate(ctx, self._rate_limit(ctx), charge=False)
        b = self.budget("core", token)
        if b.remaining <= 0:
            who = "127.0.0.1" if token is None else "user ID 1"
            msg = f"API rate limit exceeded for {who}."
            if token is None:
                msg += (
                    " (But here's the good news: Authenticated requests get a higher rate "
                    "limit. Check out the documentation for more details.)"
                )
            doc = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
            reply = error(self.rate_limit_status, msg, doc)
            return self._with_rate(ctx, reply, charge=False)
        if req.method != "GET" and token is not None:
            refused = self._write_refused()
            if refused is not None:
                return self._with_rate(ctx, refused, charge=False)
        try:
            with self.scenario.lock:
                reply = self._rest(ctx, path)
        except HttpError as e:
            reply = e.reply
        if req.method == "GET" and 200 <= reply.status < 300:
            etag = 'W/"' + hashlib.sha256(reply.body).hexdigest() + '"'
            reply.headers["ETag"] = etag
            reply.headers.setdefault("Cache-Control", "private, max-age=60, s-maxage=60")
            if _etag_matches(req.headers.get("if-none-match", ""), etag):
                return self._with_rate(ctx, Reply(304, b"", {"ETag": etag}), charge=False)
        return self._with_rate(ctx, reply, charge=True)

    def _with_rate(self, ctx: Ctx, reply: Reply, charge: bool, resource: str = "core") -> Reply:
        b = self.budget(resource, ctx.token)
        if charge:
            with self._budget_lock:
                b.used += 1
        reply.headers.update(self._rate_headers(resource, b))
        reply.headers.setdefault("X-GitHub-Media-Type", "github.v3; format=json")
        reply.headers.setdefault("X-GitHub-Api-Version-Selected", "2022-11-28")
        return reply

    def _rest(self, ctx: Ctx, path: str) -> Reply:
        req = ctx.req
        if path == "/user" and req.method == "GET":
            if ctx.token is None:
                return error(401, "Requires authentication")
            return Reply.json(200, user_json(ctx.urls, ctx.login, kind="User"))
        m = REPO_ROOT.match(path)
        if m:
            full = f"{unquote(m['o'])}/{unquote(m['r'])}"
            spec, _ = self.scenario.resolve(full, follow=False)
            if spec is None:
                spec, moved = self.scenario.resolve(full)
                if moved and spec is not None:
                    loc = f"{ctx.urls.api}/repositories/{spec.id}{m['rest'] or ''}"
                    doc = "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"
                    body = {"message": "Moved Permanently", "url": loc, "documentation_url": doc}
                    return Reply.json(301, body, {"Location": loc})
                return not_found("https://docs.github.com/rest/repos/repos#get-a-repository")
        else:
            m = REPO_BY_ID.match(path)
            if not m:
                return not_found()
            spec = self.scenario.by_id(int(m["id"]))
            if spec is None:
                return not_found()
        if spec.blocked:
            return self._access_blocked(ctx, spec, 451, "dmca")
        if spec.disabled:
            return self._access_blocked(ctx, spec, 403, "tos")
        ctx.spec = spec
        rest = m["rest"] or ""
        for method, rx, _t, handler in SUB_ROUTES:
            sm = rx.match(rest)
            if method == req.method and sm:
                if method != "GET" and ctx.token is None:
                    return error(401, "Requires authentication")
                if method != "GET" and spec.archived:
                    return error(403, "Repository was archived so is read-only.")
                params = {k: unquote(v) for k, v in sm.groupdict().items()}
                fn: Callable[..., Reply] = getattr(self, f"_{handler}")
                return fn(ctx, **params)
        return not_found()

    @staticmethod
    def _access_blocked(ctx: Ctx, spec: RepoSpec, status: int, reason: str) -> Reply:
        block = {
            "reason": reason,
            "created_at": spec.archived_at or "2024-01-01T00:00:00Z",
            "html_url": f"{ctx.urls.html}/tos" if reason == "tos" else f"{ctx.urls.html}/dmca",
        }
        return Reply.json(status, {"message": "Repository access blocked", "block": block})

    # -- GraphQL --------------------------------------------------------------------------
    def _graphql(self, ctx: Ctx) -> Reply:
        if ctx.token is None:
            doc = "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"
            return error(401, "This endpoint requires you to be authenticated.", doc)
        b = self.budget("graphql", ctx.token)
        headers = {"X-GitHub-Media-Type": "github.v4; format=json"}
        if b.remaining <= 0:
            body = {
                "errors": [
                    {
                        "type": "RATE_LIMITED",
                        "code": "graphql_rate_limit",
                        "message": "API rate limit exceeded for user ID 1.",
                    }
                ]
            }
            reply = Reply.json(self.graphql_rate_limit_status, body, headers)
            return self._with_rate(ctx, reply, charge=False, resource="graphql")
        payload = ctx.body()
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            reply = Reply.json(
                200,
                {
                    "errors": [
                        {"message": "A query attribute must be specified and must be a string."}
                    ]
                },
                headers,
            )
            return self._with_rate(ctx, reply, charge=False, resource="graphql")
        self.graphql_log.append(payload)
        with self._budget_lock:
            b.used += 1

        def rate() -> dict[str, Any]:
            reset = datetime.fromtimestamp(b.reset, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            return {
                "cost": 1,
                "limit": b.limit,
                "nodeCount": 0,
                "remaining": b.remaining,
                "resetAt": reset,
                "used": b.used,
            }

        body = self._gql.run(
            payload["query"], payload.get("variables"), rate, payload.get("operationName")
        )
        return self._with_rate(ctx, Reply.json(200, body, headers), False, "graphql")

    # -- rate limit -------------------------------------------------------------------------
    def _rate_limit(self, ctx: Ctx) -> Reply:
        def res(b: Budget) -> dict[str, int]:
            return {"limit": b.limit, "used": b.used, "remaining": b.remaining, "reset": b.reset}

        core = res(self.budget("core", ctx.token))
        gql = (
            res(self.budget("graphql", ctx.token))
            if ctx.token
            else {**core, "limit": 0, "remaining": 0}
        )
        soon = int(time.time()) + 60
        search = {"limit": 30 if ctx.token else 10, "used": 0, "reset": soon}
        search["remaining"] = search["limit"]
        code_search = {"limit": 10, "used": 0, "remaining": 10, "reset": soon}
        body = {
            "resources": {
                "core": core,
                "search": search,
                "graphql": gql,
                "code_search": code_search,
            },
            "rate": core,
        }
        return Reply.json(200, body, {"Cache-Control": "no-cache"})

    # -- helpers for tests ------------------------------------------------------------
    def pulls(self, full_name: str) -> list[PullRequest]:
        return sorted(self.scenario[full_name].pulls.values(), key=lambda p: p.number)

    def user(self) -> dict[str, Any]:
        return user_json(Urls(self.url, self.html_base), self.login)


def _etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == bare for t in header.split(","))
