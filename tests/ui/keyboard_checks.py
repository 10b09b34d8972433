"""Keyboard reach, measured on real widgets: what Tab visits and in which order.

`tab_stops(top)` follows `nextInFocusChain()` the way `QWidget.focusNextChild` does (a widget
takes Tab focus when its policy has TabFocus and it is visible and enabled); the checks return
readable problems, so one run lists them all.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTabBar,
    QTextEdit,
    QToolBar,
    QToolButton,
    QWidget,
)

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox,
            QTextEdit, QPlainTextEdit)  # fmt: skip
ROW_TOLERANCE = 12  # px: widgets on one visual row may be a few pixels apart vertically
# Parts of composite widgets that are reached through their owner (or are not controls).
OWNED_BY = (QAbstractItemView, QHeaderView, QLineEdit, QComboBox, QAbstractSpinBox, QTabBar)


def takes_tab(w: QWidget, top: QWidget) -> bool:
    return (
        bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus) and w.isVisibleTo(top) and (w.isEnabled())
    )


def tab_stops(top: QWidget) -> list[QWidget]:
    """The widgets of `top` that Tab visits, in order (one full cycle of the focus chain)."""
    stops: list[QWidget] = []
    w: QWidget | None = top.nextInFocusChain()
    for _ in range(5000):
        if w is None or w is top:
            break
        if top.isAncestorOf(w) and takes_tab(w, top) and w.focusProxy() is None:
            stops.append(w)
        w = w.nextInFocusChain()
    return stops


def _owned(w: QWidget, top: QWidget) -> bool:
    parent = w.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, OWNED_BY):
            return True
        parent = parent.parentWidget()
    return w.objectName().startswith("qt_")


def controls(area: QWidget, top: QWidget) -> list[QWidget]:
    """Visible enabled controls a person would use in `area` (toolbar buttons apart)."""
    found: list[QWidget] = []
    for w in area.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or not w.isVisibleTo(top) or not w.isEnabled():
            continue
        if _owned(w, top) or isinstance(w.parentWidget(), QToolBar):
            continue
        if w.visibleRegion().isEmpty():  # scrolled away or covered: still reached, not seen
            continue
        found.append(w)
    return found


def _reached(w: QWidget, stops: list[QWidget]) -> bool:
    proxy = w.focusProxy()
    if isinstance(w, QRadioButton) and w.autoExclusive():
        # Qt's rule: Tab stops at the checked button of a group, the arrows move within it
        group = w.group()
        siblings = (
            group.buttons()
            if group is not None
            else [s for s in w.parentWidget().findChildren(QRadioButton) if s.autoExclusive()]
        )
        return any(s in stops for s in siblings)
    return w in stops or (proxy is not None and proxy in stops)


def _name(w: QWidget) -> str:
    text = ""
    if isinstance(w, QAbstractButton):
        text = w.text()
    elif isinstance(w, QLineEdit):
        text = w.placeholderText() or w.text()
    elif isinstance(w, QComboBox):
        text = w.currentText()
    return f"{type(w).__name__}«{text[:30]}»"


def unreached(area: QWidget, top: QWidget, where: str) -> list[str]:
    """Every visible enabled control of `area` is a Tab stop."""
    stops = tab_stops(top)
    return [f"{where}: Tab не доходит до {_name(w)}"
            for w in controls(area, top) if not _reached(w, stops)]  # fmt: skip


def _pos(w: QWidget, top: QWidget) -> QPoint:
    return w.mapTo(top, QPoint(0, 0))


def order_problems(area: QWidget, top: QWidget, where: str) -> list[str]:
    """Tab goes top-to-bottom, left-to-right: never up-and-left, never left on one row.

    Moving up is fine when the next stop lies to the right (the next column of a splitter or
    a form); moving left is fine on a lower row (the next line).
    """
    stops = [w for w in tab_stops(top) if area is top or area.isAncestorOf(w)]
    stops = [w for w in stops if not w.visibleRegion().isEmpty()]
    if stops:  # the chain is a cycle: read it from the stop nearest the top left corner
        first = min(range(len(stops)), key=lambda n: (_pos(stops[n], top).y() // ROW_TOLERANCE,
                                                      _pos(stops[n], top).x()))  # fmt: skip
        stops = stops[first:] + stops[:first]
    problems = []
    for a, b in pairwise(stops):
        pa, pb = _pos(a, top), _pos(b, top)
        up = pb.y() < pa.y() - ROW_TOLERANCE
        same_row = abs(pb.y() - pa.y()) <= ROW_TOLERANCE
        left = pb.x() + b.width() <= pa.x()
        if (up and pb.x() <= pa.x() + ROW_TOLERANCE) or (same_row and left):
            problems.append(f"{where}: Tab из {_name(a)} ({pa.x()},{pa.y()}) назад в "
                            f"{_name(b)} ({pb.x()},{pb.y()})")  # fmt: skip
    return problems


def toolbar_actions_unreachable(area: QWidget, where: str) -> list[str]:
    """A toolbar button that Tab skips must have a shortcut (or sit in a menu)."""
    problems = []
    for bar in area.findChildren(QToolBar):
        if not bar.isVisible():
            continue
        for action in bar.actions():
            if action.isSeparator() or not action.isVisible() or not action.text():
                continue
            button = bar.widgetForAction(action)
            tab = isinstance(button, QToolButton) and bool(
                button.focusPolicy() & Qt.FocusPolicy.TabFocus
            )
            if not (action.shortcuts() or action.menu() or tab):
                problems.append(f"{where}: действие «{action.text()}» без клавиши и меню")
    return problems
