"""What the providers bring to the config: each service's own section (`[name]`: a dataclass
with every default, the endpoint keys it reads from the environment when they are empty,
the ranges of its numbers, keys it took over from another section), and the kinds of links
`[status] note_kinds` may name. The providers register them here when they are imported
(`bot.check.providers`), so that this layer loads, checks and documents them without
knowing any service; a config loaded before that fails loudly (`require`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, is_dataclass
from typing import Any


@dataclass(frozen=True)
class Endpoint:
    """A URL key of a service's section, and the environment variable read when it is
    empty (as GitHub Actions and GitHub Enterprise set them)."""

    key: str  # "api_url"
    env: str  # the environment variable used when the key is empty
    example: str  # what a good one looks like, for the error message


@dataclass(frozen=True)
class Range:
    """A number of a service's section: lowest, highest, whether the lowest is allowed."""

    key: str
    low: float
    high: float
    low_ok: bool = True
    unit: str = ""  # " seconds", " days"


@dataclass(frozen=True)
class ServiceSection:
    name: str  # the table: `[name]`
    settings: type  # a dataclass, every field with its default
    endpoints: tuple[Endpoint, ...] = ()
    ranges: tuple[Range, ...] = ()
    # Keys this section took over: `"check.arxiv_interval"` → `"interval"`. The old place
    # is still read, with a warning that says where the key lives now.
    moved: Mapping[str, str] = field(default_factory=dict)


SECTIONS: dict[str, ServiceSection] = {}
NOTE_KINDS: dict[str, bool] = {}  # every kind a note may be for → on by default


def register(section: ServiceSection) -> None:
    if not is_dataclass(section.settings):
        raise TypeError(f"[{section.name}]: settings must be a dataclass")
    SECTIONS[section.name] = section


def register_note_kind(name: str, on_by_default: bool) -> None:
    NOTE_KINDS[name] = on_by_default


def require() -> None:
    """Loading a config before the providers registered their sections would read
    `[github]` as an unknown key or, worse, leave it unread: say so at once."""
    if not SECTIONS or not NOTE_KINDS:
        raise RuntimeError(
            "no provider has registered its config: import bot.check.providers before "
            "loading a config"
        )


def defaults() -> dict[str, Any]:
    """Every registered section with its defaults, in the order they were registered."""
    require()
    return {name: s.settings() for name, s in SECTIONS.items()}


def default_note_kinds() -> list[str]:
    require()
    return [name for name, on in NOTE_KINDS.items() if on]
