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
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, unquote, urljoin, urlsplit

import requests

from bot.check.http import Http
from bot.check.model import LinkKind, Outcome, ProviderResult
from bot.check.providers.base import Context
from bot.check.providers.each import Answer
from bot.check.providers.packages import (
    PackageProvider,
    PackageTarget,
    ReleaseObservation,
    get,
    refused,
)
from bot.config import Endpoint, ServiceSection
from bot.parse.target import Kind, Target, web_host

NAME = "pypi"
DEFAULT_API_URL = "https://pypi.org"
HOSTS = {"pypi.org": "project", "pypi.python.org": "pypi"}  # host → the path's first segment
MAX_HOPS = 3
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
class PypiTarget(PackageTarget):
    """A project on PyPI, by its normalised name (a link to one of its releases included)."""


@dataclass
class PypiConfig:
    """`[pypi]` in the config."""

    api_url: str = ""  # empty: $PYPI_URL, else https://pypi.org


SECTION = ServiceSection(
    NAME, PypiConfig, endpoints=(Endpoint("api_url", "PYPI_URL", DEFAULT_API_URL),)
)


@dataclass
class PackageObservation(ReleaseObservation):
    """`package`: the normalised name asked; `released`: when the latest release's first
    file was uploaded; `deprecated`: its summary says so."""

    name: str | None = None  # as the project spells it
    yanked: bool = False  # every release yanked
    inactive: bool = False  # `Development Status :: 7 - Inactive`

    def labels(self) -> tuple[str, ...]:
        return tuple(w for w, on in (("yanked", self.yanked), ("inactive", self.inactive),
                                     ("deprecated", self.deprecated)) if on)  # fmt: skip


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


class Pypi(PackageProvider):
    """Python packages on PyPI, through its JSON API."""

    name = NAME
    title = "PyPI"
    noun = "PyPI packages"  # in "114 repositories, 43 papers, …"
    history = "pypi"
    settings = SECTION
    kinds = (LinkKind(PypiKind.PACKAGE),)
    target_type = PypiTarget
    observation = PackageObservation

    def claim(self, target: Target) -> Target | None:
        return claim_package(target)

    def endpoint(self, ctx: Context) -> str:
        return ctx.config.service(NAME).api_url or ctx.env.get("PYPI_URL") or DEFAULT_API_URL

    @staticmethod
    def fetch(http: Http, session: requests.Session, api: str,
              name: str) -> tuple[PackageObservation, Answer]:  # fmt: skip
        """One project, its redirects followed."""
        obs = PackageObservation(name, Outcome.UNKNOWN)
        url = f"{api}/pypi/{quote(name)}/json"
        for _ in range(MAX_HOPS + 1):
            resp = get(obs, http, NAME, session, url, allow_redirects=False)
            if resp is None:
                return obs, Answer.UNANSWERED
            location = resp.headers.get("Location")
            if resp.status_code in (301, 302, 307, 308) and location:
                url = urljoin(url, location)
                continue
            return _read(obs, resp)
        obs.error = "too many redirects"
        return obs, Answer.ANSWERED


PROVIDER = Pypi()


def check_packages(names: list[str], api: str, http: Http,
                   progress: Callable[[int], None] | None = None) -> ProviderResult:  # fmt: skip
    """Check normalised project names; observations keyed by name, in the given order."""
    return PROVIDER.check_names(names, api, http, progress)


def _read(obs: PackageObservation, resp: requests.Response) -> tuple[PackageObservation, Answer]:
    answer = refused(obs, resp, "PyPI", NOT_FOUND)
    if answer is not None:
        return obs, answer
    try:
        data = resp.json()
    except ValueError:
        data = None
    info = data.get("info") if isinstance(data, dict) else None
    if not isinstance(info, dict) or not isinstance(info.get("name"), str):
        obs.error = "bad answer from PyPI"
        return obs, Answer.UNANSWERED
    files = data.get("urls") if isinstance(data.get("urls"), list) else []
    uploads = sorted(str(f.get("upload_time_iso_8601") or "") for f in files if isinstance(f, dict))
    classifiers = info.get("classifiers") if isinstance(info.get("classifiers"), list) else []
    obs.outcome, obs.name = Outcome.OK, info["name"]
    obs.version = str(info.get("version") or "") or None
    obs.released = next((u for u in uploads if u), None)
    obs.yanked = info.get("yanked") is True
    obs.inactive = INACTIVE in classifiers
    obs.deprecated = bool(_DEPRECATED.match(str(info.get("summary") or "")))
    return obs, Answer.ANSWERED
