"""Rendering with jinja2: every text the bot shows or writes comes from a template in
`bot/render/templates/`, which a config `[templates]` entry may override by name."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from jinja2 import ChoiceLoader, DictLoader, Environment, PackageLoader, StrictUndefined

from bot.render.display import format_count


def environment(overrides: Mapping[str, str] | None = None) -> Environment:
    """The one environment for a set of `[templates]` overrides: built once per process
    (loading and compiling templates is the costly part), shared by every text the bot
    renders. Jinja environments are safe to render from several threads."""
    return _environment(tuple(sorted((overrides or {}).items())))


@functools.lru_cache(maxsize=8)
def _environment(overrides: tuple[tuple[str, str], ...]) -> Environment:
    loaders = [DictLoader(dict(overrides)), PackageLoader("bot.render", "templates")]
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        auto_reload=False,  # package data: not looked at on disk again for every note
    )
    env.filters["stars"] = lambda n: "?" if n is None else format_count(n)
    env.filters["month"] = month
    env.filters["md"] = escape_markdown
    env.filters["code"] = inline_code
    env.filters["num"] = lambda n: f"{n:,}"
    env.filters["data"] = command_data
    env.filters["prop"] = command_property
    env.filters["plural"] = plural
    env.filters["dest"] = destination
    return env


def plural(n: int, one: str, many: str | None = None) -> str:
    """`1 day`, `2 days`, `1,234 repositories`: never `day(s)`."""
    if many is None:
        many = one[:-1] + "ies" if one.endswith("y") and one[-2:-1] not in "aeiou" else one + "s"
    return f"{n:,} {one if n == 1 else many}"


def destination(url: object) -> str:
    """A link's destination written as `<…>`: any URL, with what would end it escaped."""
    s = str(url).replace("\r", "").replace("\n", "")
    return s.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def command_data(text: object) -> str:
    """A workflow command's message: the runner decodes `%25`, `%0D`, `%0A`."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def command_property(text: object) -> str:
    """A workflow command's property (`file=…`): also `:` and `,`."""
    return command_data(text).replace(":", "%3A").replace(",", "%2C")


def inline_code(text: object) -> str:
    """Safe inside a single-backtick code span: no backticks, no line breaks."""
    return str(text).replace("`", "'").replace("\r", " ").replace("\n", " ")


def month(iso: str | None) -> str:
    """`2024-03-01T12:00:00Z` → `2024-03`."""
    return iso[:7] if iso else "?"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def escape_markdown(text: Any) -> str:
    """Text from outside (repo names, titles, errors) made inert in Markdown/HTML:
    no links, no HTML, no @-mentions (a zero-width joiner breaks the mention)."""
    s = str(text).replace("\r", " ").replace("\n", " ")
    s = s.replace("&", "&amp;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return s.replace("@", "@\u200d")
