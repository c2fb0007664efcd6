"""npm: JavaScript packages (`npmjs.com/package/NAME`, scoped `…/package/@scope/NAME`, a
version's page `…/NAME/v/1.2.3` too), through the registry (`GET {registry}/NAME`, a scoped
name with its slash encoded: `@scope%2fNAME`): whether the package exists, its latest
release (`dist-tags.latest`) and that release's date (`time[<version>]`), and whether its
author deprecated it (`versions[<latest>].deprecated`). The list shows the latest release
and, past `[status] stale_after`, `no release since YYYY`.

One GET per distinct package, `per_host` at a time. 404, or a package whose every version
was unpublished: FAIL; 429, 5xx, timeouts: UNKNOWN; no usable answer at all: the run is
incomplete. The registry: `[npm] registry`, else `$NPM_REGISTRY`, else
https://registry.npmjs.org (a mirror or a private registry with the same API works too)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import requests

from bot.check.http import Http, Sessions, net_error
from bot.check.model import Facts, LinkKind, Observation, Outcome, ProviderResult, rebuild
from bot.check.providers.base import Context, NothingInside
from bot.config import Endpoint, ServiceSection
from bot.parse.target import Kind, Target, web_host

NAME = "npm"
DEFAULT_REGISTRY = "https://registry.npmjs.org"
HOSTS = ("npmjs.com", "npmjs.org")
UNREACHABLE_AFTER = 3  # packages without an answer, none answered: stop asking
NOT_FOUND = "no such package on npm"
UNPUBLISHED = "unpublished from npm"
_PART = re.compile(r"[A-Za-z0-9~-][A-Za-z0-9._~-]*")  # a scope or a name (old ones: any case)


class NpmKind(StrEnum):
    PACKAGE = "npm"


@dataclass(frozen=True)
class NpmTarget(Target):
    """A package on npm (`name` or `@scope/name`), a link to one of its versions included."""

    package: str = ""

    def scan_fields(self) -> dict[str, Any]:
        return {"package": self.package}

    def report_fields(self) -> dict[str, Any]:
        return {"package": self.package}


@dataclass
class NpmConfig:
    """`[npm]` in the config."""

    registry: str = ""  # empty: $NPM_REGISTRY, else https://registry.npmjs.org


SECTION = ServiceSection(
    NAME, NpmConfig, endpoints=(Endpoint("registry", "NPM_REGISTRY", DEFAULT_REGISTRY),)
)


@dataclass
class NpmObservation:
    package: str
    outcome: Outcome
    version: str | None = None  # the latest release (`dist-tags.latest`)
    released: str | None = None  # ISO 8601: when it was published
    deprecated: bool = False  # its author deprecated the latest release
    http_status: int | None = None
    error: str | None = None
    moved_to: str | None = None  # a package keeps its name
    archived: bool = False
    server_error: bool = False
    network_error: str | None = None
    etag: str | None = None

    @property
    def redirect(self) -> str | None:
        return None

    def facts(self) -> Facts:
        labels = ("deprecated",) if self.deprecated else ()
        return Facts(release=self.version, release_date=self.released, labels=labels)

    def report_fields(self, stale: bool) -> dict[str, Any]:
        if stale:
            return {}
        return {"release": self.version, "release_date": self.released}


def claim_package(target: Target) -> NpmTarget | None:
    """The package a link to npm's site points at, else None (its other pages stay web)."""
    if target.kind != Kind.WEB or web_host(target.url) not in HOSTS:
        return None
    segs = [unquote(s) for s in urlsplit(target.url.strip()).path.split("/") if s]
    if len(segs) < 2 or segs[0] != "package":
        return None
    scoped = segs[1].startswith("@")
    name = segs[1:3] if scoped else segs[1:2]
    rest = segs[1 + len(name) :]
    if len(name) != 1 + scoped or (rest and (len(rest) != 2 or rest[0] != "v")):
        return None  # a version's page is `…/v/1.2.3`; nothing else is the package
    if not all(_PART.fullmatch(p.removeprefix("@")) for p in name):
        return None
    package = "/".join(name)
    return NpmTarget(NpmKind.PACKAGE, f"https://www.npmjs.com/package/{package}", package=package)


class Npm(NothingInside):
    """JavaScript packages on npm, through the registry."""

    name = NAME
    title = "npm"
    noun = "npm packages"  # in "114 repositories, 43 papers, …"
    history = "npm"
    cache = True  # see bot.check.cache
    archivable = False
    settings = SECTION
    kinds = (LinkKind(NpmKind.PACKAGE),)
    scan_keys = ("package",)
    report_keys = ("package", "release", "release_date")

    def claim(self, target: Target) -> Target | None:
        return claim_package(target)

    def key(self, target: Target) -> str | None:
        return target.package if isinstance(target, NpmTarget) and target.package else None

    def identity(self, target: Target) -> str | None:
        return self.key(target)

    def check(self, targets: list[Target], ctx: Context) -> ProviderResult:
        names = list(dict.fromkeys(k for t in targets if (k := self.key(t))))
        own = ctx.config.service(NAME)
        registry = own.registry or ctx.env.get("NPM_REGISTRY") or DEFAULT_REGISTRY
        return check_packages(ctx.order(names), registry.rstrip("/"), ctx.http, ctx.progress)

    def moved_url(self, target: Target, url: str, moved_to: str) -> str | None:
        return None

    def restore(self, data: dict) -> Observation | None:
        return rebuild(NpmObservation, data)


PROVIDER = Npm()


@dataclass
class _Tally:  # what the registry answered so far, shared by the worker threads
    answered: int = 0
    unanswered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, answered: bool) -> None:
        with self.lock:
            self.answered += answered
            self.unanswered += not answered

    def unreachable(self) -> bool:
        with self.lock:
            return self.unanswered >= UNREACHABLE_AFTER and not self.answered


def check_packages(names: list[str], registry: str, http: Http,
                   progress: Any = None) -> ProviderResult:  # fmt: skip
    """Check package names; observations keyed by name, in the given order."""
    before = http.counts[NAME]
    tally, tick = _Tally(), progress or (lambda n: None)
    sessions = Sessions(lambda: http.session(NAME, headers={"Accept": "application/json"}))

    def one(name: str) -> NpmObservation:
        if tally.unreachable():
            return NpmObservation(name, Outcome.UNKNOWN, error="skipped: npm unreachable")
        obs, answered = _fetch(http, sessions.get(), registry, name)
        tally.count(answered)
        return obs

    out: dict[str, NpmObservation] = {}
    workers = max(1, min(http.settings.per_host, len(names)))
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=NAME) as pool:
            futures = {pool.submit(one, name): name for name in names}
            for future in as_completed(futures):
                out[futures[future]] = future.result()
                tick(1)
    finally:
        sessions.close()
    result = ProviderResult(observations={n: out[n] for n in names})
    result.requests = http.counts[NAME] - before
    if tally.unanswered and not tally.answered:
        result.lost = True
        result.notes.append("the npm registry gave no usable answer: its links were not checked")
    return result


def _fetch(http: Http, session: requests.Session, registry: str,
           name: str) -> tuple[NpmObservation, bool]:  # fmt: skip
    """One package's document; and whether the registry gave a usable answer."""
    obs = NpmObservation(name, Outcome.UNKNOWN)
    try:
        resp = http.get(NAME, session, f"{registry}/{quote(name, safe='@')}")
    except requests.RequestException as exc:
        err = net_error(exc)
        obs.error, obs.network_error = err.message, err.group
        return obs, False
    obs.http_status = resp.status_code
    if resp.status_code in (404, 410):
        obs.outcome, obs.error = Outcome.FAIL, NOT_FOUND
        return obs, True
    if resp.status_code != 200:  # the registry's 429 or 5xx says nothing about the package
        obs.error = f"HTTP {resp.status_code} from npm"
        return obs, resp.status_code < 500 and resp.status_code != 429
    try:
        doc = resp.json()
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        obs.error = "bad answer from npm"
        return obs, False
    return _read(obs, doc), True


def _read(obs: NpmObservation, doc: dict[str, Any]) -> NpmObservation:
    tags, times = doc.get("dist-tags"), doc.get("time")
    times = times if isinstance(times, dict) else {}
    latest = tags.get("latest") if isinstance(tags, dict) else None
    if not isinstance(latest, str):
        unpublished = "unpublished" in times
        obs.outcome = Outcome.FAIL if unpublished else Outcome.UNKNOWN
        obs.error = UNPUBLISHED if unpublished else "bad answer from npm"
        return obs
    versions = doc.get("versions") if isinstance(doc.get("versions"), dict) else {}
    manifest = versions.get(latest) if isinstance(versions.get(latest), dict) else {}
    obs.outcome, obs.version = Outcome.OK, latest
    obs.released = times.get(latest) if isinstance(times.get(latest), str) else None
    obs.deprecated = bool(manifest.get("deprecated"))
    return obs
