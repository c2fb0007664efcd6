"""The web provider against the web emulator, over real HTTP on loopback."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from bot.check.http import HttpSettings
from bot.check.model import Outcome
from bot.check.providers.web import WebObservation, check_urls
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
    status,
)

pytestmark = pytest.mark.usefixtures("no_proxy_env", "offline_dns")

FAST = HttpSettings(
    timeout=1.0,
    concurrency=8,
    per_host=4,
    retries=1,
    backoff=0.01,
    max_wait=2.0,
    user_agent="test-agent/1.0 (+https://example.org)",
)


def check_one(url: str, settings: HttpSettings = FAST) -> WebObservation:
    obs = check_urls([url], settings).observations[url]
    assert isinstance(obs, WebObservation)
    return obs


@pytest.mark.parametrize(
    ("answer", "outcome", "code", "error"),
    [
        (ok(), Outcome.OK, 200, None),
        (status(206, b"partial"), Outcome.OK, 206, None),
        (status(204), Outcome.OK, 204, None),
        (not_found(), Outcome.FAIL, 404, "HTTP 404"),
        (gone(), Outcome.FAIL, 410, "HTTP 410"),
        (challenge(), Outcome.UNKNOWN, 403, "bot challenge"),
        (challenge(503), Outcome.UNKNOWN, 503, "bot challenge"),
        (status(403, headers={"Server": "ddos-guard"}), Outcome.UNKNOWN, 403, "bot challenge"),
        (status(403), Outcome.UNKNOWN, 403, "HTTP 403"),
        (status(401), Outcome.UNKNOWN, 401, "HTTP 401"),
        (blocked_999(), Outcome.UNKNOWN, 999, "blocked (999)"),
        (rate_limited("60"), Outcome.UNKNOWN, 429, "rate limited"),
        # A server having a bad day is not a dead link: 5xx never counts as a failure.
        (server_error(500), Outcome.UNKNOWN, 500, "HTTP 500"),
        (server_error(503), Outcome.UNKNOWN, 503, "HTTP 503"),
        (server_error(503, retry_after="3600"), Outcome.UNKNOWN, 503, "HTTP 503"),
        (status(416), Outcome.OK, 416, None),
        (status(400), Outcome.FAIL, 400, "HTTP 400"),
        (status(301), Outcome.FAIL, 301, "HTTP 301 without Location"),
    ],
)
def test_status_outcomes(
    web_emulator: WebEmulator, answer, outcome: Outcome, code: int, error: str | None
) -> None:
    obs = check_one(web_emulator.script("/p", answer))
    assert (obs.outcome, obs.http_status, obs.error) == (outcome, code, error)
    assert obs.redirects == []
    assert obs.final_url == web_emulator.link("/p")


def test_one_ranged_get_is_enough_when_ok(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/ok", ok())
    result = check_urls([url], FAST)
    assert result.observations[url].outcome is Outcome.OK
    assert web_emulator.methods["/ok"] == ["GET"]
    assert web_emulator.ranges["/ok"] == ["bytes=0-1023"]
    assert result.requests == 1


@pytest.mark.parametrize("head_status", [405, 501, 400, 403, 404])
def test_a_server_that_refuses_or_misreports_head_costs_one_request(
    web_emulator: WebEmulator, head_status: int
) -> None:
    url = web_emulator.script("/h", head_refused(head_status))
    result = check_urls([url], FAST)
    obs = result.observations[url]
    assert (obs.outcome, obs.http_status) == (Outcome.OK, 200)
    assert web_emulator.methods["/h"] == ["GET"]
    assert result.requests == 1


def test_a_failure_is_one_request(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/gone", gone())
    result = check_urls([url], FAST)
    assert result.observations[url].outcome is Outcome.FAIL
    assert web_emulator.methods["/gone"] == ["GET"] and result.requests == 1


def test_permanent_redirect_chain(web_emulator: WebEmulator) -> None:
    emu = web_emulator
    url = emu.chain(["/a", "/b", "/c"], ok(), codes=[301, 308])
    obs = check_one(url)
    assert obs.outcome is Outcome.OK
    assert obs.redirects == [(301, emu.link("/b")), (308, emu.link("/c"))]
    assert obs.permanent_redirect == emu.link("/c") == obs.final_url
    assert obs.http_status == 200


@pytest.mark.parametrize("codes", [[301, 302], [307], [302, 301], [303]])
def test_temporary_hop_means_no_permanent_redirect(
    web_emulator: WebEmulator, codes: list[int]
) -> None:
    paths = [f"/t{i}" for i in range(len(codes) + 1)]
    obs = check_one(web_emulator.chain(paths, ok(), codes=codes))
    assert obs.outcome is Outcome.OK
    assert [c for c, _ in obs.redirects] == codes
    assert obs.permanent_redirect is None
    assert obs.final_url == web_emulator.link(paths[-1])


def test_permanent_redirect_to_a_dead_page_is_not_suggested(web_emulator: WebEmulator) -> None:
    obs = check_one(web_emulator.chain(["/old", "/new"], not_found(), codes=301))
    assert (obs.outcome, obs.http_status, obs.permanent_redirect) == (Outcome.FAIL, 404, None)
    assert obs.redirects == [(301, web_emulator.link("/new"))]


def test_relative_and_cross_host_redirects_are_made_absolute(web_hosts: WebHosts) -> None:
    a, b = web_hosts["127.0.0.2"], web_hosts["127.0.0.3"]
    a.script("/dir/start", redirect("next", 301))  # relative to /dir/
    a.script("/dir/next", redirect(b.link("/landing"), 301))
    b.script("/landing", redirect("/final", 308))
    b.script("/final", ok())
    obs = check_one(a.link("/dir/start"))
    assert obs.redirects == [
        (301, a.link("/dir/next")),
        (301, b.link("/landing")),
        (308, b.link("/final")),
    ]
    assert obs.permanent_redirect == b.link("/final")


def test_redirect_loop_stops_after_ten_hops(web_emulator: WebEmulator) -> None:
    web_emulator.script("/loop", redirect("/loop", 302))
    obs = check_one(web_emulator.link("/loop"))
    assert (obs.outcome, obs.error) == (Outcome.FAIL, "too many redirects")
    assert len(obs.redirects) == 11
    assert web_emulator.hits["/loop"] == 11


def test_redirect_to_other_scheme_is_not_followed(web_emulator: WebEmulator) -> None:
    obs = check_one(web_emulator.script("/js", redirect("javascript:alert(1)", 302)))
    assert (obs.outcome, obs.error) == (Outcome.FAIL, "redirect to unsupported scheme")


def test_flaky_then_ok_after_retry(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/f", flaky(1))
    result = check_urls([url], FAST)
    assert result.observations[url].outcome is Outcome.OK
    assert web_emulator.hits["/f"] == 2  # 503, then 200 on the retry
    assert result.requests == 2


def test_flaky_reset_then_ok(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/f", flaky(2, failure=reset()))
    assert check_one(url, replace(FAST, retries=2)).outcome is Outcome.OK
    assert web_emulator.hits["/f"] == 3


def test_server_errors_are_retried_then_unknown(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/e", server_error(502))
    settings = replace(FAST, retries=2)
    result = check_urls([url], settings)
    obs = result.observations[url]
    assert (obs.outcome, obs.error) == (Outcome.UNKNOWN, "HTTP 502")
    assert web_emulator.methods["/e"] == ["GET", "GET", "GET"]
    assert result.requests == 3


def test_reset_is_retried_then_unknown(web_emulator: WebEmulator) -> None:
    obs = check_one(web_emulator.script("/r", reset()))
    assert (obs.outcome, obs.error, obs.http_status) == (Outcome.UNKNOWN, "connection reset", None)
    assert web_emulator.hits["/r"] == 2  # GET, GET retry


def test_retry_after_is_honoured(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/rl", flaky(1, failure=rate_limited("1")))
    start = time.monotonic()
    assert check_one(url).outcome is Outcome.OK
    assert time.monotonic() - start >= 1.0
    assert web_emulator.methods["/rl"] == ["GET", "GET"]


def test_retry_after_beyond_budget_gives_up(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/rl", rate_limited("30"))
    start = time.monotonic()
    obs = check_one(url)
    assert (obs.outcome, obs.error) == (Outcome.UNKNOWN, "rate limited")
    assert time.monotonic() - start < 10, "it did not wait the 30 s asked"
    assert web_emulator.hits["/rl"] == 1


def test_slow_answer_within_timeout_is_ok(web_emulator: WebEmulator) -> None:
    assert check_one(web_emulator.script("/s", slow(0.2))).outcome is Outcome.OK


def test_timeout_is_retried_then_unknown(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/s", slow(2.0))
    settings = replace(FAST, timeout=0.3)
    obs = check_one(url, settings)
    assert (obs.outcome, obs.error) == (Outcome.UNKNOWN, "read timeout")
    assert web_emulator.methods["/s"] == ["GET", "GET"]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x/y", "mailto:a@b.c"]
)
def test_other_schemes_are_never_requested(web_emulator: WebEmulator, url: str) -> None:
    result = check_urls([url], FAST)
    obs = result.observations[url]
    assert (obs.outcome, obs.error) == (Outcome.FAIL, "unsupported scheme")
    assert result.requests == 0
    assert web_emulator.total_requests() == 0


def test_ftp_pointing_at_the_emulator_is_not_fetched(web_emulator: WebEmulator) -> None:
    url = web_emulator.script("/ok", ok()).replace("http://", "ftp://")
    result = check_urls([url], FAST)
    assert result.observations[url].error == "unsupported scheme"
    assert web_emulator.total_requests() == 0


def test_dns_failure() -> None:
    obs = check_one(f"http://{DNS_FAIL_HOST}/page")
    assert (obs.outcome, obs.error, obs.http_status) == (Outcome.FAIL, "DNS lookup failed", None)


def test_connection_refused() -> None:
    obs = check_one(refused_url())
    assert (obs.outcome, obs.error) == (Outcome.FAIL, "connection refused")


def test_tls_error(web_emulator: WebEmulator) -> None:
    web_emulator.script("/", ok())
    obs = check_one(web_emulator.https_url("/"))
    assert (obs.outcome, obs.error) == (Outcome.FAIL, "TLS error")


def test_errors_carry_no_credentials(web_emulator: WebEmulator) -> None:
    host = web_emulator.url.removeprefix("http://")
    for url in [
        f"http://user:s3cret@{host}/missing",
        f"http://user:s3cret@{DNS_FAIL_HOST}/",
        refused_url().replace("http://", "http://user:s3cret@"),
    ]:
        obs = check_one(url)
        assert obs.outcome is Outcome.FAIL
        assert obs.error and "s3cret" not in obs.error and len(obs.error) < 40


def test_all_refused_means_network_down() -> None:
    urls = [refused_url(h) for h in ("127.0.0.2", "127.0.0.3", "127.0.0.4")]
    result = check_urls(urls, FAST)
    assert result.lost
    assert {o.outcome for o in result.observations.values()} == {Outcome.UNKNOWN}
    assert {o.error for o in result.observations.values()} == {"connection refused"}


def test_failures_on_two_hosts_are_not_network_down() -> None:
    urls = [refused_url("127.0.0.2"), refused_url("127.0.0.3")]
    result = check_urls(urls, FAST)
    assert not result.lost
    assert {o.outcome for o in result.observations.values()} == {Outcome.FAIL}


def test_one_working_url_means_network_is_up(web_emulator: WebEmulator) -> None:
    urls = [refused_url(h) for h in ("127.0.0.2", "127.0.0.3", "127.0.0.4")]
    urls.append(web_emulator.script("/ok", ok()))
    result = check_urls(urls, FAST)
    assert not result.lost
    assert [o.outcome for o in result.observations.values()] == [Outcome.FAIL] * 3 + [Outcome.OK]


def test_user_agent_and_accept_reach_the_server(web_emulator: WebEmulator) -> None:
    check_one(web_emulator.script("/h", head_refused()))
    assert web_emulator.user_agents == [FAST.user_agent]


def test_duplicates_and_order(web_emulator: WebEmulator) -> None:
    a = web_emulator.script("/a", ok())
    b = web_emulator.script("/b", not_found())
    seen: list[int] = []
    result = check_urls([b, a, b, "mailto:x@y.z"], FAST, progress=seen.append)
    assert list(result.observations) == [b, a, "mailto:x@y.z"]
    assert seen == [1, 1, 1]  # one tick per distinct URL
    assert web_emulator.hits["/b"] == 1  # once


def test_per_host_limit_holds_while_hosts_run_in_parallel(web_hosts: WebHosts) -> None:
    settings = replace(FAST, concurrency=8, per_host=3)
    urls = []
    for host in ("127.0.0.2", "127.0.0.3"):
        for i in range(40):
            urls.append(web_hosts[host].script(f"/s{i}", slow(0.05)))
    result = check_urls(urls, settings)
    assert {o.outcome for o in result.observations.values()} == {Outcome.OK}
    assert web_hosts.max_concurrency == {"127.0.0.2": 3, "127.0.0.3": 3}
    # The hosts were served at the same time: their busy periods overlap.
    spans = [(emu.request_log[0][0], emu.request_log[-1][0]) for emu in web_hosts]
    assert max(first for first, _ in spans) < min(last for _, last in spans)


def test_many_links_on_one_slow_host_go_per_host_at_a_time(web_emulator: WebEmulator) -> None:
    """A slow host gets `per_host` requests at once, never more and, with 500 links to go,
    exactly that many: the links are not asked one after another (counted by the emulator,
    not timed)."""
    n, delay = 500, 0.02
    settings = replace(FAST, concurrency=16, per_host=8)
    urls = [web_emulator.script(f"/p{i}", slow(delay)) for i in range(n)]
    result = check_urls(urls, settings)
    assert result.requests == n
    assert sum(o.outcome is Outcome.OK for o in result.observations.values()) == n
    assert web_emulator.max_concurrency == settings.per_host
