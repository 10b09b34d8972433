"""Hybrid logical clock: sortable version stamps that stay monotonic when the wall clock jumps.

A stamp is the text ``PPPPPPPPPPPPP.CCCCC.NODE``: physical milliseconds (13 digits), a logical
counter (5 digits) and the node (device id). Fixed widths make text order equal to
(time, counter, node) order, so "last writer wins, ties broken by device id" is a string compare.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_COUNTER = 99_999
# A remote stamp may move our clock at most this far ahead of our own wall clock (one day):
# a sender whose clock says 2040 must not drag every later local edit into 2040.
MAX_FORWARD_DRIFT_MS = 24 * 60 * 60 * 1000


def wall_clock_ms() -> int:
    """Milliseconds since the epoch by the system clock."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True, order=True)
class Stamp:
    physical: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.physical:013d}.{self.counter:05d}.{self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """Parse a stamp; raise ValueError on anything else."""
        parts = text.split(".", 2)
        if len(parts) != 3 or len(parts[0]) != 13 or len(parts[1]) != 5:
            raise ValueError(f"not an HLC stamp: {text!r}")
        if not (parts[0].isdigit() and parts[1].isdigit()) or not parts[2]:
            raise ValueError(f"not an HLC stamp: {text!r}")
        return cls(int(parts[0]), int(parts[1]), parts[2])


class HybridClock:
    """Issues stamps for local changes and absorbs stamps seen in incoming packages.

    Thread-safe. `last` is persisted by the database layer so restarts stay monotonic.
    """

    def __init__(
        self, node: str, *, last: str | None = None, wall: Callable[[], int] = wall_clock_ms
    ) -> None:
        if not node or "." in node:
            raise ValueError("node must be a non-empty id without dots")
        self._node = node
        self._wall = wall
        self._lock = threading.Lock()
        self._physical = 0
        self._counter = 0
        if last:
            prev = Stamp.parse(last)
            self._physical, self._counter = prev.physical, prev.counter

    @property
    def node(self) -> str:
        return self._node

    @property
    def last(self) -> str:
        """The newest stamp issued or absorbed so far."""
        with self._lock:
            return str(Stamp(self._physical, self._counter, self._node))

    def now(self) -> str:
        """Return a new stamp, strictly greater than every earlier one of this clock."""
        with self._lock:
            wall = self._wall()
            if wall > self._physical:
                self._physical, self._counter = wall, 0
            else:
                self._advance_counter()
            return str(Stamp(self._physical, self._counter, self._node))

    def observe(self, remote: str) -> bool:
        """Absorb a stamp from another site; return False if it was capped as too far ahead."""
        stamp = Stamp.parse(remote)
        with self._lock:
            wall = self._wall()
            limit = wall + MAX_FORWARD_DRIFT_MS
            capped = stamp.physical > limit
            physical = min(stamp.physical, limit)
            counter = stamp.counter if not capped else 0
            if physical > self._physical:
                self._physical, self._counter = physical, counter
            elif physical == self._physical and counter > self._counter:
                self._counter = counter
            return not capped

    def _advance_counter(self) -> None:
        if self._counter >= MAX_COUNTER:
            self._physical += 1
            self._counter = 0
        else:
            self._counter += 1
