"""Stopping a run on a signal. The CLI's signal handler sets the run's one `Stop`; every
thread sees it through the HTTP policy (`bot.check.http`):

- a request not yet started is refused (`Cancelled`), so the pending work drains at once;
- a request in flight on one of the policy's sessions is cut (its socket is shut down), so
  nobody waits for a slow server; PyGithub's own sessions are not tracked: a GitHub request
  in flight ends with GitHub's answer;
- a wait (backoff, Retry-After, arXiv's pacing, a host's pause) ends at once.

What answered before the stop is kept; a stopped run counts no failure (the judge's
`Rules.count_failures`), because half a run is no evidence that a link is gone."""

from __future__ import annotations

import contextlib
import functools
import signal
import socket
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection


class Cancelled(requests.RequestException):
    """A request refused or cut because the run is stopping: never a network failure."""


class Stop:
    """A request to stop one run, shared by its threads. `set` is safe in a signal handler
    (no lock a handler could wait on forever: the main thread never waits on the event)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.signum: int | None = None  # the first signal
        self._graceful = 0  # sections in progress that end cleanly by themselves
        self._conns: weakref.WeakSet[HTTPConnection] = weakref.WeakSet()  # open ones
        self._lock = threading.RLock()  # re-entrant: the handler runs in the main thread

    # -- the request ---------------------------------------------------------------
    def set(self, signum: int = signal.SIGINT) -> None:
        if self.signum is None:
            self.signum = signum
        self._event.set()
        self.cut()

    def is_set(self) -> bool:
        return self._event.is_set()

    @property
    def name(self) -> str:
        try:
            return signal.Signals(self.signum or signal.SIGINT).name
        except ValueError:
            return f"signal {self.signum}"

    def check(self) -> None:
        """Raise `Cancelled` once the run is stopping (before a request starts)."""
        if self._event.is_set():
            raise Cancelled("the run is stopping")

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`, less if the run stops; returns whether it stopped. The
        main thread sleeps in short slices instead of waiting on the event, so a signal
        handler setting it never waits for a lock the main thread holds."""
        if seconds <= 0:
            return self.is_set()
        if threading.current_thread() is not threading.main_thread():
            return self._event.wait(seconds)
        end = time.monotonic() + seconds
        while not self.is_set() and (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 0.05))
        return self.is_set()

    # -- who ends by themselves --------------------------------------------------------
    @contextlib.contextmanager
    def graceful(self) -> Iterator[None]:
        """A section that ends cleanly and soon once the run stops (the checks): a first
        signal during it only sets the stop; elsewhere the CLI stops at once."""
        with self._lock:
            self._graceful += 1
        try:
            yield
        finally:
            with self._lock:
                self._graceful -= 1

    @property
    def in_graceful(self) -> bool:
        return self._graceful > 0

    # -- requests in flight ------------------------------------------------------------
    def track(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._conns.add(conn)
        if self.is_set():  # stopped while it was connecting
            _shutdown(conn)

    def untrack(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._conns.discard(conn)

    def cut(self) -> None:
        """Shut down every open connection: a thread blocked reading one gets an error
        at once (read as `Cancelled` by the policy), instead of waiting for its timeout."""
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            _shutdown(conn)


def _shutdown(conn: HTTPConnection) -> None:
    sock = getattr(conn, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class _Tracked:
    """A urllib3 connection that `stop` knows about while it is open."""

    def __init__(self, *args: Any, stop: Stop, **kwargs: Any) -> None:
        self.stop = stop
        super().__init__(*args, **kwargs)

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self.stop.track(self)  # type: ignore[arg-type]

    def close(self) -> None:
        self.stop.untrack(self)  # type: ignore[arg-type]
        super().close()  # type: ignore[misc]


class _TrackedHTTP(_Tracked, HTTPConnection):
    pass


class _TrackedHTTPS(_Tracked, HTTPSConnection):
    pass


class _PoolManager(PoolManager):
    def __init__(self, stop: Stop, **kwargs: Any) -> None:
        self.stop = stop
        super().__init__(**kwargs)

    def _new_pool(self, scheme: str, host: str, port: int,
                  request_context: dict[str, Any] | None = None) -> HTTPConnectionPool:  # fmt: skip
        pool = super()._new_pool(scheme, host, port, request_context)
        cls = _TrackedHTTPS if scheme == "https" else _TrackedHTTP
        pool.ConnectionCls = functools.partial(cls, stop=self.stop)  # type: ignore[assignment]
        return pool


class StoppableAdapter(HTTPAdapter):
    """requests' adapter whose connections `stop` can cut (not through a proxy: those
    requests end by their timeout)."""

    def __init__(self, stop: Stop, **kwargs: Any) -> None:
        self.stop = stop
        super().__init__(**kwargs)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False,
                         **pool_kwargs: Any) -> None:  # fmt: skip
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager = _PoolManager(self.stop, num_pools=connections, maxsize=maxsize,
                                        block=block, **pool_kwargs)  # fmt: skip
