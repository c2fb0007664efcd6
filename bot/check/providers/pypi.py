"""PyPI: Python packages (`pypi.org/project/NAME/`, `…/NAME/VERSION/`, the old
`pypi.python.org/pypi/NAME`), through PyPI's JSON API (`GET {api}/pypi/NAME/json`): whether
the project exists, its latest release and that release's date, whether every release was
yanked, and the project's own word that it is inactive (the trove classifier
`Development Status :: 7 - Inactive`) or deprecated (a summary that starts by saying so).
The list shows the latest release and, past `[status] stale_after`, `no release since YYYY`.

One GET per distinct project, `per_host` at a time; PyPI answers a name spelled otherwise
than the project's own with a permanent redirect to it (followed here, and counted). A
name is the project as PEP 503 normalises it (lower case, every run of `-`, `_`, `.` one
`-`). 200: OK; 404: FAIL (no such project); 429, 5xx, timeouts: UNKNOWN; no usable answer
at all: the run is incomplete. The endpoint: `[pypi] api_url`, else `$PYPI_URL`, else
https://pypi.org (a mirror or a private index with the same API works too)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import requests

from bot.check.http import Http, Sessions, net_error
from bot.check.model import Facts, LinkKind, Observation, Outcome, ProviderResult, rebuild
from bot.check.providers.base import Context, NothingInside
from bot.config import Endpoint, ServiceSection
from bot.parse.target import Kind, Target, web_host

NAME = "pypi"
DEFAULT_API_URL = "https://pypi.org"
HOSTS = {"pypi.org": "project", "pypi.python.org": "pypi"}  # host → the path's first segment
MAX_HOPS = 3
UNREACHABLE_AFTER = 3  # projects without an answer, none answered: stop asking
NOT_FOUND = "no such project on PyPI"
INACTIVE = "Development Status :: 7 - Inactive"
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")  # PEP 508 names
_DEPRECATED = re.compile(r"^\W*deprecated\b", re.IGNORECASE)


def normalise(name: str) -> str:
    """PEP 503: the one spelling of a project's name."""
    return re.sub(r"[-_.]+", "-", name).lower()


class PypiKind(StrEnum):
    PACKAGE = "pypi"


@dataclass(frozen=True)
class PypiTarget(Target):
    """A project on PyPI, by its normalised name (a link to one of its releases included)."""

    package: str = ""

    def scan_fields(self) -> dict[str, Any]:
        return {"package": self.package}

    def report_fields(self) -> dict[str, Any]:
        return {"package": self.package}


@dataclass
class PypiConfig:
    """`[pypi]` in the config."""

    api_url: str = ""  # empty: $PYPI_URL, else https://pypi.org


SECTION = ServiceSection(
    NAME, PypiConfig, endpoints=(Endpoint("api_url", "PYPI_URL", DEFAULT_API_URL),)
)


@dataclass
class PackageObservation:
    package: str  # as asked: the normalised name
    outcome: Outcome
    name: str | None = None  # as the project spells it
    version: str | None = None  # the latest release
    released: str | None = None  # ISO 8601: when its first file was uploaded
    yanked: bool = False  # every release yanked
    inactive: bool = False  # `Development Status :: 7 - Inactive`
    deprecated: bool = False  # its summary says so
    http_status: int | None = None
    error: str | None = None
    moved_to: str | None = None  # a project keeps its name
    archived: bool = False
    server_error: bool = False
    network_error: str | None = None
    etag: str | None = None

    @property
    def redirect(self) -> str | None:
        return None

    def facts(self) -> Facts:
        labels = [w for w, on in (("yanked", self.yanked), ("inactive", self.inactive),
                                  ("deprecated", self.deprecated)) if on]  # fmt: skip
        return Facts(release=self.version, release_date=self.released, labels=tuple(labels))

    def report_fields(self, stale: bool) -> dict[str, Any]:
        if stale:
            return {}
        return {"release": self.version, "release_date": self.released}


def claim_package(target: Target) -> PypiTarget | None:
    """The project a link to PyPI points at, else None (PyPI's own pages stay web links)."""
    first = HOSTS.get(web_host(target.url) or "")
    if target.kind != Kind.WEB or first is None:
        return None
    segs = [unquote(s) for s in urlsplit(target.url.strip()).path.split("/") if s]
    if len(segs) not in (2, 3) or segs[0] != first or not _NAME.fullmatch(segs[1]):
        return None
    package = normalise(segs[1])
    return PypiTarget(PypiKind.PACKAGE, f"https://pypi.org/project/{package}/", package=package)


class Pypi(NothingInside):
    """Python packages on PyPI, through its JSON API."""

    name = NAME
    title = "PyPI"
    noun = "PyPI packages"  # in "114 repositories, 43 papers, …"
    history = "pypi"
    cache = True  # see bot.check.cache
    archivable = False
    settings = SECTION
    kinds = (LinkKind(PypiKind.PACKAGE),)
    scan_keys = ("package",)
    report_keys = ("package", "release", "release_date")

    def claim(self, target: Target) -> Target | None:
        return claim_package(target)

    def key(self, target: Target) -> str | None:
        return target.package if isinstance(target, PypiTarget) and target.package else None

    def identity(self, target: Target) -> str | None:
        return self.key(target)

    def check(self, targets: list[Target], ctx: Context) -> ProviderResult:
        names = list(dict.fromkeys(k for t in targets if (k := self.key(t))))
        api = ctx.config.service(NAME).api_url or ctx.env.get("PYPI_URL") or DEFAULT_API_URL
        return check_packages(ctx.order(names), api.rstrip("/"), ctx.http, ctx.progress)

    def moved_url(self, target: Target, url: str, moved_to: str) -> str | None:
        return None

    def restore(self, data: dict) -> Observation | None:
        return rebuild(PackageObservation, data)


PROVIDER = Pypi()


@dataclass
class _Tally:  # what PyPI answered so far, shared by the worker threads
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


def check_packages(names: list[str], api: str, http: Http, progress: Any = None) -> ProviderResult:
    """Check normalised project names; observations keyed by name, in the given order."""
    before = http.counts[NAME]
    tally, tick = _Tally(), progress or (lambda n: None)
    sessions = Sessions(lambda: http.session(NAME, headers={"Accept": "application/json"}))

    def one(name: str) -> PackageObservation:
        if tally.unreachable():
            return PackageObservation(name, Outcome.UNKNOWN, error="skipped: PyPI unreachable")
        obs, answered = _fetch(http, sessions.get(), api, name)
        tally.count(answered)
        return obs

    out: dict[str, PackageObservation] = {}
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
        result.notes.append("PyPI gave no usable answer: its links were not checked")
    return result


def _fetch(
    http: Http, session: requests.Session, api: str, name: str
) -> tuple[PackageObservation, bool]:
    """One project, its redirects followed; and whether PyPI gave a usable answer."""
    obs = PackageObservation(name, Outcome.UNKNOWN)
    url = f"{api}/pypi/{quote(name)}/json"
    for _ in range(MAX_HOPS + 1):
        try:
            resp = http.get(NAME, session, url, allow_redirects=False)
        except requests.RequestException as exc:
            err = net_error(exc)
            obs.error, obs.network_error = err.message, err.group
            return obs, False
        obs.http_status = resp.status_code
        location = resp.headers.get("Location")
        if resp.status_code in (301, 302, 307, 308) and location:
            url = urljoin(url, location)
            continue
        return _read(obs, resp)
    obs.error = "too many redirects"
    return obs, True


def _read(obs: PackageObservation, resp: requests.Response) -> tuple[PackageObservation, bool]:
    code = resp.status_code
    if code in (404, 410):
        obs.outcome, obs.error = Outcome.FAIL, NOT_FOUND
        return obs, True
    if code != 200:  # PyPI's 429 or 5xx says nothing about the project
        obs.error = f"HTTP {code} from PyPI"
        return obs, code < 500 and code != 429
    try:
        data = resp.json()
    except ValueError:
        data = None
    info = data.get("info") if isinstance(data, dict) else None
    if not isinstance(info, dict) or not isinstance(info.get("name"), str):
        obs.error = "bad answer from PyPI"
        return obs, False
    files = data.get("urls") if isinstance(data.get("urls"), list) else []
    uploads = sorted(str(f.get("upload_time_iso_8601") or "") for f in files if isinstance(f, dict))
    classifiers = info.get("classifiers") if isinstance(info.get("classifiers"), list) else []
    obs.outcome, obs.name = Outcome.OK, info["name"]
    obs.version = str(info.get("version") or "") or None
    obs.released = next((u for u in uploads if u), None)
    obs.yanked = info.get("yanked") is True
    obs.inactive = INACTIVE in classifiers
    obs.deprecated = bool(_DEPRECATED.match(str(info.get("summary") or "")))
    return obs, True
