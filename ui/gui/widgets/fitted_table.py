"""A table view whose rows fit their wrapped text, measured without blocking the window."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTableView, QWidget

FIT_BUDGET_S = 0.015  # measuring per turn of the event loop (a loaded PC measures slower)


class FittedTableView(QTableView):
    """`fit_rows(rows)` sets each row's height to fit its text.

    A height is measured once per `key(row)` (filtering reuses them); measuring costs ≈ 0.4 ms
    a row (2 ms on a busy PC), so 500 new rows would block the window for 0.2–1 s: rows are
    measured for at most FIT_BUDGET_S per turn of the event loop. A column resize measures again.
    A hidden view pauses until it is shown: its chunks were run into the turns of the screen
    shown next and made its first show block the window for 100 ms and more.
    """

    def __init__(self, key: Callable[[Any], Hashable], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key = key
        self._heights: dict[Hashable, int] = {}
        self._generation = 0
        self._rows: Sequence[Any] = ()
        self._paused_at: int | None = None  # where a hidden view stopped measuring
        self.horizontalHeader().sectionResized.connect(self._on_section_resized)

    def fit_rows(self, rows: Sequence[Any]) -> None:
        self._rows = rows
        self._generation += 1
        self._fit(self._generation, 0)

    def _fit(self, generation: int, start: int) -> None:
        if generation != self._generation:  # a newer filter or reload started over
            return
        if not self.isVisible():
            self._paused_at = start
            return
        self._paused_at = None
        rows = self._rows
        deadline = time.perf_counter() + FIT_BUDGET_S
        n = start
        while n < len(rows) and (n == start or time.perf_counter() < deadline):
            key = self._key(rows[n])
            height = self._heights.get(key)
            if height is None:
                self.resizeRowToContents(n)
                self._heights[key] = self.rowHeight(n)
            else:
                self.setRowHeight(n, height)
            n += 1
        if n < len(rows):
            QTimer.singleShot(0, self, lambda: self._fit(generation, n))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._paused_at is not None:
            generation, start = self._generation, self._paused_at
            QTimer.singleShot(0, self, lambda: self._fit(generation, start))

    def _on_section_resized(self, *_: object) -> None:
        self.refit()

    def refit(self) -> None:
        """Measure every row again (a stretched column changed width without `sectionResized`)."""
        self._heights.clear()
        self.fit_rows(self._rows)
