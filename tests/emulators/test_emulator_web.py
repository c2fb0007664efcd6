"""The web emulator answers as scripted, over real HTTP on loopback."""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time

import pytest
import requests

from tests.emulators.web import (
    DNS_FAIL_HOST,
    WebEmulator,
    WebHosts,
    blocked_999,
    challenge,
    flaky,
    gone,
    head_refused,
    not_found,
    ok,
    rate_limited,
    redirect,
    refused_url,
    reset,
    server_error,
    slow,
)

pytestmark = pytest.mark.usefixtures("no_proxy_env")


def raw(
    emu: WebEmulator, path: str, method: str = "GET", headers: dict | None = None
) -> http.client.HTTPResponse:
    """One request with http.client: no redirects followed, nothing added."""
    conn = http.client.HTTPConnection(emu.host, emu.port, timeout=2)
    conn.request(method, path, headers=headers or {})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (ok(), 200),
        (not_found(), 404),
        (gone(), 410),
        (server_error(), 500),
        (server_error(503), 503),
        (blocked_999(), 999),
    ],
)
def test_status_answers(web_emulator: WebEmulator, answer, code: int) -> None:
    web_emulator.script("/p", answer)
    assert raw(web_emulator, "/p").status == code


def test_ok_has_body(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/ok", ok(b"hello"))
    assert requests.get(url, timeout=2).content == b"hello"


def test_unscripted_is_404(web_emulator: WebEmulator) -> None:
    assert raw(web_emulator, "/nothing").status == 404


def test_challenge_and_429(web_emulator: WebEmulator) -> None:
    web_emulator.script("/cf", challenge())
    web_emulator.script("/cf503", challenge(503))
    web_emulator.script("/rl", rate_limited("7"))
    resp = raw(web_emulator, "/cf")
    assert resp.status == 403
    assert resp.getheader("cf-mitigated") == "challenge"
    assert "text/html" in resp.getheader("Content-Type")
    assert raw(web_emulator, "/cf503").status == 503
    resp = raw(web_emulator, "/rl")
    assert (resp.status, resp.getheader("Retry-After")) == (429, "7")


@pytest.mark.parametrize("code", [301, 302, 307, 308])
def test_redirect_codes(web_emulator: WebEmulator, code: int) -> None:
    web_emulator.script("/a", redirect("/b", code))
    resp = raw(web_emulator, "/a")
    assert (resp.status, resp.getheader("Location")) == (code, "/b")


def test_redirect_chain_relative_and_absolute(web_emulator: WebEmulator) -> None:
    emu = web_emulator
    start = emu.chain(["/1", "/2", "/3"], ok(b"end"), codes=[301, 302])
    emu.script("/abs", redirect(emu.link("/1"), 308))
    emu.script("/rel", redirect("1", 307))  # relative to the directory
    resp = requests.get(start, timeout=2)
    assert resp.content == b"end"
    assert [r.status_code for r in resp.history] == [301, 302]
    resp = requests.get(emu.link("/abs"), timeout=2)
    assert [r.status_code for r in resp.history] == [308, 301, 302]
    assert requests.get(emu.link("/rel"), timeout=2).url == emu.link("/3")


def test_head_refused_and_lying(web_emulator: WebEmulator) -> None:
    web_emulator.script("/h405", head_refused())
    web_emulator.script("/h404", head_refused(404))
    assert raw(web_emulator, "/h405", "HEAD").status == 405
    assert raw(web_emulator, "/h405", "GET").status == 200
    assert raw(web_emulator, "/h404", "HEAD").status == 404
    assert raw(web_emulator, "/h404", "GET").status == 200


def test_flaky_counts_per_path(web_emulator: WebEmulator) -> None:
    web_emulator.script("/f", flaky(2))
    web_emulator.script("/g", flaky(1, failure=reset()))
    assert [raw(web_emulator, "/f").status for _ in range(3)] == [503, 503, 200]
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        raw(web_emulator, "/g")
    assert raw(web_emulator, "/g").status == 200


def test_reset_drops_connection(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/r", reset())
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)


def test_slow_answers_late(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/s", slow(0.3))
    start = time.monotonic()
    assert requests.get(url, timeout=2).status_code == 200
    assert time.monotonic() - start >= 0.3
    with pytest.raises(requests.Timeout):
        requests.get(web_emulator.script("/s2", slow(1.0)), timeout=0.2)


def test_records_methods_ranges_user_agent(web_emulator: WebEmulator) -> None:
    web_emulator.script("/x", ok())
    raw(web_emulator, "/x", "HEAD", {"User-Agent": "ua-1"})
    raw(web_emulator, "/x", "GET", {"User-Agent": "ua-2", "Range": "bytes=0-9"})
    assert web_emulator.hits["/x"] == 2
    assert web_emulator.methods["/x"] == ["HEAD", "GET"]
    assert web_emulator.ranges["/x"] == [None, "bytes=0-9"]
    assert web_emulator.user_agents == ["ua-1", "ua-2"]
    assert web_emulator.hits["/never"] == 0


def test_tls_error_against_plain_port(web_emulator: WebEmulator) -> None:
    """The TLS case: https:// to the plain-HTTP port fails the handshake."""
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(web_emulator.https_url("/"), timeout=2)
    ctx = ssl.create_default_context()
    addr = (web_emulator.host, web_emulator.port)
    with socket.create_connection(addr, timeout=2) as sock, pytest.raises(ssl.SSLError):
        ctx.wrap_socket(sock, server_hostname="localhost")


@pytest.mark.usefixtures("offline_dns")
def test_dns_failure_is_local() -> None:
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo(DNS_FAIL_HOST, 80)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://{DNS_FAIL_HOST}/", timeout=2)


def test_refused_url() -> None:
    with pytest.raises(requests.ConnectionError):
        requests.get(refused_url(), timeout=2)


def test_per_host_concurrency(web_hosts: WebHosts) -> None:
    urls = web_hosts.script("/slow", slow(0.2))

    def hit(url: str) -> None:
        requests.get(url, timeout=3)

    threads = [threading.Thread(target=hit, args=(urls[h],)) for h in urls for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for host, emu in web_hosts.emulators.items():
        assert emu.max_concurrency_by_host == {host: 3}
        assert emu.hits["/slow"] == 3
    assert web_hosts.max_concurrency == {"127.0.0.2": 3, "127.0.0.3": 3}
