"""npm: which links are JavaScript packages, what the registry says of them (over HTTP against
the emulator), and what the list and the reports show, end to end through the CLI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.check.http import Http, HttpSettings
from bot.check.model import Outcome
from bot.check.providers import REGISTRY, owner, target_of
from bot.check.providers.npm import NOT_FOUND, UNPUBLISHED, Npm, NpmTarget, check_packages
from bot.parse.target import Kind
from tests.emulators.base import Fault
from tests.emulators.npm import NpmEmulator, NpmScenario
from tests.world import MakeWorld

NPM = next(p for p in REGISTRY if isinstance(p, Npm))
SETTINGS = HttpSettings(timeout=2.0, retries=1, backoff=0.01, max_wait=5.0, per_host=4)


@pytest.fixture
def npm() -> Iterator[NpmEmulator]:
    emu = NpmEmulator(NpmScenario()).start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.mark.parametrize(
    ("url", "package"),
    [
        ("https://www.npmjs.com/package/pyright", "pyright"),
        ("https://npmjs.com/package/@trunkio/launcher", "@trunkio/launcher"),
        ("https://www.npmjs.com/package/left-pad/v/1.3.0", "left-pad"),
        ("https://www.npmjs.org/package/JSONStream", "JSONStream"),  # an old name keeps its case
    ],
)
def test_links_to_a_package_are_claimed(url: str, package: str) -> None:
    t = target_of(url)
    assert isinstance(t, NpmTarget) and (t.kind, t.package) == ("npm", package)
    assert owner(t) == (NPM, package) and NPM.identity(t) == package


@pytest.mark.parametrize(
    "url",
    ["https://www.npmjs.com/", "https://www.npmjs.com/search?q=lint",
     "https://www.npmjs.com/package/@scope", "https://www.npmjs.com/package/a/b",
     "https://www.npmjs.com/~someone", "https://www.npmjs.com/org/trunkio"],
)  # fmt: skip
def test_npms_own_pages_stay_web_links(url: str) -> None:
    assert target_of(url).kind == Kind.WEB


def test_the_latest_release_its_date_a_deprecation_and_what_is_gone(npm: NpmEmulator) -> None:
    s = npm.scenario
    s.add("pyright", ["1.0.0", "1.1.400"])
    s.add("@trunkio/launcher", ["2.0.0"])
    s.add("request", ["2.88.2"], deprecated="request has been deprecated")
    s.add("left-pad", ["1.3.0"], unpublished=True)
    names = ["pyright", "@trunkio/launcher", "request", "left-pad", "nothing"]
    result = check_packages(names, npm.url, Http(SETTINGS))
    obs = result.observations
    pyright = obs["pyright"]
    assert (pyright.outcome, pyright.version) == (Outcome.OK, "1.1.400")
    assert pyright.released == s.packages["pyright"].versions[-1][1]
    assert pyright.facts().release == "1.1.400" and pyright.facts().labels == ()
    assert obs["@trunkio/launcher"].version == "2.0.0"  # asked as @trunkio%2flauncher
    assert npm.counts["GET /@trunkio%2Flauncher"] == 1
    assert obs["request"].facts().labels == ("deprecated",)
    assert (obs["left-pad"].outcome, obs["left-pad"].error) == (Outcome.FAIL, UNPUBLISHED)
    assert (obs["nothing"].outcome, obs["nothing"].error) == (Outcome.FAIL, NOT_FOUND)
    assert result.requests == 5 and not result.lost


def test_the_registry_having_a_bad_moment_leaves_the_run_incomplete(npm: NpmEmulator) -> None:
    npm.scenario.add("pyright")
    npm.inject(Fault(status=502, times=None))
    result = check_packages(["pyright"], npm.url, Http(SETTINGS))
    assert result.observations["pyright"].outcome is Outcome.UNKNOWN
    assert result.lost and "npm registry gave no usable answer" in result.notes[0]


def test_check_shows_the_release_and_flags_a_deprecation(make_world: MakeWorld) -> None:
    text = ("# Tools\n\n- [Pyright](https://www.npmjs.com/package/pyright) - Types.\n"
            "- [Request](https://www.npmjs.com/package/request) - HTTP.\n")  # fmt: skip
    world = make_world(text, web_cases=False, check_web=False)
    world.npm.scenario.add("request", ["2.88.2"], deprecated="request has been deprecated")
    world.npm.scenario.packages["request"].versions[-1] = ("2.88.2", "2020-02-11T17:53:43.000Z")
    run = world.run("check", "--write")
    assert run.code == 0, run.err
    assert "requests: npm 2" in run.out
    entry = run.by_url()["https://www.npmjs.com/package/request"]
    assert (entry["kind"], entry["package"], entry["release"]) == ("npm", "request", "2.88.2")
    text = world.list_path.read_text(encoding="utf-8")
    note = "- <span><!-- awesome-monitor -->{}<!-- /awesome-monitor --></span> [{}]"
    assert note.format("2.88.2 · no release since 2020 · deprecated", "Request") in text
    assert note.format("1.0.0", "Pyright") in text
