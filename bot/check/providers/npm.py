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
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote, unquote, urlsplit

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

NAME = "npm"
DEFAULT_REGISTRY = "https://registry.npmjs.org"
HOSTS = ("npmjs.com", "npmjs.org")
NOT_FOUND = "no such package on npm"
UNPUBLISHED = "unpublished from npm"
_PART = re.compile(r"[A-Za-z0-9~-][A-Za-z0-9._~-]*")  # a scope or a name (old ones: any case)


class NpmKind(StrEnum):
    PACKAGE = "npm"


@dataclass(frozen=True)
class NpmTarget(PackageTarget):
    """A package on npm (`name` or `@scope/name`), a link to one of its versions included."""


@dataclass
class NpmConfig:
    """`[npm]` in the config."""

    registry: str = ""  # empty: $NPM_REGISTRY, else https://registry.npmjs.org


SECTION = ServiceSection(
    NAME, NpmConfig, endpoints=(Endpoint("registry", "NPM_REGISTRY", DEFAULT_REGISTRY),)
)


@dataclass
class NpmObservation(ReleaseObservation):
    """`version`: `dist-tags.latest`; `deprecated`: its author deprecated that release."""


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


class Npm(PackageProvider):
    """JavaScript packages on npm, through the registry."""

    name = NAME
    title = "npm"
    who = "the npm registry"
    noun = "npm packages"  # in "114 repositories, 43 papers, …"
    history = "npm"
    settings = SECTION
    kinds = (LinkKind(NpmKind.PACKAGE),)
    target_type = NpmTarget
    observation = NpmObservation

    def claim(self, target: Target) -> Target | None:
        return claim_package(target)

    def endpoint(self, ctx: Context) -> str:
        own = ctx.config.service(NAME)
        return own.registry or ctx.env.get("NPM_REGISTRY") or DEFAULT_REGISTRY

    @staticmethod
    def fetch(http: Http, session: requests.Session, registry: str,
              name: str) -> tuple[NpmObservation, Answer]:  # fmt: skip
        """One package's document."""
        obs = NpmObservation(name, Outcome.UNKNOWN)
        resp = get(obs, http, NAME, session, f"{registry}/{quote(name, safe='@')}")
        if resp is None:
            return obs, Answer.UNANSWERED
        answer = refused(obs, resp, "npm", NOT_FOUND)
        if answer is not None:
            return obs, answer
        try:
            doc = resp.json()
        except ValueError:
            doc = None
        if not isinstance(doc, dict):
            obs.error = "bad answer from npm"
            return obs, Answer.UNANSWERED
        return _read(obs, doc), Answer.ANSWERED


PROVIDER = Npm()


def check_packages(names: list[str], registry: str, http: Http,
                   progress: Callable[[int], None] | None = None) -> ProviderResult:  # fmt: skip
    """Check package names; observations keyed by name, in the given order."""
    return PROVIDER.check_names(names, registry, http, progress)


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
