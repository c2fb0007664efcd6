"""The networked commands (`check`, `pr`, `schedule`), registered on the CLI parser."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_commands(sub: argparse._SubParsersAction, common: Callable) -> None:
    """Register the networked commands."""
