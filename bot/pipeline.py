"""The whole evaluation of one list: parse → check → judge → rewrite. Shared by
`check` (local file) and `pr` (file read from GitHub), so both show the same diff."""

from __future__ import annotations

from dataclasses import dataclass

from bot.check.run import CheckResult, Endpoints, Progress, run_check
from bot.check.state import State
from bot.config import Config
from bot.parse.markdown import Document, parse
from bot.render.rewrite import RewriteResult, rewrite
from bot.render.templating import environment


@dataclass
class Evaluation:
    doc: Document
    result: CheckResult
    rewritten: RewriteResult | None  # None when the check was incomplete

    @property
    def text(self) -> str:
        """The new text of the list (the old one when nothing may change)."""
        return self.rewritten.text if self.rewritten else self.doc.text


def evaluate(
    text: str,
    cfg: Config,
    endpoints: Endpoints,
    state: State,
    progress: Progress | None = None,
) -> Evaluation:
    doc = parse(text, status_column=cfg.status.column)
    result = run_check(doc, cfg, endpoints, state, progress)
    if result.incomplete:
        # Half an answer must not rewrite the list: statuses would flap.
        return Evaluation(doc, result, None)
    rewritten = rewrite(doc, result.verdicts, cfg.status, environment(cfg.templates))
    return Evaluation(doc, result, rewritten)
