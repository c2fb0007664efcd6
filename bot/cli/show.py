"""What `check`, `pr` and `issue` show: the grouped report, the proposed diff, and in GitHub
Actions the annotations (the job summary is written when the command ends:
`bot.cli.summary`); then the exit code of the check."""

from __future__ import annotations

from bot.check.model import CheckResult, Verdict
from bot.config import Config
from bot.errors import EXIT_DEAD, EXIT_OK, IncompleteError
from bot.pipeline import Evaluation
from bot.publish import actions
from bot.render import outputs
from bot.render.report import unified_diff
from bot.render.templating import plural


def show(cfg: Config, name: str, ev: Evaluation, quiet: bool, diff: bool = True) -> None:
    """The report on the terminal; in GitHub Actions also the annotations."""
    report = outputs.Report(cfg, name, ev.result, artifact=name)
    if actions.active():
        actions.annotations(outputs.text(outputs.ANNOTATIONS, report))
    if quiet:
        return
    print(outputs.text(outputs.TERMINAL, report), end="")
    rw = ev.rewritten
    if rw and rw.unmatched_rows:
        print("table rows with no links and no matching section (add them to "
              "[status.sections]): " + ", ".join(rw.unmatched_rows))  # fmt: skip
    for notice in rw.notices if rw else []:
        print(f"note: {notice}")
    if not diff:
        return
    if rw and rw.drift_only:
        print(
            f"drift only ({plural(len(rw.changed_lines), 'line')} of rounded counts and activity): "
            "the list is rewritten for it only with --refresh, or with the next real change"
        )
    text = unified_diff(name, ev.doc.text, ev.text)
    with actions.group("Proposed change"):
        print(text if text else "no change to the list", end="" if text else "\n")


def finish(result: CheckResult, fail_on_dead: bool) -> int:
    """The exit code of a check: incomplete (3) is an error, dead links (1) only on request."""
    if result.incomplete:
        raise IncompleteError(f"check incomplete: {result.incomplete_reason}; "
                              "nothing was flagged dead for it")  # fmt: skip
    if fail_on_dead and any(v.verdict == Verdict.DEAD for v in result.verdicts):
        return EXIT_DEAD
    return EXIT_OK
