"""Loopback emulator of the npm registry's package documents: `GET /<name>` and, for a scoped
package, `GET /@scope%2f<name>` (the slash encoded, as npm's own client sends it; a literal
slash is accepted too). A document holds `name`, `dist-tags` (`latest`), `versions` (each
version's manifest, with `deprecated` when its author deprecated it) and `time` (`created`,
`modified` and each version's publication). A package whose every version was unpublished
keeps a document with `time.unpublished` and nothing else; an unknown one is a 404 with
`{"error": "Not found"}`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

from bot.check.providers import classify
from bot.check.providers.npm import NpmTarget
from bot.parse.markdown import Document
from tests.emulators.base import Emulator, Reply, Request


@dataclass
class PackageSpec:
    name: str
    versions: list[tuple[str, str]] = field(default_factory=list)  # (version, date), oldest 1st
    deprecated: str = ""  # the latest version's deprecation message
    unpublished: bool = False

    def json(self) -> dict[str, Any]:
        created = self.versions[0][1] if self.versions else "2015-01-01T00:00:00.000Z"
        if self.unpublished:
            gone = {"time": created, "versions": [v for v, _ in self.versions]}
            return {
                "_id": self.name,
                "name": self.name,
                "time": {"created": created, "modified": created, "unpublished": gone},
            }
        latest = self.versions[-1][0]
        manifests = {v: {"name": self.name, "version": v} for v, _ in self.versions}
        if self.deprecated:
            manifests[latest]["deprecated"] = self.deprecated
        return {
            "_id": self.name,
            "name": self.name,
            "dist-tags": {"latest": latest},
            "versions": manifests,
            "time": {
                "created": created,
                "modified": self.versions[-1][1],
                **dict(self.versions),
            },  # fmt: skip
        }


@dataclass
class NpmScenario:
    packages: dict[str, PackageSpec] = field(default_factory=dict)

    def add(self, name: str, versions: list[str] | None = None, **kw: Any) -> PackageSpec:
        """A package; `versions` (oldest first) a year apart, the latest a month ago."""
        versions = versions or ["1.0.0"]
        today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
        dated = [(v, (today - timedelta(days=30 + 365 * (len(versions) - 1 - i))).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z")) for i, v in enumerate(versions)]  # fmt: skip
        spec = self.packages[name] = PackageSpec(name, dated, **kw)
        return spec


def scenario_from(doc: Document) -> NpmScenario:
    """Every package the document links, published, its latest release a month old."""
    s = NpmScenario()
    for link in doc.links:
        t = classify(link.target)
        if isinstance(t, NpmTarget) and t.package not in s.packages:
            s.add(t.package, ["0.1.0", "1.0.0"])
    return s


class NpmEmulator(Emulator):
    name = "npm"

    def __init__(self, scenario: NpmScenario | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.scenario = scenario or NpmScenario()

    def handle(self, req: Request) -> Reply | None:
        name = unquote(req.path.lstrip("/"))
        spec = self.scenario.packages.get(name) if req.method == "GET" else None
        if spec is None:
            return Reply.json(404, {"error": "Not found"})
        return Reply.json(200, spec.json())
