"""The same target, however it is written: what makes a new link a duplicate of one the list
already has.

Each provider says the identity of its own targets (`Provider.identity`): a repository in
any case, with or without `.git` or a trailing slash; a file or a page inside it by
repository and path; a paper by its id whatever its version or page; a Hub repository by
type and id. What is left here is generic: a web address is the same page with `http` or
`https`, with or without `www.`, a default port or a trailing slash, and the host in any
case."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.check.providers import REGISTRY
from bot.parse.markdown import Link
from bot.parse.target import Kind, Target

_DEFAULT_PORTS = {"http": 80, "https": 443}


def identity(target: Target) -> tuple[str, str] | None:
    """(what, key): equal for two links to the same target; None for what is no target
    (relative links, `mailto:`, a malformed address naming nothing)."""
    for p in REGISTRY:
        found = p.identity(target)
        if found is not None:
            return p.name, found
    if target.kind == Kind.WEB:
        web = web_identity(target.url)
        return ("web", web) if web else None
    return None


def web_identity(url: str) -> str | None:
    """An http(s) address without what does not change the page: the scheme, `www.`, a
    default port, a trailing slash, the host's case. None for anything else."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    host = host.removeprefix("www.")
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{host}{path}{query}{fragment}"


def duplicates(added: list[Link], written: list[Link]) -> dict[int, Link]:
    """For each link of `added` (by its `start`) that names a target another link of
    `written` (the whole list, `added` included, one link per written address) names too:
    the first such link of the list that the change did not add, else the first one it
    added before it."""
    new = {lk.start for lk in added}
    first_old: dict[tuple[str, str], Link] = {}
    for lk in written:
        key = identity(lk.target)
        if key is not None and lk.start not in new:
            first_old.setdefault(key, lk)
    out: dict[int, Link] = {}
    first_new: dict[tuple[str, str], Link] = {}
    for lk in added:
        key = identity(lk.target)
        if key is None:
            continue
        same = first_old.get(key) or first_new.get(key)
        if same is not None:
            out[lk.start] = same
        first_new.setdefault(key, lk)
    return out
