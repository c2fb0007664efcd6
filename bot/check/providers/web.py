"""Every other http(s) link: one small ranged GET per hop, redirects followed by hand.

Policy:
- only http(s) is ever requested; other schemes FAIL with "unsupported scheme";
- GET with `Range: bytes=0-1023`, the body never read beyond 1 KiB: one request per hop
  (HEAD first would cost a second request wherever a server refuses or misreports HEAD);
- redirects one hop at a time (at most `MAX_HOPS`) to keep the chain; `permanent_redirect`
  is set when every hop is 301/308 and the target answers;
- retries, Retry-After, the wait budget and the per-host limit are the run's HTTP policy
  (`bot.check.http`); a bot challenge is never retried;
- outcomes: 2xx (and 416) OK; 404, 410 and other 4xx FAIL; bot challenges, 401, 403, 429,
  999 UNKNOWN (sites block bots: that says nothing about the link); 5xx UNKNOWN (a server
  having a bad day is not a dead link); DNS, refused and TLS errors FAIL; timeouts and
  resets UNKNOWN;
- network down: when every URL failed at connection level the same way (DNS, or refused)
  over at least `NETWORK_DOWN_HOSTS` hosts, the web is `lost` for the run and those URLs
  are UNKNOWN."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.response import BaseHTTPResponse

from bot.check.http import Http, HttpSettings, Sessions, host_of, net_error
from bot.check.model import Facts, LinkKind, Observation, Outcome, ProviderResult, rebuild
from bot.check.providers.base import Context, NothingInside
from bot.parse.target import Kind, Target

MAX_HOPS = 10
NETWORK_DOWN_HOSTS = 3
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
PERMANENT_CODES = frozenset({301, 308})
UNKNOWN_CODES = {401: "HTTP 401", 403: "HTTP 403", 429: "rate limited", 999: "blocked (999)"}
GET_RANGE = "bytes=0-1023"
HEADERS = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
           "Accept-Language": "en-US,en;q=0.8"}  # fmt: skip
CHALLENGE_SERVERS = ("ddos-guard", "sucuri", "akamaighost")


@dataclass
class WebObservation:
    url: str
    outcome: Outcome
    http_status: int | None = None
    final_url: str | None = None
    # Each hop of the redirect chain: (status, absolute target URL).
    redirects: list[tuple[int, str]] = field(default_factory=list)
    # Set when every hop is permanent (301/308): the URL the list should use.
    permanent_redirect: str | None = None
    error: str | None = None
    # "dns" or "connect" when no HTTP answer came at all: such a failure may be ours.
    network_error: str | None = None
    moved_to: str | None = None  # web links are never "moved": redirects are reported
    archived: bool = False
    server_error: bool = False  # the page itself answered 5xx (not a bot challenge)
    etag: str | None = None

    @property
    def redirect(self) -> str | None:
        return self.permanent_redirect

    def facts(self) -> Facts:
        return Facts()

    def report_fields(self, stale: bool) -> dict[str, Any]:
        return {"http_status": self.http_status}


class Web(NothingInside):
    """The fallback provider, registered last: any http(s) link no other provider checks
    (a link another provider claimed but leaves, such as a repository's page without a
    GitHub token, too)."""

    name = "web"
    title = "web"
    noun = "other links"  # in "114 repositories, 43 papers, …"
    history = "urls"
    cache = True  # see bot.check.cache
    archivable = True  # a dead page may have a copy in the Wayback Machine
    settings = None  # `[check] web` turns it off
    kinds = (LinkKind(Kind.WEB, alive_note=False, row_speaker=False),)
    scan_keys = ()
    report_keys = ()

    def claim(self, target: Target) -> Target | None:
        return None

    def key(self, target: Target) -> str | None:
        if target.kind != Kind.INVALID and target.url.lower().startswith(("http://", "https://")):
            return target.url
        return None

    def identity(self, target: Target) -> str | None:
        return None  # a web address's identity is the generic one (bot.check.identity)

    def check(self, targets: list[Target], ctx: Context) -> ProviderResult:
        if not ctx.config.check.web:
            return ProviderResult()
        urls = [k for t in targets if (k := self.key(t))]
        return check_urls(urls, ctx.http, ctx.progress)

    def moved_url(self, target: Target, url: str, moved_to: str) -> str | None:
        return None

    def restore(self, data: dict) -> Observation | None:
        obs = rebuild(WebObservation, data)
        if obs is not None:  # JSON gave the hops back as lists
            obs.redirects = [(int(code), str(url)) for code, url in obs.redirects]
        return obs


PROVIDER = Web()


def check_urls(
    urls: list[str], http: Http | HttpSettings, progress: Callable[[int], None] | None = None
) -> ProviderResult:
    """Check web links; observations keyed by the URL as given, in the given order
    (duplicates once). `progress(n)`: n more URLs done."""
    http = http if isinstance(http, Http) else Http(http)
    before = http.counts["web"]
    unique = list(dict.fromkeys(urls))
    result = ProviderResult()
    tick = progress or (lambda n: None)
    groups: dict[str, str | None] = {}
    to_fetch = []
    for url in unique:
        reason = _unsupported(url)
        if reason:
            result.observations[url] = WebObservation(url, Outcome.FAIL, error=reason)
            tick(1)
        else:
            to_fetch.append(url)
    checker = _Checker(http)
    try:
        with ThreadPoolExecutor(max_workers=max(1, http.settings.concurrency)) as pool:
            futures = {pool.submit(checker.check, url): url for url in _interleave(to_fetch)}
            for future in as_completed(futures):
                url = futures[future]
                obs, groups[url] = future.result()
                result.observations[url] = obs
                tick(1)
    finally:
        checker.close()
    result.requests = http.counts["web"] - before
    _detect_network_down(result, groups)
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


def _interleave(urls: list[str]) -> list[str]:
    """Round-robin over hosts, so workers blocked on one busy host's limit are rare."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(host_of(url), []).append(url)
    queues = list(by_host.values())
    out: list[str] = []
    for i in range(max((len(q) for q in queues), default=0)):
        out.extend(q[i] for q in queues if i < len(q))
    return out


def _detect_network_down(result: ProviderResult, groups: dict[str, str | None]) -> None:
    if not groups:
        return
    kinds = set(groups.values())
    hosts = {host_of(u) for u in groups}
    if len(kinds) != 1 or None in kinds or len(hosts) < NETWORK_DOWN_HOSTS:
        return
    result.lost = True
    result.notes.append(f"network down? every URL failed the same way ({kinds.pop()})")
    for url in groups:
        result.observations[url].outcome = Outcome.UNKNOWN


class _Checker:
    def __init__(self, http: Http) -> None:
        self.http = http
        self.sessions = Sessions(
            lambda: http.session("web", _is_challenge, HEADERS, final_errors=True)
        )

    def _session(self) -> requests.Session:
        return self.sessions.get()

    def close(self) -> None:
        self.sessions.close()

    def check(self, url: str) -> tuple[WebObservation, str | None]:
        """One URL, hop by hop; also returns its network-down group (None if answered)."""
        obs = WebObservation(url, Outcome.UNKNOWN)
        current = url
        for _ in range(MAX_HOPS + 1):
            obs.final_url = current
            try:
                resp = self._get(current)
            except requests.RequestException as exc:
                err = net_error(exc)
                obs.error, obs.network_error = err.message, err.group
                obs.outcome = Outcome.FAIL if err.lasting else Outcome.UNKNOWN
                return obs, err.group
            obs.http_status = resp.status_code
            location = resp.headers.get("Location")
            if resp.status_code in REDIRECT_CODES and location:
                target = urljoin(current, _header_text(location))
                obs.redirects.append((resp.status_code, target))
                if _unsupported(target):
                    obs.outcome, obs.error = Outcome.FAIL, "redirect to unsupported scheme"
                    return obs, None
                current = target
                continue
            obs.outcome, obs.error = _judge(resp)
            # A server error, not a bot challenge: a page broken this way on every run for
            # `[check] dead_after_days_5xx` days is dead all the same (bot.check.judge).
            obs.server_error = resp.status_code >= 500 and obs.error != "bot challenge"
            permanent = all(c in PERMANENT_CODES for c, _ in obs.redirects)
            if obs.outcome is Outcome.OK and obs.redirects and permanent:
                obs.permanent_redirect = current
            return obs, None
        obs.outcome, obs.error = Outcome.FAIL, "too many redirects"
        return obs, None

    def _get(self, url: str) -> requests.Response:
        resp = self.http.get("web", self._session(), url, allow_redirects=False, stream=True,
                             headers={"Range": GET_RANGE})  # fmt: skip
        try:
            next(resp.iter_content(1024), b"")
        except (requests.RequestException, OSError):
            pass  # the status line is what we came for
        finally:
            resp.close()
        return resp


def _is_challenge(resp: requests.Response | BaseHTTPResponse) -> bool:
    headers = resp.headers
    status = getattr(resp, "status_code", None) or getattr(resp, "status", 0)
    if "cf-mitigated" in headers:
        return True
    if status not in (403, 429, 503):
        return False
    server = (headers.get("Server") or "").lower()
    return "x-sucuri-id" in headers or any(s in server for s in CHALLENGE_SERVERS)


def _judge(resp: requests.Response) -> tuple[Outcome, str | None]:
    code = resp.status_code
    if 200 <= code < 300 or code == 416:
        return Outcome.OK, None
    if code in (404, 410):
        return Outcome.FAIL, f"HTTP {code}"
    if _is_challenge(resp):
        return Outcome.UNKNOWN, "bot challenge"
    if code in UNKNOWN_CODES:
        return Outcome.UNKNOWN, UNKNOWN_CODES[code]
    if code >= 500:
        return Outcome.UNKNOWN, f"HTTP {code}"
    if 300 <= code < 400:
        return Outcome.FAIL, f"HTTP {code} without Location"
    return Outcome.FAIL, f"HTTP {code}"


def _header_text(value: str) -> str:
    """http.client decodes headers as latin-1; servers usually mean UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value
