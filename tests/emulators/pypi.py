"""Loopback emulator of PyPI's JSON API: `GET /pypi/<project>/json`, answered as warehouse
documents it (docs/dev/api-reference/json.rst in pypi/warehouse): `info` (the project at its
latest release: `name`, `version`, `summary`, `classifiers`, `yanked`, …), `releases` (every
release's files), `urls` (the latest release's files, each with `upload_time_iso_8601`),
`last_serial`, `vulnerabilities`.

- the latest release is the newest one not yanked; only when every release is yanked is it
  the newest yanked one, with `info.yanked` true;
- a project asked by another spelling of its name (PEP 503: `Zope.Interface`,
  `zope_interface`) is a 301 to `/pypi/<its own spelling>/json`;
- an unknown project is a 404 with `{"message": "Not Found"}`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.check.providers import classify
from bot.check.providers.pypi import PypiTarget
from bot.parse.markdown import Document
from tests.emulators.base import Emulator, Reply, Request

INACTIVE = "Development Status :: 7 - Inactive"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Release:
    version: str
    uploaded: str  # ISO 8601, the first file's upload time
    yanked: bool = False


@dataclass
class ProjectSpec:
    name: str  # as the project spells it
    releases: list[Release] = field(default_factory=list)  # oldest first
    summary: str = "A Python package"
    classifiers: list[str] = field(default_factory=lambda: ["Programming Language :: Python :: 3"])

    def latest(self) -> Release | None:
        kept = [r for r in self.releases if not r.yanked]
        return (kept or self.releases or [None])[-1]

    def json(self, base: str) -> dict[str, Any]:
        latest = self.latest()
        info = {
            "name": self.name, "version": latest.version if latest else None,
            "summary": self.summary, "classifiers": self.classifiers,
            "yanked": bool(latest and latest.yanked), "yanked_reason": None,
            "author": "", "license": "MIT", "requires_python": ">=3.9",
            "home_page": "", "project_urls": {},
            "package_url": f"{base}/project/{self.name}/",
            "project_url": f"{base}/project/{self.name}/",
            "release_url": f"{base}/project/{self.name}/{latest.version}/" if latest else None,
        }  # fmt: skip
        return {
            "info": info,
            "last_serial": int(hashlib.sha1(self.name.encode()).hexdigest()[:6], 16),
            "releases": {r.version: self._files(r) for r in self.releases},
            "urls": self._files(latest) if latest else [],
            "vulnerabilities": [],
        }

    def _files(self, r: Release) -> list[dict[str, Any]]:
        stem = f"{normalise(self.name).replace('-', '_')}-{r.version}"
        kinds = (("-py3-none-any.whl", "bdist_wheel"), (".tar.gz", "sdist"))
        return [{"filename": f"{stem}{ext}", "packagetype": kind, "size": 4662,
                 "upload_time": r.uploaded.rstrip("Z").split(".")[0],
                 "upload_time_iso_8601": r.uploaded, "yanked": r.yanked, "yanked_reason": None,
                 "url": f"https://files.example/{stem}{ext}"} for ext, kind in kinds]  # fmt: skip


@dataclass
class PypiScenario:
    projects: dict[str, ProjectSpec] = field(default_factory=dict)  # by normalised name

    def add(self, name: str, versions: list[str] | None = None, **kw: Any) -> ProjectSpec:
        """A project; `versions` (oldest first) are released a year apart, the latest two
        months ago (a maintained project)."""
        versions = versions or ["1.0.0"]
        today = datetime.now(UTC).replace(hour=10, minute=0, second=0, microsecond=0)
        ages = [60 + 365 * (len(versions) - 1 - i) for i in range(len(versions))]
        releases = [Release(v, (today - timedelta(days=age)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
                    for v, age in zip(versions, ages, strict=True)]  # fmt: skip
        spec = self.projects[normalise(name)] = ProjectSpec(name, releases, **kw)
        return spec

    def remove(self, name: str) -> None:
        del self.projects[normalise(name)]


def scenario_from(doc: Document) -> PypiScenario:
    """Every project the document links, present, its latest release two months old."""
    s = PypiScenario()
    for link in doc.links:
        t = classify(link.target)
        if isinstance(t, PypiTarget) and t.package not in s.projects:
            s.add(t.package, ["0.9.0", f"1.{len(t.package) % 7}.0"])
    return s


class PypiEmulator(Emulator):
    name = "pypi"

    def __init__(self, scenario: PypiScenario | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.scenario = scenario or PypiScenario()

    def handle(self, req: Request) -> Reply | None:
        parts = [p for p in req.path.split("/") if p]
        if req.method != "GET" or len(parts) != 3 or parts[0] != "pypi" or parts[2] != "json":
            return Reply.json(404, {"message": "Not Found"})
        spec = self.scenario.projects.get(normalise(parts[1]))
        if spec is None:
            return Reply.json(404, {"message": "Not Found"})
        if parts[1] != spec.name:
            where = f"/pypi/{spec.name}/json"
            return Reply(301, b"", {"Location": where, "Content-Type": "text/plain"})
        return Reply.json(200, spec.json(self.url))
