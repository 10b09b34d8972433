"""A row of action buttons that wraps onto a second line instead of hiding actions.

A `QToolBar` that runs out of width puts its last actions behind a «»» extension button, which a
newcomer never opens: at 1024 px the roadmap hid «Отменить», «Корзина…» and «Общие сведения…»
there. `ActionBar` shows one tool button per action in a `FlowLayout`, so every action stays in
sight; a button follows its action's visibility as a tool bar's would.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolButton, QWidget

from ui.gui.widgets.flow_layout import FlowLayout


class ActionBar(QWidget):
    """Tool buttons for actions, left to right, wrapping when the width runs out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = FlowLayout(self, spacing=2)
        self._buttons: dict[QAction, QToolButton] = {}

    def add(self, action: QAction) -> QToolButton:
        """A button for `action`; it shows and hides with the action."""
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setVisible(action.isVisible())
        action.visibleChanged.connect(lambda: button.setVisible(action.isVisible()))
        self._layout.addWidget(button)
        self._buttons[action] = button
        return button

    def button(self, action: QAction) -> QToolButton:
        return self._buttons[action]
