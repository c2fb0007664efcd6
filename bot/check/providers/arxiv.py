"""arXiv provider: latest version, dates, journal_ref and withdrawal of papers, through the
arXiv query API (Atom), batched and polite.

Terms of use: at most one request every `min_interval` seconds (3 s), one connection at a
time, so requests are strictly sequential. Anything that prevents an answer (timeouts, 5xx,
429, connection errors) yields UNKNOWN, never FAIL: only arXiv saying "no such paper" (or a
malformed id) is a failure."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import feedparser
import requests

from bot.check.model import HttpSettings, Outcome, PaperObservation, ProviderResult

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
BATCH_SIZE = 100  # ~640 ids make a URL too long (HTTP 414)
MALFORMED = "malformed arXiv id"
NOT_FOUND = "not found on arXiv"
ARXIV_NS = "http://arxiv.org/schemas/atom"

# Bare id with an optional version: new style `1409.1556`, old style `hep-th/9901001` or
# `math.GT/0309136` (the subject class is not part of the canonical id).
_ID = re.compile(
    r"^(?:(?P<new>\d{4}\.\d{4,5})|(?P<arch>[a-z][a-z-]*)(?:\.[A-Za-z][A-Za-z-]*)?/(?P<num>\d{7}))"
    r"(?:v\d+)?$"
)
_ENTRY_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)v(?P<version>\d+)$")
_WITHDRAWN = re.compile(r"withdrawn", re.IGNORECASE)
_REJECTED = re.compile(r"incorrect id format for (\S+)")


def canonical_id(raw: str) -> str | None:
    """The id arXiv answers with (no version, no subject class), or None if malformed."""
    m = _ID.match(raw.strip())
    if not m:
        return None
    return m.group("new") or f"{m.group('arch')}/{m.group('num')}"


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


def _retry_after(resp: requests.Response) -> float | None:
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _Client:
    """Sequential, paced GETs with bounded retries. Counts every attempt."""

    def __init__(self, api_url: str, settings: HttpSettings) -> None:
        self.api_url = api_url
        self.s = settings
        self.session = requests.Session()
        self.session.headers.update(
            {"User-Agent": settings.user_agent, "Accept": "application/atom+xml"}
        )
        self.requests = 0
        self.reached = False  # any HTTP answer at all
        self.waited = 0.0  # backoff / Retry-After seconds spent, bounded by max_wait
        self._last_start: float | None = None

    def close(self) -> None:
        self.session.close()

    def _pace(self) -> None:
        if self._last_start is not None:
            delay = self._last_start + self.s.min_interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self._last_start = time.monotonic()

    def get(self, params: dict[str, str]) -> tuple[requests.Response | None, str | None]:
        """(response, None) for any answer that is not worth retrying, else (None, error)."""
        attempt = 0
        while True:
            self._pace()
            self.requests += 1
            retry_after: float | None = None
            try:
                resp = self.session.get(self.api_url, params=params, timeout=self.s.timeout)
            except requests.Timeout:
                error = f"timeout after {self.s.timeout:g}s"
            except requests.RequestException as exc:
                error = f"connection error: {type(exc).__name__}"
            else:
                self.reached = True
                if resp.status_code != 429 and resp.status_code < 500:
                    return resp, None
                error = f"HTTP {resp.status_code} from arXiv"
                retry_after = _retry_after(resp)
                resp.close()
            if attempt >= self.s.retries:
                return None, error
            delay = retry_after if retry_after is not None else self.s.backoff * 2**attempt
            if self.waited + delay > self.s.max_wait:
                return None, f"{error} (gave up: wait budget of {self.s.max_wait:g}s spent)"
            self.waited += delay
            time.sleep(delay)
            attempt += 1


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


def check_papers(
    ids: list[str],
    api_url: str = DEFAULT_API_URL,
    settings: HttpSettings | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    batch_size: int = BATCH_SIZE,
) -> ProviderResult:
    """Check bare arXiv ids. Observations are keyed by the ids as given.

    `progress(n)` is called with the number of ids just finished (an increment)."""
    settings = settings or HttpSettings()
    result = ProviderResult()
    wanted: dict[str, str] = {}  # id as given -> canonical id
    for raw in dict.fromkeys(ids):
        pid = canonical_id(raw)
        if pid is None:
            result.observations[raw] = PaperObservation(raw, Outcome.FAIL, error=MALFORMED)
        else:
            wanted[raw] = pid
    if progress and result.observations:
        progress(len(result.observations))

    canon = list(dict.fromkeys(wanted.values()))
    batches = [canon[i : i + batch_size] for i in range(0, len(canon), batch_size)]
    out: dict[str, PaperObservation] = {}
    client = _Client(api_url, settings)
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
    result.requests = client.requests
    result.network_down = bool(batches) and not client.reached
    return result
