"""Issue 17: what the file system refuses is exit 2 with the path, before the run and with
nothing half-written: a read-only list, list folder or history folder, a directory where a
file belongs, a full disk (simulated with a file size limit). A rewrite keeps the list's
mode; a new file gets the umask's. `--json -` and `--sarif -` write to standard output."""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.files import atomic_write
from tests.conftest import ROOT
from tests.world import MakeWorld, World

LIST = "# A list\n\n" + "".join(
    f"- [r{i}](https://github.com/o/r{i}) - a tool.\n" for i in range(40)
)


@pytest.fixture
def wd(make_world: MakeWorld, tmp_path: Path) -> World:
    """The emulators and a list whose first `check --write` rewrites it (first statuses);
    its history goes beside it, in `.awesome-monitor/` (no `[list] state`)."""
    world = make_world(LIST, web_cases=False, check_web=False, folder="repo")
    text = world.config_path.read_text().replace('state = "state.json"\n', "")
    world.config_path = tmp_path / "config.toml"  # outside the list's folder
    world.config_path.write_text(text.replace('file = "README.md"', f'file = "{world.list_path}"'))
    return world


def cli(world: World, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    for k, v in world.env().items():
        monkeypatch.setenv(k, v)
    return main([*argv, "--config", str(world.config_path)])


def one_line_error(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.startswith("awesome-monitor: ")]
    assert len(lines) == 1 and "Traceback" not in err and "this is a bug" not in err, err
    return lines[0]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder`: its bytes and mode."""
    return {str(p.relative_to(folder)): (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture
def restore_modes(tmp_path: Path) -> Iterator[None]:
    """Make everything writable again, so pytest can clean up."""
    yield
    for p in [tmp_path, *tmp_path.rglob("*")]:
        if p.exists() and not p.is_symlink():
            p.chmod(p.stat().st_mode | stat.S_IWUSR | stat.S_IXUSR * p.is_dir())


@pytest.mark.usefixtures("restore_modes")
def test_a_read_only_list_folder_is_refused_before_the_run(
    wd: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = wd.list_path.parent
    before = snapshot(folder)
    folder.chmod(0o555)
    assert cli(wd, monkeypatch, "check", "--write") == 2
    line = one_line_error(capsys.readouterr().err)
    assert str(wd.list_path) in line and f"the folder {folder} is read-only" in line
    assert snapshot(folder) == before
    assert wd.github.total_requests() == 0  # refused before the run, not after it


@pytest.mark.usefixtures("restore_modes")
def test_a_read_only_history_folder_is_refused_and_the_list_left_alone(
    wd: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    history = wd.list_path.parent / ".awesome-monitor"
    history.mkdir()
    history.chmod(0o555)
    before = snapshot(wd.list_path.parent)
    assert cli(wd, monkeypatch, "check", "--write") == 2
    line = one_line_error(capsys.readouterr().err)
    assert str(history / "README.md.json") in line and f"the folder {history}" in line
    assert snapshot(wd.list_path.parent) == before


@pytest.mark.usefixtures("restore_modes")
def test_a_read_only_list_is_refused_and_kept(
    wd: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    wd.list_path.chmod(0o444)
    before = snapshot(wd.list_path.parent)
    assert cli(wd, monkeypatch, "check", "--write") == 2
    line = one_line_error(capsys.readouterr().err)
    assert line == f"awesome-monitor: {wd.list_path}: cannot write the list: it is read-only " \
                   "(make it writable, or leave it out)"  # fmt: skip
    assert snapshot(wd.list_path.parent) == before  # bytes, mode, and no history either
    assert cli(wd, monkeypatch, "check", "-q") == 0  # a dry run reads it all the same


def test_a_rewrite_keeps_the_list_mode_and_new_files_get_the_umask(
    wd: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    wd.list_path.chmod(0o640)
    old = os.umask(0o027)
    try:
        assert cli(wd, monkeypatch, "check", "-q", "--write") == 0
    finally:
        os.umask(old)
    assert wd.list_path.read_text() != LIST  # rewritten: first statuses
    assert stat.S_IMODE(wd.list_path.stat().st_mode) == 0o640
    history = wd.list_path.parent / ".awesome-monitor" / "README.md.json"
    assert stat.S_IMODE(history.stat().st_mode) == 0o640  # 0o666 less the umask, not 0o600
    leftovers = [p.name for p in wd.list_path.parent.rglob("*.tmp")]
    assert leftovers == []


def test_a_symlinked_list_is_written_through_the_link(
    wd: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = wd.list_path.parent / "docs" / "list.md"
    real.parent.mkdir()
    wd.list_path.rename(real)
    wd.list_path.symlink_to(Path("docs") / "list.md")
    assert cli(wd, monkeypatch, "check", "-q", "--write") == 0
    assert wd.list_path.is_symlink() and real.read_text() != LIST


@pytest.mark.parametrize("which", ["--state", "--json", "--sarif", "list", "--config"])
def test_a_directory_where_a_file_belongs_is_named(
    wd: World,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    which: str,
) -> None:
    folder = wd.tmp / "a-folder"
    folder.mkdir()
    argv = ["check", "--write"]
    argv += [str(folder)] if which == "list" else [which, str(folder)]
    for k, v in wd.env().items():
        monkeypatch.setenv(k, v)
    if which != "--config":
        argv += ["--config", str(wd.config_path)]
    assert main(argv) == 2
    line = one_line_error(capsys.readouterr().err)
    assert f"{folder}: " in line and "directory" in line
    assert list(folder.iterdir()) == [] and wd.list_path.read_text() == LIST


def _limit_file_size(limit: int):  # noqa: ANN202
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_is_exit_2_with_the_path_and_nothing_half_written(wd: World) -> None:
    """A file size limit (RLIMIT_FSIZE) makes the write of the rewritten list fail as a full
    disk does (EFBIG instead of ENOSPC): the list stays whole, no temp file is left."""
    env = {**os.environ, **wd.env(), "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [sys.executable, "-m", "bot", "check", "-q", "--write",
            "--config", str(wd.config_path)]  # fmt: skip
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120,
                          preexec_fn=_limit_file_size(len(LIST) + 10))  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    line = one_line_error(proc.stderr)
    assert line.startswith(f"awesome-monitor: {wd.list_path}: cannot write the list (File too")
    assert wd.list_path.read_text() == LIST
    assert [p.name for p in wd.list_path.parent.rglob("*.tmp")] == []


def test_atomic_write_names_the_folder_it_cannot_create(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(Exception, match="file is not a folder") as caught:
        atomic_write(tmp_path / "file" / "sub" / "out.json", "{}")
    assert type(caught.value).__name__ == "InputError"


# -- standard output ----------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--json", "--sarif"])
def test_a_report_to_standard_output(
    wd: World,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    option: str,
) -> None:
    monkeypatch.chdir(wd.tmp)
    assert cli(wd, monkeypatch, "check", option, "-") == 0
    out, err = capsys.readouterr()
    data = json.loads(out)  # nothing but the report on stdout
    assert ("links" in data) if option == "--json" else (data["version"] == "2.1.0")
    assert "dry run: nothing written" in err  # the rest went to stderr
    assert not (wd.tmp / "-").exists()


def test_only_one_report_can_go_to_standard_output(
    wd: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(wd, monkeypatch, "check", "--json", "-", "--sarif", "-") == 2
    assert "only one of --json and --sarif" in one_line_error(capsys.readouterr().err)


def test_scan_json_to_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.md").write_text(LIST)
    assert main(["scan", "list.md", "--json", "-"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["summary"]["links"] == 40
    assert "list.md: 40 links" in err and not (tmp_path / "-").exists()
