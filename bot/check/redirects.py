"""Which permanent redirects may be written into the list (`[check] fix_redirects`).

Only a chain of 301/308 that ends in an answer (the web provider sets
`permanent_redirect` only then); never a temporary one. And never towards what a redirect
often means on the web rather than "moved": a login page, the site's root for a deeper
page, or another registrable domain (eTLD+1, from the public suffix list) unless
`[check] redirect_domains` names it ("*" allows any)."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

_LOGIN = re.compile(
    r"(^|/)(login|log-in|signin|sign-in|sign_in|sso|auth|oauth|session|accounts/login)(/|$|\.)",
    re.I,
)
_RETURN_TO = re.compile(r"(^|&)(return_?to|redirect(_uri|_url)?|next|continue|from)=", re.I)


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList()


def registrable(host: str) -> str:
    """`blog.example.co.uk` → `example.co.uk` (the host itself when unknown)."""
    host = host.lower().rstrip(".")
    return _psl().privatesuffix(host) or host


def refusal(old: str, new: str, allowed: tuple[str, ...] = ()) -> str | None:
    """Why the list must not take `new` for `old`, or None when it may."""
    try:
        a, b = urlsplit(old), urlsplit(new)
    except ValueError:
        return "not a valid URL"
    if _LOGIN.search(b.path) or _RETURN_TO.search(b.query):
        return "it leads to a login page"
    if b.path.strip("/") == "" and a.path.strip("/") != "":
        return "it leads to the site's root"
    old_domain, new_domain = registrable(a.hostname or ""), registrable(b.hostname or "")
    if old_domain != new_domain and "*" not in allowed and new_domain not in allowed:
        return f"it leads to another domain ({new_domain}; `redirect_domains` may allow it)"
    return None
