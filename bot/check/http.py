"""One HTTP policy for every provider and for the platform's writes of `pr`:

- retries with exponential backoff on urllib3's `Retry` (mounted in every session, and
  handed to PyGithub): 408, 429, 5xx, resets and timeouts; 403 only with a Retry-After;
- one Retry-After reader: urllib3's (seconds or an HTTP date);
- one wait budget for the whole run (`[check] max_wait`): every backoff and Retry-After is
  paid from it, and once it is spent the last answer stands, so a run always ends;
- a host that asks for a pause (Retry-After) is paused for every thread, and at most
  `[check] per_host` requests are in flight per host;
- per-service pacing, as a provider asks for it (`pace`: arXiv's terms ask for 3 seconds
  between requests, retries included);
- request counts per service, and `net_error`, the one reading of a transport failure;
- the run's `Stop` (`bot.check.stop`): once set, no request starts, none is retried, every
  wait ends, and the requests in flight are cut.

A service may name answers that must not be retried (`give_up`): a bot challenge, or
GitHub's primary rate limit, which no retry within a run can outlast."""

from __future__ import annotations

import errno
import http.client
import logging
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    InvalidHeader,
    MaxRetryError,
    NameResolutionError,
    ProtocolError,
    ResponseError,
)
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from bot import DISTRIBUTION, __version__, home
from bot.check.stop import Cancelled, Stop, StoppableAdapter
from bot.config import CheckConfig

log = logging.getLogger(__name__)

RETRY_CODES = frozenset({408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
USER_AGENT = f"Mozilla/5.0 (compatible; {DISTRIBUTION}/{__version__}" + (
    f"; +{home()})" if home() else ")"
)
_CHECK = CheckConfig()

GiveUp = Callable[[BaseHTTPResponse], bool]


@dataclass(frozen=True)
class HttpSettings:
    """The knobs of the policy; the defaults are the config's (`[check]`)."""

    timeout: float = _CHECK.timeout
    concurrency: int = _CHECK.concurrency  # web requests in flight
    per_host: int = _CHECK.per_host  # requests in flight per host
    retries: int = _CHECK.retries  # extra attempts on 5xx / 429 / timeouts / resets
    backoff: float = _CHECK.backoff  # first retry delay in seconds, doubled each time
    max_wait: float = _CHECK.max_wait  # seconds a run may spend waiting, all services
    user_agent: str = USER_AGENT

    @classmethod
    def from_config(cls, c: CheckConfig) -> HttpSettings:
        return cls(timeout=c.timeout, concurrency=c.concurrency, per_host=c.per_host,
                   retries=c.retries, backoff=c.backoff, max_wait=c.max_wait)  # fmt: skip


class _Gate:
    """One host: a limit of requests in flight, and a pause the host asked for."""

    def __init__(self, limit: int) -> None:
        self.slots = threading.BoundedSemaphore(max(1, limit))
        self.not_before = 0.0


class _Pacer:
    """At least `interval` seconds between the starts of two requests to one service."""

    def __init__(self, interval: float, stop: Stop) -> None:
        self.interval = interval
        self.stop = stop
        self.last: float | None = None
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            if self.last is not None:
                delay = self.last + self.interval - time.monotonic()
                if self.stop.wait(delay):
                    raise Cancelled("the run is stopping")
            self.last = time.monotonic()


class Http:
    """The policy of one run, shared by every provider (thread-safe)."""

    def __init__(self, settings: HttpSettings | None = None, stop: Stop | None = None) -> None:
        self.settings = settings or HttpSettings()
        self.stop = stop or Stop()
        self.counts: Counter[str] = Counter()
        self.waited = 0.0
        self._wait_left = self.settings.max_wait
        self._lock = threading.Lock()
        self._gates: dict[str, _Gate] = {}
        self._pacers: dict[str, _Pacer] = {}

    # -- the budget, the counts, the pacing ------------------------------------------
    def take_wait(self, seconds: float) -> bool:
        """Pay `seconds` of waiting from the run's budget, if it is enough."""
        with self._lock:
            if seconds > self._wait_left:
                return False
            self._wait_left -= seconds
            self.waited += seconds
            return True

    def count(self, service: str, n: int = 1) -> None:
        with self._lock:
            self.counts[service] += n

    def pace(self, service: str, interval: float) -> None:
        """From now on, `service` gets at least `interval` seconds between requests."""
        with self._lock:
            self._pacers[service] = _Pacer(interval, self.stop)

    def _pacer(self, service: str) -> _Pacer | None:
        with self._lock:
            return self._pacers.get(service)

    def _gate(self, host: str) -> _Gate:
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = self._gates[host] = _Gate(self.settings.per_host)
            return gate

    def pause_host(self, host: str, seconds: float) -> None:
        gate = self._gate(host)
        with self._lock:
            gate.not_before = max(gate.not_before, time.monotonic() + seconds)

    @contextmanager
    def slot(self, service: str, url: str) -> Iterator[None]:
        """Around one request (its retries included): the host's pause and limit, the
        service's pacing, and one count. Refused (`Cancelled`) once the run stops."""
        self.stop.check()
        gate = self._gate(host_of(url))
        if self.stop.wait(gate.not_before - time.monotonic()):
            raise Cancelled("the run is stopping")
        with gate.slots:
            self.stop.check()  # a slot may have taken long to come
            pacer = self._pacer(service)
            if pacer is not None:
                pacer.wait()
            self.count(service)
            log.debug("%s: request to %s", service, host_of(url))
            yield

    # -- what providers build on -------------------------------------------------------
    def retry(
        self, service: str, give_up: GiveUp | None = None, final_errors: bool = False
    ) -> PolicyRetry:
        """The urllib3 `Retry` of a service, bound to this run's budget and counts. With
        `final_errors`, a lasting connection error (no such host, refused, TLS) is not
        retried: right for links, not for an API that may be restarting."""
        s = self.settings
        return PolicyRetry(
            total=s.retries, connect=s.retries, read=s.retries, status=s.retries, other=0,
            redirect=False, allowed_methods=None, status_forcelist=RETRY_CODES,
            backoff_factor=s.backoff, backoff_max=max(s.max_wait, s.backoff),
            raise_on_status=False, raise_on_redirect=False, respect_retry_after_header=True,
            policy=self, service=service, give_up=give_up, final_errors=final_errors,
        )  # fmt: skip

    def session(
        self,
        service: str,
        give_up: GiveUp | None = None,
        headers: dict[str, str] | None = None,
        final_errors: bool = False,
    ) -> requests.Session:
        """A requests session whose every request follows this policy's retries."""
        session = requests.Session()
        retry = self.retry(service, give_up, final_errors)
        adapter = StoppableAdapter(self.stop, pool_connections=32, pool_maxsize=4,
                                   max_retries=retry)  # fmt: skip
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update({"User-Agent": self.settings.user_agent, **(headers or {})})
        return session

    def get(
        self, service: str, session: requests.Session, url: str, **kwargs: Any
    ) -> requests.Response:
        """One GET in its slot (retries included); transport errors are raised as
        requests exceptions: read them with `net_error`."""
        kwargs.setdefault("timeout", (self.settings.timeout, self.settings.timeout))
        with self.slot(service, url):
            return session.get(url, **kwargs)


class Sessions:
    """One session per worker thread (requests does not promise thread safety), all closed
    together at the end."""

    def __init__(self, make: Callable[[], requests.Session]) -> None:
        self.make = make
        self._local = threading.local()
        self._all: list[requests.Session] = []
        self._lock = threading.Lock()

    def get(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self.make()
            with self._lock:
                self._all.append(session)
        return session

    def close(self) -> None:
        for session in self._all:
            session.close()


class PolicyRetry(Retry):
    """urllib3's Retry, with the run's wait budget, host pauses, counts and pacing."""

    def __init__(
        self,
        *args: Any,
        policy: Http | None = None,
        service: str = "",
        give_up: GiveUp | None = None,
        final_errors: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.policy, self.service, self.give_up = policy, service, give_up
        self.final_errors = final_errors

    def new(self, **kw: Any) -> PolicyRetry:
        kw.setdefault("policy", self.policy)
        kw.setdefault("service", self.service)
        kw.setdefault("give_up", self.give_up)
        kw.setdefault("final_errors", self.final_errors)
        return super().new(**kw)

    def get_backoff_time(self) -> float:
        """`backoff`, then twice that, … (urllib3's own first retry waits nothing)."""
        errors = sum(1 for h in self.history if h.redirect_location is None)
        if errors < 1:
            return 0.0
        return float(min(self.backoff_max, self.backoff_factor * 2 ** (errors - 1)))

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code == 403 and has_retry_after:  # a secondary rate limit
            return bool(self.total)
        return super().is_retry(method, status_code, has_retry_after)

    def increment(self, method=None, url=None, response=None, error=None, _pool=None,  # noqa: ANN001
                  _stacktrace=None) -> PolicyRetry:  # fmt: skip
        if self.policy is not None and self.policy.stop.is_set():
            raise Cancelled("the run is stopping")  # cut, or not worth retrying now
        if error is not None and self.final_errors and net_error(error).lasting:
            raise MaxRetryError(_pool, url, error)  # type: ignore[arg-type]  # no such host…
        new = super().increment(method, url, response, error, _pool, _stacktrace)
        if response is not None and self.give_up is not None and self.give_up(response):
            raise MaxRetryError(_pool, url, ResponseError("not worth retrying"))  # type: ignore[arg-type]
        hinted = None
        if response is not None:
            try:
                hinted = new.get_retry_after(response)
            except InvalidHeader:
                hinted = None
        delay = hinted if hinted is not None else new.get_backoff_time()
        policy = self.policy
        if policy is not None:
            if not policy.take_wait(delay):
                log.info("%s: not retrying: the run's wait budget is spent", self.service)
                raise MaxRetryError(_pool, url, error or ResponseError("wait budget spent"))  # type: ignore[arg-type]
            if hinted and _pool is not None and getattr(_pool, "host", None):
                policy.pause_host(str(_pool.host).lower(), hinted)
            policy.count(self.service)
        why = f"HTTP {response.status}" if response is not None else type(error).__name__
        log.info("%s: %s, retrying in %.1f s", self.service, why, delay)
        return new

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        """urllib3's wait (Retry-After, else the backoff), ended early by the run's stop."""
        if self.policy is None:
            super().sleep(response)
            return
        hinted = None
        if response is not None and self.respect_retry_after_header:
            try:
                hinted = self.get_retry_after(response)
            except InvalidHeader:
                hinted = None
        if self.policy.stop.wait(hinted or self.get_backoff_time()):
            raise Cancelled("the run is stopping")
        pacer = self.policy._pacer(self.service)
        if pacer is not None:
            pacer.wait()


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


@dataclass(frozen=True)
class NetError:
    """A request that got no HTTP answer, read once for every provider.

    `group` is "dns" or "connect" when nothing answered at all (the network-down
    detection compares them); `lasting` is true when the failure says something about
    the target (no such host, refused, broken TLS), false when it may pass (timeouts,
    resets) and must never count towards "dead"."""

    message: str
    lasting: bool = False
    group: str | None = None


def net_error(exc: BaseException) -> NetError:
    """A requests / urllib3 / socket exception as a short message (never a URL)."""
    chain = list(_causes(exc))

    def has(*types: type[BaseException]) -> bool:
        return any(isinstance(e, types) for e in chain)

    if has(Cancelled):  # refused or cut by the run's stop: says nothing about the target
        return NetError("interrupted")

    if has(requests.exceptions.SSLError, ssl.SSLError):
        return NetError("TLS error", lasting=True)
    if has(NameResolutionError, socket.gaierror):
        return NetError("DNS lookup failed", lasting=True, group="dns")
    if has(ConnectionRefusedError):
        return NetError("connection refused", lasting=True, group="connect")
    for e in chain:
        if isinstance(e, OSError) and e.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return NetError("network unreachable", group="connect")
    if has(requests.exceptions.ConnectTimeout, ConnectTimeoutError):
        return NetError("connect timeout", group="connect")
    if has(requests.exceptions.Timeout, Urllib3Timeout, TimeoutError, socket.timeout):
        return NetError("read timeout")
    if has(ConnectionResetError, ConnectionAbortedError, http.client.RemoteDisconnected):
        return NetError("connection reset")
    if has(requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema):
        return NetError("invalid URL", lasting=True)
    if has(ProtocolError, requests.exceptions.ConnectionError):
        return NetError("connection error")
    return NetError(f"error: {type(exc).__name__}")


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (requests → urllib3 → socket)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo.extend(a for a in e.args if isinstance(a, BaseException))
        for attr in ("reason", "__cause__", "__context__"):
            inner = getattr(e, attr, None)
            if isinstance(inner, BaseException):
                todo.append(inner)
