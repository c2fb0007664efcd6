"""Issue 17: the work of a run grows linearly with the list. Counted, never timed: the
lines of Python run in the run's own thread (parse, classify, collect, judge, rewrite, report,
history) and the characters it copies out of the list's text, for a list and one four times
as long. A quadratic step (a copy of the rest of the document per link, a scan of every
link per section or per table row) makes a ratio of 16, not 4. bench/big_list.py measures
the time and memory of the same at 10,000 to 200,000 links."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable

import pytest

from bot import config
from bot.check import state as state_mod
from bot.cli.show import show
from bot.files import atomic_write
from bot.pipeline import evaluate
from bot.render.outputs import JSON, Report
from tests.world import MakeWorld

GROWTH = 4
SLACK = 1.25  # fixed costs make the ratio a little under 4; a quadratic step makes it 16


class CountingText(str):
    """The list's text, counting the characters every slice of it copies."""

    copied = 0

    def __getitem__(self, key):  # noqa: ANN001, ANN204
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            CountingText.copied += len(range(start, stop, step))
        return str.__getitem__(self, key)


def generate(n: int) -> str:
    """`n` links in sections of 20: list items (repositories, papers, files, web pages,
    reference links), and per section a table with a row named after an earlier section."""
    out = ["# A list", ""]
    for k in range(n):
        if k % 20 == 0:
            s = k // 20
            out += ["", f"## Topic {s}", "", "| Name | Paper |", "| --- | --- |",
                    f"| [t{k}](https://github.com/t/t{k}) | [p](https://arxiv.org/abs/2001.{k:05d})",
                    f"| Topic {max(s - 1, 0)} | |", ""]  # fmt: skip
        kind = k % 4
        if kind == 0:
            out.append(f"- [r{k}](https://github.com/o{k % 7}/r{k}) - A tool, `x` and *y*.")
        elif kind == 1:
            out.append(f"- [paper {k}](https://arxiv.org/abs/1901.{k:05d}) - A paper.")
        elif kind == 2:
            out.append(f"- [file {k}](https://github.com/o/r{k}/blob/main/a.md) and [ref{k}].")
            out.append(f"\n[ref{k}]: https://github.com/o/ref{k}\n")
        else:
            out.append(f"- <https://site.example/{k}> and www.site{k}.example/x")
    return "\n".join(out) + "\n"


def work(run: Callable[[], None]) -> tuple[int, int]:
    """(lines of Python run in this thread, loop iterations included, and characters sliced
    out of the list's text) by `run`."""
    lines = 0

    def local(frame, event, arg):  # noqa: ANN001, ANN202
        nonlocal lines
        if event == "line":
            lines += 1
        return local

    def calls(frame, event, arg):  # noqa: ANN001, ANN202
        return local

    CountingText.copied = 0
    sys.settrace(calls)
    try:
        run()
    finally:
        sys.settrace(None)
    return lines, CountingText.copied


def second_run_work(make_world: MakeWorld, folder: str, n: int) -> tuple[int, int]:
    """The work of a second `check --write` of an `n`-link list (a first one made its
    history): everything but the providers' threads."""
    text = generate(n)
    world = make_world(text, web_cases=False, check_web=False, folder=folder)
    tmp = world.tmp
    cfg = config.load(world.config_path)
    env = world.env()
    ev = evaluate(text, cfg, state_mod.State(), env=env)
    assert not ev.result.incomplete, ev.result.incomplete_reason
    state_mod.save(world.state_path, ev.result.state)

    def run() -> None:
        state = state_mod.load(world.state_path)
        again = evaluate(CountingText(text), cfg, state, env=env)
        report = Report(cfg, "README.md", again.result, artifact="README.md")
        atomic_write(tmp / "report.json", JSON.render(report), "JSON report")
        with contextlib.redirect_stdout(io.StringIO()):
            show(cfg, "README.md", again, quiet=False)
        state_mod.save(world.state_path, again.result.state)
        assert again.rewritten is not None and len(again.doc.links) >= n

    return work(run)


@pytest.mark.timeout(300)
def test_a_run_does_linear_work_in_the_size_of_the_list(make_world: MakeWorld) -> None:
    small = second_run_work(make_world, "small", 250)
    big = second_run_work(make_world, "big", 250 * GROWTH)
    lines, copied = big[0] / small[0], big[1] / small[1]
    assert lines <= GROWTH * SLACK, f"lines run grew {lines:.1f}x for {GROWTH}x the links"
    assert copied <= GROWTH * SLACK, f"copies grew {copied:.1f}x for {GROWTH}x the links"
