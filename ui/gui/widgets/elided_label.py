"""A one-line label that may be narrower than its text and then ends it with «…».

The status bar shows the organisation's name; a legal name with «Крупный шрифт» is about 900 px
wide, and a plain `QLabel` would make the window that wide. This label asks for little room and
draws as much of the text as fits, the full text staying in the tooltip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

MIN_WIDTH = 80  # px: the first word or two stay readable however narrow the window


class ElidedLabel(QLabel):
    """`QLabel` for plain one-line text that shrinks down to `MIN_WIDTH` px, eliding the end."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._elide = False

    def start_eliding(self) -> None:
        """Draw «…» from now on (called after the first paint).

        Not from the start: the first paint of the window would load Qt's enum namespace for the
        elide mode (≈ 15 ms, tests/bench/startup.py).
        """
        self._elide = True
        self.update()

    def minimumSizeHint(self) -> QSize:
        full = super().minimumSizeHint()
        return QSize(min(full.width(), MIN_WIDTH), full.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        room = self.contentsRect()
        metrics = self.fontMetrics()
        if not self._elide or metrics.horizontalAdvance(self.text()) <= room.width():
            super().paintEvent(event)
            return
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QPainter

        text = metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, room.width())
        painter = QPainter(self)
        painter.drawText(room, int(self.alignment().value), text)
