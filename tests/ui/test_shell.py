"""The GUI shell: first-run wizard, main window, table model, filter table, error dialog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from models import Role
from models.staff import TeacherBase
from services.app import Services
from services.core.errors import Invalid
from ui.gui.app import apply_first_run, build_main_window
from ui.gui.dialogs.about import AboutDialog
from ui.gui.dialogs.first_run import FirstRunWizard
from ui.gui.main_window import TITLE_BAR, initial_size
from ui.gui.screens import screens_for
from ui.gui.table_models.row_model import ROW_ROLE, SORT_ROLE, Column, RowTableModel
from ui.gui.tasks import idle
from ui.gui.widgets.filter_table import FilterTable


@dataclass(frozen=True)
class Row:
    name: str
    due: date
    count: int


ROWS = [
    Row("Анализ ВПР", date(2022, 3, 1), 5),
    Row("Педсовет", date(2021, 12, 1), 12),
    Row("Курсы ПК", date(2022, 1, 15), 7),
]
COLUMNS = [
    Column[Row]("Мероприятие", lambda r: r.name),
    Column[Row]("Срок", lambda r: r.due, lambda d: d.strftime("%d.%m.%Y"), sort_key=date.toordinal),
    Column[Row]("Число", lambda r: r.count, align=Qt.AlignmentFlag.AlignRight),
]


def test_row_model_passes_qtmodeltester(qtmodeltester) -> None:
    model = RowTableModel(COLUMNS)
    model.set_rows(ROWS)
    qtmodeltester.check(model)
    model.insert_row(1, Row("Новое", date(2023, 1, 1), 1))
    model.remove_row(0)
    model.replace_row(0, Row("Изменено", date(2023, 2, 1), 2))
    qtmodeltester.check(model)


def test_row_model_roles() -> None:
    model = RowTableModel(COLUMNS)
    model.set_rows(ROWS)
    idx = model.index(1, 1)
    assert idx.data() == "01.12.2021"
    assert idx.data(SORT_ROLE) == date(2021, 12, 1).toordinal()
    assert model.index(0, 0).data(ROW_ROLE) is ROWS[0]
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Число"


def test_filter_table_filters_instantly_and_sorts_by_raw_value(qtbot) -> None:
    model = RowTableModel(COLUMNS)
    model.set_rows(ROWS)
    table = FilterTable(model)
    qtbot.addWidget(table)
    table.filter_edit.setText("впр")
    assert table.proxy.rowCount() == 1
    assert "1 из 3" in table.count_label.text()
    table.filter_edit.clear()
    table.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [table.proxy.index(r, 0).data() for r in range(3)] == [
        "Педсовет",
        "Курсы ПК",
        "Анализ ВПР",
    ]
    table.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert table.proxy.index(0, 2).data() == "12"  # numbers sort as numbers, not text


def test_wizard_school_path_collects_the_choice(qtbot) -> None:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.role_page.school.isChecked()
    wizard.next()
    page = wizard.org_page
    assert not page.isComplete()
    page.full_name.setText("МОУ Лодейнинская СОШ")
    page.code.setText("5105012345")
    assert page.isComplete()
    page.fisoko_login.setText("513021")
    wizard.next()  # refused: not a school's ФИС ОКО login
    assert wizard.currentPage() is page and "sch" in page.error.text()
    page.fisoko_login.setText("sch513021")
    wizard.next()
    assert wizard.currentPage() is wizard.card_page
    wizard.next()
    wizard.finish_page.demo.setChecked(True)
    choice = wizard.choice()
    assert choice.role is Role.SCHOOL and choice.fill_demo and choice.code == "5105012345"
    assert choice.fisoko_login == "sch513021"


def test_wizard_district_skips_the_card_step_and_validates_inline(qtbot) -> None:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.role_page.district.setChecked(True)
    wizard.next()
    wizard.org_page.full_name.setText("Уп")
    wizard.org_page.code.setText("1")
    wizard.next()  # refused: name too short, message shown by the field
    assert wizard.currentPage() is wizard.org_page
    assert "название" in wizard.org_page.error.text()
    wizard.org_page.full_name.setText("Управление образования Кольского района")
    wizard.next()
    assert wizard.currentPage() is wizard.finish_page
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    assert wizard.choice().district_card is None


def test_apply_first_run_initializes_through_services(qtbot: QtBot, services: Services) -> None:
    """The demo runs as a task with its progress dialog: it needs the application (`qtbot`)."""
    from ui.gui.dialogs.first_run import FirstRunChoice

    apply_first_run(
        services,
        FirstRunChoice(
            Role.SCHOOL, "МОУ Лодейнинская СОШ", "", "5105012345", None, True, "sch513021"
        ),
    )
    assert services.site.profile().site.code == "5105012345"
    assert services.site.profile().fisoko_login == "sch513021"
    assert services.demo.is_filled()
    with pytest.raises(Invalid):
        apply_first_run(services, FirstRunChoice(Role.SCHOOL, "x", "", "", None, False))


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.DISTRICT])
def test_main_window_navigation_and_status_bar(qtbot, file_services: Services, role: Role) -> None:
    # A database file, as the program uses: the screens read in tasks while this test writes on
    # the GUI thread, and the in-memory copy is one connection shared by both threads.
    services = file_services
    services.site.initialize(role, "Организация для проверки", "12345")
    window = build_main_window(services, "0.1.0")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [spec.title for spec in screens_for(role)]
    # every title fits: no item is cut off and the list needs no horizontal scroll bar
    assert window.nav.horizontalScrollBar().maximum() == 0
    room = window.nav.viewport().width()
    assert all(
        window.nav.visualItemRect(window.nav.item(i)).width() <= room for i in range(len(titles))
    )
    # the window's height fits the screen with room for a title bar (offscreen: 800 × 800)
    assert window.height() + TITLE_BAR <= window.screen().availableGeometry().height()
    assert window.org_label.text() == "Организация для проверки"
    for row, spec in enumerate(screens_for(role)):
        window.nav.setCurrentRow(row)
        assert window.current_key() == spec.key
        assert window.stack.currentWidget() is window.screen_widget(spec.key)
    services.site.update(address="новый адрес")
    window.notifier.announce(["site"])  # what a task or an edit does after a change
    assert window.saved_label.text().startswith("Сохранено в ")
    qtbot.waitUntil(idle, timeout=10_000)  # the reminder is read in the background
    # a new organisation's own profile is not news: nothing to send yet
    assert window.unsent_label.isHidden()
    if role is Role.SCHOOL:  # a school is reminded that the district has not received its data
        services.staff.save_teacher(TeacherBase(full_name="Белова Ирина Сергеевна"))
        window.notifier.announce(["staff"])
        qtbot.waitUntil(lambda: idle() and not window.unsent_label.isHidden(), timeout=10_000)


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.DISTRICT])
def test_every_screen_fits_a_1024_pixel_wide_screen(
    qtbot, file_services: Services, role: Role
) -> None:
    """Old school PCs have 1024 × 768 screens: with the demo data shown, no screen may make
    the window wider than that (button and filter rows wrap instead)."""
    file_services.site.initialize(role, "Организация для проверки", "12345")
    file_services.demo.fill()
    window = build_main_window(file_services, "0.1.0")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    widths = {}
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        QApplication.processEvents()
        widths[window.nav.item(row).text()] = window.minimumSizeHint().width()
    assert max(widths.values()) <= 1024, widths


def test_the_window_starts_within_small_screens() -> None:
    assert initial_size(1920, 1040) == (1200, 760)  # a large screen: the designed size
    assert initial_size(1366, 728) == (1200, 688)  # 1366 × 768 less a 40 px taskbar
    assert initial_size(1024, 738) == (1012, 698)  # the frame's borders fit too


def test_main_window_backup_action_and_about(qtbot, file_services: Services, monkeypatch) -> None:
    file_services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
    window = build_main_window(file_services, "0.1.0")
    qtbot.addWidget(window)
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: window.backup_action.isEnabled(), timeout=10_000)  # in a task
    assert len(file_services.backups.entries()) == 1
    about = AboutDialog("0.1.0", file_services.paths.data_dir, window)
    qtbot.addWidget(about)
    assert about.data_dir_text == str(file_services.paths.data_dir)


def test_show_error_uses_the_users_message(qtbot, monkeypatch) -> None:
    from ui.gui import errors

    shown: list[tuple[str, str]] = []

    def fake_exec(self: QMessageBox) -> int:
        shown.append((self.text(), self.detailedText()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    errors.show_error(None, Invalid("Укажите код организации."))
    try:
        raise KeyError("boom")
    except KeyError as exc:
        errors.show_error(None, exc)
    assert shown[0] == ("Укажите код организации.", "")
    assert "непредвиденная ошибка" in shown[1][0] and "KeyError" in shown[1][1]


def test_a_second_copy_paints_then_refuses_before_opening_the_database(
    qtbot, file_services: Services, monkeypatch
) -> None:
    """The instance lock is taken after the first paint, but before anything is opened."""
    from services.core.instance import InstanceLock
    from ui.gui import app as gui_app

    file_services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
    file_services.db.close()
    paths = file_services.paths
    before = paths.db_path.read_bytes()
    shown: list[BaseException] = []
    monkeypatch.setattr(gui_app, "show_error", lambda _parent, exc: shown.append(exc))
    opened: list[object] = []
    monkeypatch.setattr(gui_app, "open_with_recovery", lambda *a: opened.append(a))
    logs: list[str] = []
    quits: list[bool] = []

    class App:  # the session's application, without ending the test's event loop
        def quit(self) -> None:
            quits.append(True)

        def setApplicationVersion(self, _version: str) -> None:
            raise AssertionError("nothing is loaded by a refused copy")

    holder = InstanceLock(paths.lock_path)
    holder.acquire()
    lock = InstanceLock(paths.lock_path)
    session = gui_app.GuiSession(
        cast(QApplication, App()), paths, lambda: "0.1.0", 0.0, lock, lambda: logs.append("opened")
    )
    try:
        session.start(exit_after_paint=False)
        assert session.window is not None
        qtbot.addWidget(session.window)
        assert not lock.held and opened == []  # painted from the quick identity, lock not yet
        qtbot.waitUntil(lambda: bool(quits), timeout=5000)
    finally:
        holder.release()
    assert session.exit_code == 1 and not lock.held
    assert [type(e).__name__ for e in shown] == ["AlreadyRunning"] and "уже открыта" in str(
        shown[0]
    )
    assert opened == [] and logs == ["opened"]
    assert paths.db_path.read_bytes() == before
