"""arXiv provider: latest version, dates, journal_ref and withdrawal of papers, through the
arXiv query API (Atom), batched and polite.

Terms of use: at most one request every `[arxiv] interval` seconds (3 s), one connection at a
time, so requests are strictly sequential. Anything that prevents an answer (timeouts, 5xx,
429, connection errors) yields UNKNOWN, never FAIL: only arXiv saying "no such paper" (or a
malformed id) is a failure."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import feedparser
import requests

from bot.check.http import Http, HttpSettings, net_error
from bot.check.model import Facts, LinkKind, Observation, Outcome, ProviderResult, rebuild
from bot.check.providers.base import Context, NothingInside
from bot.config import Endpoint, Range, ServiceSection
from bot.parse.target import Kind, Target, web_host

NAME = "arxiv"
DEFAULT_API_URL = "https://export.arxiv.org/api/query"
INTERVAL = 3.0  # seconds between requests, retries included: arXiv's terms of use
BATCH_SIZE = 100  # ~640 ids make a URL too long (HTTP 414)
MALFORMED = "malformed arXiv id"
NOT_FOUND = "not found on arXiv"
ARXIV_NS = "http://arxiv.org/schemas/atom"


@dataclass
class ArxivConfig:
    """`[arxiv]` in the config."""

    api_url: str = ""  # empty: $ARXIV_API_URL, else https://export.arxiv.org/api/query
    interval: float = INTERVAL  # seconds between arXiv API requests (arXiv's terms)


SECTION = ServiceSection(
    NAME,
    ArxivConfig,
    endpoints=(Endpoint("api_url", "ARXIV_API_URL", DEFAULT_API_URL),),
    ranges=(Range("interval", 0, 3600, unit=" seconds"),),
    moved={"check.arxiv_interval": "interval"},  # where it was until 0.1.0
)


class ArxivKind(StrEnum):
    PAPER = "arxiv"


@dataclass(frozen=True)
class ArxivTarget(Target):
    """A paper (`abs`, `pdf`, `html`, … links): its id without version, and the version the
    link names, if any."""

    arxiv_id: str = ""
    arxiv_version: int | None = None

    @property
    def linked_version(self) -> int | None:
        return self.arxiv_version

    def scan_fields(self) -> dict[str, Any]:
        return {"arxiv_id": self.arxiv_id, "arxiv_version": self.arxiv_version}

    def report_fields(self) -> dict[str, Any]:
        return {"arxiv_id": self.arxiv_id}


# The one arXiv id pattern: new style `1409.1556`, old style `hep-th/9901001` or
# `math.GT/0309136` (the subject class is not part of the id arXiv answers with).
ARXIV_ID = r"(?P<new>\d{4}\.\d{4,5})|(?P<arch>[a-z][a-z-]*)(?:\.[A-Za-z][A-Za-z-]*)?/(?P<num>\d{7})"
_ARXIV_ID = re.compile(rf"(?:{ARXIV_ID})(?:v\d+)?")
_ARXIV_PATH = re.compile(
    rf"^/(?:abs|pdf|html|format|ps)/(?P<id>{ARXIV_ID})(?:v(?P<v>\d+))?(?:\.pdf)?/?$"
)
HOSTS = ("arxiv.org", "export.arxiv.org")


def arxiv_canonical(raw: str) -> str | None:
    """The id arXiv answers with (no version, no subject class), or None if malformed."""
    m = _ARXIV_ID.fullmatch(raw.strip())
    if not m:
        return None
    return m.group("new") or f"{m.group('arch')}/{m.group('num')}"


def claim_paper(target: Target) -> ArxivTarget | None:
    """The paper an arXiv link points at, else None."""
    if target.kind != Kind.WEB or web_host(target.url) not in HOSTS:
        return None
    m = _ARXIV_PATH.match(urlsplit(target.url.strip()).path)
    if not m:
        return None
    version = int(m["v"]) if m["v"] else None
    vtext = f"v{version}" if version else ""
    return ArxivTarget(ArxivKind.PAPER, f"https://arxiv.org/abs/{m['id']}{vtext}",
                       arxiv_id=m["id"], arxiv_version=version)  # fmt: skip


@dataclass
class PaperObservation:
    arxiv_id: str  # without version
    outcome: Outcome
    version: int | None = None  # latest version
    updated: str | None = None  # ISO 8601, date of the latest version
    published: str | None = None  # ISO 8601, date of v1
    title: str | None = None
    journal_ref: str | None = None
    withdrawn: bool = False
    error: str | None = None
    http_status: int | None = None
    moved_to: str | None = None  # a paper keeps its id
    archived: bool = False
    server_error: bool = False
    network_error: str | None = None
    etag: str | None = None

    @property
    def redirect(self) -> str | None:
        return None

    def facts(self) -> Facts:
        url = f"https://arxiv.org/abs/{self.arxiv_id}v{self.version}" if self.version else None
        return Facts(version=self.version, version_date=self.updated, version_url=url,
                     labels=("withdrawn",) if self.withdrawn else ())  # fmt: skip

    def report_fields(self, stale: bool) -> dict[str, Any]:
        if stale:
            return {}
        return {"arxiv_version": self.version, "arxiv_updated": self.updated}


_ENTRY_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)v(?P<version>\d+)$")
_WITHDRAWN = re.compile(r"withdrawn", re.IGNORECASE)
_REJECTED = re.compile(r"incorrect id format for (\S+)")


def parse_feed(xml_bytes: bytes) -> dict[str, PaperObservation]:
    """Observations (all OK) keyed by bare id for each paper entry of an arXiv Atom feed.
    Raises ValueError when the bytes are not an arXiv API feed."""
    return _parse(xml_bytes)[0]


def _parse(xml_bytes: bytes) -> tuple[dict[str, PaperObservation], int, list[str]]:
    """(observations, opensearch:totalResults, error-entry summaries)."""
    d = feedparser.parse(xml_bytes)
    if "opensearch_totalresults" not in d.feed:
        raise ValueError("not an arXiv API Atom feed")
    # feedparser names unknown namespaces by the document's prefix: look it up rather than
    # assume "arxiv".
    prefix = next((p for p, uri in d.namespaces.items() if uri == ARXIV_NS), "arxiv")
    observations: dict[str, PaperObservation] = {}
    errors: list[str] = []
    for e in d.entries:
        entry_id = e.get("id", "")
        if "/api/errors" in entry_id:
            errors.append(e.get("summary", ""))
            continue
        m = _ENTRY_ID.search(entry_id)
        if not m:
            continue
        title = " ".join(e.get("title", "").split()) or None
        comment = e.get(f"{prefix}_comment") or ""
        journal_ref = e.get(f"{prefix}_journal_ref")
        observations[m.group("id")] = PaperObservation(
            arxiv_id=m.group("id"),
            outcome=Outcome.OK,
            version=int(m.group("version")),
            updated=e.get("updated"),
            published=e.get("published"),
            title=title,
            journal_ref=" ".join(journal_ref.split()) if journal_ref else None,
            withdrawn=bool(_WITHDRAWN.search(comment) or _WITHDRAWN.search(title or "")),
        )
    try:
        total = int(d.feed["opensearch_totalresults"])
    except ValueError as exc:
        raise ValueError("bad opensearch:totalResults") from exc
    return observations, total, errors


class _Client:
    """Sequential GETs through the run's HTTP policy (which paces them 3 s apart and
    retries 429, 5xx and timeouts). Remembers whether arXiv answered at all."""

    def __init__(self, api_url: str, http: Http, interval: float) -> None:
        self.api_url = api_url
        self.http = http
        http.pace(NAME, interval)
        self.session = http.session(NAME, headers={"Accept": "application/atom+xml"})
        self.reached = False  # any HTTP answer at all

    def close(self) -> None:
        self.session.close()

    def get(self, params: dict[str, str]) -> tuple[requests.Response | None, str | None]:
        """(response, None) for an answer worth reading, else (None, why)."""
        try:
            resp = self.http.get(NAME, self.session, self.api_url, params=params)
        except requests.RequestException as exc:
            return None, net_error(exc).message
        self.reached = True
        if resp.status_code == 429 or resp.status_code >= 500:
            resp.close()
            return None, f"HTTP {resp.status_code} from arXiv"
        return resp, None


def _fetch_batch(
    client: _Client, batch: list[str], out: dict[str, PaperObservation], notes: list[str]
) -> bool:
    """Fill `out` for the canonical ids in `batch`. False when no usable answer came back
    even after retries (the ids are then UNKNOWN)."""
    params = {"id_list": ",".join(batch), "start": "0", "max_results": str(len(batch))}
    resp, error = client.get(params)
    if resp is None:
        for pid in batch:
            out[pid] = PaperObservation(pid, Outcome.UNKNOWN, error=error)
        return False
    if resp.status_code in (400, 414):
        _isolate(client, batch, resp, out, notes)
        return True
    if resp.status_code != 200:
        for pid in batch:
            out[pid] = PaperObservation(
                pid, Outcome.UNKNOWN, error=f"HTTP {resp.status_code} from arXiv"
            )
        return True
    try:
        found, total, _ = _parse(resp.content)
    except ValueError as exc:
        for pid in batch:
            out[pid] = PaperObservation(pid, Outcome.UNKNOWN, error=f"bad answer: {exc}")
        return True
    if not found and total == 0 and len(batch) > 1:
        # arXiv answers an unknown id with an empty feed, but a whole batch coming back
        # empty is arXiv having a bad moment (it does), not every paper gone at once.
        for pid in batch:
            out[pid] = PaperObservation(pid, Outcome.UNKNOWN, error="arXiv returned an empty feed")
        return True
    # A page shorter than totalResults says nothing about the ids left out.
    missing = Outcome.FAIL if total <= len(found) else Outcome.UNKNOWN
    for pid in batch:
        if pid in found:
            out[pid] = found[pid]
        else:
            err = NOT_FOUND if missing is Outcome.FAIL else "arXiv returned a partial page"
            out[pid] = PaperObservation(pid, missing, error=err)
    return True


def _isolate(
    client: _Client,
    batch: list[str],
    resp: requests.Response,
    out: dict[str, PaperObservation],
    notes: list[str],
) -> None:
    """arXiv rejected the batch (400/414): drop the id its error names, else halve."""
    try:
        errors = _parse(resp.content)[2]
    except ValueError:
        errors = []
    named = {m.group(1) for msg in errors if (m := _REJECTED.search(msg))}
    bad = [pid for pid in batch if pid in named]
    if resp.status_code == 400 and (bad or (len(batch) == 1 and named)):
        bad = bad or batch
        for pid in bad:
            out[pid] = PaperObservation(pid, Outcome.FAIL, error=MALFORMED)
            notes.append(f"arXiv rejected id {pid}: {'; '.join(errors)}")
        rest = [pid for pid in batch if pid not in bad]
        if rest:
            _fetch_batch(client, rest, out, notes)
        return
    if len(batch) == 1:
        out[batch[0]] = PaperObservation(
            batch[0], Outcome.UNKNOWN, error=f"HTTP {resp.status_code} from arXiv"
        )
        return
    half = len(batch) // 2
    _fetch_batch(client, batch[:half], out, notes)
    _fetch_batch(client, batch[half:], out, notes)


class Arxiv(NothingInside):
    """arXiv papers (abs, pdf, html links), through the arXiv API."""

    name = NAME
    title = "arXiv"
    noun = "papers"  # in "114 repositories, 43 papers, …"
    history = "papers"
    cache = True  # see bot.check.cache
    archivable = False
    settings = SECTION
    kinds = (LinkKind(ArxivKind.PAPER),)
    scan_keys = ("arxiv_id", "arxiv_version")
    report_keys = ("arxiv_id", "arxiv_version", "arxiv_updated")

    def claim(self, target: Target) -> Target | None:
        return claim_paper(target)

    def key(self, target: Target) -> str | None:
        return target.arxiv_id if isinstance(target, ArxivTarget) and target.arxiv_id else None

    def identity(self, target: Target) -> str | None:
        return self.key(target)  # the id, whatever the version or the page linked

    def check(self, targets: list[Target], ctx: Context) -> ProviderResult:
        ids = list(dict.fromkeys(k for t in targets if (k := self.key(t))))
        own = ctx.config.service(NAME)
        api = own.api_url or ctx.env.get("ARXIV_API_URL") or DEFAULT_API_URL
        return check_papers(ids, api, ctx.http, ctx.progress, interval=own.interval)

    def moved_url(self, target: Target, url: str, moved_to: str) -> str | None:
        return None

    def restore(self, data: dict) -> Observation | None:
        return rebuild(PaperObservation, data)


PROVIDER = Arxiv()


def check_papers(
    ids: list[str],
    api_url: str = DEFAULT_API_URL,
    http: Http | HttpSettings | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    interval: float = INTERVAL,
) -> ProviderResult:
    """Check bare arXiv ids. Observations are keyed by the ids as given.

    `progress(n)` is called with the number of ids just finished (an increment)."""
    http = http if isinstance(http, Http) else Http(http)
    before = http.counts[NAME]
    result = ProviderResult()
    wanted: dict[str, str] = {}  # id as given -> canonical id
    for raw in dict.fromkeys(ids):
        pid = arxiv_canonical(raw)
        if pid is None:
            result.observations[raw] = PaperObservation(raw, Outcome.FAIL, error=MALFORMED)
        else:
            wanted[raw] = pid
    if progress and result.observations:
        progress(len(result.observations))

    canon = list(dict.fromkeys(wanted.values()))
    batches = [canon[i : i + batch_size] for i in range(0, len(canon), batch_size)]
    out: dict[str, PaperObservation] = {}
    client = _Client(api_url, http, interval)
    failed = 0
    try:
        for batch in batches:
            if failed >= 2 and not client.reached:
                # Circuit breaker: two batches got no HTTP answer at all; spare the rest.
                for pid in batch:
                    out[pid] = PaperObservation(
                        pid, Outcome.UNKNOWN, error="skipped: arXiv unreachable"
                    )
            elif not _fetch_batch(client, batch, out, result.notes):
                failed += 1
            if progress:
                progress(len(batch))
    finally:
        client.close()

    for raw, pid in wanted.items():
        result.observations[raw] = replace(out[pid])  # a copy: two raw ids may share one
    result.requests = http.counts[NAME] - before
    # Any batch without an answer leaves the run incomplete.
    result.lost = failed > 0
    return result
