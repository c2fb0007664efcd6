"""Reading a list safely and writing files atomically (temp file + rename), so a crash or a
full disk never leaves a half-written README or state file. What the file system refuses
(permissions, a read-only file, a directory where a file belongs, no space left) is an
`InputError` naming the path, never a traceback."""

from __future__ import annotations

import io
import os
import secrets
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.errors import InputError

STDOUT = "-"  # `--json -`, `--sarif -`: standard output instead of a file


def read_markdown(path: Path) -> str:
    """Read a Markdown file exactly (line endings kept) or raise InputError."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a Markdown file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if b"\x00" in data:
        raise InputError(f"{path}: looks like a binary file (NUL byte), expected Markdown text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8"
        ) from None
    if not text.lstrip("\ufeff").strip():  # a BOM alone is empty too
        raise InputError(f"{path}: the file is empty")
    return text


def _read_only(path: Path) -> bool:
    """No write permission for us, or none at all in its mode: a maintainer who marked a
    file or folder read-only meant it, even for root (who may write anything)."""
    return not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222


def check_writable(path: Path, what: str = "file") -> None:
    """Raise InputError unless `path` can be written (created, or replaced atomically):
    called before a run, so a run never ends by failing to save what it learned. `what`
    names the file in the message ("list", "history", "SARIF log", …)."""
    if str(path) == STDOUT:
        return
    if path.is_dir():
        raise InputError(f"{path}: cannot write the {what}: it is a directory")
    if path.exists() and _read_only(path):
        raise InputError(
            f"{path}: cannot write the {what}: it is read-only (make it writable, or leave it out)"
        )
    folder = path.resolve().parent
    while not folder.exists():  # created when written: what matters is the first that exists
        folder = folder.parent
    if not folder.is_dir():
        raise InputError(f"{path}: cannot write the {what}: {folder} is not a folder")
    if _read_only(folder) or not os.access(folder, os.X_OK):
        raise InputError(f"{path}: cannot write the {what}: the folder {folder} is read-only")


def atomic_write(path: Path, data: str | bytes | Iterable[str], what: str = "file") -> None:
    """Write via a temp file in the same folder, fsync, then rename over the target, which
    keeps its mode (a new file gets the umask's). `data` may be an iterable of text chunks
    (e.g. `JSONEncoder.iterencode`), written as they come, so a 20 MB report never exists
    as one string plus its pieces. A symlink is followed: its target is what is replaced."""
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    check_writable(real, what)
    tmp: Path | None = None
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        mode = stat.S_IMODE(real.stat().st_mode) if real.exists() else 0o666
        tmp = real.with_name(f".{real.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "wb") as fh:
            if real.exists():
                os.fchmod(fh.fileno(), mode)  # os.open's mode went through the umask
            _write(fh, data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, real)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise InputError(
            f"{path}: cannot write the {what} ({exc.strerror or exc}); left as it was"
        ) from None
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise


def _write(fh: io.BufferedWriter, data: str | bytes | Iterable[str]) -> None:
    if isinstance(data, bytes):
        fh.write(data)
    elif isinstance(data, str):
        fh.write(data.encode("utf-8"))
    else:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=False)
        for chunk in data:
            text.write(chunk)
        text.flush()
        text.detach()


def write_output(
    path: Path, chunks: Iterable[str], what: str, stdout: TextIO | None = None
) -> None:
    """A report: to standard output for `-` (`stdout`, else `sys.stdout`), else atomically
    to the file."""
    if str(path) != STDOUT:
        atomic_write(path, chunks, what)
        return
    out = stdout or sys.stdout
    for chunk in chunks:
        out.write(chunk)
    out.flush()
