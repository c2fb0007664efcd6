"""The Wayback Machine's availability API (`GET /wayback/available?url=…&timestamp=…`):
the closest snapshot to the timestamp, before or after it, as the real API answers
(`{"url": …, "archived_snapshots": {"closest": {"available": true, "url": …,
"timestamp": "YYYYMMDDhhmmss", "status": "200"}}}`; `{}` when there is none)."""

from __future__ import annotations

from tests.emulators.base import Emulator, Reply, Request


class WaybackEmulator(Emulator):
    name = "wayback"

    def __init__(self) -> None:
        super().__init__()
        self.snapshots: dict[str, list[tuple[str, str]]] = {}  # url → [(timestamp, status)]

    def add(self, url: str, timestamp: str, status: str = "200") -> None:
        self.snapshots.setdefault(url, []).append((timestamp, status))

    def handle(self, req: Request) -> Reply | None:
        if req.path != "/wayback/available":
            return Reply.json(404, {"error": "not found"})
        url = (req.query.get("url") or [""])[0]
        stamp = ((req.query.get("timestamp") or [""])[0] + "00000000000000")[:14]
        shots = self.snapshots.get(url, [])
        if not shots:
            return Reply.json(200, {"url": url, "archived_snapshots": {}})
        taken, status = min(shots, key=lambda s: abs(int(s[0]) - int(stamp or s[0])))
        closest = {
            "available": True,
            "url": f"http://web.archive.org/web/{taken}/{url}",
            "timestamp": taken,
            "status": status,
        }
        return Reply.json(200, {"url": url, "archived_snapshots": {"closest": closest}})
