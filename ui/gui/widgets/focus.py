"""Tab order helpers: Tab follows the layout, top to bottom, left to right.

Qt chains widgets in the order they were created, so a `QTabWidget` made after its pages puts
its tab bar after their contents, and rows built later (optional check boxes) come last.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget


def tab_bar_first(tabs: QTabWidget) -> None:
    """Tab reaches the tab bar before the pages' contents (the bar is above them)."""
    inside = [w for n in range(tabs.count()) if (page := tabs.widget(n)) is not None
              for w in _focus_chain(page)]  # fmt: skip
    tab_after(tabs.tabBar(), inside)


def _focus_chain(root: QWidget) -> list[QWidget]:
    """`root` and its descendants that take Tab focus, in the window's current chain order."""
    found: list[QWidget] = [root] if root.focusPolicy() & Qt.FocusPolicy.TabFocus else []
    w = root.nextInFocusChain()
    for _ in range(10_000):  # the chain is a cycle through the whole window
        if w is None or w is root:
            break
        if root.isAncestorOf(w) and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(w)
        w = w.nextInFocusChain()
    return found


def tab_after(anchor: QWidget, widgets: Sequence[QWidget]) -> None:
    """Put `widgets` (in this order) right after `anchor` in the Tab chain."""
    previous = anchor
    for widget in widgets:
        QWidget.setTabOrder(previous, widget)
        previous = widget
