"""The job summary of `check`, `pr` and `issue` (in GitHub Actions): written once, when the
command ends, however it ends, so that its first line can say what the run did: what the
command reported (`Summary.done`), what its check could not complete, or the error or the
signal that stopped it. `review` writes its own (`bot.cli.review`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bot.check.model import CheckResult
from bot.config import Config
from bot.errors import BotError, Interrupted
from bot.publish import actions
from bot.render import outputs
from bot.render.done import Act, Done, for_error
from bot.render.report import job_summary


@dataclass
class Summary:
    cfg: Config
    name: str  # the list as the outputs name it
    result: CheckResult | None = None  # the check's, once there is one
    done: Done | None = None  # what the command did, once it did it


@contextmanager
def summary(cfg: Config, name: str) -> Iterator[Summary]:
    """Fill in the `Summary` in the block; the job summary is written when it ends."""
    s = Summary(cfg, name)
    try:
        yield s
    except BotError as exc:
        s.done = for_error(exc.exit_code, str(exc))
        raise
    except Interrupted as exc:
        s.done = Done(Act.INTERRUPTED, why=str(exc))
        raise
    finally:
        if actions.active():
            actions.step_summary(_text(s))


def _text(s: Summary) -> str:
    if s.result is None:
        return job_summary(s.cfg, s.name, None, s.done)
    report = outputs.Report(s.cfg, s.name, s.result, artifact=s.name, done=s.done)
    return outputs.text(outputs.SUMMARY, report)
