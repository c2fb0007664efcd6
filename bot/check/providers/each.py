"""Asking a service about one item at a time, as many at once as its host allows, and giving
up on it once it is plainly out of reach: what the Hugging Face, PyPI and npm providers share.

A service that left `UNREACHABLE_AFTER` asks unanswered (transport errors, 429, 5xx) and
answered none is out of reach for this run: the rest are not asked (each provider says so in
its observations), and the provider reports its part lost."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from bot.check.http import Http

UNREACHABLE_AFTER = 3

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Answer(StrEnum):
    ANSWERED = "answered"  # a usable answer, found or not
    UNANSWERED = "unanswered"  # no usable answer: says nothing about the item
    REFUSED = "refused"  # the service refused our credentials: ask it nothing more


@dataclass
class Tally:
    """What the service answered so far, shared by the worker threads."""

    answered: int = 0
    unanswered: int = 0
    refused: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, answer: Answer) -> None:
        with self.lock:
            self.answered += answer == Answer.ANSWERED
            self.unanswered += answer == Answer.UNANSWERED
            self.refused |= answer == Answer.REFUSED

    def stop(self) -> bool:
        """Whether to ask nothing more: credentials refused, or the service out of reach."""
        with self.lock:
            return self.refused or (self.unanswered >= UNREACHABLE_AFTER and not self.answered)

    def lost(self) -> bool:
        """Whether the service gave no usable answer at all this run."""
        return bool(self.unanswered) and not self.answered


def ask_each(
    items: Sequence[K],
    ask: Callable[[K], T],
    http: Http,
    service: str,
    progress: Callable[[int], None] | None = None,
) -> dict[K, T]:
    """`ask(item)` for every item, `per_host` at a time; the answers in the items' order."""
    tick = progress or (lambda n: None)
    out: dict[K, T] = {}
    workers = max(1, min(http.settings.per_host, len(items)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=service) as pool:
        futures = {pool.submit(ask, item): item for item in items}
        for future in as_completed(futures):
            out[futures[future]] = future.result()
            tick(1)
    return {item: out[item] for item in items}
