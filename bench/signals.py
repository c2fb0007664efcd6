"""How fast a signal stops each command: `python bench/signals.py [--code DIR]`.

The list: the bundled sample plus 1,500 web links on a web emulator that takes 0.1 s a
request (four at a time: about 40 s for the whole list), two links that hang for a minute,
and a run timeout of 120 s, so only a stop that cuts requests in flight can end early.
Each command runs in a child process from this checkout or another one (`--code`); once
the web emulator has had 100 requests the signal is sent. Printed per command: exit code,
seconds from the signal to the exit, web requests sent after the signal, and the last line
on stderr. `scan` gets its signal one second into a 100,000-link list; `pr` runs once more
with GitHub's pace of a write a second (`[pr] write_interval = 1`), which its save of the
history on the state branch pays. A command still
running 60 s after its signal is killed ("> 60 s"). Run by hand, not in CI."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.emulators import web as w  # noqa: E402
from tests.world import LIST_REPO, SAMPLE, World  # noqa: E402

WAIT = 60.0
CASES = [  # (command, signal, seconds between GitHub writes)
    (["check", "--write"], signal.SIGINT, 0.0),
    (["check", "--write"], signal.SIGTERM, 0.0),
    (["check"], signal.SIGINT, 0.0),
    (["pr", "--repo", LIST_REPO], signal.SIGTERM, 0.0),
    (["pr", "--repo", LIST_REPO], signal.SIGTERM, 1.0),  # GitHub's pace: the save's writes
    (["issue", "--repo", LIST_REPO], signal.SIGINT, 0.0),
    (
        ["schedule", "--cron", "0 0 1 1 *", "--run-now", "--", "check", "--write"],
        signal.SIGINT,
        0.0,
    ),
    (["scan"], signal.SIGTERM, 0.0),
]


def _world(tmp: Path, write_interval: float) -> World:
    tmp.mkdir(parents=True)
    wd = World(tmp, SAMPLE, web_cases=False)
    wd.web.latency = 0.1
    paths = ["/hang0", "/hang1", *(f"/p{i}" for i in range(1500))]
    for p in paths:
        wd.web.script(p, w.slow(60) if p.startswith("/hang") else w.ok())
    wd.list_path.write_text(SAMPLE + "\n## Web\n\n"
                            + "".join(f"- [{p}]({wd.web.link(p)})\n" for p in paths))  # fmt: skip
    text = wd.config_path.read_text().replace("timeout = 2.0\n", "timeout = 120.0\n")
    text = text.replace("write_interval = 0.0", f"write_interval = {write_interval}")
    wd.config_path.write_text(text.replace("[check]\n", "[check]\nconcurrency = 4\n"))
    wd.add_list_repo()
    return wd


def _case(code: Path, tmp: Path, args: list[str], sig: int, write_interval: float) -> str:
    env = {**os.environ, "PYTHONPATH": str(code), "AWESOME_MONITOR_PROGRESS_INTERVAL": "3600"}
    wd = None
    if args[0] == "scan":
        tmp.mkdir(parents=True)
        big = tmp / "big.md"
        big.write_text("".join(f"- [r{i}](https://github.com/o/r{i}) and https://x{i}.org/p\n"
                               for i in range(100_000)))  # fmt: skip
        cmd = [*args, str(big)]
    else:
        wd = _world(tmp, write_interval)
        env.update(wd.env())
        cmd = [*args, "--config", str(wd.config_path)]
    started = time.monotonic()

    def ready() -> bool:
        if wd is None:
            return time.monotonic() - started >= 1.0
        return wd.web.total_requests() >= 100

    proc = subprocess.Popen([sys.executable, "-m", "bot", *cmd], cwd=tmp, env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        while not ready() and proc.poll() is None:
            time.sleep(0.01)
        before = wd.web.total_requests() if wd else 0
        sent = time.monotonic()
        proc.send_signal(sig)
        try:
            _, err = proc.communicate(timeout=WAIT)
            took = f"{time.monotonic() - sent:.2f} s"
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
            took = f"> {WAIT:.0f} s"
        after = (wd.web.total_requests() - before) if wd else 0
    finally:
        if wd:
            wd.stop()
    lines = [ln for ln in err.splitlines() if ln.startswith("awesome-monitor: ")]
    last = lines[-1][len("awesome-monitor: ") :] if lines else (err.splitlines() or [""])[-1]
    name = signal.Signals(sig).name
    what = args[0] + (" --write" if "--write" in args else "")
    what += f" (writes {write_interval:g} s apart)" if write_interval else ""
    return f"| `{what}` | {name} | {proc.returncode} | {took} | {after} | {last[:110]} |"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout to measure")
    ap.add_argument("--only", help="only the commands starting with this (e.g. scan)")
    args = ap.parse_args()
    code = args.code.resolve()
    print(f"{code}:")
    print("| command | signal | exit | signal → exit | web requests after | last line |")
    print("|---|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for i, (cmd, sig, pace) in enumerate(CASES):
            if args.only and cmd[0] != args.only:
                continue
            print(_case(code, Path(tmp) / str(i), cmd, sig, pace), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
