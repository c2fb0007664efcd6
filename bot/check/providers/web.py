"""Generic web link checker: HEAD first, GET fallback, redirects followed by hand.

Policy (see `check_urls`):
- Only http(s) is ever requested; other schemes FAIL with "unsupported scheme".
- HEAD first. A HEAD answer >= 400 (except 429) or a HEAD that breaks the connection
  is not trusted: we ask again with a small ranged GET and use that answer.
- Redirects are followed one hop at a time (at most `MAX_HOPS`) to keep the chain;
  `permanent_redirect` is set when every hop is 301/308 and the target is OK.
- Retries are our own loop (urllib3 adapters get `max_retries=0`): we need per-hop
  control, Retry-After, and a wait budget shared by the whole run. 5xx (not 501),
  408, 429, timeouts and resets are retried `settings.retries` times with exponential
  backoff from `settings.backoff`. A Retry-After pauses the whole host and is paid
  from the run's `settings.max_wait` budget; when it does not fit we give up.
- Outcomes: 2xx OK; 404/410 FAIL; bot challenges, 429, 999, 401 and 403 UNKNOWN
  (many sites block bots, so these say nothing about the link); other 4xx FAIL;
  5xx FAIL after retries, except 503 with Retry-After (maintenance) UNKNOWN;
  DNS, refused, TLS, timeouts, resets FAIL; our own errors UNKNOWN.
- Network down: when every URL failed at connection level with the same kind
  (DNS, or refused/unreachable) over at least `NETWORK_DOWN_HOSTS` distinct hosts, the
  run says `network_down` and those URLs are UNKNOWN.
"""

from __future__ import annotations

import email.utils
import errno
import http.client
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NameResolutionError, ProtocolError

from bot.check.model import HttpSettings, Outcome, ProviderResult, WebObservation

MAX_HOPS = 10
NETWORK_DOWN_HOSTS = 3
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
PERMANENT_CODES = frozenset({301, 308})
RETRY_CODES = frozenset({408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
UNKNOWN_CODES = {401: "HTTP 401", 403: "HTTP 403", 429: "rate limited", 999: "blocked (999)"}
GET_RANGE = "bytes=0-1023"
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHALLENGE_SERVERS = ("ddos-guard", "sucuri", "akamaighost")


@dataclass
class NetError:
    """A request that got no HTTP answer. `group` is the network-down class."""

    message: str
    retry: bool = False
    group: str | None = None  # "dns" or "connect" for network-down detection
    ours: bool = False  # our problem (bug, sandbox), not the target's


Answer = requests.Response | NetError


def check_urls(
    urls: list[str],
    settings: HttpSettings,
    progress: Callable[[int], None] | None = None,
) -> ProviderResult:
    """Check web links; observations are keyed by the URL as given.

    `progress`, when given, is called with the number of distinct URLs finished so far.
    Duplicates are checked once."""
    unique = list(dict.fromkeys(urls))
    result = ProviderResult()
    checker = _Checker(settings)
    groups: dict[str, str | None] = {}
    done = 0
    to_fetch = []
    for url in unique:
        reason = _unsupported(url)
        if reason:
            result.observations[url] = WebObservation(url, Outcome.FAIL, error=reason)
            done += 1
            if progress:
                progress(done)
        else:
            to_fetch.append(url)
    try:
        with ThreadPoolExecutor(max_workers=max(1, settings.concurrency)) as pool:
            futures = {pool.submit(checker.check, url): url for url in _interleave(to_fetch)}
            for future in as_completed(futures):
                url = futures[future]
                obs, groups[url] = future.result()
                result.observations[url] = obs
                done += 1
                if progress:
                    progress(done)
    finally:
        checker.close()
    result.requests = checker.requests
    _detect_network_down(result, groups)
    # Keep the caller's order.
    result.observations = {u: result.observations[u] for u in unique}
    return result


def _unsupported(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return "invalid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "unsupported scheme"
    return None if host else "invalid URL"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _interleave(urls: list[str]) -> list[str]:
    """Round-robin over hosts, so workers blocked on one busy host's limit are rare."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(_host(url), []).append(url)
    queues = list(by_host.values())
    out: list[str] = []
    for i in range(max((len(q) for q in queues), default=0)):
        out.extend(q[i] for q in queues if i < len(q))
    return out


def _detect_network_down(result: ProviderResult, groups: dict[str, str | None]) -> None:
    if not groups:
        return
    kinds = set(groups.values())
    hosts = {_host(u) for u in groups}
    if len(kinds) != 1 or None in kinds or len(hosts) < NETWORK_DOWN_HOSTS:
        return
    result.network_down = True
    result.notes.append(f"network down? every URL failed the same way ({kinds.pop()})")
    for url in groups:
        obs = result.observations[url]
        assert isinstance(obs, WebObservation)
        obs.outcome = Outcome.UNKNOWN


class _HostGate:
    """Per-host limit, plus a pause requested by the host (Retry-After)."""

    def __init__(self, limit: int) -> None:
        self.slots = threading.BoundedSemaphore(max(1, limit))
        self.not_before = 0.0


class _Checker:
    def __init__(self, settings: HttpSettings) -> None:
        self.s = settings
        self.requests = 0
        self._wait_left = settings.max_wait
        self._lock = threading.Lock()
        self._gates: dict[str, _HostGate] = {}
        self._local = threading.local()
        self._sessions: list[requests.Session] = []

    # -- plumbing ----------------------------------------------------------------
    def _session(self) -> requests.Session:
        """One session per worker thread (requests does not promise thread safety);
        each thread has at most one request in flight, so small pools suffice."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=32, pool_maxsize=2, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers.update(
                {
                    "User-Agent": self.s.user_agent,
                    "Accept": ACCEPT,
                    "Accept-Language": "en-US,en;q=0.8",
                }
            )
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        for session in self._sessions:
            session.close()

    def _gate(self, host: str) -> _HostGate:
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = self._gates[host] = _HostGate(self.s.per_host)
            return gate

    def _take_wait(self, seconds: float) -> bool:
        """Pay `seconds` from the run's Retry-After budget, if it is enough."""
        with self._lock:
            if seconds > self._wait_left:
                return False
            self._wait_left -= seconds
            return True

    def _request(self, method: str, url: str) -> requests.Response:
        """One HTTP request within the host's limit; the body is never read beyond 1 KiB."""
        gate = self._gate(_host(url))
        pause = gate.not_before - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        timeout = (self.s.timeout, self.s.timeout)
        with gate.slots:
            with self._lock:
                self.requests += 1
            session = self._session()
            if method == "HEAD":
                return session.head(url, allow_redirects=False, timeout=timeout)
            resp = session.get(
                url,
                allow_redirects=False,
                timeout=timeout,
                stream=True,
                headers={"Range": GET_RANGE},
            )
            try:
                next(resp.iter_content(1024), b"")
            except (requests.RequestException, OSError):
                pass  # the status line is what we came for
            finally:
                resp.close()
            return resp

    # -- one URL -------------------------------------------------------------------
    def check(self, url: str) -> tuple[WebObservation, str | None]:
        """Check one URL; also returns its network-down group (None if not a net error)."""
        try:
            return self._check(url)
        except Exception as exc:  # one bad URL (or a bug) must not sink the run
            return WebObservation(url, Outcome.UNKNOWN, error=f"error: {type(exc).__name__}"), None

    def _check(self, url: str) -> tuple[WebObservation, str | None]:
        obs = WebObservation(url, Outcome.UNKNOWN)
        current = url
        use_get = [False]  # once HEAD is found untrustworthy, this URL uses GET only
        for _ in range(MAX_HOPS + 1):
            obs.final_url = current
            answer = self._fetch(current, use_get)
            if isinstance(answer, NetError):
                obs.error = answer.message
                obs.outcome = Outcome.UNKNOWN if answer.ours else Outcome.FAIL
                obs.network_error = answer.group
                return obs, answer.group
            code = answer.status_code
            obs.http_status = code
            location = answer.headers.get("Location")
            if code in REDIRECT_CODES and location:
                target = urljoin(current, _header_text(location))
                obs.redirects.append((code, target))
                if _unsupported(target):
                    obs.outcome, obs.error = Outcome.FAIL, "redirect to unsupported scheme"
                    return obs, None
                current = target
                continue
            obs.outcome, obs.error = _judge(answer)
            permanent = all(c in PERMANENT_CODES for c, _ in obs.redirects)
            if obs.outcome is Outcome.OK and obs.redirects and permanent:
                obs.permanent_redirect = current
            return obs, None
        obs.outcome, obs.error = Outcome.FAIL, "too many redirects"
        return obs, None

    def _fetch(self, url: str, use_get: list[bool]) -> Answer:
        """One hop: HEAD (or GET) with retries. Returns the last answer."""
        attempt = 0
        while True:
            method = "GET" if use_get[0] else "HEAD"
            try:
                answer: Answer = self._request(method, url)
            except (requests.RequestException, OSError) as exc:
                answer = _net_error(exc)
            if method == "HEAD" and _head_untrusted(answer):
                use_get[0] = True
                continue
            if attempt >= self.s.retries or not _retryable(answer):
                return answer
            if not self._wait_before_retry(url, answer, attempt):
                return answer
            attempt += 1

    def _wait_before_retry(self, url: str, answer: Answer, attempt: int) -> bool:
        """Sleep before the next attempt; False when Retry-After does not fit the budget.
        Backoff is bounded by `retries` and always allowed; Retry-After is the host's
        choice, so it is paid from the budget and pauses the whole host."""
        retry_after = None
        if isinstance(answer, requests.Response):
            retry_after = _retry_after(answer.headers.get("Retry-After"))
        if retry_after is None:
            time.sleep(self.s.backoff * 2**attempt)
            return True
        if not self._take_wait(retry_after):
            return False
        gate = self._gate(_host(url))
        with self._lock:
            gate.not_before = max(gate.not_before, time.monotonic() + retry_after)
        return True


# -- classification -------------------------------------------------------------------
def _head_untrusted(answer: Answer) -> bool:
    if isinstance(answer, NetError):
        # A dropped HEAD may be the server disliking HEAD; DNS/refused/TLS/timeouts
        # would fail the same way with GET.
        return answer.message in ("connection reset", "connection error")
    return answer.status_code >= 400 and answer.status_code != 429


def _retryable(answer: Answer) -> bool:
    if isinstance(answer, NetError):
        return answer.retry
    return answer.status_code in RETRY_CODES and not _is_challenge(answer)


def _is_challenge(resp: requests.Response) -> bool:
    headers = resp.headers
    if "cf-mitigated" in headers:
        return True
    if resp.status_code not in (403, 429, 503):
        return False
    server = headers.get("Server", "").lower()
    return "x-sucuri-id" in headers or any(s in server for s in CHALLENGE_SERVERS)


def _judge(resp: requests.Response) -> tuple[Outcome, str | None]:
    code = resp.status_code
    if 200 <= code < 300:
        return Outcome.OK, None
    if code in (404, 410):
        return Outcome.FAIL, f"HTTP {code}"
    if _is_challenge(resp):
        return Outcome.UNKNOWN, "bot challenge"
    if code in UNKNOWN_CODES:
        return Outcome.UNKNOWN, UNKNOWN_CODES[code]
    if code == 503 and "Retry-After" in resp.headers:
        return Outcome.UNKNOWN, "HTTP 503 (retry later)"
    if 300 <= code < 400:
        return Outcome.FAIL, f"HTTP {code} without Location"
    return Outcome.FAIL, f"HTTP {code}"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _header_text(value: str) -> str:
    """http.client decodes headers as latin-1; servers usually mean UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (requests -> urllib3 -> socket)."""
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


def _net_error(exc: BaseException) -> NetError:
    """Map a requests/urllib3/socket error to a short message (never the URL)."""
    chain = list(_causes(exc))

    def has(*types: type[BaseException]) -> bool:
        return any(isinstance(e, types) for e in chain)

    if has(requests.exceptions.SSLError, ssl.SSLError):
        return NetError("TLS error")
    if has(NameResolutionError, socket.gaierror):
        return NetError("DNS lookup failed", group="dns")
    if has(ConnectionRefusedError):
        return NetError("connection refused", group="connect")
    for e in chain:
        if isinstance(e, OSError) and e.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return NetError("network unreachable", group="connect")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return NetError("connect timeout", retry=True, group="connect")
    if isinstance(exc, requests.exceptions.Timeout) or has(TimeoutError):
        return NetError("read timeout", retry=True)
    if has(ConnectionResetError, ConnectionAbortedError, http.client.RemoteDisconnected):
        return NetError("connection reset", retry=True)
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema):
        return NetError("invalid URL")
    if has(ProtocolError) or isinstance(exc, requests.exceptions.ConnectionError):
        return NetError("connection error", retry=True)
    return NetError(f"error: {type(exc).__name__}", ours=True)
