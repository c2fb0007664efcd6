"""Hugging Face: models, datasets, Spaces and paper pages, through the Hub API
(`/api/{models,datasets,spaces}/{id}`, `/api/papers/{arxiv id}`); the README says more.
What it claims: `huggingface_urls`.

One GET per distinct repository (`expand=…` the fields shown); a renamed one answers with a
redirect to its new id (`moved_to`). 200: OK; 401/404 `RepoNotFound` (missing or private),
a missing paper page, "disabled": FAIL; 429, 5xx, timeouts: UNKNOWN; no usable answer at
all, or HF_TOKEN refused: the run is incomplete. HF_TOKEN (optional) goes only to the API
endpoint's own origin (redirects are followed by hand) and is never logged."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import requests

from bot.check.http import Http, Sessions, net_error
from bot.check.model import Facts, LinkKind, Observation, Outcome, ProviderResult, rebuild
from bot.check.providers.base import Context, NothingInside
from bot.check.providers.each import Answer, Tally, ask_each
from bot.check.providers.huggingface_urls import (
    API_PATHS,
    DEFAULT_ENDPOINT,
    PREFIXES,
    HubKind,
    HubTarget,
    kind_name,
    parse_hub_url,
    part_ok,
)
from bot.config import Endpoint, ServiceSection
from bot.parse.target import Kind, Target

NAME = "huggingface"
MAX_HOPS = 5
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
NOT_FOUND = "not found on Hugging Face (deleted, renamed away, or private)"
NO_PAPER = "no paper page on Hugging Face"
DISABLED = "disabled by Hugging Face"
TOKEN_REFUSED = "Hugging Face refused HF_TOKEN"
INVALID_CREDENTIALS = "Invalid credentials in Authorization header"
DISABLED_MESSAGE = "Access to this resource is disabled."


_EXPAND = {
    HubKind.MODEL: ("likes", "downloads", "lastModified", "gated", "private", "disabled"),
    HubKind.DATASET: ("likes", "downloads", "lastModified", "gated", "private", "disabled"),
    HubKind.SPACE: ("likes", "lastModified", "private", "disabled"),
}


@dataclass
class HubObservation:
    repo_id: str  # as asked: `org/name`, or the arXiv id of a paper page
    outcome: Outcome
    repo_type: str = "model"
    moved_to: str | None = None  # the id the Hub answers with now, when renamed
    likes: int | None = None
    downloads: int | None = None  # models and datasets: the last 30 days
    last_modified: str | None = None  # ISO 8601, last commit
    gated: str | None = None  # "auto" or "manual" when gated
    private: bool = False
    disabled: bool = False
    title: str | None = None  # paper pages
    upvotes: int | None = None  # paper pages
    published: str | None = None  # paper pages: ISO 8601
    http_status: int | None = None
    error: str | None = None
    archived: bool = False  # the Hub has no archived repositories
    server_error: bool = False
    network_error: str | None = None
    etag: str | None = None

    @property
    def redirect(self) -> str | None:
        return None  # a renamed repository is `moved_to`

    def report_fields(self, stale: bool) -> dict[str, Any]:
        return {}

    def facts(self) -> Facts:
        counts = [(s, n) for s, n in (("♥", self.likes), ("↓", self.downloads),
                                      ("▲", self.upvotes)) if n is not None]  # fmt: skip
        labels = [w for w, on in (("gated", bool(self.gated)), ("private", self.private),
                                  ("disabled", self.disabled)) if on]  # fmt: skip
        # Activity is for code: a Space is an app's repository, but weights and datasets
        # are published once, so the age of their last change says nothing about them.
        activity = self.last_modified if self.repo_type == "space" else None
        return Facts(counts=tuple(counts), activity=activity, labels=tuple(labels),
                     name=self.repo_id)  # fmt: skip


@dataclass
class HuggingFaceConfig:
    """`[huggingface]` in the config."""

    api_url: str = ""  # empty: $HF_ENDPOINT, else https://huggingface.co


SECTION = ServiceSection(
    NAME,
    HuggingFaceConfig,
    endpoints=(Endpoint("api_url", "HF_ENDPOINT", DEFAULT_ENDPOINT),),
)


class HuggingFace(NothingInside):
    """Models, datasets, Spaces and paper pages on the Hugging Face Hub."""

    name = NAME
    title = "Hugging Face"
    noun = "Hugging Face repositories"  # in "114 repositories, 43 papers, …"
    history = "hub"
    cache = True  # see bot.check.cache
    archivable = False
    settings = SECTION
    # A Space is code (an app's repository): listed as stale like one; weights, data and
    # paper pages never are.
    kinds = tuple(LinkKind(k, stale_listed=k is HubKind.SPACE) for k in HubKind)
    scan_keys = ()
    report_keys = ()

    def claim(self, target: Target) -> Target | None:
        if target.kind != Kind.WEB:
            return None
        found = parse_hub_url(target.url)
        if found is None:
            return None
        kind, repo_id = found
        prefix = "papers/" if kind is HubKind.PAPER else PREFIXES.get(kind, "")
        url = f"{DEFAULT_ENDPOINT}/{prefix}{repo_id}"
        return HubTarget(kind, url, repo_type=kind_name(kind), repo_id=repo_id)  # type: ignore[arg-type]

    def key(self, target: Target) -> str | None:
        if not isinstance(target, HubTarget) or not target.repo_id:
            return None
        # Repository ids are unique whatever their case on the Hub: one check per repo.
        return f"{target.repo_type}:{target.repo_id.lower()}"

    def identity(self, target: Target) -> str | None:
        return self.key(target)  # its type and id, in any case

    def check(self, targets: list[Target], ctx: Context) -> ProviderResult:
        wanted: dict[str, HubTarget] = {}
        for t in targets:
            if isinstance(t, HubTarget) and (k := self.key(t)):
                wanted.setdefault(k, t)
        endpoint = (
            ctx.config.service(NAME).api_url or ctx.env.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
        )
        token = (ctx.env.get("HF_TOKEN") or "").strip() or None
        asks = [(k, HubKind(wanted[k].kind), wanted[k].repo_id) for k in ctx.order(list(wanted))]
        return check_hub(asks, endpoint.rstrip("/"), token, ctx.http, ctx.progress)

    def moved_url(self, target: Target, url: str, moved_to: str) -> str | None:
        """The link with the new `org/name`: host, type prefix, anything after the id, query
        and fragment kept as written."""
        if not isinstance(target, HubTarget) or target.repo_type == "paper":
            return None
        new = moved_to.split("/")
        if len(new) != 2 or not all(part_ok(p) for p in new):
            return None
        prefix = "(?:datasets|spaces)/" if target.repo_type != "model" else ""
        m = re.match(rf"(?i)^(https?://[^/?#]+/+{prefix})([^/?#]+)/([^/?#]+)(.*)$", url.strip())
        if not m or f"{unquote(m[2])}/{unquote(m[3])}".lower() != target.repo_id.lower():
            return None
        return f"{m[1]}{new[0]}/{new[1]}{m[4]}"

    def restore(self, data: dict) -> Observation | None:
        return rebuild(HubObservation, data)


PROVIDER = HuggingFace()


def api_url(endpoint: str, kind: HubKind, repo_id: str) -> str:
    return f"{endpoint.rstrip('/')}/api/{API_PATHS[kind]}/{repo_id}"


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


class _Client:
    """GETs through the run's HTTP policy, one session per worker thread, the token only
    for the endpoint's origin."""

    def __init__(self, endpoint: str, token: str | None, http: Http) -> None:
        self.endpoint, self.origin, self.token, self.http = endpoint, _origin(endpoint), token, http
        self.sessions = Sessions(lambda: http.session(NAME, headers={"Accept": "application/json"}))

    def close(self) -> None:
        self.sessions.close()

    def get(self, url: str, params: dict[str, Any] | None) -> requests.Response:
        headers = None
        if self.token and _origin(url) == self.origin:
            headers = {"Authorization": f"Bearer {self.token}"}
        return self.http.get(NAME, self.sessions.get(), url, params=params, headers=headers,
                             allow_redirects=False)  # fmt: skip

    def fetch(self, kind: HubKind, repo_id: str) -> tuple[HubObservation, str]:
        """One repository or paper page, redirects followed by hand. Also says how it went:
        "answered", "unanswered" (no usable answer) or "refused" (the token)."""
        obs = HubObservation(repo_id, Outcome.UNKNOWN, repo_type=kind_name(kind))
        expand = _EXPAND.get(kind)
        current = api_url(self.endpoint, kind, repo_id)
        for _ in range(MAX_HOPS + 1):
            # The query is ours to set on the Hub's own URLs (a relative redirect to the
            # renamed repository may carry none); elsewhere the URL is taken as given.
            same = _origin(current) == self.origin
            params = {"expand": list(expand)} if expand and same else None
            try:
                resp = self.get(current, params)
            except requests.RequestException as exc:
                obs.error = net_error(exc).message
                return obs, "unanswered"
            obs.http_status = resp.status_code
            location = resp.headers.get("Location")
            if resp.status_code in REDIRECT_CODES and location:
                target = urljoin(current, location)
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    obs.error = "redirect to an unsupported scheme"
                    return obs, "answered"
                current = target.split("?", 1)[0] if _origin(target) == self.origin else target
                continue
            return _read(obs, kind, resp)
        obs.error = "too many redirects"
        return obs, "answered"


def _read(
    obs: HubObservation, kind: HubKind, resp: requests.Response
) -> tuple[HubObservation, str]:
    code = resp.status_code
    error_code = resp.headers.get("X-Error-Code", "")
    message = resp.headers.get("X-Error-Message", "")
    if code == 200:
        try:
            data = resp.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            obs.error = "bad answer from Hugging Face"
            return obs, "unanswered"
        _fill(obs, kind, data)
        return obs, "answered"
    if code == 401 and message == INVALID_CREDENTIALS:
        obs.error = TOKEN_REFUSED
        return obs, "refused"
    if code == 429 or code >= 500:
        obs.error = f"HTTP {code} from Hugging Face"
        return obs, "unanswered"
    if code == 403 and message == DISABLED_MESSAGE:
        obs.outcome, obs.error, obs.disabled = Outcome.FAIL, DISABLED, True
    elif error_code == "RepoNotFound" or code in (404, 410) or (code == 401 and kind in _EXPAND):
        obs.outcome = Outcome.FAIL
        obs.error = NO_PAPER if kind is HubKind.PAPER else NOT_FOUND
    elif code == 403 and error_code == "GatedRepo":  # metadata is public; be lenient
        obs.outcome, obs.gated = Outcome.OK, "auto"
    else:
        obs.error = f"HTTP {code} from Hugging Face"
    return obs, "answered"


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _fill(obs: HubObservation, kind: HubKind, data: dict[str, Any]) -> None:
    obs.outcome = Outcome.OK
    if kind is HubKind.PAPER:
        obs.title = " ".join(str(data.get("title") or "").split()) or None
        obs.upvotes = _int(data.get("upvotes"))
        obs.published = data.get("publishedAt") or None
        return
    now = data["id"]
    if now.lower() != obs.repo_id.lower() and "/" in now:
        obs.moved_to = now
    obs.likes = _int(data.get("likes"))
    obs.downloads = _int(data.get("downloads"))
    obs.last_modified = data.get("lastModified") or None
    gated = data.get("gated")
    obs.gated = gated if isinstance(gated, str) and gated else ("auto" if gated is True else None)
    obs.private = data.get("private") is True
    if data.get("disabled") is True:
        obs.outcome, obs.disabled, obs.error = Outcome.FAIL, True, DISABLED


def check_hub(
    asks: list[tuple[str, HubKind, str]],
    endpoint: str = DEFAULT_ENDPOINT,
    token: str | None = None,
    http: Http | None = None,
    progress: Callable[[int], None] | None = None,
) -> ProviderResult:
    """Check `(key, kind, id)` asks; observations keyed by `key`, in the given order."""
    http = http or Http()
    before = http.counts[NAME]
    result = ProviderResult()
    tally = Tally()
    client = _Client(endpoint, token, http)

    def one(ask: tuple[str, HubKind, str]) -> HubObservation:
        _, kind, repo_id = ask
        if tally.stop():
            why = TOKEN_REFUSED if tally.refused else "skipped: no answer from Hugging Face"
            obs = HubObservation(repo_id, Outcome.UNKNOWN, repo_type=kind_name(kind), error=why)
            if not tally.refused:
                tally.count(Answer.UNANSWERED)
            return obs
        obs, how = client.fetch(kind, repo_id)
        tally.count(Answer(how))
        return obs

    try:
        out = ask_each(asks, one, http, NAME, progress)
    finally:
        client.close()
    result.observations = {key: out[(key, kind, rid)] for key, kind, rid in asks}
    result.requests = http.counts[NAME] - before
    if tally.refused:
        result.lost = True
        result.notes.append(f"{TOKEN_REFUSED}: check the token, or unset it")
    elif tally.lost():
        result.lost = True
        result.notes.append("Hugging Face gave no usable answer: its links were not checked")
    return result
