"""FlowLayout: one line when there is room, wrapped lines when not, spare width to the edit."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ui.gui.widgets.flow_layout import FlowLayout


def _row(qtbot: QtBot) -> tuple[QWidget, FlowLayout, list[QPushButton], QLineEdit]:
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowLayout(host)
    edit = QLineEdit(host)
    edit.setMinimumWidth(150)
    layout.addWidget(edit)
    buttons = [QPushButton(f"Кнопка номер {n}", host) for n in range(4)]
    for button in buttons:
        layout.addWidget(button)
    host.show()
    return host, layout, buttons, edit


def test_wide_room_puts_everything_on_one_line_and_the_edit_takes_the_rest(qtbot: QtBot) -> None:
    host, layout, buttons, edit = _row(qtbot)
    wide = layout.sizeHint().width() + 200
    host.resize(wide, layout.heightForWidth(wide))
    qtbot.waitUntil(lambda: buttons[-1].geometry().right() > edit.geometry().right())
    tops = {w.geometry().top() for w in (edit, *buttons)}
    assert len(tops) == 1
    assert edit.width() >= edit.sizeHint().width() + 200 - 1  # the spare width went to the edit
    assert buttons[-1].geometry().right() <= wide


def test_narrow_room_wraps_and_nothing_leaves_the_width(qtbot: QtBot) -> None:
    host, layout, buttons, edit = _row(qtbot)
    narrow = buttons[0].sizeHint().width() * 2 + 20
    one_line = layout.heightForWidth(layout.sizeHint().width())
    height = layout.heightForWidth(narrow)
    assert height > 2 * one_line  # three lines at least
    host.resize(narrow, height)
    qtbot.waitUntil(lambda: buttons[-1].geometry().top() > edit.geometry().top())
    for widget in (edit, *buttons):
        assert widget.geometry().right() < narrow and widget.geometry().bottom() < height
    widest = max(edit.minimumWidth(), *(b.minimumSizeHint().width() for b in buttons))
    assert layout.minimumSize().width() == widest  # as narrow as its widest item


def test_hidden_items_take_no_room(qtbot: QtBot) -> None:
    _host, layout, buttons, _edit = _row(qtbot)
    full = layout.sizeHint().width()
    buttons[0].hide()
    assert layout.sizeHint().width() == full - buttons[0].sizeHint().width() - 6
