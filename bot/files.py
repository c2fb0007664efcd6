"""Reading a list safely and writing files atomically (temp file + rename), so a
crash never leaves a half-written README or state file."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from bot.errors import InputError


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


def atomic_write(path: Path, data: str | bytes | Iterable[str]) -> None:
    """Write via a temp file in the same folder, fsync, then rename over the target.
    `data` may be an iterable of text chunks (e.g. `JSONEncoder.iterencode`), written
    as they come, so a 20 MB report never exists as one string plus its pieces."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
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
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
