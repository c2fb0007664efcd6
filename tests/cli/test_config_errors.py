"""Issue 17: the config is found where the README says (beside the list, then the current
folder), and every value a user can type is checked with a message that names the key, the
bad value and what a good one looks like: exit 2, one line, never a traceback."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bot import config
from bot.check import providers
from bot.cli import configfile, main
from bot.errors import ConfigError
from bot.parse.target import Kind
from tests.world import MakeWorld

LIST = "- [a](https://github.com/o/a)\n- [p](https://arxiv.org/abs/1409.1556)\n"


def one_line_error(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.startswith("awesome-monitor: ")]
    assert len(lines) == 1 and "Traceback" not in err and "this is a bug" not in err, err
    return lines[0]


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI; it must refuse with exit 2 and one line, which is returned."""
    assert main(list(argv)) == 2
    return one_line_error(capsys.readouterr().err)


# -- discovery --------------------------------------------------------------------------


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A list in `lists/`, and the current folder elsewhere (`work/`)."""
    lists, work = tmp_path / "lists", tmp_path / "work"
    lists.mkdir()
    work.mkdir()
    (lists / "README.md").write_text(LIST)
    monkeypatch.chdir(work)
    return lists, work


@pytest.mark.parametrize("name", configfile.CONFIG_NAMES)
def test_a_config_beside_the_list_is_found_from_another_folder(
    folders: tuple[Path, Path], name: str
) -> None:
    lists, _ = folders
    (lists / name).parent.mkdir(exist_ok=True)
    (lists / name).write_text('[status]\ncolumn = "Beside"\n')
    cfg = configfile.load(beside=Path("../lists/README.md"))
    assert cfg.status.column == "Beside" and cfg.source is not None
    assert cfg.source.resolve() == (lists / name).resolve()


def test_which_config_wins(folders: tuple[Path, Path]) -> None:
    """--config, then beside the list, then the current folder (the README says so)."""
    lists, work = folders
    listed = lists / "README.md"
    (work / "awesome-monitor.toml").write_text('[status]\ncolumn = "Here"\n')
    assert configfile.load(beside=listed).status.column == "Here"
    (lists / ".github").mkdir()
    (lists / ".github" / "awesome-monitor.toml").write_text('[status]\ncolumn = "Beside"\n')
    assert configfile.load(beside=listed).status.column == "Beside"
    named = work / "named.toml"
    named.write_text('[status]\ncolumn = "Named"\n')
    assert configfile.load(named, beside=listed).status.column == "Named"
    assert configfile.load().status.column == "Here"  # no list named: the current folder's


def test_check_reads_the_config_beside_the_list(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """End to end, before any network: the config beside the list is the one `check` reads
    (today only the current folder's was)."""
    lists, _ = folders
    (lists / "awesome-monitor.toml").write_text('[status]\nnote_kinds = ["githubrepo"]\n')
    line = refused(capsys, "check", "../lists/README.md")
    assert "awesome-monitor.toml" in line and "'githubrepo'" in line


def test_a_run_from_another_folder_uses_the_config_and_state_beside_the_list(
    make_world: MakeWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(LIST, web_cases=False, check_web=False)
    beside = tmp_path / "awesome-monitor.toml"
    beside.write_text(world.config_path.read_text().replace("state.json", "history.json"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    for k, v in world.env().items():
        monkeypatch.setenv(k, v)
    assert main(["check", "-q", "--write", str(world.list_path)]) == 0
    assert (tmp_path / "history.json").is_file()
    assert not (tmp_path / ".awesome-monitor").exists()


# -- enumerations ---------------------------------------------------------------------


def test_the_note_kinds_are_the_kinds_links_have() -> None:
    kinds = {name for name in providers.kinds() if name != Kind.INVALID}
    assert list(config.checks.note_kinds()) == [k for k in providers.kinds() if k in kinds]
    assert set(config.StatusConfig().note_kinds) == kinds


@pytest.mark.parametrize(
    ("toml", "named", "valid"),
    [
        ('[status]\nnote_kinds = ["githubrepo"]\n', "'githubrepo'", "github_repo, github_path"),
        ('[status]\nnote_kinds = ["repo"]\n', "'repo'", "hf_paper, pypi, npm, web"),
        ('[templates]\n"note.md" = "x"\n', "'note.md'", "note.md.j2"),
        ('[templates]\n"note.md.j2" = "{% if %}"\n', "note.md.j2", "not a valid template"),
        ('[check]\nredirect_domains = ["https://example.com/"]\n', "'https://example.com/'",
         "'example.com'"),
        ('[pr]\nbranch = "bot status"\n', "'bot status'", "valid branch name"),
        ('[pr]\nstate_branch = "awesome-monitor/status"\n', "awesome-monitor/status", "differ"),
        ('[pr]\nlabels = [""]\n', "''", "1 to 50 characters"),
        ('[pr]\npath = "/README.md"\n', "'/README.md'", "path in the repository"),
        ('[status]\ncolumn = "A | B"\n', "'A | B'", "without '|'"),
    ],
)  # fmt: skip
def test_a_value_outside_its_set_is_named_with_the_valid_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, named: str, valid: str
) -> None:
    (tmp_path / "list.md").write_text(LIST)
    cfg = tmp_path / "awesome-monitor.toml"
    cfg.write_text(toml)
    line = refused(capsys, "check", str(tmp_path / "list.md"), "--config", str(cfg))
    assert str(cfg) in line and named in line and valid in line


# -- URLs -----------------------------------------------------------------------------

BAD_URLS = ["github.example.com/api/v3", "not a url", "ftp://x", "http://", "http://h:99999"]
URL_OPTIONS = ["--github-api-url", "--github-graphql-url", "--arxiv-api-url", "--hf-api-url"]


@pytest.mark.parametrize("option", URL_OPTIONS)
@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("command", [["check", "list.md"], ["pr", "--repo", "o/r"]])
def test_a_bad_url_option_is_named_with_what_a_good_one_looks_like(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    url: str,
    option: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", "x")
    (tmp_path / "list.md").write_text(LIST)
    line = refused(capsys, *command, option, url)
    assert f"{option} must be an http(s) URL" in line and repr(url) in line
    assert "https://" in line  # what a good one looks like


@pytest.mark.parametrize("key", [e.key for e in config.checks.endpoints()])
@pytest.mark.parametrize("url", BAD_URLS)
def test_a_bad_url_in_the_config_is_named_with_its_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, url: str
) -> None:
    section, name = key.split(".")
    (tmp_path / "list.md").write_text(LIST)
    (tmp_path / "awesome-monitor.toml").write_text(f'[{section}]\n{name} = "{url}"\n')
    line = refused(capsys, "check", str(tmp_path / "list.md"))
    assert f"'{key}' must be an http(s) URL" in line and repr(url) in line


@pytest.mark.parametrize("var", [e.env for e in config.checks.endpoints()])
def test_a_bad_url_in_the_environment_is_named_with_its_variable(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    var: str,
) -> None:
    (tmp_path / "list.md").write_text(LIST)
    monkeypatch.setenv(var, "not a url")
    line = refused(capsys, "check", str(tmp_path / "list.md"))
    assert f"environment variable {var} must be an http(s) URL" in line


def test_a_good_url_passes_and_the_config_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "not a url")
    cfg = configfile.load(overrides={"github.api_url": "http://127.0.0.1:8080/api/v3"})
    assert cfg.github.api_url == "http://127.0.0.1:8080/api/v3"


# -- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e308", "0", "-1"])
def test_a_timeout_that_is_not_a_usable_number_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    (tmp_path / "list.md").write_text(LIST)
    line = refused(capsys, "check", str(tmp_path / "list.md"), f"--timeout={value}")
    assert line.startswith("awesome-monitor: --timeout must be")
    assert line.endswith(f"not {float(value)!r}")


NUMBERS = [r.key for r in config.checks.ranges()]


@pytest.mark.parametrize("key", NUMBERS)
@pytest.mark.parametrize("value", ["inf", "nan", "1e308", "9223372036854775807", "-1"])
def test_every_number_in_the_config_is_finite_and_in_range(
    tmp_path: Path, key: str, value: str
) -> None:
    section, name = key.split(".")
    path = tmp_path / "c.toml"
    path.write_text(f"[{section}]\n{name} = {value}\n")
    is_int = isinstance(getattr(getattr(config.Config(), section), name), int)
    with pytest.raises(ConfigError) as caught:
        config.load(path)
    message = str(caught.value)
    assert f"'{key}'" in message, message
    if is_int and value in ("inf", "nan", "1e308"):
        assert "must be a whole number" in message
    else:
        shown = repr(float(value)) if not is_int else value
        assert f"not {shown}" in message or (math.isnan(float(value)) and "not nan" in message)
