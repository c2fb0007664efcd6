"""ISO 8601 dates and times as the services and the history write them (`2024-03-01T12:00:00Z`):
read in one place, so a malformed one is handled the same way everywhere."""

from __future__ import annotations

from datetime import UTC, datetime

FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # what the bot writes: UTC to the second


def now() -> str:
    """This moment, as the history records it."""
    return datetime.now(UTC).strftime(FORMAT)


def parse(iso: str | None) -> datetime | None:
    """A date or time (`Z` or an offset; none means UTC), or None when empty or malformed."""
    if not iso:
        return None
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def days_between(since: str | None, until: str | None) -> float | None:
    """Days from `since` to `until` (fractional; negative when `until` is earlier), or None
    when either is empty or malformed."""
    a, b = parse(since), parse(until)
    if a is None or b is None:
        return None
    return (b - a).total_seconds() / 86400
