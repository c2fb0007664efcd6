"""Every value a user can type, checked once, with a message that names the key (or the
option), the bad value and what a good one looks like: numbers finite and in range, the
kinds and template names that exist, URLs, branch names, labels and paths. A service's own
keys are checked by what its provider declared (`bot.config.services`). Works on a loaded
`bot.config.Config` (not imported here: it imports this)."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from bot.config import services
from bot.config.services import Endpoint, Range
from bot.errors import ConfigError

# What `review` may find about a link a pull request adds; `[review] fail_on` names those
# that fail the check (exit 1). "Could not tell" (a 429, a 5xx, a timeout) never does.
REVIEW_FINDINGS = ("failing", "duplicate", "malformed", "moved", "archived", "stale",
                   "new_version", "withdrawn", "redirect")  # fmt: skip
TEMPLATES = Path(__file__).resolve().parents[1] / "render" / "templates"  # `[templates]` names


# Numbers: (key, lowest, highest, whether the lowest is allowed, unit). Every one is finite
# and bounded: `inf` or 1e308 seconds would overflow where they become a date or a timeout.
_YEARS_100 = 36_500
_RANGES: tuple[Range, ...] = (
    Range("check.dead_after", 1, 1000),
    Range("check.dead_after_days", 0, _YEARS_100, unit=" days"),
    Range("check.dead_after_days_5xx", 0, _YEARS_100, unit=" days"),
    Range("check.timeout", 0, 3600, low_ok=False, unit=" seconds"),
    Range("check.concurrency", 1, 1000),
    Range("check.per_host", 1, 1000),
    Range("check.retries", 0, 100),
    Range("check.backoff", 0, 3600, unit=" seconds"),
    Range("check.max_wait", 0, 86_400, unit=" seconds"),
    Range("check.star_history", 1, 100_000),
    Range("check.recheck_after", 0, _YEARS_100, unit=" days"),
    Range("check.archive_budget", 1, 100_000),
    Range("status.star_change", 0, 100),
    Range("status.star_min_change", 0, 10**9),
    Range("status.recent_days", 0, _YEARS_100, unit=" days"),
    Range("status.stale_after", 0, _YEARS_100, unit=" days"),
    Range("pr.write_interval", 0, 3600, unit=" seconds"),
    Range("pr.refresh_after", 0, _YEARS_100, unit=" days"),
)
# URL keys, each with the environment variable used when it is empty.
_ENDPOINTS = (Endpoint("check.archive_api", "WAYBACK_API_URL", "https://archive.org"),)


def ranges() -> tuple[Range, ...]:
    """Every bounded number: the generic ones, then each service's (`name.key`)."""
    theirs = (Range(f"{s.name}.{r.key}", r.low, r.high, r.low_ok, r.unit)
              for s in services.SECTIONS.values() for r in s.ranges)  # fmt: skip
    return (*_RANGES, *theirs)


def endpoints() -> tuple[Endpoint, ...]:
    """Every URL key (`section.key`), each services' first, with its environment variable."""
    theirs = (Endpoint(f"{s.name}.{e.key}", e.env, e.example)
              for s in services.SECTIONS.values() for e in s.endpoints)  # fmt: skip
    return (*theirs, *_ENDPOINTS)


# What a status may show (`[status] show`): counts (stars, likes, downloads), the last
# commit's year and "stale since", "archived", a paper's version or a package's release,
# and "dead since". Labels a service gives (gated, yanked, withdrawn, …) always show.
SHOWN_PARTS = ("stars", "activity", "archived", "version", "dead")


def note_kinds() -> tuple[str, ...]:
    """The kinds of links `[status] note_kinds` may name: the providers' (`scan` names them
    so), less `invalid`, which gets no note."""
    return tuple(services.NOTE_KINDS)


_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{1,63}")
_BAD_REF = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|^[/.-]|/\.|[/.]$|\.lock$|^@$")


def _get(cfg: Any, key: str) -> Any:
    section, name = key.split(".")
    return getattr(getattr(cfg, section), name)


def values(cfg: Any, cli: dict[str, str], where: str) -> None:
    """Raise ConfigError for the first bad value; `cli` maps the keys the command line set
    to its option, named instead of the file."""

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{cli.get(key) or f'{where}{key!r}'} {problem}")

    for r in ranges():
        key, low, high, low_ok, unit = r.key, r.low, r.high, r.low_ok, r.unit
        value = _get(cfg, key)
        above = f"at least {low:g}" if low_ok else f"greater than {low:g}"
        if not math.isfinite(value):
            raise fail(key, f"must be a finite number, {above} and at most {high:,}{unit}, "
                            f"not {value!r}")  # fmt: skip
        if value < low or (value == low and not low_ok):
            raise fail(key, f"must be {above}, not {value!r}")
        if value > high:
            raise fail(key, f"must be at most {high:,}{unit}, not {value!r}")
    _check_text(cfg, fail)
    for e in endpoints():
        key, example = e.key, e.example
        problem = url_problem(_get(cfg, key), example) if _get(cfg, key) else None
        if problem:
            raise fail(key, problem)


def _check_text(cfg: Any, fail: Callable[[str, str], ConfigError]) -> None:
    s, pr = cfg.status, cfg.pr
    if not s.column.strip() or re.search(r"[|\r\n]", s.column):
        raise fail(
            "status.column", f"must be a header without '|' or line breaks, not {s.column!r}"
        )
    kinds = note_kinds()
    for kind in s.note_kinds:
        if kind not in kinds:
            raise fail(
                "status.note_kinds",
                f"has {kind!r}, not a kind of link{_did_you_mean(kind, kinds)}; "
                f"valid: {', '.join(kinds)}",
            )
    for part in s.show:
        if part not in SHOWN_PARTS:
            raise fail(
                "status.show",
                f"has {part!r}{_did_you_mean(part, SHOWN_PARTS)}; valid: {', '.join(SHOWN_PARTS)}",
            )
    for kind in cfg.review.fail_on:
        if kind not in REVIEW_FINDINGS:
            raise fail(
                "review.fail_on",
                f"has {kind!r}{_did_you_mean(kind, REVIEW_FINDINGS)}; "
                f"valid: {', '.join(REVIEW_FINDINGS)}",
            )
    for pattern in cfg.check.exclude:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise fail(
                "check.exclude", f"has an invalid regular expression {pattern!r} ({exc})"
            ) from None
    cfg.check.redirect_domains = [d.lower().rstrip(".") for d in cfg.check.redirect_domains]
    for domain in cfg.check.redirect_domains:
        if domain != "*" and not _DOMAIN.fullmatch(domain):
            raise fail(
                "check.redirect_domains",
                f"has {domain!r}: write a domain like "
                "'example.com' (no scheme, no path), or '*' for any",
            )
    for key in ("pr.branch", "pr.state_branch"):
        value = _get(cfg, key)
        if not value or _BAD_REF.search(value):
            raise fail(
                key, f"must be a valid branch name (like 'awesome-monitor/status'), not {value!r}"
            )
    if pr.branch == pr.state_branch:
        raise fail("pr.state_branch", f"must differ from 'pr.branch' ({pr.branch!r})")
    for label in pr.labels:
        if not label.strip() or len(label) > 50:
            raise fail("pr.labels", f"has {label!r}: a label is 1 to 50 characters")
    parts = pr.path.replace("\\", "/").split("/")
    if not pr.path.strip() or pr.path.startswith("/") or ".." in parts or "" in parts:
        raise fail(
            "pr.path", f"must be a file's path in the repository, like 'README.md', not {pr.path!r}"
        )
    for name, text in cfg.templates.items():
        if not (TEMPLATES / name).is_file() or name.startswith("."):
            known = sorted(p.name for p in TEMPLATES.glob("*.j2"))
            raise fail(
                "templates",
                f"has {name!r}, not a template{_did_you_mean(name, known)}; "
                f"known: {', '.join(known)}",
            )
        try:
            jinja2.Environment().parse(text)
        except jinja2.TemplateSyntaxError as exc:
            raise fail(
                f"templates.{name}", f"is not a valid template: {exc.message} (line {exc.lineno})"
            ) from None


def _did_you_mean(value: str, known: Any) -> str:
    close = difflib.get_close_matches(value, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def url_problem(value: str, example: str) -> str | None:
    """What is wrong with an endpoint URL, saying what a good one looks like; None if good."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError:
        parts = None
    if (
        parts is not None
        and parts.scheme in ("http", "https")
        and parts.hostname
        and not any(c.isspace() or ord(c) < 32 for c in value)
    ):
        return None
    hint = f" like {example}, not {value!r}"
    if parts is not None and not parts.scheme and url_problem("https://" + value, example) is None:
        hint = f", not {value!r} (did you mean https://{value}?)"
    return f"must be an http(s) URL{hint}"


def environment(cfg: Any, env: Mapping[str, str]) -> None:
    """The endpoints the environment sets, when the config or the command line does not."""
    for e in endpoints():
        value = env.get(e.env, "")
        if value and not _get(cfg, e.key):
            problem = url_problem(value, e.example)
            if problem:
                raise ConfigError(f"the environment variable {e.env} {problem}")
