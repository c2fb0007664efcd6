"""awesome-monitor: keeps curated awesome lists honest."""

from functools import cache
from importlib import metadata

__version__ = "0.1.0"
DISTRIBUTION = "awesome-monitor"


@cache
def home() -> str | None:
    """The project's address, as its package declares it (`[project.urls] Homepage` in
    pyproject.toml); None when the package is not installed (a bare checkout)."""
    try:
        urls = metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:  # "Homepage, https://…"
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage":
            return url.strip()
    return None
