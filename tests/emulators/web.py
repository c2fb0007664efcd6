"""Emulator of arbitrary web sites for the generic link checker.

Each path gets a scripted `Answer` (see the helpers below: `ok()`, `redirect()`,
`challenge()`, `flaky()`...); unscripted paths answer 404. The emulator records what
the client did per path (count, methods, Range headers) plus User-Agents and the
highest concurrency per Host. `WebHosts` runs one emulator per loopback address so
per-host limits can be observed on distinct hosts.

Cases that need no scripting:
- TLS error: `emu.https_url(path)` is an https:// URL to the plain-HTTP port; the
  client's TLS handshake fails (SSL "wrong version number").
- DNS failure: a host under `.invalid` (RFC 6761). glibc still asks the configured
  resolver, and pytest-socket (--allow-hosts) only guards `connect()`, so the
  `offline_dns` fixture makes `.invalid` names fail locally with no traffic.
- Refused connection: `refused_url()` names a loopback port nobody listens on.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import ThreadingHTTPServer
from typing import Any

from tests.emulators.base import Emulator, Reply, Request, _make_handler

CHALLENGE_HTML = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    b"<body>Checking your browser before accessing the site.</body></html>"
)


@dataclass
class Answer:
    """What one path answers. `head` overrides the answer to HEAD requests; the
    first `fail_times` requests to the path (any method) get `failure` instead."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to sleep before answering
    reset: bool = False  # drop the connection (RST) instead of answering
    head: Answer | None = None
    fail_times: int = 0
    failure: Answer | None = None


# -- answer helpers -------------------------------------------------------------
def ok(body: bytes = b"<html><body>ok</body></html>", headers: dict | None = None) -> Answer:
    return Answer(200, body, {"Content-Type": "text/html; charset=utf-8", **(headers or {})})


def status(code: int, body: bytes = b"", headers: dict | None = None) -> Answer:
    return Answer(code, body, dict(headers or {}))


def not_found() -> Answer:
    return status(404, b"<html>not found</html>")


def gone() -> Answer:
    return status(410, b"<html>gone</html>")


def server_error(code: int = 500, retry_after: str | None = None) -> Answer:
    return status(code, b"<html>oops</html>", {"Retry-After": retry_after} if retry_after else {})


def rate_limited(retry_after: str = "1") -> Answer:
    """429 Too Many Requests with a Retry-After (seconds or an HTTP date)."""
    return status(429, b"slow down", {"Retry-After": retry_after})


def challenge(code: int = 403) -> Answer:
    """A Cloudflare-style bot challenge (403 or 503 with `cf-mitigated: challenge`)."""
    headers = {
        "cf-mitigated": "challenge",
        "Server": "cloudflare",
        "Content-Type": "text/html; charset=UTF-8",
    }
    return status(code, CHALLENGE_HTML, headers)


def blocked_999() -> Answer:
    """LinkedIn's answer to bots."""
    return status(999, b"")


def redirect(location: str, code: int = 302) -> Answer:
    """A redirect to `location` (relative or absolute, sent as given)."""
    return status(code, b"", {"Location": location})


def slow(seconds: float, then: Answer | None = None) -> Answer:
    return replace(then or ok(), delay=seconds)


def reset() -> Answer:
    """Drop the connection without an answer (RST)."""
    return Answer(reset=True)


def head_refused(head_status: int = 405, get: Answer | None = None) -> Answer:
    """HEAD answers `head_status` (405 by default; 404/403 for a lying HEAD), GET works."""
    return replace(get or ok(), head=status(head_status))


def flaky(times: int, then: Answer | None = None, failure: Answer | None = None) -> Answer:
    """The first `times` requests get `failure` (503 by default), then `then` (200)."""
    return replace(then or ok(), fail_times=times, failure=failure or server_error(503))


# -- the emulator ---------------------------------------------------------------
class WebEmulator(Emulator):
    """A scripted web site. `script(path, answer)` returns the absolute URL."""

    name = "web"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.scripts: dict[str, Answer] = {}
        self.hits: Counter[str] = Counter()  # per path, all methods
        self.methods: defaultdict[str, list[str]] = defaultdict(list)
        self.ranges: defaultdict[str, list[str | None]] = defaultdict(list)
        self.user_agents: list[str] = []
        self.max_concurrency_by_host: Counter[str] = Counter()
        self._active_by_host: Counter[str] = Counter()
        self._rec_lock = threading.Lock()

    # -- scripting -------------------------------------------------------------
    def script(self, path: str, answer: Answer) -> str:
        self.scripts[path] = answer
        return self.link(path)

    def chain(self, paths: list[str], final: Answer, codes: int | list[int] = 301) -> str:
        """Script paths[0] -> paths[1] -> ... -> final; `codes` per hop or for all."""
        hop_codes = codes if isinstance(codes, list) else [codes] * (len(paths) - 1)
        assert len(hop_codes) == len(paths) - 1, "one code per hop"
        for here, there, code in zip(paths, paths[1:], hop_codes, strict=False):
            self.script(here, redirect(there, code))
        self.script(paths[-1], final)
        return self.link(paths[0])

    def link(self, path: str) -> str:
        return self.url + path

    def https_url(self, path: str = "/") -> str:
        """An https:// URL to this plain-HTTP port: the TLS handshake fails."""
        return f"https://{self.host}:{self.port}{path}"

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> WebEmulator:
        """As `Emulator.start`, but with a short poll interval (stop() takes 0.05 s, not
        0.5 s) and without tracebacks for clients that hang up (timeouts are tested)."""
        server = ThreadingHTTPServer((self.host, self.port), _make_handler(self))
        server.daemon_threads = True
        default = server.handle_error

        def quiet(request: Any, client_address: Any) -> None:
            if not isinstance(sys.exc_info()[1], OSError):
                default(request, client_address)

        server.handle_error = quiet  # type: ignore[method-assign]
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    # -- serving ---------------------------------------------------------------
    def _dispatch(self, req: Request) -> Reply | None:
        host = req.host.rsplit(":", 1)[0] if req.host.count(":") == 1 else req.host
        with self._rec_lock:
            self._active_by_host[host] += 1
            active = self._active_by_host[host]
            self.max_concurrency_by_host[host] = max(self.max_concurrency_by_host[host], active)
        try:
            return super()._dispatch(req)
        finally:
            with self._rec_lock:
                self._active_by_host[host] -= 1

    def handle(self, req: Request) -> Reply | None:
        with self._rec_lock:
            seen = self.hits[req.path]
            self.hits[req.path] += 1
            self.methods[req.path].append(req.method)
            self.ranges[req.path].append(req.headers.get("range"))
            self.user_agents.append(req.headers.get("user-agent", ""))
        answer = self.scripts.get(req.path) or not_found()
        if answer.fail_times and seen < answer.fail_times:
            answer = answer.failure or server_error(503)
        elif req.method == "HEAD" and answer.head is not None:
            answer = answer.head
        if answer.delay:
            threading.Event().wait(answer.delay)
        if answer.reset:
            return None
        return Reply(answer.status, answer.body, dict(answer.headers))


class WebHosts:
    """One `WebEmulator` per loopback address (e.g. 127.0.0.2, 127.0.0.3), so the
    client sees distinct hosts. `script` scripts a path on every host;
    `hosts[addr].script(...)` scripts one."""

    def __init__(self, hosts: list[str]) -> None:
        self.emulators = {h: WebEmulator(h) for h in hosts}

    def __getitem__(self, host: str) -> WebEmulator:
        return self.emulators[host]

    def __iter__(self) -> Iterator[WebEmulator]:
        return iter(self.emulators.values())

    def script(self, path: str, answer: Answer) -> dict[str, str]:
        """Script `path` on all hosts; returns host -> absolute URL."""
        return {h: emu.script(path, answer) for h, emu in self.emulators.items()}

    def link(self, host: str, path: str) -> str:
        return self.emulators[host].link(path)

    @property
    def max_concurrency(self) -> dict[str, int]:
        return {h: emu.max_concurrency for h, emu in self.emulators.items()}

    def start(self) -> WebHosts:
        for emu in self.emulators.values():
            emu.start()
        return self

    def stop(self) -> None:
        for emu in self.emulators.values():
            emu.stop()

    def __enter__(self) -> WebHosts:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def refused_url(host: str = "127.0.0.4", path: str = "/") -> str:
    """A URL to a loopback port nobody listens on: the connection is refused."""
    with socket.socket() as s:
        s.bind((host, 0))
        port = s.getsockname()[1]
    return f"http://{host}:{port}{path}"


DNS_FAIL_HOST = "no-such-host.invalid"
