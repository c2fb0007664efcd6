"""Pytest fixtures for the web emulator (registered as a plugin by tests/conftest.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulators.web import WebEmulator, WebHosts

WEB_HOSTS = ["127.0.0.2", "127.0.0.3"]
_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture
def web_emulator() -> Iterator[WebEmulator]:
    """A started web emulator on 127.0.0.1; script paths with `emu.script(...)`."""
    emu = WebEmulator()
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def web_hosts() -> Iterator[WebHosts]:
    """Two started web emulators, one on 127.0.0.2 and one on 127.0.0.3."""
    hosts = WebHosts(WEB_HOSTS)
    hosts.start()
    try:
        yield hosts
    finally:
        hosts.stop()


@pytest.fixture
def offline_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names under `.invalid` fail to resolve locally, without asking the real resolver
    (glibc would send the query upstream; pytest-socket does not guard resolution)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host or "")
        if name.rstrip(".").lower().endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop proxy variables so requests talks to the loopback emulators directly."""
    for var in _PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
