"""Web requests per link, and false "dead": `python bench/web.py [--code DIR] [FILE]`.

Default FILE: ../shared/corpus/zziz__pwc.md. Every link the bot checks as a plain web link
is pointed at a loopback web emulator, with a behaviour drawn from a fixed mix that link
checkers meet on real lists (servers that refuse or misreport HEAD, permanent and
temporary redirects, a 503 or a 429 with Retry-After before answering, bot challenges,
persistent 500s, resets; and 4 % dead pages: 404 and 410). GitHub and arXiv links go to
their emulators.

`awesome-monitor check` runs twice the same day (a link is dead after two failed runs; the
time rule is off; the cache between runs is on, as by default), in a child process, from
this checkout or from another one given with `--code` (e.g. a `git worktree` of an older
commit), so two versions are measured on the same input. Prints: distinct web links, web
requests on the first run and per link, requests per service on both runs, links called
dead, and false dead (dead although the page is there). Run by hand, not in CI."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Config  # noqa: E402
from bot.parse.target import Kind  # noqa: E402
from bot.pipeline import parse_list  # noqa: E402
from tests.emulators import web as w  # noqa: E402
from tests.emulators.arxiv import ArxivEmulator  # noqa: E402
from tests.emulators.github import GitHubEmulator  # noqa: E402
from tests.emulators.sample import build  # noqa: E402

# (share in %, name, answer), drawn per link (the corpus' web links sit on few hosts, so a
# draw per host would give most of them one behaviour).
HOST_MIX = [
    (66, "ok", w.ok()),
    (8, "HEAD refused (405)", w.head_refused(405)),
    (4, "HEAD says 404", w.head_refused(404)),
    (6, "301 to https", None),  # a permanent redirect chain, built per page
    (4, "302 to a login", None),
    (3, "503 once", w.flaky(1)),
    (2, "429 once, Retry-After 1", w.flaky(1, failure=w.rate_limited("1"))),
    (3, "bot challenge", w.challenge()),
    (2, "500 always", w.server_error(500)),
    (2, "reset once", w.flaky(1, failure=w.reset())),
]
PAGE_DEAD = [(3, "404", w.not_found()), (1, "410", w.gone())]
TRULY_DEAD = {"404", "410"}


def _pick(key: str, mix: list) -> tuple[str, w.Answer | None] | None:
    n = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 100
    for share, name, answer in mix:
        if n < share:
            return name, answer
        n -= share
    return None


def build_world(text: str, web: w.WebEmulator) -> tuple[str, dict[str, str]]:
    """The list with its web links on the emulator, and each new URL's behaviour."""
    doc = parse_list(text, Config())
    urls = list(dict.fromkeys(lk.raw_url for lk in doc.links if lk.target.kind == Kind.WEB
                              and lk.url.startswith(("http://", "https://"))))  # fmt: skip
    behaviour: dict[str, str] = {}
    replace: dict[str, str] = {}
    for i, url in enumerate(urls):
        name, answer = _pick(url, HOST_MIX) or ("ok", w.ok())
        page = _pick("page " + url, PAGE_DEAD + [(96, "", None)])
        if page and page[0]:
            name, answer = page[0], page[1]
        path = f"/p{i}"
        if name == "301 to https":
            new = web.chain([path, path + "/https"], w.ok(), codes=301)
        elif name == "302 to a login":
            new = web.chain([path, path + "/login"], w.ok(), codes=302)
        else:
            new = web.script(path, answer or w.ok())
        replace[url] = new
        behaviour[new] = name
    for old in sorted(replace, key=len, reverse=True):
        new = replace[old]
        text = text.replace(f"({old})", f"({new})").replace(f"<{old}>", f"<{new}>")
    return text, behaviour


def run(code: Path, text: str, tmp: Path, env: dict[str, str]) -> list[dict]:
    lst, cfg = tmp / "list.md", tmp / "config.toml"
    lst.write_text(text, encoding="utf-8")
    new_rules = "dead_after_days" in (code / "bot" / "config.py").read_text()
    cfg.write_text(
        f'[list]\nfile = "{lst}"\nstate = "{tmp / "state.json"}"\n'
        "[check]\ntimeout = 2.0\nretries = 2\nbackoff = 0.05\nmax_wait = 30.0\n"
        + ("archive = false\n" if new_rules else "")
        + ("dead_after_days = 0\n" if new_rules else "")
    )
    reports = []
    for _ in range(2):
        out = tmp / "report.json"
        cmd = [sys.executable, "-m", "bot", "check", "-q", "--write", "--config", str(cfg),
               "--json", str(out), "--dead-after", "2"]  # fmt: skip
        subprocess.run(cmd, env={**env, "PYTHONPATH": str(code)}, cwd=code, check=False)
        reports.append(json.loads(out.read_text()))
    return reports


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", type=Path,
                    default=ROOT.parent / "shared" / "corpus" / "zziz__pwc.md")  # fmt: skip
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout to measure")
    args = ap.parse_args()
    if not args.file.is_file():
        print(f"{args.file} is absent (../shared holds the corpus)")
        return 2
    text = args.file.read_text(encoding="utf-8")
    web = w.WebEmulator().start()
    moved_text, behaviour = build_world(text, web)
    gh, ax, _ = build(parse_list(moved_text, Config()))
    github, arxiv = GitHubEmulator(gh).start(), ArxivEmulator(ax).start()
    env = dict(os.environ, GITHUB_API_URL=github.url, GITHUB_GRAPHQL_URL=github.url + "/graphql",
               ARXIV_API_URL=arxiv.url + "/api/query", GITHUB_TOKEN="test-token")  # fmt: skip
    try:
        with tempfile.TemporaryDirectory() as tmp:
            reports = run(args.code.resolve(), moved_text, Path(tmp), env)
    finally:
        for emu in (web, github, arxiv):
            emu.stop()
    first, second = reports
    links = len(behaviour)
    dead = {e["url"] for e in second["links"] if e["verdict"] == "dead" and e["url"] in behaviour}
    false = sorted({behaviour[u] for u in dead if behaviour[u] not in TRULY_DEAD})
    false_n = sum(1 for u in dead if behaviour[u] not in TRULY_DEAD)
    truly = sum(1 for b in behaviour.values() if b in TRULY_DEAD)
    req = first["requests"]["web"]
    print(f"{args.file.name} with {args.code}:")
    print(f"  web links {links}, web requests (first run) {req}, per link {req / links:.2f}")
    print(f"  requests per service, first run: {first['requests']}")
    print(f"  second run the same day:       {second['requests']}")
    print(f"  dead after two runs: {len(dead)} (truly dead pages: {truly}); false dead: "
          f"{false_n}{' (' + ', '.join(false) + ')' if false else ''}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
