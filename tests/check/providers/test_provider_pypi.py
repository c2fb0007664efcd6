"""PyPI: which links are Python packages, what PyPI's JSON API says of them (over HTTP
against the emulator, which answers as warehouse documents it), and what the list, the
reports and the history then show, end to end through the CLI."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.check.http import Http, HttpSettings
from bot.check.model import Outcome
from bot.check.providers import REGISTRY, owner, target_of
from bot.check.providers.pypi import (
    NOT_FOUND,
    PackageObservation,
    Pypi,
    PypiTarget,
    check_packages,
    normalise,
)
from bot.cli import main
from bot.parse.target import Kind
from tests.emulators.base import Fault
from tests.emulators.pypi import INACTIVE, PypiEmulator, PypiScenario
from tests.world import MakeWorld

PYPI = next(p for p in REGISTRY if isinstance(p, Pypi))  # the registered one
SETTINGS = HttpSettings(timeout=2.0, retries=1, backoff=0.01, max_wait=5.0, per_host=4)


@pytest.fixture
def pypi() -> Iterator[PypiEmulator]:
    emu = PypiEmulator(PypiScenario()).start()
    try:
        yield emu
    finally:
        emu.stop()


def check(names: list[str], emu: PypiEmulator | str) -> dict[str, PackageObservation]:
    url = emu if isinstance(emu, str) else emu.url
    result = check_packages(names, url, Http(SETTINGS))
    assert list(result.observations) == names
    return result.observations  # type: ignore[return-value]


# -- which links are packages --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "package"),
    [
        ("https://pypi.org/project/ruff", "ruff"),
        ("https://pypi.org/project/Ruff/", "ruff"),
        ("https://pypi.org/project/ruff/0.1.0/", "ruff"),  # a release: the project's status
        ("https://www.pypi.org/project/zope.interface/#history", "zope-interface"),
        ("http://pypi.python.org/pypi/Flake8", "flake8"),
        ("https://pypi.org/project/python__Dateutil", "python-dateutil"),
    ],
)
def test_links_to_a_project_are_claimed_by_its_normalised_name(url: str, package: str) -> None:
    t = target_of(url)
    assert isinstance(t, PypiTarget) and (t.kind, t.package) == ("pypi", package)
    assert t.url == f"https://pypi.org/project/{package}/"
    assert owner(t) == (PYPI, package)
    assert PYPI.identity(t) == package  # `review` knows the same package however it is written


@pytest.mark.parametrize(
    "url",
    ["https://pypi.org/", "https://pypi.org/search/?q=lint", "https://pypi.org/project/",
     "https://pypi.org/project/ruff/0.1.0/extra", "https://pypi.org/user/someone/",
     "https://pypi.org/project/-bad-", "https://test.pypi.org/project/ruff/"],
)  # fmt: skip
def test_pypis_own_pages_and_other_indexes_stay_web_links(url: str) -> None:
    assert target_of(url).kind == Kind.WEB


def test_the_name_is_pep_503s() -> None:
    assert normalise("Zope.Interface") == normalise("zope_interface") == "zope-interface"
    assert normalise("a-_.-b") == "a-b"


# -- what PyPI says -----------------------------------------------------------------------


def test_the_latest_release_its_date_and_the_projects_own_word(pypi: PypiEmulator) -> None:
    s = pypi.scenario
    s.add("ruff", ["0.1.0", "0.2.0"])
    s.add("oldie", ["1.0"], classifiers=[INACTIVE], summary="[DEPRECATED] Use newie.")
    yanked = s.add("pulled", ["0.9", "1.0"])
    for r in yanked.releases:
        r.yanked = True  # every release yanked: the latest is a yanked one
    s.add("fine", ["2.0"], summary="Not deprecated in any way")
    s.projects["fine"].releases[0].yanked = False
    obs = check(["ruff", "oldie", "pulled", "fine", "nothing"], pypi)
    ruff = obs["ruff"]
    assert (ruff.outcome, ruff.name, ruff.version) == (Outcome.OK, "ruff", "0.2.0")
    assert ruff.released == s.projects["ruff"].latest().uploaded
    assert ruff.facts().release == "0.2.0" and ruff.facts().labels == ()
    assert obs["oldie"].facts().labels == ("inactive", "deprecated")
    assert obs["pulled"].facts().labels == ("yanked",) and obs["pulled"].version == "1.0"
    assert obs["fine"].facts().labels == ()
    assert (obs["nothing"].outcome, obs["nothing"].error) == (Outcome.FAIL, NOT_FOUND)


def test_a_name_spelled_otherwise_follows_pypis_redirect(pypi: PypiEmulator) -> None:
    pypi.scenario.add("Zope.Interface", ["6.0"])
    result = check_packages(["zope-interface"], pypi.url, Http(SETTINGS))
    assert result.observations["zope-interface"].version == "6.0"
    assert result.requests == 2  # the redirect and the answer, both counted
    assert pypi.total_requests() == 2


def test_pypi_having_a_bad_moment_is_unknown_and_the_run_incomplete(pypi: PypiEmulator) -> None:
    names = [f"p{i}" for i in range(30)]
    for name in names:
        pypi.scenario.add(name)
    pypi.inject(Fault(status=503, times=None))
    result = check_packages(names, pypi.url, Http(SETTINGS))
    assert {o.outcome for o in result.observations.values()} == {Outcome.UNKNOWN}
    assert result.lost and "PyPI gave no usable answer" in result.notes[0]
    # Three projects without an answer and none with one: the rest are not asked (those
    # already in flight, per_host of them, finish).
    asked = pypi.total_requests() // (1 + SETTINGS.retries)
    assert asked <= SETTINGS.per_host + 3 < len(names)
    skipped = [o for o in result.observations.values() if o.error == "skipped: PyPI unreachable"]
    assert len(skipped) == len(names) - asked


def test_a_refused_connection_is_unknown_never_a_failure() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    obs = check(["ruff"], f"http://127.0.0.1:{port}")["ruff"]
    assert obs.outcome is Outcome.UNKNOWN and obs.network_error == "connect"


# -- end to end ---------------------------------------------------------------------------

PACKAGES = """# Python tools

- [Ruff](https://pypi.org/project/ruff/) - A linter.
- [Flake8](https://pypi.python.org/pypi/Flake8) - Another one.
- [Old](https://pypi.org/project/old-tool/1.0/) - Not released for years.
- [Gone](https://pypi.org/project/gone-tool/) - Removed from PyPI.
"""


def test_check_shows_releases_flags_what_is_gone_and_keeps_a_history(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    world = make_world(PACKAGES, web_cases=False, check_web=False)
    world.pypi.scenario.add("old-tool", ["1.0"], classifiers=[INACTIVE])
    world.pypi.scenario.projects["old-tool"].releases[0].uploaded = "2019-03-01T00:00:00Z"
    world.pypi.scenario.remove("gone-tool")
    world.pypi.scenario.projects["flake8"].name = "Flake8"  # its own spelling
    scan = tmp_path / "scan.json"
    assert main(["scan", str(world.list_path), "--json", str(scan)]) == 0
    scanned = json.loads(scan.read_text())["links"]
    packages = ["ruff", "flake8", "old-tool", "gone-tool"]
    assert [(e["kind"], e["package"]) for e in scanned] == [("pypi", p) for p in packages]

    run = world.run("check", "--write", "--dead-after", "1")
    assert run.code == 0, run.err
    assert "requests: PyPI 5" in run.out  # Flake8 redirects to its own spelling
    by_url = run.by_url()
    ruff = by_url["https://pypi.org/project/ruff/"]
    assert (ruff["kind"], ruff["verdict"], ruff["package"]) == ("pypi", "alive", "ruff")
    assert ruff["release"] == world.pypi.scenario.projects["ruff"].latest().version
    assert ruff["release_date"] == world.pypi.scenario.projects["ruff"].latest().uploaded
    gone = by_url["https://pypi.org/project/gone-tool/"]
    assert (gone["verdict"], gone["error"]) == ("dead", NOT_FOUND)
    text = world.list_path.read_text(encoding="utf-8")
    note = "- <span><!-- awesome-monitor -->{}<!-- /awesome-monitor --></span> [{}]"
    dead = r"- <span><!-- awesome-monitor -->dead since \d{4}-\d\d<!-- /awesome-monitor --></span>"
    assert re.search(dead + r" \[Gone\]", text)
    assert note.format("1.0 · no release since 2019 · inactive", "Old") in text
    assert note.format(ruff["release"], "Ruff") in text
    state = json.loads(world.state_path.read_text(encoding="utf-8"))
    assert set(state["pypi"]) == {"ruff", "flake8", "old-tool", "gone-tool"}
    assert state["pypi"]["ruff"]["data"]["version"] == ruff["release"]

    world.configure("check", recheck_after=1.0)  # a same-day run: the cache answers
    again = world.run("check", "--write", "--dead-after", "1")
    assert again.code == 0, again.err
    assert again.report["requests"]["pypi"] == 1  # only the dead one is asked again
    assert world.list_path.read_text(encoding="utf-8") == text


def test_the_endpoint_comes_from_the_config_then_the_environment(
    make_world: MakeWorld,
) -> None:
    world = make_world(PACKAGES, web_cases=False, check_web=False)
    world.pypi.scenario.remove("gone-tool")
    world.configure("pypi", api_url="not a url")
    run = world.run("check")
    assert run.code == 2 and "'pypi.api_url' must be an http(s) URL" in run.err
    world.configure("pypi", api_url=world.pypi.url)
    run = world.run("check")
    assert run.code == 0, run.err
    assert world.pypi.total_requests() == 4 and run.by_url()[
        "https://pypi.org/project/gone-tool/"]["failures_in_a_row"] == 1  # fmt: skip
