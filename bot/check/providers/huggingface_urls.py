"""Hugging Face's links: a repository on the Hub (`/{org}/{name}`, `/datasets/…`,
`/spaces/…`, on huggingface.co or hf.co) or a paper page (`/papers/{arXiv id}`). Pages below
a repository and the Hub's own pages stay web links: the repository's metadata does not
vouch for them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote, urlsplit

from bot.check.providers.arxiv import arxiv_canonical
from bot.parse.target import Target

DEFAULT_ENDPOINT = "https://huggingface.co"
HOSTS = frozenset({"huggingface.co", "hf.co"})


class HubKind(StrEnum):
    """The kinds of Hub links (`scan` and `note_kinds` name them by value)."""

    MODEL = "hf_model"
    DATASET = "hf_dataset"
    SPACE = "hf_space"
    PAPER = "hf_paper"


# What each kind is called in the API path, and the path prefix of its pages.
API_PATHS = {HubKind.MODEL: "models", HubKind.DATASET: "datasets", HubKind.SPACE: "spaces",
        HubKind.PAPER: "papers"}  # fmt: skip
PREFIXES = {HubKind.DATASET: "datasets/", HubKind.SPACE: "spaces/"}
_BY_PREFIX = {"datasets": HubKind.DATASET, "spaces": HubKind.SPACE}


# A namespace or repository name: letters, digits, `-`, `_`, `.`; no `--` or `..`, and
# not starting or ending with `-` or `.` (the Hub's rules for repo ids).
_PART = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?")
# First path segments that are the Hub's own pages, never a namespace.
_RESERVED = {
    "api", "blog", "changelog", "chat", "collections", "datasets", "docs", "enterprise",
    "hardware", "huggingchat", "inference-api", "inference-endpoints", "join", "learn", "login",
    "logout", "models", "new", "new-dataset", "new-space", "notifications", "organizations",
    "papers", "posts", "pricing", "privacy", "search", "settings", "spaces", "storage", "tasks",
    "terms-of-service", "welcome",
}  # fmt: skip


@dataclass(frozen=True)
class HubTarget(Target):
    """A Hub repository (`org/name`) or a paper page (its arXiv id, no version)."""

    repo_type: str = ""  # "model", "dataset", "space", "paper"
    repo_id: str = ""


def part_ok(text: str) -> bool:
    return bool(_PART.fullmatch(text)) and ".." not in text and "--" not in text


def parse_hub_url(url: str) -> tuple[HubKind, str] | None:
    """(kind, id) of a link to a repository or a paper page on the Hub, else None."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    host = host.removeprefix("www.")
    if host not in HOSTS:
        return None
    segs = [unquote(s) for s in parts.path.split("/") if s]
    if len(segs) == 2 and segs[0] == "papers":
        paper = arxiv_canonical(segs[1])  # only new-style ids have paper pages
        return (HubKind.PAPER, paper) if paper and "/" not in paper else None
    if len(segs) == 3 and segs[0] in _BY_PREFIX:
        kind, (org, name) = _BY_PREFIX[segs[0]], segs[1:]
    elif len(segs) == 2 and segs[0].lower() not in _RESERVED:
        kind, (org, name) = HubKind.MODEL, segs
    else:
        return None
    if not (part_ok(org) and part_ok(name)):
        return None
    return kind, f"{org}/{name}"


def kind_name(kind: HubKind) -> str:  # "model", "dataset", "space", "paper"
    return "paper" if kind is HubKind.PAPER else API_PATHS[kind][:-1]
