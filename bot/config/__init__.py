"""TOML configuration: every default in one place (the dataclasses below, and each service's
own section, which its provider registers: `bot.config.services`), loading, command line
overrides, and validation with errors that name the key and where it came from.

Which file is loaded is the command line's choice (`bot.cli.configfile`: `--config`, else
the one beside the list, else the current folder's). Paths in a config file are relative
to that file; without one, to the current folder. Every value a user can type is checked
here, once, with a message that names the key, the bad value and what a good one looks
like."""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, get_type_hints

from bot.config import checks, services
from bot.config.services import Endpoint, Range, ServiceSection
from bot.errors import ConfigError

log = logging.getLogger(__name__)

STATE_FOLDER = ".awesome-monitor"  # beside the list: `<folder>/.awesome-monitor/<list>.json`

__all__ = ["Config", "Endpoint", "Range", "ServiceSection", "load", "services"]


@dataclass
class ListConfig:
    file: str = "README.md"  # the list
    state: str = ""  # history between runs; empty: `.awesome-monitor/<list name>.json` beside it


@dataclass
class CheckConfig:
    dead_after: int = 2  # failed runs in a row before a link is dead …
    dead_after_days: float = 3.0  # … and failing for at least this many days
    # A page that answers 5xx (never a 404) on every run this many days is dead too.
    dead_after_days_5xx: float = 30.0
    timeout: float = 15.0  # seconds per request
    concurrency: int = 16  # web requests in flight
    per_host: int = 4  # web requests in flight per host
    retries: int = 2  # extra attempts on 5xx, 429, timeouts, resets
    backoff: float = 0.5  # first retry delay in seconds, doubled each attempt
    max_wait: float = 60.0  # most seconds a run spends waiting on Retry-After / backoff
    star_history: int = 12  # star counts kept per repository
    web: bool = True  # also check the links no other provider claims
    exclude: list[str] = field(default_factory=list)  # regexes of URLs never checked
    exclude_sections: list[str] = field(default_factory=list)  # headings never checked
    recheck_after: float = 1.0  # days a well-answered link is not asked again (cached kinds)
    fix_redirects: bool = False  # write a permanent redirect's target into the list
    redirect_domains: list[str] = field(default_factory=list)  # other domains it may lead to
    archive: bool = True  # offer the Wayback Machine's last good copy of a dead web link
    use_archive: bool = False  # … and write it into the list in place of the dead link
    archive_api: str = ""  # empty: $WAYBACK_API_URL, else https://archive.org
    archive_budget: int = 100  # archived-copy lookups a run; the rest are asked next run


@dataclass
class StatusConfig:
    column: str = "Status"  # the header of the table column the bot owns
    notes: bool = True  # a bot-owned note on each entry of a list
    # Links that get a note (an alive web link has nothing to say: only a dead one gets one);
    # the kinds are the providers' (`bot.config.services.NOTE_KINDS`).
    note_kinds: list[str] = field(default_factory=services.default_note_kinds)
    star_change: float = 0.1  # stars are re-rendered when they moved by this fraction …
    star_min_change: int = 10  # … and by at least this many (or crossed 1k, 10k, 100k, 1M)
    recent_days: int = 365  # a last commit this recent shows no date; older shows its year
    stale_after: int = 730  # days without a commit before a repository is "stale"; 0: off
    # The parts of a status the list shows (`checks.SHOWN_PARTS`): a list can keep stars out.
    show: list[str] = field(default_factory=lambda: list(checks.SHOWN_PARTS))
    sections: dict[str, str] = field(default_factory=dict)  # table row name → heading


@dataclass
class PrConfig:
    branch: str = "awesome-monitor/status"
    state_branch: str = "awesome-monitor/state"
    labels: list[str] = field(default_factory=lambda: ["awesome-monitor"])
    path: str = "README.md"
    write_interval: float = 1.0  # seconds between GitHub writes (GitHub's guidance)
    refresh_after: int = 90  # days after which drift alone (stars, dates) may open a PR


@dataclass
class SarifConfig:
    stale: bool = False  # stale links as notes in `--sarif` (they would flood the Security tab)


@dataclass
class ReviewConfig:
    # Findings that fail `review` (exit 1): a link failing now (404, not found: one run
    # never makes a link dead) and the same target already in the list.
    fail_on: list[str] = field(default_factory=lambda: ["failing", "duplicate"])


@dataclass
class Config:
    list: ListConfig = field(default_factory=ListConfig)
    check: CheckConfig = field(default_factory=CheckConfig)
    status: StatusConfig = field(default_factory=StatusConfig)
    pr: PrConfig = field(default_factory=PrConfig)
    review: ReviewConfig = field(default_factory=ReviewConfig)
    sarif: SarifConfig = field(default_factory=SarifConfig)
    templates: dict[str, str] = field(default_factory=dict)  # name → template text
    # Each service's own section (`[name]`), as its provider registered it.
    services: dict[str, Any] = field(default_factory=services.defaults)
    base_dir: Path = field(default_factory=Path.cwd)
    source: Path | None = None  # the file it came from, if any

    def service(self, name: str) -> Any:
        """A service's section (`[name]`)."""
        try:
            return self.services[name]
        except KeyError:
            raise LookupError(f"no [{name}] section: its provider is not registered") from None

    def __getattr__(self, name: str) -> Any:
        """`cfg.github` for `cfg.service("github")`, as the sections read in a TOML file."""
        found = self.__dict__.get("services") or {}
        if name in found:
            return found[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def path(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(value)
        return p if p.is_absolute() else self.base_dir / p

    def list_path(self, given: Path | None = None) -> Path:
        return given if given is not None else self.path(self.list.file)

    def state_path(self, list_path: Path, given: Path | None = None) -> Path:
        """`--state`, else `[list] state`, else a file beside the list."""
        if given is not None:
            return given
        if self.list.state:
            return self.path(self.list.state)
        return list_path.parent / STATE_FOLDER / f"{list_path.name}.json"


def load(
    path: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    text: str | None = None,
    options: Mapping[str, str] | None = None,
) -> Config:
    """Load `path` (else the defaults), apply command line `overrides` ({"check.dead_after":
    3, …}; None values ignored; `options` says how the command line names each key) and
    validate, together with the endpoints the environment `env` (default: os.environ)
    sets. `text`: the content of `path` as read elsewhere (`review` reads it from the base
    commit)."""
    services.require()
    cfg = Config()
    if path is not None:
        cfg = _build_config(_read(path, text), f"{path}: ")
        cfg.base_dir, cfg.source = path.resolve().parent, path
        log.info("config: %s", path)
    cli = {k: v for k, v in (overrides or {}).items() if v is not None}
    named = {k: (options or {}).get(k) or _option(k) for k in cli}
    for key, value in cli.items():
        section, name = key.split(".")
        target = getattr(cfg, section)
        hint = get_type_hints(type(target))[name]
        setattr(target, name, _typed(hint, value, "", named[key]))
    checks.values(cfg, named, f"{path}: " if path else "")
    checks.environment(cfg, os.environ if env is None else env)
    return cfg


def _read(source: Path, text: str | None = None) -> dict[str, Any]:
    if text is not None:
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    if source.is_dir():
        raise ConfigError(f"{source}: is a directory, expected a TOML config file")
    try:
        return tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{source}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read config file ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{source}: not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None


def _option(key: str) -> str:
    """`check.dead_after` → `--dead-after` (how the command line names it by default)."""
    return "--" + key.split(".")[1].replace("_", "-")


def _build_config(raw: dict[str, Any], where: str) -> Config:
    """The generic sections, then each service's own (`[name]`), then the keys a service
    took over from another section (read where they were, with a warning)."""
    raw = {k: dict(v) if isinstance(v, dict) else v for k, v in raw.items()}
    for section in services.SECTIONS.values():
        for old, new in section.moved.items():
            old_section, old_key = old.split(".")
            if not isinstance(raw.get(old_section), dict) or old_key not in raw[old_section]:
                continue
            value = raw[old_section].pop(old_key)
            own = raw.setdefault(section.name, {})
            if isinstance(own, dict):
                own.setdefault(new, value)
            log.warning("%s'%s' is now '%s.%s': it is still read, but move it there", where,
                        old, section.name, new)  # fmt: skip
    theirs = {k: raw.pop(k) for k in list(raw) if k in services.SECTIONS}
    cfg = _build(Config, raw, where, "", also=services.SECTIONS)
    for name, value in theirs.items():
        if not isinstance(value, dict):
            raise ConfigError(f"{where}'{name}' must be a table ([{name}])")
        cfg.services[name] = _build(services.SECTIONS[name].settings, value, where, f"{name}.")
    return cfg


def _build(cls: type, raw: dict[str, Any], where: str, prefix: str,
           also: Iterable[str] = ()) -> Any:  # fmt: skip
    hints = get_type_hints(cls)
    own = {f.name for f in fields(cls) if f.name not in ("base_dir", "source", "services")}
    known = own | set(also)
    for key in raw:
        if key not in known:
            hint = f" (known: {', '.join(sorted(known))})"
            raise ConfigError(f"{where}unknown key '{prefix}{key}'{hint}")
    values: dict[str, Any] = {}
    for name in own & raw.keys():
        kind, value, key = hints[name], raw[name], f"{prefix}{name}"
        if is_dataclass(kind):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}'{key}' must be a table ([{key}])")
            values[name] = _build(kind, value, where, f"{key}.")  # type: ignore[arg-type]
        else:
            values[name] = _typed(kind, value, where, f"'{key}'")
    return cls(**values)


def _typed(kind: Any, value: Any, where: str, name: str) -> Any:
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
        raise ConfigError(f"{where}{name} must be {expected}, not {value!r}")
    return value
