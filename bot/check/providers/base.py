"""The one interface every provider implements (GitHub, arXiv, Hugging Face, the web, …).

A provider owns everything about its service: which links are its own (`claim` turns a
parsed web link into its own kind of target, `key` names the thing it checks), how it checks
a batch of them through the run's HTTP policy, its observation type (what the judge reads of
every service: `bot.check.model.Observation`), what its kinds of links mean for the list
(`kinds`), what the reports carry for it (`scan_keys`, `report_keys`), how people name it
(`title`, `noun`) and its settings. The parser, the judge, the history and the outputs never
need to know which service a link belongs to; a new service is one module plus its
registration in `bot.check.providers.REGISTRY`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bot.check.http import Http
from bot.check.model import Inside, LinkKind, Observation, ProviderResult
from bot.check.state import Entry
from bot.config import Config, ServiceSection
from bot.parse.target import Target


@dataclass
class Context:
    """What a provider gets for one run."""

    http: Http  # the policy every request goes through (counts, retries, budget)
    config: Config
    env: Mapping[str, str]  # endpoints and tokens (the environment variables it reads)
    previous: Mapping[str, Entry] = field(default_factory=dict)  # its history's entries
    progress: Callable[[int], None] = lambda n: None  # n more targets done
    order: Callable[[list[str]], list[str]] = lambda keys: keys  # never-checked first


class Provider(Protocol):
    name: str  # the service's id: request counts, progress, "could not reach …", `[name]`
    title: str  # how people write it ("GitHub", "arXiv"): the report's request line
    noun: str  # what its keys are, plural: "repositories" in "114 repositories, 43 papers"
    history: str  # the section of the history its observations are kept in
    cache: bool  # whether a well-answered key is reused for `[check] recheck_after` days
    archivable: bool  # its dead links may have an archived copy (the Wayback Machine)
    settings: ServiceSection | None  # its own config section, `[name]` (None: it has none)
    kinds: tuple[LinkKind, ...]  # the kinds of links it claims (`scan` names them)
    scan_keys: tuple[str, ...]  # its keys in `scan --json` (its targets' `scan_fields`)
    report_keys: tuple[str, ...]  # its keys in `check --json` (targets' and observations')

    def claim(self, target: Target) -> Target | None:
        """Its own target for a parsed link it knows (a web link, mostly), else None."""
        ...

    def key(self, target: Target) -> str | None:
        """What this provider checks for `target` (one check per key), or None."""
        ...

    def identity(self, target: Target) -> str | None:
        """What makes two links the same target however they are written (for duplicates):
        its own targets only, else None."""
        ...

    def check(self, targets: list[Target], ctx: Context) -> ProviderResult:
        """Observations for the targets' keys. Only a network or service failure is
        reported as such (`lost`); a bug raises, it is not an outage. Credentials the
        service refuses raise `bot.check.model.CredentialsRefused`."""
        ...

    def inside(self, target: Target, obs: Observation) -> Inside | None:
        """For a link to something inside a checked target (a file in a repository): its
        own history key, whether it exists, and what to say when it does not. None for
        the checked thing itself."""
        ...

    def moved_url(self, target: Target, url: str, moved_to: str) -> str | None:
        """The link's URL once the thing moved to `moved_to`, everything else kept."""
        ...

    def restore(self, data: dict) -> Observation | None:
        """The last good observation from its history entry (to show while unanswered)."""
        ...


class NothingInside:
    """Mixin: a provider whose links are each the checked thing itself, never inside one."""

    def inside(self, target: Target, obs: Observation) -> Inside | None:
        return None
