"""What the package registries' providers (PyPI, npm) share: a package is named by its link,
asked about once per run (one GET per distinct name, `per_host` at a time), and answers with
its latest release and that release's date; it never moves, is never archived, has nothing
inside. Each registry's own module says how a link names a package and how to read the
registry's answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from bot.check.http import Http, Sessions, net_error
from bot.check.model import Facts, Observation, Outcome, ProviderResult, rebuild
from bot.check.providers.base import Context, NothingInside
from bot.check.providers.each import Answer, Tally, ask_each
from bot.parse.target import Target


@dataclass(frozen=True)
class PackageTarget(Target):
    """A package of a registry, by its name as the registry knows it."""

    package: str = ""

    def scan_fields(self) -> dict[str, Any]:
        return {"package": self.package}

    def report_fields(self) -> dict[str, Any]:
        return {"package": self.package}


@dataclass
class ReleaseObservation:
    """A registry's answer about one package (a provider adds its own labels)."""

    package: str  # as asked
    outcome: Outcome
    version: str | None = None  # the latest release
    released: str | None = None  # ISO 8601: when it was published
    deprecated: bool = False
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

    def labels(self) -> tuple[str, ...]:
        return ("deprecated",) if self.deprecated else ()

    def facts(self) -> Facts:
        return Facts(release=self.version, release_date=self.released, labels=self.labels())

    def report_fields(self, stale: bool) -> dict[str, Any]:
        if stale:
            return {}
        return {"release": self.version, "release_date": self.released}


# One package: (its observation, how the registry answered).
Fetch = Callable[[Http, requests.Session, str, str], tuple[ReleaseObservation, Answer]]


class PackageProvider(NothingInside):
    """A registry's provider: a subclass names its service, its target and observation
    types, its endpoint and `fetch`, and how a link names a package (`claim`)."""

    who = ""  # the registry, as a sentence names it ("PyPI"); its `title` when empty
    target_type: type[PackageTarget] = PackageTarget
    observation: type[ReleaseObservation] = ReleaseObservation
    cache = True  # see bot.check.cache
    archivable = False
    scan_keys = ("package",)
    report_keys = ("package", "release", "release_date")

    def key(self, target: Target) -> str | None:
        return target.package if isinstance(target, self.target_type) and target.package else None

    def identity(self, target: Target) -> str | None:
        return self.key(target)

    def endpoint(self, ctx: Context) -> str:
        raise NotImplementedError

    @staticmethod
    def fetch(http: Http, session: requests.Session, api: str,
              name: str) -> tuple[ReleaseObservation, Answer]:  # fmt: skip
        raise NotImplementedError

    def check(self, targets: list[Target], ctx: Context) -> ProviderResult:
        names = list(dict.fromkeys(k for t in targets if (k := self.key(t))))
        return self.check_names(ctx.order(names), self.endpoint(ctx), ctx.http, ctx.progress)

    def check_names(self, names: list[str], api: str, http: Http,
                    progress: Any = None) -> ProviderResult:  # fmt: skip
        """Check package names; observations keyed by name, in the given order."""
        before = http.counts[self.name]
        tally = Tally()
        sessions = Sessions(lambda: http.session(self.name, headers={"Accept": "application/json"}))

        def one(name: str) -> ReleaseObservation:
            if tally.stop():
                why = f"skipped: {self.title} unreachable"
                return self.observation(name, Outcome.UNKNOWN, error=why)
            obs, answer = self.fetch(http, sessions.get(), api.rstrip("/"), name)
            tally.count(answer)
            return obs

        try:
            observations = ask_each(names, one, http, self.name, progress)
        finally:
            sessions.close()
        result = ProviderResult(observations=dict(observations))
        result.requests = http.counts[self.name] - before
        if tally.lost():
            result.lost = True
            who = self.who or self.title
            result.notes.append(f"{who} gave no usable answer: its links were not checked")
        return result

    def moved_url(self, target: Target, url: str, moved_to: str) -> str | None:
        return None

    def restore(self, data: dict) -> Observation | None:
        return rebuild(self.observation, data)


def get(obs: ReleaseObservation, http: Http, service: str, session: requests.Session,
        url: str, **kwargs: Any) -> requests.Response | None:  # fmt: skip
    """GET `url` through the run's HTTP policy; None (the error said in `obs`) when the
    registry could not be reached."""
    try:
        resp = http.get(service, session, url, **kwargs)
    except requests.RequestException as exc:
        err = net_error(exc)
        obs.error, obs.network_error = err.message, err.group
        return None
    obs.http_status = resp.status_code
    return resp


def refused(obs: ReleaseObservation, resp: requests.Response, title: str,
            not_found: str) -> Answer | None:  # fmt: skip
    """What a status other than 200 says: 404/410 no such package (answered); a 429 or a
    5xx says nothing about the package (unanswered); None for 200."""
    code = resp.status_code
    if code in (404, 410):
        obs.outcome, obs.error = Outcome.FAIL, not_found
        return Answer.ANSWERED
    if code != 200:
        obs.error = f"HTTP {code} from {title}"
        return Answer.ANSWERED if code < 500 and code != 429 else Answer.UNANSWERED
    return None
