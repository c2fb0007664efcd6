"""The arXiv emulator answers like the real API (see ../shared/realdata/arxiv/NOTES.md)."""

from __future__ import annotations

import re
from datetime import datetime

import feedparser
import pytest
import requests

from bot.check.providers.arxiv import parse_feed
from tests.emulators.arxiv import ArxivEmulator

VGG_VERSIONS = ["2014-09-04T19:48:04Z", "2014-09-15", "2015-04-10T16:25:29Z"]


def query(emu: ArxivEmulator, **params: str) -> requests.Response:
    return requests.get(emu.url + "/api/query", params=params, timeout=5)


@pytest.fixture
def emu(arxiv_emulator: ArxivEmulator) -> ArxivEmulator:
    s = arxiv_emulator.scenario
    s.add(
        "1409.1556",
        versions=VGG_VERSIONS,
        title="Very Deep Convolutional Networks\n  for Large-Scale Image Recognition",
        journal_ref="ICLR 2015",
        comment="14 pages",
        doi="10.48550/arXiv.1409.1556",
        authors=["Karen Simonyan", "Andrew Zisserman"],
        primary_category="cs.CV",
    )
    s.add("hep-th/9901001", versions=["1999-01-01"], primary_category="hep-th")
    return arxiv_emulator


def test_own_reader_parses_versions_dates_journal_ref(emu: ArxivEmulator) -> None:
    r = query(emu, id_list="1409.1556,hep-th/9901001", max_results="2")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/atom+xml")
    papers = parse_feed(r.content)
    vgg = papers["1409.1556"]
    assert (vgg.version, vgg.published, vgg.updated) == (
        3,
        "2014-09-04T19:48:04Z",
        "2015-04-10T16:25:29Z",
    )
    assert vgg.journal_ref == "ICLR 2015"
    assert vgg.title == "Very Deep Convolutional Networks for Large-Scale Image Recognition"
    assert not vgg.withdrawn
    old = papers["hep-th/9901001"]
    assert (old.version, old.published, old.updated) == (1, old.updated, "1999-01-01T00:00:00Z")


def test_feedparser_reads_the_raw_answer(emu: ArxivEmulator) -> None:
    d = feedparser.parse(query(emu, id_list="1409.1556").content)
    assert not d.bozo
    assert d.feed.opensearch_totalresults == "1"
    assert d.feed.opensearch_itemsperpage == "10"
    (e,) = d.entries
    assert e.id == "http://arxiv.org/abs/1409.1556v3"
    assert e.arxiv_journal_ref == "ICLR 2015"
    assert e.arxiv_comment == "14 pages"
    assert e.arxiv_doi == "10.48550/arXiv.1409.1556"
    assert e.arxiv_primary_category["term"] == "cs.CV"
    assert [a.name for a in e.authors] == ["Karen Simonyan", "Andrew Zisserman"]
    assert {(lk.rel, lk.get("title")) for lk in e.links} == {
        ("alternate", None),
        ("related", "pdf"),
        ("related", "doi"),
    }
    assert e.published_parsed[:3] == (2014, 9, 4)


def test_asked_version_is_answered(emu: ArxivEmulator) -> None:
    obs = parse_feed(query(emu, id_list="1409.1556v2").content)["1409.1556"]
    assert (obs.version, obs.updated, obs.published) == (
        2,
        "2014-09-15T00:00:00Z",
        "2014-09-04T19:48:04Z",
    )
    # A version that does not exist is absent, like an unknown id.
    assert parse_feed(query(emu, id_list="1409.1556v9").content) == {}


def test_old_style_id_with_subject_class_answers_canonical_id(emu: ArxivEmulator) -> None:
    emu.scenario.add("math/0309136", primary_category="math.GT")
    assert set(parse_feed(query(emu, id_list="math.GT/0309136").content)) == {"math/0309136"}


def test_default_max_results_is_10(arxiv_emulator: ArxivEmulator) -> None:
    ids = [f"2101.{n:05d}" for n in range(15)]
    for i in ids:
        arxiv_emulator.scenario.add(i)
    d = feedparser.parse(query(arxiv_emulator, id_list=",".join(ids)).content)
    assert len(d.entries) == 10
    assert d.feed.opensearch_totalresults == "15"
    full = query(arxiv_emulator, id_list=",".join(ids), max_results="15")
    assert set(parse_feed(full.content)) == set(ids)
    rest = query(arxiv_emulator, id_list=",".join(ids), start="10")
    first = parse_feed(query(arxiv_emulator, id_list=",".join(ids)).content)
    assert set(parse_feed(rest.content)) | set(first) == set(ids)


def test_malformed_id_is_400_with_error_feed(emu: ArxivEmulator) -> None:
    r = query(emu, id_list="1409.1556,abc")
    assert r.status_code == 400
    d = feedparser.parse(r.content)
    (e,) = d.entries
    assert e.id == "https://arxiv.org/api/errors#incorrect_id_format_for_abc"
    assert e.title == "Error"
    assert e.summary == "incorrect id format for abc"
    assert parse_feed(r.content) == {}


def test_scripted_malformed_id(emu: ArxivEmulator) -> None:
    emu.scenario.malformed.add("2101.99999")
    r = query(emu, id_list="1409.1556,2101.99999")
    assert r.status_code == 400
    assert b"incorrect id format for 2101.99999" in r.content


def test_unknown_id_is_silently_absent(emu: ArxivEmulator) -> None:
    r = query(emu, id_list="0808.05394,1409.1556")
    assert r.status_code == 200
    assert set(parse_feed(r.content)) == {"1409.1556"}
    empty = feedparser.parse(query(emu, id_list="0000.0000").content)
    assert empty.entries == [] and empty.feed.opensearch_totalresults == "0"


def test_order_is_shuffled_but_deterministic(arxiv_emulator: ArxivEmulator) -> None:
    ids = [f"2101.{n:05d}" for n in range(30)]
    for i in ids:
        arxiv_emulator.scenario.add(i)
    two = [f"2101.{n:05d}" for n in range(2)]
    for asked in (ids, two):
        params = {"id_list": ",".join(asked), "max_results": str(len(asked))}
        got = [*parse_feed(query(arxiv_emulator, **params).content)]
        assert sorted(got) == sorted(asked)
        assert got != asked
        assert [*parse_feed(query(arxiv_emulator, **params).content)] == got


def test_withdrawn_is_a_new_version_with_a_comment(emu: ArxivEmulator) -> None:
    emu.scenario.withdraw("hep-th/9901001", "2003-05-06")
    d = feedparser.parse(query(emu, id_list="hep-th/9901001").content)
    assert d.entries[0].id.endswith("hep-th/9901001v2")
    assert "withdrawn" in d.entries[0].arxiv_comment
    assert parse_feed(query(emu, id_list="hep-th/9901001").content)["hep-th/9901001"].withdrawn
    v1 = parse_feed(query(emu, id_list="hep-th/9901001v1").content)["hep-th/9901001"]
    assert not v1.withdrawn


def test_too_many_ids_is_414(emu: ArxivEmulator) -> None:
    ids = ",".join(f"2101.{n:05d}" for n in range(700))
    assert query(emu, id_list=ids).status_code == 414


def test_request_log_intervals_and_concurrency(emu: ArxivEmulator) -> None:
    for _ in range(3):
        query(emu, id_list="1409.1556")
    gaps = emu.intervals()
    assert len(gaps) == 2 and all(g >= 0 for g in gaps)
    assert emu.max_concurrency == 1
    assert emu.total_requests("GET /api/query") == 3


def test_dates_are_arxiv_timestamps(emu: ArxivEmulator) -> None:
    body = query(emu, id_list="1409.1556").text
    stamps = re.findall(r"<(?:published|updated)>([^<]+)<", body)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s) for s in stamps)
    assert all(datetime.fromisoformat(s.replace("Z", "+00:00")) for s in stamps)
