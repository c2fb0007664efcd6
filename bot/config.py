"""TOML configuration: defaults, loading, and validation with errors that name the
key and the file. Paths in a config file are relative to that file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, get_type_hints

# The default config: `data/config.toml` of the folder the bot runs in (a clone of
# this repository), else of the source tree the package was installed from.
DEFAULT_CONFIGS = (
    Path("data") / "config.toml",
    Path(__file__).resolve().parent.parent / "data" / "config.toml",
)


class ConfigError(Exception):
    """A bad config file; the message is one line a maintainer can act on."""


@dataclass
class ListConfig:
    file: str = "awesome-image-classification-2019.md"
    state: str = "state.json"


@dataclass
class CheckConfig:
    dead_after: int = 2
    timeout: float = 15.0
    concurrency: int = 16
    per_host: int = 4
    retries: int = 2
    backoff: float = 0.5  # first retry delay in seconds, doubled each time
    max_wait: float = 60.0
    arxiv_interval: float = 3.0
    star_history: int = 12
    web: bool = True  # check links that are neither GitHub nor arXiv
    exclude: list[str] = field(default_factory=list)  # regexes of URLs never checked


@dataclass
class GitHubConfig:
    api_url: str = ""  # empty: $GITHUB_API_URL, else https://api.github.com
    graphql_url: str = ""  # empty: $GITHUB_GRAPHQL_URL, else derived from api_url
    batch_size: int = 100
    rest_reserve: int = 2  # REST requests kept in hand when the anonymous budget runs low


@dataclass
class ArxivConfig:
    api_url: str = ""  # empty: $ARXIV_API_URL, else https://export.arxiv.org/api/query


@dataclass
class StatusConfig:
    column: str = "Status"
    notes: bool = True
    note_kinds: list[str] = field(default_factory=lambda: ["github_repo", "github_path", "arxiv"])
    star_change: float = 0.1  # relative star change that is "notable" in reports
    sections: dict[str, str] = field(default_factory=dict)  # table row name → heading


@dataclass
class PrConfig:
    branch: str = "awesome-monitor/status"
    state_branch: str = "awesome-monitor/state"
    labels: list[str] = field(default_factory=lambda: ["awesome-monitor"])
    path: str = "README.md"
    write_interval: float = 1.0  # seconds between GitHub writes (GitHub's guidance)


@dataclass
class Config:
    list: ListConfig = field(default_factory=ListConfig)
    check: CheckConfig = field(default_factory=CheckConfig)
    github: GitHubConfig = field(default_factory=GitHubConfig)
    arxiv: ArxivConfig = field(default_factory=ArxivConfig)
    status: StatusConfig = field(default_factory=StatusConfig)
    pr: PrConfig = field(default_factory=PrConfig)
    templates: dict[str, str] = field(default_factory=dict)  # name → template text
    base_dir: Path = field(default_factory=Path.cwd)

    def path(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(value)
        return p if p.is_absolute() else self.base_dir / p


def load(path: Path | None) -> Config:
    """Load a config file; with None, the bundled default (or built-in defaults)."""
    if path is None:
        source = next((p for p in DEFAULT_CONFIGS if p.is_file()), None)
        if source is None:
            return Config(list=ListConfig(file="README.md"))
    else:
        source = path
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{source}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: cannot read config file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    cfg = _build(Config, raw, source, "")
    cfg.base_dir = source.resolve().parent
    _check_values(cfg, source)
    return cfg


def _build(cls: type, raw: dict[str, Any], source: Path, prefix: str) -> Any:
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls) if f.name != "base_dir"}
    for key in raw:
        if key not in known:
            hint = f" (known: {', '.join(sorted(known))})"
            raise ConfigError(f"{source}: unknown key '{prefix}{key}'{hint}")
    values: dict[str, Any] = {}
    for name in known:
        if name not in raw:
            continue
        kind, value, where = hints[name], raw[name], f"{prefix}{name}"
        if is_dataclass(kind):
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: '{where}' must be a table ([{where}])")
            values[name] = _build(kind, value, source, f"{where}.")
        else:
            values[name] = _typed(kind, value, source, where)
    return cls(**values)


def _typed(kind: Any, value: Any, source: Path, where: str) -> Any:
    origin = getattr(kind, "__origin__", None)
    ok: bool
    if kind is bool:
        ok, expected = isinstance(value, bool), "true or false"
    elif kind is int:
        ok, expected = isinstance(value, int) and not isinstance(value, bool), "a whole number"
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        expected = "a number"
        value = float(value) if ok else value
    elif kind is str:
        ok, expected = isinstance(value, str), "a string"
    elif origin is list:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        expected = "a list of strings"
    elif origin is dict:
        ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        expected = "a table of strings"
    else:  # pragma: no cover - every field type is listed above
        ok, expected = True, ""
    if not ok:
        raise ConfigError(f"{source}: '{where}' must be {expected}, not {value!r}")
    return value


def _check_values(cfg: Config, source: Path) -> None:
    rules = [
        ("check.dead_after", cfg.check.dead_after >= 1, "at least 1"),
        ("check.timeout", cfg.check.timeout > 0, "greater than 0"),
        ("check.concurrency", cfg.check.concurrency >= 1, "at least 1"),
        ("check.per_host", cfg.check.per_host >= 1, "at least 1"),
        ("check.retries", cfg.check.retries >= 0, "0 or more"),
        ("check.backoff", cfg.check.backoff >= 0, "0 or more"),
        ("check.arxiv_interval", cfg.check.arxiv_interval >= 0, "0 or more"),
        ("github.batch_size", 1 <= cfg.github.batch_size <= 100, "between 1 and 100"),
        ("status.column", bool(cfg.status.column.strip()), "a non-empty header"),
    ]
    for key, ok, expected in rules:
        if not ok:
            raise ConfigError(f"{source}: '{key}' must be {expected}")
    for pattern in cfg.check.exclude:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"{source}: 'check.exclude' has an invalid regular expression {pattern!r} ({exc})"
            ) from None
