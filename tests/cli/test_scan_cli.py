"""`awesome-monitor scan`: the report, and one-line errors with exit code 2."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "awesome-image-classification-2019.md"


def test_scan_json_report(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.json"
    assert main(["scan", str(SAMPLE), "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["summary"]["links"] == len(report["links"])
    first = report["links"][0]
    for key in ("url", "line", "kind", "repo", "arxiv_id", "arxiv_version"):
        assert key in first
    vgg = next(e for e in report["links"] if e["url"] == "https://arxiv.org/abs/1409.1556")
    assert (vgg["kind"], vgg["arxiv_id"], vgg["arxiv_version"]) == ("arxiv", "1409.1556", None)
    lines = SAMPLE.read_text().splitlines()
    assert all(e["url"] in lines[e["line"] - 1] for e in report["links"])
    assert "github_repo" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("dir", "is a directory"),
        (b"\x00\x01binary", "binary"),
        (b"caf\xe9 latin-1\n", "not UTF-8"),
        (b"", "empty"),
        (b"  \n\n", "empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content, message, capsys) -> None:
    target = tmp_path / "list.md"
    if content == "dir":
        target.mkdir()
    elif content is not None:
        target.write_bytes(content)
    assert main(["scan", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_python_dash_m_bot_runs(tmp_path: Path) -> None:
    out = tmp_path / "o.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "scan", str(SAMPLE), "--json", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["links"]


def test_unknown_command_is_usage_error(capsys) -> None:
    assert main(["frobnicate"]) == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err
