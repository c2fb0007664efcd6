"""The arXiv provider against the loopback emulator, over real HTTP."""

from __future__ import annotations

import socket

import pytest

from bot.check.http import HttpSettings
from bot.check.model import Outcome, ProviderResult
from bot.check.providers.arxiv import (
    MALFORMED,
    NOT_FOUND,
    PaperObservation,
    check_papers,
    parse_feed,
)
from tests.emulators.arxiv import ArxivEmulator
from tests.emulators.base import Fault, Reply, Request

INTERVAL = 0.05  # seconds between requests: arXiv's 3 s, shortened for the emulator


@pytest.fixture
def settings() -> HttpSettings:
    return HttpSettings(timeout=2.0, retries=2, backoff=0.01, max_wait=5.0)


@pytest.fixture
def emu(arxiv_emulator: ArxivEmulator) -> ArxivEmulator:
    s = arxiv_emulator.scenario
    s.add(
        "1409.1556",
        versions=["2014-09-04T19:48:04Z", "2014-09-15T00:00:00Z", "2015-04-10T16:25:29Z"],
        title="Very Deep Convolutional Networks\n   for Large-Scale Image Recognition",
        journal_ref="ICLR 2015",
    )
    s.add("1706.03762", versions=["2017-06-12T17:57:34Z"], title="Attention Is All You Need")
    s.add("hep-th/9901001", versions=["1999-01-04", "1999-02-01"], title="Old Style")
    s.add("math/0309136", versions=["2003-09-08"], title="Subject class")
    return arxiv_emulator


def api(emu: ArxivEmulator) -> str:
    return emu.url + "/api/query"


def paper(res: ProviderResult, key: str) -> PaperObservation:
    obs = res.observations[key]
    assert isinstance(obs, PaperObservation)
    return obs


def record_queries(emu: ArxivEmulator, monkeypatch: pytest.MonkeyPatch) -> list[Request]:
    seen: list[Request] = []
    original = emu.handle

    def handle(req: Request) -> Reply | None:
        seen.append(req)
        return original(req)

    monkeypatch.setattr(emu, "handle", handle)
    return seen


def test_250_ids_take_three_sequential_requests(
    arxiv_emulator: ArxivEmulator, settings: HttpSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [f"2101.{n:05d}" for n in range(250)]
    for i in ids:
        arxiv_emulator.scenario.add(i, versions=["2021-01-01", "2021-02-01"], title=f"T {i}")
    seen = record_queries(arxiv_emulator, monkeypatch)
    done: list[int] = []
    res = check_papers(ids, api(arxiv_emulator), settings, progress=done.append, interval=INTERVAL)
    assert res.requests == 3 == arxiv_emulator.total_requests()
    assert [(q.query["start"], q.query["max_results"]) for q in seen] == [
        (["0"], ["100"]),
        (["0"], ["100"]),
        (["0"], ["50"]),
    ]
    assert all(q.headers["user-agent"] == settings.user_agent for q in seen)
    assert arxiv_emulator.max_concurrency == 1
    assert sum(done) == 250
    # Matched by id although the emulator shuffles the entries.
    for i in ids:
        obs = paper(res, i)
        assert (obs.outcome, obs.title, obs.version) == (Outcome.OK, f"T {i}", 2)
    assert not res.lost


def test_fields_of_a_multi_version_paper(emu: ArxivEmulator, settings: HttpSettings) -> None:
    res = check_papers(
        ["1409.1556", "hep-th/9901001", "math.GT/0309136"], api(emu), settings, interval=INTERVAL
    )
    assert paper(res, "1409.1556") == PaperObservation(
        arxiv_id="1409.1556",
        outcome=Outcome.OK,
        version=3,
        updated="2015-04-10T16:25:29Z",
        published="2014-09-04T19:48:04Z",
        title="Very Deep Convolutional Networks for Large-Scale Image Recognition",
        journal_ref="ICLR 2015",
    )
    old = paper(res, "hep-th/9901001")
    assert (old.version, old.published) == (2, "1999-01-04T00:00:00Z")
    subj = paper(res, "math.GT/0309136")
    assert (subj.outcome, subj.arxiv_id) == (Outcome.OK, "math/0309136")


def test_withdrawn(emu: ArxivEmulator, settings: HttpSettings) -> None:
    emu.scenario.withdraw("1706.03762", "2018-01-01", comment="THIS PAPER HAS BEEN WITHDRAWN")
    res = check_papers(["1706.03762", "1409.1556"], api(emu), settings, interval=INTERVAL)
    att, vgg = paper(res, "1706.03762"), paper(res, "1409.1556")
    assert (att.withdrawn, att.version, vgg.withdrawn) == (True, 2, False)


def test_unknown_id_fails(emu: ArxivEmulator, settings: HttpSettings) -> None:
    res = check_papers(["0808.05394", "1706.03762"], api(emu), settings, interval=INTERVAL)
    gone = paper(res, "0808.05394")
    assert (gone.outcome, gone.error) == (Outcome.FAIL, NOT_FOUND)
    assert paper(res, "1706.03762").outcome is Outcome.OK
    assert res.requests == 1


def test_malformed_ids_are_isolated(emu: ArxivEmulator, settings: HttpSettings) -> None:
    emu.scenario.malformed.add("2101.99999")  # passes our regex, rejected by the API
    ids = ["abc", "1409.1556", "2101.99999", "1706.03762", "hep-th/99"]
    res = check_papers(ids, api(emu), settings, interval=INTERVAL)
    outcomes = {i: (paper(res, i).outcome, paper(res, i).error) for i in res.observations}
    assert outcomes == {
        "abc": (Outcome.FAIL, MALFORMED),
        "hep-th/99": (Outcome.FAIL, MALFORMED),
        "2101.99999": (Outcome.FAIL, MALFORMED),
        "1409.1556": (Outcome.OK, None),
        "1706.03762": (Outcome.OK, None),
    }
    assert res.requests == 2  # the 400 named the bad id: dropped, the rest retried once
    assert any("2101.99999" in n for n in res.notes)


def test_unexplained_400_halves_the_batch(emu: ArxivEmulator, settings: HttpSettings) -> None:
    emu.inject(Fault(status=400, times=1))
    ids = ["1409.1556", "1706.03762", "hep-th/9901001", "math/0309136"]
    res = check_papers(ids, api(emu), settings, interval=INTERVAL)
    assert all(paper(res, i).outcome is Outcome.OK for i in res.observations)
    assert res.requests == 3


def test_503_then_ok(emu: ArxivEmulator, settings: HttpSettings) -> None:
    emu.inject(Fault(status=503, times=1))
    res = check_papers(["1409.1556"], api(emu), settings, interval=INTERVAL)
    assert paper(res, "1409.1556").outcome is Outcome.OK
    assert res.requests == 2 == emu.total_requests()


def test_persistent_503_is_unknown_not_fail(emu: ArxivEmulator, settings: HttpSettings) -> None:
    emu.inject(Fault(status=503, times=None))
    res = check_papers(["1409.1556", "0808.05394"], api(emu), settings, interval=INTERVAL)
    for key in res.observations:
        obs = paper(res, key)
        assert obs.outcome is Outcome.UNKNOWN and obs.error and "503" in obs.error
    assert res.requests == 1 + settings.retries
    assert res.lost  # no answer for the batch: the run is incomplete


def test_429_honours_retry_after(emu: ArxivEmulator, settings: HttpSettings) -> None:
    emu.inject(Fault(status=429, times=1, headers={"Retry-After": "1"}))
    res = check_papers(["1409.1556"], api(emu), settings, interval=INTERVAL)
    assert paper(res, "1409.1556").outcome is Outcome.OK
    assert res.requests == 2
    assert emu.intervals()[0] >= 0.99


def test_retry_after_beyond_the_wait_budget_gives_up(
    emu: ArxivEmulator, settings: HttpSettings
) -> None:
    emu.inject(Fault(status=429, times=1, headers={"Retry-After": "3600"}))
    res = check_papers(["1409.1556"], api(emu), settings, interval=INTERVAL)
    obs = paper(res, "1409.1556")
    assert obs.outcome is Outcome.UNKNOWN and obs.error and "429" in obs.error
    assert res.requests == 1


def test_html_instead_of_a_feed_is_unknown(emu: ArxivEmulator, settings: HttpSettings) -> None:
    emu.inject(Fault(status=200, times=1, body=b"<html><body>Captive portal</body></html>"))
    res = check_papers(["1409.1556"], api(emu), settings, interval=INTERVAL)
    assert paper(res, "1409.1556").outcome is Outcome.UNKNOWN


def test_slow_answer_past_the_timeout_is_unknown(emu: ArxivEmulator) -> None:
    emu.latency = 1.0
    fast = HttpSettings(timeout=0.2, retries=1, backoff=0.01, max_wait=1.0)
    res = check_papers(["1409.1556"], api(emu), fast, interval=INTERVAL)
    obs = paper(res, "1409.1556")
    assert obs.outcome is Outcome.UNKNOWN and obs.error and "timeout" in obs.error
    assert res.requests == 2
    assert res.lost  # timeouts on every batch: nothing reached


def test_connection_refused_everywhere_is_network_down(settings: HttpSettings) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ids = [f"2101.{n:05d}" for n in range(250)] + ["not-an-id"]
    res = check_papers(ids, f"http://127.0.0.1:{port}/api/query", settings, interval=INTERVAL)
    assert res.lost
    for i in ids[:-1]:
        assert paper(res, i).outcome is Outcome.UNKNOWN
    assert paper(res, "not-an-id").outcome is Outcome.FAIL
    # Two whole batches failed to connect: the third is skipped, not hammered.
    assert res.requests == 2 * (1 + settings.retries)


def test_requests_are_spaced_by_the_interval(
    arxiv_emulator: ArxivEmulator, settings: HttpSettings
) -> None:
    ids = [f"2101.{n:05d}" for n in range(5)]
    for i in ids:
        arxiv_emulator.scenario.add(i)
    res = check_papers(ids, api(arxiv_emulator), settings, batch_size=2, interval=0.3)
    assert res.requests == 3
    gaps = arxiv_emulator.intervals()
    assert len(gaps) == 2
    # Measured on the server side: allow a few ms of loopback jitter.
    assert min(gaps) >= 0.3 - 0.01, gaps
    assert arxiv_emulator.max_concurrency == 1


def test_no_ids_no_requests(settings: HttpSettings) -> None:
    res = check_papers([], "http://127.0.0.1:9/api/query", settings, interval=INTERVAL)
    assert (res.requests, res.observations, res.lost) == (0, {}, False)


def test_parse_feed_rejects_what_is_not_a_feed() -> None:
    with pytest.raises(ValueError):
        parse_feed(b"<html><body>hello</body></html>")
