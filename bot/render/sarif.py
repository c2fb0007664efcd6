"""The findings of a run as SARIF 2.1.0, for GitHub code scanning: one result per dead, moved,
archived (and with `[sarif] stale = true`, stale) link, exactly the items of the report's
groups (so every output counts the same), at the line and columns of the URL in the list,
with a fingerprint made of the rule and the link (never the line), so an alert survives edits
around it and GitHub keeps one per link.

Levels are `bot.render.severity`'s, and the results come most severe first: GitHub keeps
25,000 results of a run (and shows the first 5,000), so a log is cut there, the least
severe first, and the run's `toolExecutionNotifications` says how many were left out. Stale
links stay out by default: notes by the hundred would flood the Security tab."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from bot import __version__, home
from bot.check.model import CheckResult, Judgement
from bot.config import Config
from bot.render.groups import Item, groups
from bot.render.severity import LEVELS, ORDER

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
# GitHub matches alerts across runs on this key; ours is the rule and the link, not the line.
FINGERPRINT = "primaryLocationLineHash"
MAX_RESULTS = 25_000  # what code scanning keeps of one run

_DISABLE = (
    "To stop checking a link on purpose, put `<!-- awesome-monitor-disable-line -->` on its "
    "line (or `<!-- awesome-monitor-disable-next-line -->` on the line before)."
)


@dataclass(frozen=True)
class Rule:
    group: str  # the field of `Groups` whose items are this rule's results
    id: str
    name: str
    short: str
    full: str
    help_text: str
    help_markdown: str

    @property
    def level(self) -> str:  # error | warning | note: `bot.render.severity`
        return LEVELS[self.group]

    def descriptor(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "shortDescription": {"text": self.short},
            "fullDescription": {"text": self.full},
            "help": {"text": self.help_text, "markdown": self.help_markdown},
            "defaultConfiguration": {"level": self.level},
            "properties": {"tags": ["links", "documentation"]},
        }


RULES: tuple[Rule, ...] = (
    Rule(
        "dead", "dead-link", "DeadLink",
        "Dead link",
        "The link failed on several runs in a row, over several days: the page, repository, "
        "file or paper is gone.",
        "Replace the link with the resource's new address, or remove the entry. awesome-monitor "
        "flags a dead link in the list but never deletes it. " + _DISABLE.replace("`", ""),
        "**Dead link.** It failed on several runs in a row, over several days "
        "(`[check] dead_after`), so this is not a passing outage.\n\n"
        "- Look for the resource's new address (a renamed project, a fork that lives on, the "
        "paper's own page) and link that instead;\n"
        "- or remove the entry. awesome-monitor flags a dead link in the list, never deletes it.\n"
        "\n" + _DISABLE,
    ),
    Rule(
        "moved", "moved-repository", "MovedRepository",
        "Moved repository",
        "The repository was renamed or transferred; its old address only redirects.",
        "Link the new address. awesome-monitor's pull request already does: merge it. Old "
        "addresses redirect only until someone takes the old name.",
        "**Moved repository.** It was renamed or transferred, and the old address only "
        "redirects, until someone creates a repository with the old name.\n\n"
        "Link the new address given in the alert. awesome-monitor's pull request fixes the link "
        "in place: merging it closes this alert.",
    ),
    Rule(
        "archived", "archived-repository", "ArchivedRepository",
        "Archived repository",
        "The repository is archived: read-only, no longer maintained by its owners.",
        "Keep the link if the project is still worth reading, and say it is archived (the "
        "status column or note does); or link a maintained successor or fork.",
        "**Archived repository.** Its owners archived it: it is read-only and gets no more "
        "fixes.\n\n"
        "- Keep it if it is still worth reading: awesome-monitor's status says *archived*;\n"
        "- or link a maintained successor or fork, or remove the entry.",
    ),
    Rule(
        "stale", "stale-repository", "StaleRepository",
        "Stale repository",
        "The repository has had no commit for a long time (`[status] stale_after` days).",
        "Check that the project still works and is still worth listing; link a maintained "
        "alternative if there is one. Set [status] stale_after = 0 to turn this off.",
        "**Stale repository.** No commit for longer than `[status] stale_after` days (730 by "
        "default).\n\n"
        "Check that the project still works and is still worth listing, and link a maintained "
        "alternative if there is one. `stale_after = 0` in the `[status]` table of the config "
        "turns this check off.",
    ),
)  # fmt: skip


def sarif_log(cfg: Config, result: CheckResult, artifact: str | Path) -> dict[str, Any]:
    """The SARIF log of a complete run. `artifact` is the list: a `Path` for a local file
    (relative to the current folder when inside it, else an absolute `file:` URI), a `str`
    for a path inside the repository (`pr --path`)."""
    location = artifact_location(artifact)
    g = groups(result, cfg.status.stale_after)
    first = _first_verdicts(result.verdicts)
    found = [(i, rule, item) for i, rule in enumerate(RULES)
             if rule.group != "stale" or cfg.sarif.stale
             for item in getattr(g, rule.group)]  # fmt: skip
    found.sort(key=lambda f: ORDER.index(f[1].level))  # stable: the list's order within a level
    results = [_result(i, rule, item, first[(item.line, item.url)], location)
               for i, rule, item in found[:MAX_RESULTS]]  # fmt: skip
    left = len(found) - len(results)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "awesome-monitor",
                        "version": __version__,
                        "semanticVersion": __version__,
                        **({"informationUri": home()} if home() else {}),
                        "rules": [rule.descriptor() for rule in RULES],
                    }
                },
                # Link columns count characters (code points), as Python indexes a str.
                "columnKind": "unicodeCodePoints",
                "invocations": [_invocation(left)],
                "results": results,
            }
        ],
    }


def _invocation(left: int) -> dict[str, Any]:
    """The run's invocation; when results were left out, a notification that says how many."""
    out: dict[str, Any] = {"executionSuccessful": True}
    if left:
        text = (f"{left:,} more results are not in this log: code scanning keeps "
                f"{MAX_RESULTS:,} results of a run (the least severe were left out; "
                "`awesome-monitor check --json` lists every link)")  # fmt: skip
        out["toolExecutionNotifications"] = [{"level": "warning", "message": {"text": text}}]
    return out


def artifact_location(artifact: str | Path) -> dict[str, str]:
    if isinstance(artifact, Path):
        path = artifact.resolve()
        try:
            rel = PurePosixPath(path.relative_to(Path.cwd().resolve()).as_posix())
        except ValueError:
            return {"uri": path.as_uri()}
    else:
        rel = PurePosixPath(artifact.replace("\\", "/").lstrip("/"))
        rel = PurePosixPath(*[p for p in rel.parts if p != "."])
    return {"uri": quote(str(rel), safe="/"), "uriBaseId": SRCROOT}


def fingerprint(rule_id: str, url: str) -> str:
    """Stable across runs and lines: the rule and the link's normalised URL."""
    return hashlib.sha256(f"{rule_id}\0{url}".encode()).hexdigest()[:32]


def _first_verdicts(verdicts: list[Judgement]) -> dict[tuple[int, str], Judgement]:
    """The verdict behind each group item: the first link at that line with that URL."""
    first: dict[tuple[int, str], Judgement] = {}
    for v in verdicts:
        first.setdefault((v.link.use_line, v.link.raw_url), v)
    return first


def _result(
    index: int, rule: Rule, item: Item, v: Judgement, location: dict[str, str]
) -> dict[str, Any]:
    link = v.link
    # The URL's own span: for a reference link, the definition's line (where a fix goes).
    region = {"startLine": link.line, "startColumn": link.col_start + 1,
              "endColumn": link.col_end + 1}  # fmt: skip
    out: dict[str, Any] = {
        "ruleId": rule.id,
        "ruleIndex": index,
        "level": rule.level,
        "message": {"text": plain(_message(rule, item, v))},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
        "partialFingerprints": {FINGERPRINT: fingerprint(rule.id, link.url)},
    }
    if link.use_line != link.line:
        # A reference link: its use as well. GitHub shows a related location only through an
        # embedded link to it in the message.
        out["message"]["text"] += f" It is [used on line {link.use_line}](1)."
        out["relatedLocations"] = [
            {
                "id": 1,
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": {"startLine": link.use_line},
                },
                "message": {"text": "the link is used here"},
            }
        ]
    return out


def _message(rule: Rule, item: Item, v: Judgement) -> str:
    if rule.group == "dead":
        return f"Dead link: {item.url} ({item.detail})."
    if rule.group == "moved":
        return f"Moved repository: {item.url} is now {v.moved_to}."
    if rule.group == "archived":
        return f"Archived repository: {item.url} ({item.detail})."
    return f"Stale repository: {item.url} ({item.detail})."


_EMBEDDED_LINK = re.compile(r"\[([^\]]*)\]\(")


def plain(text: str) -> str:
    """A SARIF plain-text message whose outside parts (URLs, errors) cannot form an embedded
    link (`[text](target)`, SARIF §3.11.6): the brackets of any such pattern are escaped."""
    return _EMBEDDED_LINK.sub(lambda m: "\\[" + m.group(1) + "\\](", text)
