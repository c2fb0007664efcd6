"""Which config a command reads: `--config FILE`; else `awesome-monitor.toml`,
`.awesome-monitor.toml` or `.github/awesome-monitor.toml` beside the list named on the
command line (in its folder, from wherever the command runs); else the same names in the
current folder; else the defaults, never the package's own data or source tree. The list's
own folder wins: it is the more specific of the two, and where the history goes too."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot import config

CONFIG_NAMES = ("awesome-monitor.toml", ".awesome-monitor.toml", ".github/awesome-monitor.toml")
# How the command line names the keys it sets, where that is not `--` and the key's name.
OPTIONS = {"github.api_url": "--github-api-url", "github.graphql_url": "--github-graphql-url",
           "arxiv.api_url": "--arxiv-api-url", "huggingface.api_url": "--hf-api-url"}  # fmt: skip


def find(folder: Path | None = None) -> Path | None:
    """The config file of a folder (the current one by default), if there is one."""
    folder = folder or Path.cwd()
    return next((folder / n for n in CONFIG_NAMES if (folder / n).is_file()), None)


def discover(beside: Path | None = None) -> Path | None:
    """The config for a list: beside it (its folder, then that folder's `.github/`), else
    in the current folder."""
    folders = [beside.parent] if beside is not None else []
    folders.append(Path.cwd())
    return next((found for found in map(find, folders) if found is not None), None)


def load(
    path: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    beside: Path | None = None,
    env: Mapping[str, str] | None = None,
    text: str | None = None,
) -> config.Config:
    """`path`, else the config `discover(beside)` finds, else the defaults, with the command
    line's `overrides` (see `bot.config.load`)."""
    return config.load(path or discover(beside), overrides, env, text, OPTIONS)
