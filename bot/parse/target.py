"""What a link points at, as far as the parser can tell without knowing any service: a web
address (`web`), or a malformed one (`invalid`, with the problem and the address to use
instead). The providers (`bot.check.providers`) then claim the addresses they know as their
own kinds of target (a repository, a paper, …), each a subclass of `Target` with its own
fields. Pure functions, no network."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


class Kind(StrEnum):
    """The kinds every link may have; a provider's own kinds are its own `StrEnum`."""

    WEB = "web"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Target:
    """What a URL points at: its kind, the URL (normalised by the provider that claims it),
    and for a malformed link the problem and the address to use instead."""

    kind: str  # a `Kind`, or a provider's own kind (a `StrEnum` member)
    url: str
    problem: str | None = None  # why the link is malformed, for `invalid`
    suggestion: str | None = None  # the URL to use instead, for `invalid`

    @property
    def linked_version(self) -> int | None:
        """The version the link itself names (a paper's `v2`), if any."""
        return None

    def scan_fields(self) -> dict[str, Any]:
        """What the target says in `scan --json` (its provider declares the keys)."""
        return {}

    def report_fields(self) -> dict[str, Any]:
        """What the target says in `check --json` (its provider declares the keys)."""
        return {}


_EMBEDDED = re.compile(r"https?://\S+")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


def classify(raw: str) -> Target:
    """One URL as written in a list (surrounding spaces and `<>` allowed): a web address,
    a relative or non-web one (kept as `web`, never fetched), or a malformed one."""
    url = raw.strip().strip("<>").strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return Target(Kind.INVALID, url, problem="not a valid URL")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        embedded = _EMBEDDED.search(url)
        if embedded and not url.lower().startswith("http"):
            return Target(
                Kind.INVALID,
                url,
                problem="stray characters before the address",
                suggestion=embedded.group(0),
            )
        if scheme in ("", "mailto", "tel") or url.startswith("#"):
            return Target(Kind.WEB, url)  # relative or non-web: kept, never fetched
        return Target(Kind.INVALID, url, problem=f"unsupported scheme {scheme!r}")
    if not host or _SPACE_OR_CONTROL.search(url):
        # Control characters (a bell, an escape, CR/LF for header injection) are never
        # part of a URL: such a link is reported, never fetched.
        return Target(Kind.INVALID, url, problem="not a valid URL")
    return Target(Kind.WEB, url)


def web_host(url: str) -> str | None:
    """The lower-case host of an http(s) URL without `www.`, else None: what a provider
    looks at first to claim a link."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host.removeprefix("www.")
