"""Every output of a check run, chosen in one place: the terminal report, the JSON report,
the SARIF log, the annotations and the job summary. Each renders a `Report` (what one run of
one list gave) to text, in pieces; where the text goes (a file, standard output, the runner's
log, the step summary) is the edge's business: `bot.cli.reports` writes the files the command
line asks for (`--json OUT`, `--sarif OUT`, `-` for standard output), `bot.publish.actions`
hands the annotations and the summary to GitHub Actions.

To add an output: a function `Report -> Iterator[str]`, an `Output` here, and in `FILES` if
a command line flag writes it (every command that checks a list then takes the flag)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.check.model import CheckResult
from bot.config import Config
from bot.render.done import Done
from bot.render.groups import Groups, groups
from bot.render.report import check_report, job_summary, json_chunks, render_report
from bot.render.sarif import sarif_log
from bot.render.severity import COMMAND, NOTE, ORDER, level
from bot.render.templating import environment

MAX_ANNOTATIONS = 10  # of each level: what GitHub shows of a step (the rest vanish unseen)


@dataclass
class Report:
    """What one run of one list gives its outputs."""

    cfg: Config
    name: str  # the list as the outputs name it: a path here, or in the repository
    result: CheckResult
    artifact: str | Path  # the list for SARIF: a local `Path`, or a path in the repository
    done: Done | None = None  # what the run did (the job summary's first line)
    _groups: Groups | None = field(default=None, repr=False)

    @property
    def groups(self) -> Groups:
        if self._groups is None:
            self._groups = groups(self.result, self.cfg.status.stale_after)
        return self._groups


@dataclass(frozen=True)
class Output:
    name: str  # the flag that writes it (`--json`), or where it goes
    what: str  # how a message names its file ("JSON report")
    render: Callable[[Report], Iterator[str]]
    complete_only: bool = False  # none for an incomplete run (half an answer closes alerts)


def _terminal(r: Report) -> Iterator[str]:
    yield render_report(r.cfg, r.name, r.result)


def _json(r: Report) -> Iterator[str]:
    # `file` is the list as it was given: the command line's path, or the repository's.
    return json_chunks(check_report(str(r.artifact), r.result, r.cfg.status.stale_after))


def _sarif(r: Report) -> Iterator[str]:
    return json_chunks(sarif_log(r.cfg, r.result, r.artifact))


def _annotations(r: Report) -> Iterator[str]:
    """Dead, moved and archived links at their line, at their level (`bot.render.severity`);
    stale links are only in the job summary (and SARIF, with `[sarif] stale = true`)."""
    g = r.groups
    found = [(level("dead"), i.line, f"Dead link {i.url}: {i.detail}") for i in g.dead]
    found += [(level("moved"), i.line, f"Moved: {i.url} is {i.detail}") for i in g.moved]
    found += [(level("archived"), i.line, f"Archived repository: {i.url} ({i.detail})")
              for i in g.archived]  # fmt: skip
    yield annotation_lines(r.cfg, r.name, found, "dead, moved or archived links")


def _summary(r: Report) -> Iterator[str]:
    yield job_summary(r.cfg, r.name, r.result, r.done)


TERMINAL = Output("terminal", "report", _terminal)
JSON = Output("json", "JSON report", _json)
SARIF = Output("sarif", "SARIF log", _sarif, complete_only=True)
ANNOTATIONS = Output("annotations", "annotations", _annotations)
SUMMARY = Output("summary", "job summary", _summary)
OUTPUTS = {o.name: o for o in (TERMINAL, JSON, SARIF, ANNOTATIONS, SUMMARY)}
FILES = (JSON, SARIF)  # what the command line writes to a file: `--json OUT`, `--sarif OUT`


def text(output: Output, report: Report) -> str:
    return "".join(output.render(report))


def annotation_lines(cfg: Config, file: str, found: list[tuple[str, int, str]],
                     what: str) -> str:  # fmt: skip
    """(level, line, message) as workflow commands, most severe first: at most
    `MAX_ANNOTATIONS` of each level (what GitHub shows of a step), and a notice that says how
    many more of `what` the job summary lists (then one note fewer, so that it shows)."""
    by_level = {lv: [(line, m) for lv2, line, m in found if lv2 == lv] for lv in ORDER}
    most = dict.fromkeys(ORDER, MAX_ANNOTATIONS)
    if any(len(items) > MAX_ANNOTATIONS for items in by_level.values()):
        most[NOTE] = MAX_ANNOTATIONS - 1
    rest = sum(max(0, len(items) - most[lv]) for lv, items in by_level.items())
    levels = [(COMMAND[lv], by_level[lv][: most[lv]]) for lv in ORDER]
    template = environment(cfg.templates).get_template("annotations.txt.j2")
    out = template.render(file=file, levels=levels, what=what, rest=rest, most=MAX_ANNOTATIONS)
    return re.sub(r"\n{2,}", "\n", out).lstrip("\n")
