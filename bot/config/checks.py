"""Every value a user can type, checked once, with a message that names the key (or the
option), the bad value and what a good one looks like: numbers finite and in range, the
kinds and template names that exist, URLs, branch names, labels and paths. Works on a
loaded `bot.config.Config` (not imported here: it imports this)."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from bot.errors import ConfigError

# What `review` may find about a link a pull request adds; `[review] fail_on` names those
# that fail the check (exit 1). "Could not tell" (a 429, a 5xx, a timeout) never does.
REVIEW_FINDINGS = ("failing", "duplicate", "malformed", "moved", "archived", "stale",
                   "new_version", "withdrawn", "redirect")  # fmt: skip
# The kinds of links `[status] note_kinds` may name (`scan` names them so; tests/test_config.py
# keeps this equal to the kinds the providers give, less `invalid`, which gets no note).
NOTE_KINDS = ("github_repo", "github_path", "github_page", "arxiv", "hf_model", "hf_dataset",
              "hf_space", "hf_paper", "web")  # fmt: skip
TEMPLATES = Path(__file__).resolve().parents[1] / "render" / "templates"  # `[templates]` names


# Numbers: (key, lowest, highest, whether the lowest is allowed, unit). Every one is finite
# and bounded: `inf` or 1e308 seconds would overflow where they become a date or a timeout.
_YEARS_100 = 36_500
_RANGES: tuple[tuple[str, float, float, bool, str], ...] = (
    ("check.dead_after", 1, 1000, True, ""),
    ("check.dead_after_days", 0, _YEARS_100, True, " days"),
    ("check.dead_after_days_5xx", 0, _YEARS_100, True, " days"),
    ("check.timeout", 0, 3600, False, " seconds"),
    ("check.concurrency", 1, 1000, True, ""),
    ("check.per_host", 1, 1000, True, ""),
    ("check.retries", 0, 100, True, ""),
    ("check.backoff", 0, 3600, True, " seconds"),
    ("check.max_wait", 0, 86_400, True, " seconds"),
    ("check.arxiv_interval", 0, 3600, True, " seconds"),
    ("check.star_history", 1, 100_000, True, ""),
    ("check.recheck_after", 0, _YEARS_100, True, " days"),
    ("check.archive_budget", 1, 100_000, True, ""),
    ("github.batch_size", 1, 100, True, ""),
    ("github.rest_reserve", 0, 5000, True, ""),
    ("status.star_change", 0, 100, True, ""),
    ("status.star_min_change", 0, 10**9, True, ""),
    ("status.recent_days", 0, _YEARS_100, True, " days"),
    ("status.stale_after", 0, _YEARS_100, True, " days"),
    ("pr.write_interval", 0, 3600, True, " seconds"),
    ("pr.refresh_after", 0, _YEARS_100, True, " days"),
)
# URL keys: (key, the environment variable used when it is empty, an example of a good one).
URL_KEYS = (
    ("github.api_url", "GITHUB_API_URL", "https://github.example.com/api/v3"),
    ("github.graphql_url", "GITHUB_GRAPHQL_URL", "https://github.example.com/api/graphql"),
    ("arxiv.api_url", "ARXIV_API_URL", "https://export.arxiv.org/api/query"),
    ("huggingface.api_url", "HF_ENDPOINT", "https://huggingface.co"),
    ("check.archive_api", "WAYBACK_API_URL", "https://archive.org"),
)
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

    for key, low, high, low_ok, unit in _RANGES:
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
    for key, _, example in URL_KEYS:
        problem = url_problem(_get(cfg, key), example) if _get(cfg, key) else None
        if problem:
            raise fail(key, problem)


def _check_text(cfg: Any, fail: Callable[[str, str], ConfigError]) -> None:
    s, pr = cfg.status, cfg.pr
    if not s.column.strip() or re.search(r"[|\r\n]", s.column):
        raise fail(
            "status.column", f"must be a header without '|' or line breaks, not {s.column!r}"
        )
    for kind in s.note_kinds:
        if kind not in NOTE_KINDS:
            raise fail(
                "status.note_kinds",
                f"has {kind!r}, not a kind of link{_did_you_mean(kind, NOTE_KINDS)}; "
                f"valid: {', '.join(NOTE_KINDS)}",
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
    for key, var, example in URL_KEYS:
        value = env.get(var, "")
        if value and not _get(cfg, key):
            problem = url_problem(value, example)
            if problem:
                raise ConfigError(f"the environment variable {var} {problem}")
