"""A read-only login (the server's `opora_readonly`) finds every writing control of every
district screen and of the menus shown but disabled, saying why, and no table edited in place.

The login's rights come from the server (`db.access`; tests/e2e/test_server_recipe.py checks
that its grants refuse what gets past); here the same answer is given to a file database with
the district's demo data, so each screen has rows to select.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTableView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from services.core.db_pg import Access
from ui.gui.app import build_main_window
from ui.gui.main_window import MainWindow
from ui.gui.tasks import idle

# What a read-only login may still do: look, filter, choose, preview packages, save reports.
READS = {
    "", "Выбрать…", "Просмотр", "Печать…", "Сохранить как…", "Сохранить PDF…",
    "Аналитическая справка (PDF)…", "Сводная книга (Excel)…", "Отчёт об импорте (PDF)…",
    "Журнал в Excel…", "Добавить файлы…", "Добавить папку…", "Очистить список",
    "Сроки по годам", "Только просроченные", "Сделать резервную копию",
    "Резервная копия на флешку…", "Выход", "Крупный шрифт", "Руководство пользователя",
    "О программе", "вариант для мониторинга (отметки о выполнении)", "Показать",
    "Файл", "Вид", "Справка", "Очистить фильтр", "Сроки в диапазоне", "Другая папка…",
    "−", "+", "По ширине",
}  # fmt: skip


@pytest.fixture
def window(file_services: Services, qtbot: QtBot) -> MainWindow:
    file_services.site.initialize(Role.DISTRICT, "Управление образования", "5105000001")
    file_services.demo.fill()
    file_services.db.access = Access("smirnova", writable=False)
    window = build_main_window(file_services, "0.1.0")
    qtbot.addWidget(window)
    window.resize(1024, 740)
    window.show()
    qtbot.waitUntil(idle, timeout=30_000)
    return window


def _select_first_rows(screen: QWidget, qtbot: QtBot) -> None:
    """Choose a row in every table: most writing buttons wait for a chosen row. Twice: a row
    chosen in one table (a school) fills others (its comments)."""
    for _ in range(2):
        for view in screen.findChildren(QTableView):
            model = view.model()
            if model is not None and model.rowCount() > 0 and not view.selectedIndexes():
                view.selectRow(0)
                qtbot.waitUntil(idle, timeout=30_000)


def _edited_in_place(screen: QWidget) -> list[str]:
    found = []
    for view in screen.findChildren(QAbstractItemView):
        model = view.model()
        if (
            model is None
            or isinstance(view, QHeaderView)  # its table's cells are the table's to edit
            or view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
        ):
            continue
        for row in range(min(model.rowCount(QModelIndex()), 20)):
            for column in range(20):  # a list's model hides its column count
                index = model.index(row, column, QModelIndex())
                if index.isValid() and model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                    found.append(f"{type(view).__name__} ({row}, {column})")
    return found


def _enabled_writes(area: QWidget) -> list[str]:
    found = [
        f"{type(b).__name__} «{b.text()}»"
        for b in area.findChildren(QAbstractButton)
        if b.isEnabled() and not b.isHidden() and b.text() not in READS
    ]
    for action in area.findChildren(QAction):
        text = action.text().replace("&", "")
        if action.isEnabled() and action.isVisible() and text not in READS:
            found.append(f"QAction «{text}»")
    return found


def _enabled_in_menus(window: MainWindow) -> list[str]:
    menus = window.menuBar().findChildren(QMenu)
    return [
        f"«{a.text()}»"
        for menu in menus
        for a in menu.actions()
        if a.isEnabled() and a.isVisible() and a.text().replace("&", "") not in READS
    ]


def _tooltips_missing(area: QWidget) -> list[str]:
    controls: list[QAbstractButton | QAction] = [*area.findChildren(QAbstractButton)]
    controls += area.findChildren(QAction)
    return [
        c.text()
        for c in controls
        if c.property("opora_locked") and "Только просмотр" not in c.toolTip()
    ]


def test_no_writing_control_is_enabled_for_a_read_only_login(
    window: MainWindow, qtbot: QtBot
) -> None:
    problems = [f"меню: {w}" for w in _enabled_in_menus(window)]
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        qtbot.waitUntil(idle, timeout=30_000)
        screen, where = window.stack.currentWidget(), window.nav.item(row).text()
        tabs = screen.findChildren(QTabWidget)
        for tab in tabs:  # each tab's page builds or enables its buttons when shown
            for n in range(tab.count()):
                tab.setCurrentIndex(n)
                qtbot.waitUntil(idle, timeout=30_000)
        _select_first_rows(screen, qtbot)
        problems += [f"{where}: {w}" for w in _enabled_writes(screen)]
        problems += [f"{where}: правка в таблице {w}" for w in _edited_in_place(screen)]
        problems += [f"{where}: без пояснения «{t}»" for t in _tooltips_missing(screen)]
    assert problems == [], "\n".join(problems)


def test_the_menus_locked_actions_say_why(window: MainWindow) -> None:
    for action in (window.profile_action, window.key_action, window.passphrase_action):
        assert not action.isEnabled()
        assert "Только просмотр" in action.toolTip()
        action.setEnabled(True)  # what `attach` does again after a restore, say
        assert not action.isEnabled()


def test_the_status_bar_does_not_promise_saving_to_a_read_only_login(window: MainWindow) -> None:
    assert window.saved_label.text() == "Только просмотр"
    assert "нет права изменять данные" in window.saved_label.toolTip()
