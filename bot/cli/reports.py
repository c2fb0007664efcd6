"""The reports a command writes to files, the same way for `check`, `pr` and `issue`: each
output of `bot.render.outputs.FILES` has its flag (`--json OUT`, `--sarif OUT`); `-` writes
it to standard output, and everything else the command prints goes to stderr, so that it
can be piped. Checked before the run; an incomplete run writes no SARIF log (half an
answer would close alerts)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bot.errors import InputError
from bot.files import STDOUT, check_writable, write_output
from bot.render.outputs import FILES, Output, Report


def requested(args: object) -> list[tuple[Output, Path]]:
    """The files the command line asks for, in the registry's order."""
    return [(o, path) for o in FILES if (path := getattr(args, o.name, None)) is not None]


def check_stdout(files: list[tuple[Output, Path]]) -> None:
    """At most one report goes to standard output."""
    if sum(str(path) == STDOUT for _, path in files) > 1:
        flags = " and ".join(f"--{o.name}" for o in FILES)
        raise InputError(f"only one of {flags} can be - (standard output)")


def check_files(files: list[tuple[Output, Path]]) -> None:
    """Before the run: every file can be written (nothing is half-written after it)."""
    for output, path in files:
        check_writable(path, output.what)


@contextlib.contextmanager
def data_stream(files: list[tuple[Output, Path]]) -> Iterator[TextIO]:
    """The stream a report for `-` goes to: standard output, while whatever else the
    command prints meanwhile goes to stderr."""
    data = sys.stdout
    if not any(str(path) == STDOUT for _, path in files):
        yield data
        return
    with contextlib.redirect_stdout(sys.stderr):
        yield data


def write(files: list[tuple[Output, Path]], report: Report, data: TextIO) -> None:
    for output, path in files:
        if output.complete_only and report.result.incomplete:
            continue
        write_output(path, output.render(report), output.what, data)
