"""Configuration: the documented example equals the defaults, files are found in the current
folder (never in the package), the command line overrides and is validated the same way."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from bot import config
from bot.cli import configfile
from bot.errors import ConfigError
from tests.conftest import ROOT

EXAMPLE = ROOT / "data" / "config.toml"


def test_the_documented_example_is_the_defaults() -> None:
    example = config.load(EXAMPLE)
    defaults = config.Config()
    theirs = list(config.services.SECTIONS)  # each provider's own section
    assert {"github", "arxiv", "huggingface"} <= set(theirs)
    generic = [f.name for f in dataclasses.fields(defaults)
               if dataclasses.is_dataclass(getattr(defaults, f.name))]  # fmt: skip
    assert {"list", "check", "status", "pr", "review", "sarif"} <= set(generic)
    for section in (*generic, *theirs):
        assert dataclasses.asdict(getattr(example, section)) == dataclasses.asdict(
            getattr(defaults, section)
        ), section
    documented = EXAMPLE.read_text(encoding="utf-8")
    tables = {t.split("]", 1)[0]: t for t in documented.split("\n[")[1:]}
    for section in (*generic, *theirs):
        for f in dataclasses.fields(getattr(defaults, section)):
            assert f"\n{f.name} = " in tables[section] or f.name == "sections", (section, f.name)


def test_a_key_a_provider_took_over_is_read_where_it_was_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = tmp_path / "old.toml"
    old.write_text("[check]\narxiv_interval = 0.5\n")
    with caplog.at_level("WARNING", logger="bot.config"):
        assert config.load(old).arxiv.interval == 0.5
    assert f"{old}: 'check.arxiv_interval' is now 'arxiv.interval'" in caplog.text
    old.write_text("[check]\narxiv_interval = 0.5\n[arxiv]\ninterval = 1.5\n")
    assert config.load(old).arxiv.interval == 1.5  # the new place wins
    old.write_text("[check]\narxiv_interval = -1\n")
    with pytest.raises(ConfigError, match="'arxiv.interval' must be at least 0, not -1.0"):
        config.load(old)


def test_a_config_loaded_before_the_providers_registered_fails_loudly() -> None:
    """Without the registry, `[github]` would be an unknown key or, worse, unread."""
    code = "from bot import config\nconfig.load()"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)  # fmt: skip
    assert run.returncode != 0
    assert "no provider has registered its config: import bot.check.providers" in run.stderr


def test_found_in_the_current_folder_and_nowhere_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert configfile.find() is None and configfile.load().source is None
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "awesome-monitor.toml").write_text('[status]\ncolumn = "A"\n')
    assert configfile.load().status.column == "A"
    (tmp_path / "awesome-monitor.toml").write_text('[status]\ncolumn = "B"\n')
    assert configfile.load().status.column == "B"  # the first of the names wins
    cfg = configfile.load()
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


def test_status_show_takes_only_known_parts(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[status]\nshow = ["stars", "star"]\n')
    with pytest.raises(ConfigError, match="'status.show' has 'star' \\(did you mean 'stars'\\?\\); "
                       "valid: stars, activity, archived, version, dead"):  # fmt: skip
        config.load(bad)
    bad.write_text('[status]\nshow = ["activity", "archived", "version", "dead"]\n')
    assert "stars" not in config.load(bad).status.show
