"""The providers, one per service, and the order in which they claim links.

To add a service: write a module of this package whose `PROVIDER` implements
`base.Provider`, and name it in `MODULES`, before `web` (which takes every http(s) link
left): one line. Everything else that depends on the providers (the kinds of links, the
reports' keys, the config sections) is read from the registry here."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from bot.check.model import LinkKind
from bot.check.providers.base import Context, Provider
from bot.config import services
from bot.parse.markdown import Document
from bot.parse.target import Kind, Target
from bot.parse.target import classify as parse_target

# The modules of the providers, in the order they claim links (the first that claims a link
# has it); each defines PROVIDER.
MODULES = (
    "github",
    "arxiv",
    "huggingface",
    "pypi",
    "npm",
    "web",
)
REGISTRY: tuple[Provider, ...] = tuple(import_module(f"{__name__}.{m}").PROVIDER for m in MODULES)

__all__ = ["REGISTRY", "Context", "Provider", "classify", "classify_links", "owner"]

for _p in REGISTRY:  # what each provider brings to the config: its section, its kinds
    if _p.settings is not None:
        services.register(_p.settings)
    for _k in _p.kinds:
        services.register_note_kind(str(_k.name), _k.noted_by_default)

# A malformed link: never noted in the list (`[status] note_kinds` cannot name it); one that
# names what it means (an SSH clone address) is checked as that, and `review` shows its facts.
INVALID = LinkKind(Kind.INVALID, noted_by_default=False)


def classify(target: Target) -> Target:
    """The most specific target any provider claims for a parsed one."""
    for p in REGISTRY:
        claimed = p.claim(target)
        if claimed is not None:
            return claimed
    return target


def target_of(url: str) -> Target:
    """What a URL points at, as the parser and then the providers see it."""
    return classify(parse_target(url))


def classify_links(doc: Document) -> Document:
    """Every link of `doc` with the target its provider claims (in place)."""
    for link in doc.links:
        link.target = classify(link.target)
    return doc


def owner(target: Target) -> tuple[Provider, str] | None:
    """The provider that checks `target`, and its key there."""
    for p in REGISTRY:
        key = p.key(target)
        if key is not None:
            return p, key
    return None


def by_name(name: str | None) -> Provider | None:
    return next((p for p in REGISTRY if p.name == name), None)


@cache
def kinds() -> dict[str, LinkKind]:
    """Every kind of link, by name: the providers' in their order, then `invalid`."""
    out = {str(k.name): k for p in REGISTRY for k in p.kinds}
    out[str(INVALID.name)] = INVALID
    return out


def kind_of(target: Target) -> LinkKind:
    return kinds().get(str(target.kind), INVALID)


def _keys(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for g in groups for k in g))


@cache
def scan_keys() -> tuple[str, ...]:
    """The keys of each link in `scan --json`, in order: each provider's (its targets'
    fields) between the link's place and its section. Every link has every key."""
    return _keys(("url", "line", "kind", "syntax", "column"),
                 *(p.scan_keys for p in REGISTRY), ("section", "ignored"))  # fmt: skip


@cache
def report_keys() -> tuple[str, ...]:
    """The keys of each link in `check --json`, in the order the report has always had:
    GitHub's before `moved_to`, every other provider's after it, then the answer's. Every
    link has every key (None where it says nothing)."""
    first = [p.report_keys for p in REGISTRY if p.name == "github"]
    rest = [p.report_keys for p in REGISTRY if p.name != "github"]
    return _keys(("url", "line", "kind", "verdict"), *first, ("moved_to",), *rest,
                 ("http_status", "failures_in_a_row", "error"))  # fmt: skip
