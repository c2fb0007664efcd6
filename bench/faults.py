"""The fault matrix, printed: `python bench/faults.py [PYTEST ARGS...]`.

Runs the end-to-end fault tests of `tests/check/test_faults.py` (GitHub 502/secondary limit/
budget/NOT_FOUND/403/451/timeout/401, a failed PR write, arXiv 503/429/400/empty/slow,
every scripted web behaviour, 500 links on one slow host, the network down, SIGKILL
mid-run, two runs at once) through pytest, with a small plugin that collects what each
test records with `record_property`: a short `expected` text (written before the run)
and an `observed` text (written from what the run did, before the asserts, so a
failing case still shows what happened). Prints ONE table: case, expected, observed,
pass. Exit status: 0 when every case passed, 1 otherwise.

Extra arguments go to pytest, e.g. `python bench/faults.py -k arxiv`."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402


class Collector:
    """A pytest plugin: one row per test, from its call-phase report (or setup error)."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        name = report.nodeid.split("::")[-1].removeprefix("test_")
        row = self.rows.setdefault(name, {"expected": "", "observed": "", "pass": "?"})
        props = dict(report.user_properties)
        row["expected"] = str(props.get("expected", row["expected"]))
        row["observed"] = str(props.get("observed", row["observed"]))
        if report.when == "call" or (report.when == "setup" and not report.passed):
            row["pass"] = "yes" if report.passed else "skip" if report.skipped else "NO"
            if report.failed and not row["observed"]:
                row["observed"] = (report.longreprtext.strip().splitlines() or ["failed"])[-1]


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        while len(word) > width:  # a long token (a URL) is cut, never overflows
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines or [""]


def print_table(rows: dict[str, dict[str, Any]]) -> None:
    widths = {"case": 34, "expected": 44, "observed": 52, "pass": 4}
    rule = "+" + "+".join("-" * (n + 2) for n in widths.values()) + "+"
    print(rule)
    print("| " + " | ".join(k.ljust(n) for k, n in widths.items()) + " |")
    print(rule.replace("-", "="))
    for name, row in rows.items():
        cols = {"case": _wrap(name.replace("_", " "), widths["case"]),
                "expected": _wrap(row["expected"], widths["expected"]),
                "observed": _wrap(row["observed"], widths["observed"]),
                "pass": [row["pass"]]}  # fmt: skip
        for i in range(max(len(c) for c in cols.values())):
            cells = [(cols[k][i] if i < len(cols[k]) else "").ljust(n) for k, n in widths.items()]
            print("| " + " | ".join(cells) + " |")
        print(rule)
    passed = sum(r["pass"] == "yes" for r in rows.values())
    print(f"{passed}/{len(rows)} cases pass")


def main(argv: list[str]) -> int:
    os.chdir(ROOT)  # pyproject's pytest settings (socket guard, timeouts) apply
    collector = Collector()
    args = ["-q", "-p", "no:cacheprovider", "tests/check/test_faults.py", *argv]
    log = io.StringIO()  # pytest's own report is not the point here: only the table
    with contextlib.redirect_stdout(log):
        code = pytest.main(args, plugins=[collector])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        print(log.getvalue())
    print_table(collector.rows)
    ok = collector.rows and all(r["pass"] == "yes" for r in collector.rows.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
