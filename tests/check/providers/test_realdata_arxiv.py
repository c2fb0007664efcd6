"""The emulator's feeds have the layout of real arXiv answers recorded in ../shared.

For each recorded sample we rebuild the same paper(s) as a scenario, send the emulator the
same request and compare structure: element names (namespaced, by path) at feed and entry
level, link and category attributes, and value types (dates, versioned ids, integers).

Deliberate differences:
- `search_query` is not emulated: a search sample is replayed as an `id_list` request for
  the papers it returned (so totalResults is not compared for it).
- `OMITTED` lists elements the real API can send that the emulator never does.
- Attribute sets are only compared against the 2026 serialisation (the 2016 one put a
  `scheme` on `arxiv:primary_category` and declared namespaces per element)."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from xml.etree import ElementTree as ET

import pytest
import requests

from bot.check.providers.arxiv import parse_feed
from tests.conftest import SHARED
from tests.emulators.arxiv import ARXIV_NS, ATOM_NS, OPENSEARCH_NS, ArxivEmulator

A, OS, AX = f"{{{ATOM_NS}}}", f"{{{OPENSEARCH_NS}}}", f"{{{ARXIV_NS}}}"
# Per-author affiliation (`<arxiv:affiliation>` inside `<author>`): the emulator never sends it.
OMITTED = {f"{A}author/{AX}affiliation"}
_DIR = SHARED / "realdata" / "arxiv"
SAMPLES = sorted(p.name for p in _DIR.glob("*.xml")) if _DIR.is_dir() else []
RAW = sorted(p.name for p in (_DIR / "raw_fixtures").glob("*.json")) if _DIR.is_dir() else []


def _load(path: Path) -> tuple[bytes, int | None, dict[str, str] | None]:
    """(body, HTTP status if recorded, request query if recorded)."""
    if path.suffix == ".json":
        rec = json.loads(path.read_text(encoding="utf-8"))
        return (
            rec["body"].encode("latin-1"),
            rec["status_code"],
            dict(parse_qsl(urlsplit(rec["url"]).query, keep_blank_values=True)),
        )
    return path.read_bytes(), None, None


def _request_of(root: ET.Element) -> dict[str, str]:
    """The request a feed answered, from the query echoed in its title or the error id."""
    title = root.findtext(f"{A}title") or ""
    if "Query: " in title:
        return dict(parse_qsl(title.split("Query: ", 1)[1], keep_blank_values=True))
    err = root.findtext(f"{A}entry/{A}id") or ""
    m = re.search(r"incorrect_id_format_for_(.+)$", err)
    if not m:
        pytest.skip(f"cannot tell which request produced this sample (title {title!r})")
    return {"id_list": m.group(1)}


def _rebuild(emu: ArxivEmulator, root: ET.Element) -> list[str]:
    """Add each paper entry of the sample to the scenario; return their versioned ids."""
    vids = []
    for e in root.iter(f"{A}entry"):
        m = re.search(r"arxiv\.org/abs/(.+)v(\d+)$", e.findtext(f"{A}id") or "")
        if not m:
            continue
        version = int(m.group(2))
        published, updated = e.findtext(f"{A}published"), e.findtext(f"{A}updated")
        assert published and updated
        primary = e.find(f"{AX}primary_category")
        emu.scenario.add(
            m.group(1),
            versions=[published] * (version - 1) + [updated],
            title=e.findtext(f"{A}title"),
            journal_ref=e.findtext(f"{AX}journal_ref"),
            comment=e.findtext(f"{AX}comment"),
            doi=e.findtext(f"{AX}doi"),
            authors=[a.findtext(f"{A}name") or "" for a in e.findall(f"{A}author")],
            primary_category=primary.get("term", "") if primary is not None else "",
            categories=[c.get("term", "") for c in e.findall(f"{A}category")],
            summary=e.findtext(f"{A}summary") or "",
        )
        vids.append(f"{m.group(1)}v{version}")
    return vids


def _paths(el: ET.Element, prefix: str = "") -> set[str]:
    out: set[str] = set()
    for child in el:
        if child.tag == f"{A}entry":
            continue
        out.add(prefix + child.tag)
        out |= _paths(child, f"{prefix}{child.tag}/")
    return out


def _attr_shapes(entry: ET.Element) -> Counter[tuple[str, tuple[str, ...]]]:
    """(tag, attribute names plus rel/title values) for link, category, primary_category."""
    shapes: Counter[tuple[str, tuple[str, ...]]] = Counter()
    for child in entry:
        if child.attrib:
            keys = sorted(child.attrib)
            marks = [f"{k}={child.get(k)}" for k in ("rel", "title", "type") if k in child.attrib]
            shapes[(child.tag, tuple(keys + marks))] += 1
    return shapes


def _entries(root: ET.Element) -> dict[str, ET.Element]:
    out = {}
    for e in root.iter(f"{A}entry"):
        eid = e.findtext(f"{A}id") or ""
        m = re.search(r"arxiv\.org/abs/(.+)v\d+$", eid)
        out[m.group(1) if m else eid] = e
    return out


def _check_types(root: ET.Element) -> None:
    for tag in (f"{OS}totalResults", f"{OS}startIndex", f"{OS}itemsPerPage"):
        assert int(root.findtext(tag) or "x") >= 0
    for el in root.iter():
        if el.tag in (f"{A}updated", f"{A}published"):
            assert datetime.fromisoformat((el.text or "").replace("Z", "+00:00")).year > 1990
    for eid, e in _entries(root).items():
        raw_id = e.findtext(f"{A}id") or ""
        if "/api/errors#" not in raw_id:
            assert re.fullmatch(r"http://arxiv\.org/abs/.+v\d+", raw_id), eid


def _compare(emu: ArxivEmulator, body: bytes, status: int | None, query: dict | None) -> None:
    real = ET.fromstring(body)
    query = query or _request_of(real)
    vids = _rebuild(emu, real)
    is_search = bool(query.get("search_query"))
    if is_search:
        query = {"id_list": ",".join(vids), "max_results": query.get("max_results", "10")}
    errors = [e for e in real.iter(f"{A}entry") if "/api/errors#" in (e.findtext(f"{A}id") or "")]
    expected_status = status or (400 if errors else 200)

    r = requests.get(emu.url + "/api/query", params=query, timeout=5)
    assert r.status_code == expected_status
    ours = ET.fromstring(r.content)

    assert _paths(ours) == _paths(real) - OMITTED
    real_entries, our_entries = _entries(real), _entries(ours)
    assert set(our_entries) == set(real_entries)
    new_layout = b"xmlns:arxiv=" in body.split(b">", 2)[1]
    for key, real_e in real_entries.items():
        assert _paths(our_entries[key]) == _paths(real_e) - OMITTED, key
        if new_layout:
            assert _attr_shapes(our_entries[key]) == _attr_shapes(real_e), key
    _check_types(real)
    _check_types(ours)
    if not is_search:
        for tag in (f"{OS}totalResults", f"{OS}itemsPerPage", f"{OS}startIndex"):
            assert ours.findtext(tag) == real.findtext(tag), tag
    # The bot's own reader sees the same papers in both.
    if not errors:
        assert parse_feed(r.content) == parse_feed(body)


@pytest.mark.parametrize("name", SAMPLES or [pytest.param("", id="no-samples")])
def test_emulator_matches_xml_sample(
    name: str, shared_dir: Path, arxiv_emulator: ArxivEmulator
) -> None:
    path = shared_dir / "realdata" / "arxiv" / name
    if not name or not path.is_file():
        pytest.skip("no arXiv XML samples in ../shared/realdata/arxiv")
    _compare(arxiv_emulator, *_load(path))


@pytest.mark.parametrize("name", RAW or [pytest.param("", id="no-raw-fixtures")])
def test_emulator_matches_raw_fixture(
    name: str, shared_dir: Path, arxiv_emulator: ArxivEmulator
) -> None:
    path = shared_dir / "realdata" / "arxiv" / "raw_fixtures" / name
    if not name or not path.is_file():
        pytest.skip("../shared/realdata/arxiv/raw_fixtures/*.json is absent in this workspace")
    _compare(arxiv_emulator, *_load(path))
