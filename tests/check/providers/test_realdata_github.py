"""Replay GitHub's real recorded answers (PyGithub's ReplayData, read from ../shared, never
copied) against the emulator: same status class, and the recorded top-level JSON keys
(minus the ones listed as deliberately omitted) with the same value types."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from graphql import parse, validate

from tests.conftest import SHARED
from tests.emulators.github import GitHubEmulator, GitHubScenario
from tests.emulators.github_graphql import SCHEMA

TOKEN = {"Authorization": "token test-token"}

# Keys GitHub sends that the emulator leaves out on purpose; nothing the bot or PyGithub
# needs. Anything else the recordings carry must be present.
OMITTED = {
    "repo": {
        "parent",  # forks only: the emulator has no fork network
        "source",
        "custom_properties",  # organisation metadata
        "temp_clone_token",
        "security_and_analysis",
        "organization",  # present for organisation-owned repos (owner_type="Organization")
        "master_branch",  # 2012 API
    },
    "pull": {"merged_by", "head", "base"},  # checked separately (nested)
    "rate_limit": set(),
    "content": set(),
    "put_content": set(),
    "ref": set(),
    "branch": set(),
    "graphql": set(),
    "redirect": set(),
    "not_found": {"documentation_url", "status"},  # absent only from the 2012 recording
}
# Record kinds not emulated (the bot never calls them).
NOT_EMULATED = ("/user", "/users/")


@dataclass
class Record:
    file: str
    index: int
    verb: str
    path: str
    req_body: str | None
    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body.strip() else None


def parse_recording(path: Path) -> list[Record]:
    """11-line records (see NOTES.md); tolerate a short last record."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out = []
    i = 0
    while i + 8 < len(lines):
        chunk = lines[i : i + 11] + [""] * 11
        if not chunk[0].strip():
            i += 1
            continue
        headers = {k.lower(): v for k, v in ast.literal_eval(chunk[8])}
        body = chunk[9]
        out.append(
            Record(
                path.name,
                len(out),
                chunk[1],
                chunk[4],
                None if chunk[6] == "None" else chunk[6],
                int(chunk[7]),
                headers,
                body,
            )
        )
        i += 11
    return out


def _records() -> list[Record]:
    d = SHARED / "realdata" / "github"
    return [r for f in sorted(d.glob("*.txt")) for r in parse_recording(f)] if d.is_dir() else []


RECORDS = _records()


def _json_type(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int | float):
        return "number"
    return type(v).__name__


def assert_same_shape(recorded: Any, got: Any, omitted: set[str], where: str) -> None:
    assert _json_type(got) == _json_type(recorded), where
    if not isinstance(recorded, dict):
        return
    missing = set(recorded) - set(got) - omitted
    assert not missing, f"{where}: emulator lacks {sorted(missing)}"
    for key, value in recorded.items():
        if key in got and value is not None and got[key] is not None:
            assert _json_type(got[key]) == _json_type(value), f"{where}.{key}"


def test_recordings_parse(shared_dir: Path) -> None:
    records = [
        r
        for f in sorted((shared_dir / "realdata/github").glob("*.txt"))
        for r in parse_recording(f)
    ]
    assert len(records) >= 30
    assert all(r.verb in {"GET", "POST", "PUT", "PATCH", "DELETE"} for r in records)
    short = [r for r in records if r.file == "Requester.testBaseUrlSchemeRedirection.txt"]
    assert len(short) == 1 and short[0].status == 301 and short[0].body == ""


def _kind(r: Record) -> str | None:
    p = r.path.split("?")[0]
    if p.startswith(NOT_EMULATED):
        return None
    if r.verb == "POST" and p == "/graphql":
        return "graphql"
    if p == "/rate_limit":
        return "rate_limit"
    if r.status == 301:
        return "redirect"
    if r.status == 404 and re.fullmatch(r"/repos/[^/]+/[^/]+", p):
        return "not_found"
    if r.verb == "GET" and re.fullmatch(r"/repos/[^/]+/[^/]+|/repositories/\d+", p):
        return "repo"
    if r.verb == "POST" and p.endswith("/pulls"):
        return "pull"
    if r.verb == "POST" and p.endswith("/git/refs"):
        return "ref"
    if "/contents/" in p or p.endswith("/readme"):
        return "put_content" if r.verb == "PUT" else "content"
    if "/branches/" in p:
        return "branch"
    return None


def _params() -> list[Any]:
    out = []
    for r in RECORDS:
        kind = _kind(r)
        # Hand-made (no Date header): an http->https redirect of a path to itself, which
        # PyGithub refuses; there is no GitHub behaviour in it to compare with.
        if kind and r.file != "Requester.testBaseUrlSchemeRedirection.txt":
            out.append(pytest.param(r, kind, id=f"{r.file}#{r.index}-{kind}"))
    return out or [pytest.param(None, None, id="no-recordings")]


def _next_record(r: Record) -> Record | None:
    same = [x for x in RECORDS if x.file == r.file and x.index == r.index + 1]
    return same[0] if same else None


def _scenario_for(r: Record) -> GitHubScenario:
    """A scenario holding the recorded repository (name, id, default branch, files)."""
    s = GitHubScenario()
    body = r.json() if r.body.startswith(("{", "[")) else None
    m = re.match(r"/repos/([^/]+)/([^/?]+)", r.path)
    if r.status == 301:
        target = _next_record(r)
        assert m is not None and target is not None and target.status == 200
        data = target.json()
        s.add(f"{m[1]}/{m[2]}", id=data["id"])
        s.rename(f"{m[1]}/{m[2]}", data["full_name"])
        return s
    if isinstance(body, dict) and "full_name" in body and r.status == 200:
        s.add(body["full_name"], id=body["id"], default_branch=body.get("default_branch") or "main")
    elif m and r.status != 404:
        s.add(f"{m[1]}/{m[2]}")
    return s


@pytest.mark.parametrize(("record", "kind"), _params())
def test_replay(shared_dir: Path, record: Record | None, kind: str | None) -> None:
    if record is None or kind is None:
        pytest.skip("no recordings found")
    scenario = _scenario_for(record)
    with GitHubEmulator(scenario) as emu:
        status, got = _replay(emu, scenario, record, kind)
    assert status // 100 == record.status // 100, (status, got)
    recorded = record.json()
    if kind == "pull":
        for side in ("head", "base"):
            assert_same_shape(recorded[side], got[side], {"repo", "user"}, side)
            assert_same_shape(recorded[side]["repo"], got[side]["repo"], OMITTED["repo"], side)
    if kind == "graphql" and got is None:
        return  # refused above, as asserted
    if kind == "graphql":
        assert_same_shape(recorded["data"], got["data"], set(), "data")
        for rec_err, got_err in zip(recorded.get("errors", []), got.get("errors", []), strict=True):
            assert_same_shape(rec_err, got_err, set(), "error")
        return
    if kind == "put_content":
        for part in ("content", "commit"):
            assert_same_shape(recorded[part], got[part], set(), part)
    if recorded is not None:
        assert_same_shape(recorded, got, OMITTED[kind], kind)


def _replay(emu: GitHubEmulator, scenario: GitHubScenario, r: Record, kind: str) -> tuple[int, Any]:
    url = emu.url + r.path
    if kind == "graphql":
        payload = json.loads(r.req_body or "{}")
        if validate(SCHEMA, parse(payload["query"])):
            # Outside the subset the bot uses (node, discussions): the emulator must
            # refuse it the way GitHub refuses an invalid query, HTTP 200 with errors.
            resp = requests.post(url, json=payload, headers=TOKEN, timeout=5)
            assert resp.status_code == 200 and resp.json()["errors"], resp.text
            assert "data" not in resp.json() or resp.json()["data"] is None
            return 200, None
        payload["variables"] = payload.get("variables") or {}
        for key in ("owner", "name"):
            payload["variables"].setdefault(key, "x")
        full = f"{payload['variables']['owner']}/{payload['variables']['name']}"
        scenario.add(full)
        resp = requests.post(url, json=payload, headers=TOKEN, timeout=5)
        return resp.status_code, resp.json()
    if kind == "redirect":
        resp = requests.get(url, headers=TOKEN, allow_redirects=False, timeout=5)
        assert resp.headers["Location"].startswith(f"{emu.url}/repositories/")
        return resp.status_code, resp.json()
    spec = next(iter(scenario.repos.values()), None)
    if kind == "pull":
        assert spec is not None
        req = json.loads(r.req_body or "{}")
        base = req["base"]
        spec.git().commit_files(base, {"base.txt": "b"}, "base")
        spec.git().commit_files("feature", {"f.txt": "f"}, "feature")
        req["head"] = f"{spec.owner}:feature"  # cross-fork heads are not emulated
        resp = requests.post(url, json=req, headers=TOKEN, timeout=5)
        return resp.status_code, resp.json()
    if kind == "ref":
        assert spec is not None
        req = json.loads(r.req_body or "{}")
        req["sha"] = spec.head().sha  # the recorded sha is not in our store
        resp = requests.post(url, json=req, headers=TOKEN, timeout=5)
        return resp.status_code, resp.json()
    if kind in ("content", "put_content"):
        assert spec is not None
        m = re.match(r"/repos/[^/]+/[^/]+/contents/([^?]+)", r.path)
        path = m[1] if m else "README.md"
        req = json.loads(r.req_body or "{}")
        if req.get("branch"):
            spec.default_branch = req["branch"]
        spec.files[path] = "Hello world"
        if kind == "put_content":
            req["sha"] = spec.git().files(spec.default_branch)[path]
            resp = requests.put(url, json=req, headers=TOKEN, timeout=5)
            return resp.status_code, resp.json()
    if kind == "branch":
        assert spec is not None
        branch = r.path.split("/branches/", 1)[1]
        spec.git().commit_files(branch, {"x": "y"}, "branch")
    resp = requests.get(url, headers=TOKEN, timeout=5)
    return resp.status_code, resp.json() if resp.content else None
