"""Start the emulators by hand on a scenario made from a list, for a dry run with no
internet:

    python -m tests.emulators [--list data/awesome-image-classification-2019.md]

It prints the environment variables to export in another shell, then serves until
Ctrl-C. The GitHub emulator also holds a repository `demo/awesome-list` whose
README.md is the list, so `awesome-monitor pr --repo demo/awesome-list` works too."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from pathlib import Path

from bot.parse.markdown import parse
from tests.emulators.arxiv import ArxivEmulator
from tests.emulators.github import GitHubEmulator
from tests.emulators.huggingface import HubEmulator, scenario_from
from tests.emulators.npm import NpmEmulator
from tests.emulators.npm import scenario_from as npm_scenario
from tests.emulators.pypi import PypiEmulator
from tests.emulators.pypi import scenario_from as pypi_scenario
from tests.emulators.sample import build
from tests.emulators.wayback import WaybackEmulator

ROOT = Path(__file__).resolve().parents[2]
DEMO_REPO = "demo/awesome-list"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.emulators", description=__doc__)
    p.add_argument(
        "--list", type=Path, default=ROOT / "data" / "awesome-image-classification-2019.md"
    )
    p.add_argument("--token", default="test-token", help="the token the emulator accepts")
    p.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    args = p.parse_args(argv)
    text = args.list.read_text(encoding="utf-8")
    gh, ax, truth = build(parse(text))
    gh.add(DEMO_REPO, files={"README.md": text}, stars=1)
    github = GitHubEmulator(gh, tokens=[args.token]).start()
    arxiv = ArxivEmulator(ax).start()
    hub = HubEmulator(scenario_from(parse(text))).start()
    pypi = PypiEmulator(pypi_scenario(parse(text))).start()
    npm = NpmEmulator(npm_scenario(parse(text))).start()
    wayback = WaybackEmulator().start()
    for emu in (github, arxiv, hub, pypi, npm, wayback):
        emu.latency = args.latency
    print("# emulators running; in another shell:")
    print(f"export GITHUB_API_URL={github.url}")
    print(f"export GITHUB_GRAPHQL_URL={github.url}/graphql")
    print(f"export ARXIV_API_URL={arxiv.url}/api/query")
    print(f"export HF_ENDPOINT={hub.url}")
    print(f"export PYPI_URL={pypi.url}")
    print(f"export NPM_REGISTRY={npm.url}")
    print(f"export WAYBACK_API_URL={wayback.url}")
    print(f"export GITHUB_TOKEN={args.token}   # unset it to try the anonymous REST mode")
    print(
        f"# then: awesome-monitor check {args.list}   (or: awesome-monitor pr --repo {DEMO_REPO})"
    )
    print(f"# scenario: archived {sorted(truth.archived)}, missing {sorted(truth.missing)},")
    print(f"#           renamed {truth.renamed}, unknown papers {sorted(truth.unknown_papers)}")
    print("# web links to real hosts are not emulated: offline they show as failing.")
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    for emu in (github, arxiv, hub, pypi, npm, wayback):
        emu.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
