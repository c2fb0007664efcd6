"""Loopback emulator of the arXiv query API (`GET /api/query?id_list=...`).

It answers Atom feeds in the layout of the 2026 recordings in ../shared/realdata/arxiv:
namespaces declared on `<feed>`, the 2026 element order, https links, `<id>` with the
version suffix. Like the real API it defaults `max_results` to 10, drops unknown ids
silently, answers 400 with an error feed for a malformed id, and returns entries in no
fixed order (a seeded shuffle, deterministic per request, never the request's order)."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr

from tests.emulators.base import Emulator, Reply, Request

ATOM_NS = "http://www.w3.org/2005/Atom"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
ARXIV_NS = "http://arxiv.org/schemas/atom"
WITHDRAWN_COMMENT = "This paper has been withdrawn by the author"

# Well-formed ids, with an optional version. Old style: archive(.SUBJ)?/YYMMNNN.
_NEW_ID = re.compile(r"^(\d{4}\.\d{4,5})(?:v(\d+))?$")
_OLD_ID = re.compile(r"^([a-z][a-z-]*)(?:\.[A-Za-z][A-Za-z-]*)?/(\d{7})(?:v(\d+))?$")
# Above this many ids the real front end answers 414 (URI too long).
MAX_IDS_PER_REQUEST = 600


def split_id(raw: str) -> tuple[str, int | None] | None:
    """`"1409.1556v2"` -> `("1409.1556", 2)`; `"math.GT/0309136"` -> `("math/0309136", None)`
    (the canonical old-style id has no subject class); None when malformed."""
    m = _NEW_ID.match(raw)
    if m:
        return m.group(1), int(m.group(2)) if m.group(2) else None
    m = _OLD_ID.match(raw)
    if m:
        return f"{m.group(1)}/{m.group(2)}", int(m.group(3)) if m.group(3) else None
    return None


def _iso(value: str) -> str:
    """Accept `2014-09-04` or a full timestamp; answer arXiv's `2014-09-04T00:00:00Z`."""
    if len(value) == 10:
        return f"{value}T00:00:00Z"
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class PaperSpec:
    """One paper. `versions` holds the ISO date of each version, v1 first."""

    arxiv_id: str
    title: str
    versions: list[str]
    journal_ref: str | None = None
    comment: str | None = None
    doi: str | None = None
    authors: list[str] = field(default_factory=lambda: ["Ada Lovelace"])
    primary_category: str = "cs.LG"
    categories: list[str] = field(default_factory=list)  # besides the primary one
    summary: str = "An abstract."
    # Version from which `comment_withdrawn` replaces `comment` (see ArxivScenario.withdraw).
    withdrawn_in: int | None = None
    comment_withdrawn: str = WITHDRAWN_COMMENT

    def comment_for(self, version: int) -> str | None:
        if self.withdrawn_in is not None and version >= self.withdrawn_in:
            return self.comment_withdrawn
        return self.comment


@dataclass
class ArxivScenario:
    """The papers the emulator knows, plus ids it rejects as malformed even though they
    pass its own format check (to exercise a client's isolation of a bad id)."""

    papers: dict[str, PaperSpec] = field(default_factory=dict)
    malformed: set[str] = field(default_factory=set)
    seed: int = 0

    def add(
        self,
        arxiv_id: str,
        versions: list[str] | None = None,
        title: str | None = None,
        *,
        journal_ref: str | None = None,
        comment: str | None = None,
        doi: str | None = None,
        authors: list[str] | None = None,
        primary_category: str = "cs.LG",
        categories: list[str] | None = None,
        summary: str = "An abstract.",
    ) -> PaperSpec:
        parsed = split_id(arxiv_id)
        if parsed is None or parsed[1] is not None:
            raise ValueError(f"scenario ids are bare well-formed ids, got {arxiv_id!r}")
        spec = PaperSpec(
            arxiv_id=parsed[0],
            title=title or f"Paper {arxiv_id}",
            versions=list(versions or ["2020-01-01"]),
            journal_ref=journal_ref,
            comment=comment,
            doi=doi,
            authors=list(authors or ["Ada Lovelace"]),
            primary_category=primary_category,
            categories=list(categories or []),
            summary=summary,
        )
        self.papers[spec.arxiv_id] = spec
        return spec

    def withdraw(self, arxiv_id: str, date: str, comment: str = WITHDRAWN_COMMENT) -> PaperSpec:
        """A withdrawal, as on arXiv: a new version whose comment says so."""
        spec = self.papers[arxiv_id]
        spec.versions.append(date)
        spec.withdrawn_in = len(spec.versions)
        spec.comment_withdrawn = comment
        return spec


class ArxivEmulator(Emulator):
    name = "arxiv"

    def __init__(self, scenario: ArxivScenario | None = None, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.scenario = scenario or ArxivScenario()

    def endpoint_name(self, req: Request) -> str:
        return f"{req.method} {req.path}"

    def intervals(self, path: str = "/api/query") -> list[float]:
        """Seconds between the starts of consecutive requests to `path`."""
        with self._lock:
            times = [t for t, _, p in self.request_log if p == path]
        return [b - a for a, b in zip(times, times[1:], strict=False)]

    # -- request handling ------------------------------------------------------
    def handle(self, req: Request) -> Reply | None:
        if req.path != "/api/query" or req.method not in ("GET", "HEAD"):
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        q = {k: v[-1] for k, v in req.query.items()}
        if q.get("search_query"):
            return self._error("search_query is not supported by the emulator")
        try:
            start = int(q.get("start") or 0)
            max_results = int(q.get("max_results") or 10)
        except ValueError:
            return self._error("start and max_results must be integers")
        raw_ids = [i for i in (q.get("id_list") or "").split(",") if i]
        if len(raw_ids) > MAX_IDS_PER_REQUEST:
            return Reply(414, b"Request-URI Too Long", {"Content-Type": "text/plain"})
        wanted: list[tuple[str, int | None]] = []
        for raw in raw_ids:
            parsed = split_id(raw)
            if parsed is None or raw in self.scenario.malformed:
                return self._error(
                    f"incorrect id format for {raw}", f"incorrect_id_format_for_{raw}"
                )
            if parsed not in wanted:
                wanted.append(parsed)
        found = [
            (self.scenario.papers[pid], ver)
            for pid, ver in wanted
            if pid in self.scenario.papers
            and (ver is None or 1 <= ver <= len(self.scenario.papers[pid].versions))
        ]
        found = self._shuffle(found, q.get("id_list") or "")
        page = found[start : start + max_results] if max_results > 0 else []
        query = {
            "search_query": "",
            "id_list": q.get("id_list") or "",
            "start": str(start),
            "max_results": str(max_results),
        }
        body = _feed(query, len(found), start, max_results, [_entry(p, v) for p, v in page])
        return _atom(200, body)

    def _shuffle(
        self, found: list[tuple[PaperSpec, int | None]], id_list: str
    ) -> list[tuple[PaperSpec, int | None]]:
        """Seeded by the request, so paging through one id_list sees one stable order."""
        seed = hashlib.sha256(f"{self.scenario.seed}:{id_list}".encode()).digest()
        out = list(found)
        random.Random(seed).shuffle(out)
        if len(out) > 1 and out == found:
            out = out[1:] + out[:1]
        return out

    def _error(self, message: str, anchor: str | None = None) -> Reply:
        err_id = f"https://arxiv.org/api/errors#{anchor or 'bad_request'}"
        now = _now()
        entry = (
            "  <entry>\n"
            f"    <id>{escape(err_id)}</id>\n"
            "    <title>Error</title>\n"
            f"    <updated>{now}</updated>\n"
            f'    <link href={quoteattr(err_id)} rel="alternate" type="text/html"/>\n'
            f"    <summary>{escape(message)}</summary>\n"
            "    <author>\n      <name>arXiv api core</name>\n    </author>\n"
            "  </entry>\n"
        )
        head = (
            "  <id>https://arxiv.org/</id>\n"
            "  <title>arXiv Search Results</title>\n"
            f"  <updated>{now}</updated>\n"
            "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
            "  <opensearch:totalResults>1</opensearch:totalResults>\n"
            "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        )
        return _atom(400, _wrap(head + entry))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _atom(status: int, body: str) -> Reply:
    return Reply(
        status, body.encode("utf-8"), {"Content-Type": "application/atom+xml; charset=UTF-8"}
    )


def _wrap(inner: str) -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<feed xmlns:opensearch="{OPENSEARCH_NS}" xmlns:arxiv="{ARXIV_NS}" xmlns="{ATOM_NS}">\n'
        f"{inner}</feed>\n"
    )


def _feed(query: dict[str, str], total: int, start: int, per_page: int, entries: list[str]) -> str:
    echo = "&".join(f"{k}={v}" for k, v in query.items())
    feed_id = hashlib.sha1(echo.encode()).hexdigest()[:27]
    link = "https://arxiv.org/api/query?" + urlencode(query, safe=",/:")
    head = (
        f"  <id>https://arxiv.org/api/{feed_id}</id>\n"
        f"  <title>arXiv Query: {escape(echo)}</title>\n"
        f"  <updated>{_now()}</updated>\n"
        f'  <link href={quoteattr(link)} type="application/atom+xml"/>\n'
        f"  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>\n"
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
    )
    return _wrap(head + "".join(entries))


def _entry(p: PaperSpec, asked: int | None) -> str:
    """One entry in the 2026 element order (see ../shared/realdata/arxiv/NOTES.md)."""
    version = asked or len(p.versions)
    vid = f"{p.arxiv_id}v{version}"
    lines = [
        f"<id>http://arxiv.org/abs/{vid}</id>",
        f"<title>{escape(p.title)}</title>",
        f"<updated>{_iso(p.versions[version - 1])}</updated>",
        f'<link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>',
        f'<link href="https://arxiv.org/pdf/{vid}" rel="related" type="application/pdf"'
        ' title="pdf"/>',
        f"<summary>{escape(p.summary)}</summary>",
    ]
    for cat in [p.primary_category, *[c for c in p.categories if c != p.primary_category]]:
        lines.append(f"<category term={quoteattr(cat)} scheme={quoteattr(ARXIV_NS)}/>")
    lines.append(f"<published>{_iso(p.versions[0])}</published>")
    comment = p.comment_for(version)
    if comment:
        lines.append(f"<arxiv:comment>{escape(comment)}</arxiv:comment>")
    lines.append(f"<arxiv:primary_category term={quoteattr(p.primary_category)}/>")
    if p.journal_ref:
        lines.append(f"<arxiv:journal_ref>{escape(p.journal_ref)}</arxiv:journal_ref>")
    for name in p.authors:
        lines.append(f"<author>\n      <name>{escape(name)}</name>\n    </author>")
    if p.doi:
        lines.append(f"<arxiv:doi>{escape(p.doi)}</arxiv:doi>")
        doi_url = quoteattr(f"https://doi.org/{p.doi}")
        lines.append(f'<link rel="related" href={doi_url} title="doi"/>')
    return "  <entry>\n" + "".join(f"    {line}\n" for line in lines) + "  </entry>\n"
