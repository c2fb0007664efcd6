"""Shared plumbing for the loopback emulators: a threaded HTTP server that counts
requests per endpoint, tracks the highest concurrency seen, and can inject latency
and scripted faults before the real handler runs."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Fault:
    """A scripted fault: the next `times` requests matching `match` (method, path
    prefix) get `status` with `headers` and `body`, or a dropped connection when
    `reset` is true. `times=None` means forever."""

    status: int = 502
    match_method: str | None = None
    match_path: str | None = None
    times: int | None = 1
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    reset: bool = False
    delay: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        if self.match_method and self.match_method != method:
            return False
        return not (self.match_path and not path.startswith(self.match_path))


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, data: Any, headers: dict[str, str] | None = None) -> Reply:
        h = {"Content-Type": "application/json; charset=utf-8"}
        h.update(headers or {})
        return cls(status, json.dumps(data).encode(), h)


@dataclass
class Request:
    method: str
    path: str  # without query
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    host: str  # "127.0.0.1:PORT" as the client sent it

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class Emulator:
    """Base emulator. Subclasses implement `handle(request) -> Reply | None`
    (None means: drop the connection)."""

    name = "emulator"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.latency = 0.0
        self.faults: list[Fault] = []
        self.counts: Counter[str] = Counter()
        self.request_log: list[tuple[float, str, str]] = []
        self.max_concurrency = 0
        self._active = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- to override -------------------------------------------------------
    def endpoint_name(self, req: Request) -> str:
        return f"{req.method} {req.path}"

    def handle(self, req: Request) -> Reply | None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- lifecycle -----------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Emulator:
        handler = _make_handler(self)
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        default = self._server.handle_error

        def quiet(request: Any, client_address: Any) -> None:
            # A client that hangs up (our timeout on a loaded machine) is no server error:
            # its traceback would land in the run's captured stderr.
            if not isinstance(sys.exc_info()[1], OSError):
                default(request, client_address)

        self._server.handle_error = quiet  # type: ignore[method-assign]
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- faults and counters ---------------------------------------------------
    def inject(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def total_requests(self, prefix: str = "") -> int:
        with self._lock:
            return sum(n for k, n in self.counts.items() if k.startswith(prefix))

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for f in self.faults:
                if f.matches(method, path):
                    if f.times is not None:
                        f.times -= 1
                        if f.times <= 0:
                            self.faults.remove(f)
                    return f
        return None

    def _dispatch(self, req: Request) -> Reply | None:
        with self._lock:
            self._active += 1
            self.max_concurrency = max(self.max_concurrency, self._active)
            self.counts[self.endpoint_name(req)] += 1
            self.request_log.append((time.monotonic(), req.method, req.path))
        try:
            if self.latency:
                time.sleep(self.latency)
            fault = self._take_fault(req.method, req.path)
            if fault is not None:
                if fault.delay:
                    time.sleep(fault.delay)
                if fault.reset:
                    return None
                return Reply(fault.status, fault.body, dict(fault.headers))
            return self.handle(req)
        finally:
            with self._lock:
                self._active -= 1


def _make_handler(emu: Emulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: without this, Nagle's algorithm and
        # delayed ACKs add ~40 ms to every keep-alive request.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _run(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            req = Request(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                host=self.headers.get("Host") or f"{emu.host}:{emu.port}",
            )
            reply = emu._dispatch(req)
            if reply is None:
                # Abort the connection: RST instead of FIN.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                self.close_connection = True
                return
            self.send_response(reply.status)
            headers = dict(reply.headers)
            if self.command == "HEAD":
                headers.setdefault("Content-Length", str(len(reply.body)))
            else:
                headers["Content-Length"] = str(len(reply.body))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD" and reply.body:
                self.wfile.write(reply.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _run

    return Handler
