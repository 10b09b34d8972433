"""Keyboard reach: on every screen of both roles (demo data) and in the dialogs its «…»
buttons open, Tab reaches every visible enabled control, in the order of the layout, and every
toolbar action has a key.

Dialogs are shown without blocking (their `exec` is replaced) so the test can walk them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from tests.ui.keyboard_checks import order_problems, toolbar_actions_unreachable, unreached
from ui.gui.app import build_main_window
from ui.gui.dialogs.first_run import FirstRunWizard
from ui.gui.tasks import idle

# Buttons that change data even when their dialog is cancelled, and «Печать…», whose dialog is
# Qt's own (it renders the document first: a long job for nothing here).
# Buttons that change data, and «Печать…» (its system dialog is not ours to walk).
NOT_CLICKED = ("Отозвать", "Удалить", "Создать антирисковые", "Печать")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[QDialog]]:
    shown: list[QDialog] = []

    def exec_(dialog: QDialog) -> int:
        shown.append(dialog)
        dialog.show()
        return 0

    monkeypatch.setattr(QDialog, "exec", exec_)
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([], ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    watchdog = QTimer()  # a modal window not patched above is closed, never waited for
    watchdog.timeout.connect(lambda: (m := QApplication.activeModalWidget()) and m.close())
    watchdog.start(1000)
    yield shown
    watchdog.stop()


def _check(area: QWidget, top: QWidget, where: str) -> list[str]:
    return unreached(area, top, where) + order_problems(area, top, where)


# Dialogs the walk has closed. They are not deleted one by one: a dialog deleted while a task or
# timer it started was still pending crashed the run in Qt's timer dispatch (in the program a
# dialog lives until its parent does); they go with the window at the end of the test.
_closed: list[QDialog] = []


def _dialogs(screen: QWidget, qtbot: QtBot, opened: list[QDialog], where: str) -> list[str]:
    problems: list[str] = []
    for button in screen.findChildren(QAbstractButton):
        text = button.text()
        if not text.endswith("…") or not button.isVisible() or not button.isEnabled():
            continue
        if any(word in text for word in NOT_CLICKED):
            continue
        opened.clear()
        button.click()
        qtbot.waitUntil(idle, timeout=20_000)
        for dialog in list(opened):
            if dialog.isVisible():
                problems += _check(dialog, dialog, f"{where} → «{dialog.windowTitle()}»")
            dialog.close()
            _closed.append(dialog)
    return problems


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.DISTRICT])
def test_tab_reaches_every_control_in_layout_order(
    file_services: Services, role: Role, qtbot: QtBot, opened: list[QDialog]
) -> None:
    services = file_services
    _closed.clear()
    services.site.initialize(role, "Организация", "5105012345")
    services.demo.fill()
    window = build_main_window(services, "0.1.0")
    qtbot.addWidget(window)
    window.resize(1024, 740)
    window.show()
    qtbot.waitUntil(idle, timeout=20_000)
    problems: list[str] = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        qtbot.waitUntil(idle, timeout=20_000)
        screen, where = window.stack.currentWidget(), window.nav.item(row).text()
        problems += _check(screen, window, where) + toolbar_actions_unreachable(screen, where)
        problems += _dialogs(screen, qtbot, opened, where)
    assert problems == []


@pytest.mark.parametrize("district", [False, True])
def test_the_first_run_wizard_is_walked_by_tab(qtbot: QtBot, district: bool) -> None:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    (wizard.role_page.district if district else wizard.role_page.school).setChecked(True)
    problems = _check(wizard, wizard, "мастер: роль")
    wizard.next()
    problems += _check(wizard, wizard, "мастер: организация")
    assert problems == []
