"""The one interface every provider implements (GitHub, arXiv, Hugging Face, the web).

A provider says which links are its own (`claim` refines what the parser saw, `key` names
the thing it checks), checks a batch of them through the run's HTTP policy, and returns
typed observations keyed by `key`. The judge, the state and the rewrite never need to know
which service a link belongs to; a new service is one module plus its registration in
`bot.check.providers.REGISTRY`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bot.check.http import Http
from bot.check.model import Observation, ProviderResult
from bot.check.state import Entry
from bot.config import Config
from bot.parse.target import Target


@dataclass
class Context:
    """What a provider gets for one run."""

    http: Http  # the policy every request goes through (counts, retries, budget)
    config: Config
    env: Mapping[str, str]  # endpoints and tokens (GITHUB_API_URL, HF_TOKEN, …)
    previous: Mapping[str, Entry] = field(default_factory=dict)  # its state section
    progress: Callable[[int], None] = lambda n: None  # n more targets done
    order: Callable[[list[str]], list[str]] = lambda keys: keys  # never-checked first


class Provider(Protocol):
    name: str  # the service: request counts, progress bars, "could not reach …"
    section: str  # the state section its observations are kept in
    what: str  # what its keys are, plural: "repositories", "papers"
    cache: bool  # whether a well-answered key is reused for `[check] recheck_after` days

    def claim(self, target: Target) -> Target | None:
        """A more specific target for a URL this provider knows, else None."""
        ...

    def key(self, target: Target) -> str | None:
        """What this provider checks for `target` (one check per key), or None."""
        ...

    def check(self, targets: list[Target], ctx: Context) -> ProviderResult:
        """Observations for the targets' keys. Only a network or service failure is
        reported as such (`lost`); a bug raises, it is not an outage."""
        ...

    def part(self, target: Target, obs: Observation) -> tuple[str, bool | None] | None:
        """For a target inside a checked thing (a file in a repository): its own
        key and whether it exists (None: not checked). None for the thing itself."""
        ...

    def moved_url(self, target: Target, url: str, moved_to: str) -> str | None:
        """The link's URL once the thing moved to `moved_to`, everything else kept."""
        ...

    def restore(self, data: dict) -> Observation | None:
        """The last good observation from its state entry (to show while unanswered)."""
        ...


class NoParts:
    """Mixin: targets of this provider are never parts of something else."""

    def part(self, target: Target, obs: Observation) -> tuple[str, bool | None] | None:
        return None
