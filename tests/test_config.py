"""Configuration: the documented example equals the defaults, files are found in the current
folder (never in the package), the command line overrides and is validated the same way."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot import config
from bot.errors import ConfigError
from tests.conftest import ROOT

EXAMPLE = ROOT / "data" / "config.toml"


def test_the_documented_example_is_the_defaults() -> None:
    example = config.load(EXAMPLE)
    defaults = config.Config()
    for section in ("list", "check", "github", "arxiv", "huggingface", "status", "pr", "review"):
        assert dataclasses.asdict(getattr(example, section)) == dataclasses.asdict(
            getattr(defaults, section)
        ), section
    documented = EXAMPLE.read_text(encoding="utf-8")
    for section in ("check", "status", "pr", "review"):
        for f in dataclasses.fields(getattr(defaults, section)):
            assert f"\n{f.name} = " in documented or f.name == "sections", (section, f.name)


def test_found_in_the_current_folder_and_nowhere_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert config.find() is None and config.load().source is None
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "awesome-monitor.toml").write_text('[status]\ncolumn = "A"\n')
    assert config.load().status.column == "A"
    (tmp_path / "awesome-monitor.toml").write_text('[status]\ncolumn = "B"\n')
    assert config.load().status.column == "B"  # the first of the names wins
    cfg = config.load()
    assert cfg.list_path() == tmp_path / "README.md"
    assert cfg.state_path(tmp_path / "README.md") == (
        tmp_path / ".awesome-monitor" / "README.md.json"
    )


def test_the_command_line_overrides_and_is_checked_like_the_file(tmp_path: Path) -> None:
    assert config.load(EXAMPLE, {"check.dead_after": 5}).check.dead_after == 5
    with pytest.raises(ConfigError, match="^--dead-after must be at least 1, not 0$"):
        config.load(EXAMPLE, {"check.dead_after": 0})
    bad = tmp_path / "bad.toml"
    bad.write_text("[check]\ndead_after = 0\n")
    with pytest.raises(ConfigError, match="'check.dead_after' must be at least 1"):
        config.load(bad)
    bad.write_text("[chek]\n")
    with pytest.raises(ConfigError, match="unknown key 'chek'"):
        config.load(bad)


def test_review_fail_on_takes_only_known_findings(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[review]\nfail_on = ["failing", "dead"]\n')
    with pytest.raises(ConfigError, match="'review.fail_on' has 'dead'; valid: failing, "):
        config.load(bad)
    bad.write_text('[review]\nfail_on = "failing"\n')
    with pytest.raises(ConfigError, match="'review.fail_on' must be a list of strings"):
        config.load(bad)
    bad.write_text("[review]\nfail_on = []\n")
    assert config.load(bad).review.fail_on == []
