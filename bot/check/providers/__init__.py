"""The providers, one per service, and the order in which they claim links.

To add a service: write a module with a class implementing `base.Provider`, and register
an instance here, before `Web` (which takes every http(s) link left)."""

from __future__ import annotations

from bot.check.providers.arxiv import Arxiv
from bot.check.providers.base import Context, Provider
from bot.check.providers.github import GitHub
from bot.check.providers.huggingface import HuggingFace
from bot.check.providers.web import Web
from bot.parse.markdown import Document
from bot.parse.target import Target

REGISTRY: tuple[Provider, ...] = (GitHub(), Arxiv(), HuggingFace(), Web())

__all__ = ["REGISTRY", "Context", "Provider", "classify", "classify_links", "owner"]


def classify(target: Target) -> Target:
    """The most specific target any provider claims for a parsed one."""
    for p in REGISTRY:
        claimed = p.claim(target)
        if claimed is not None:
            return claimed
    return target


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
