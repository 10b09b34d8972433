"""A newcomer's session at 1024 × 768 for each role, with the normal and the large font.

The first-run wizard, then every screen empty and with the demo, and every dialog a screen's
«…» button opens. Screenshots go to tests/realwindow/out/ (git-ignored, kept by CI).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services, build_services
from services.core.config import AppPaths
from services.core.db import Database
from tests.conftest import RESOURCES
from tests.realwindow.conftest import OUT
from tests.realwindow.layout_checks import (
    buttons_reachable,
    headers_readable,
    no_sideways_scroll,
    status_in_view,
    tabs_whole,
    toolbars_whole,
    window_fits,
)
from ui.gui.app import build_main_window
from ui.gui.comfort import apply_font_scale

# Buttons that change data even when their dialog is cancelled, or leave the program.
NOT_CLICKED = ("Отозвать", "Удалить", "Создать антирисковые")
# The screens whose tables may scroll sideways: «Сводка»,
# whose school names stay in view while it scrolls.
MAY_SCROLL_SIDEWAYS = ("summary",)


def _settle(qtbot: QtBot) -> None:
    """Let the screen finish loading and laying out, as a user sees it a moment later.

    A screen loads in a task and fits its columns when the rows arrive; on a busy machine that
    takes longer than a fixed pause (a header was once caught mid-fit in CI).
    """
    from ui.gui.tasks import idle

    QApplication.processEvents()
    qtbot.waitUntil(idle, timeout=30_000)
    qtbot.wait(120)


def _shot(name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    screen = QApplication.primaryScreen()
    screen.grabWindow(0).save(str(OUT / f"{name}.png"))


@pytest.fixture
def services(template_db: Path, tmp_path: Path) -> Iterator[Services]:
    import shutil

    paths = AppPaths(resources_dir=RESOURCES, data_dir=tmp_path / "data")
    paths.data_dir.mkdir()
    shutil.copy(template_db, paths.db_path)
    database = Database.open(paths.db_path)
    yield build_services(database, paths)
    database.close()


@pytest.fixture(autouse=True)
def no_blocking_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[QDialog]:
    """Dialogs show without blocking, so the test can measure and photograph them."""
    opened: list[QDialog] = []

    def exec_(dialog: QDialog) -> int:
        opened.append(dialog)
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
    return opened


@pytest.fixture(autouse=True)
def modal_watchdog() -> Iterator[None]:
    """A modal window the patches above do not reach (a print dialog, a progress dialog) is
    photographed and closed, so the session never waits for a person."""
    timer = QTimer()

    def close_modal() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and not isinstance(modal, QProgressDialog):  # those end by themselves
            _shot(f"modal-{modal.windowTitle().replace(' ', '_')[:40]}")
            modal.close()

    timer.timeout.connect(close_modal)
    timer.start(1500)
    yield
    timer.stop()


def _sideways(area: QWidget, key: str, where: str) -> list[str]:
    return [] if key in MAY_SCROLL_SIDEWAYS else no_sideways_scroll(area, where)


def _details(screen: QWidget, qtbot: QtBot, key: str, name: str, where: str) -> list[str]:
    """The first row of the screen's first table selected, then every tab of the screen.

    What a row opens (the school's view in «Школы», a teacher's plans) and the pages of tabs
    are laid out only then.
    """
    from ui.gui.tasks import idle
    from ui.gui.widgets.filter_table import FilterTable

    tables = [t for t in screen.findChildren(FilterTable) if t.isVisible()]
    if tables and tables[0].proxy.rowCount():
        tables[0].view.selectRow(0)
        qtbot.waitUntil(idle, timeout=30_000)
        _settle(qtbot)
    problems: list[str] = []
    for tabs in [t for t in screen.findChildren(QTabWidget) if t.isVisible()]:
        for index in range(tabs.count()):
            if not tabs.isTabEnabled(index):
                continue
            tabs.setCurrentIndex(index)
            _settle(qtbot)
            at = f"{where}, вкладка «{tabs.tabText(index)}»"
            problems += headers_readable(tabs.currentWidget(), at)
            problems += buttons_reachable(tabs.currentWidget(), screen.window(), at)
            problems += _sideways(tabs.currentWidget(), key, at)
            _shot(f"{name}-tab-{index}")
        tabs.setCurrentIndex(0)
    return problems


def _dialogs_of(screen: QWidget, qtbot: QtBot, opened: list[QDialog], name: str) -> list[str]:
    problems: list[str] = []
    room = QApplication.primaryScreen().availableGeometry()
    buttons = [b for b in screen.findChildren(QAbstractButton) if b.text().endswith("…")]
    for button in buttons:
        if not button.isVisible() or not button.isEnabled():
            continue
        if any(word in button.text() for word in NOT_CLICKED):
            continue
        opened.clear()
        button.click()
        _settle(qtbot)
        for n, dialog in enumerate(list(opened)):
            where = f"{name}: окно «{dialog.windowTitle()}» (кнопка «{button.text()}»)"
            problems += window_fits(dialog, room, where)
            problems += buttons_reachable(dialog, dialog, where)
            problems += headers_readable(dialog, where)
            problems += _sideways(dialog, name.rsplit("-", 1)[-1], where)
            _shot(f"{name}-dialog-{button.text().strip('…').replace(' ', '_')}-{n}")
            dialog.close()
            dialog.deleteLater()
        _settle(qtbot)
    return problems


def _session(services: Services, role: Role, qtbot: QtBot, opened: list[QDialog], tag: str):
    room = QApplication.primaryScreen().availableGeometry()
    window = build_main_window(services, "0.1.0")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    problems: list[str] = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        _settle(qtbot)
        key = window.current_key()
        name = f"{role.value}-{tag}-{key}"
        screen = window.stack.currentWidget()
        where = f"{tag}: {window.nav.item(row).text()}"
        problems += window_fits(window, room, where)
        problems += buttons_reachable(screen, window, where)
        problems += headers_readable(screen, where)
        problems += toolbars_whole(screen, where) + tabs_whole(screen, where)
        problems += _sideways(screen, key, where)
        problems += status_in_view(screen, where)
        _shot(name)
        problems += _details(screen, qtbot, key, name, where)
        problems += _dialogs_of(screen, qtbot, opened, f"{role.value}-{tag}-{key}")
        problems += window_fits(window, room, where + " (после окон)")
    from ui.gui.tasks import wait_all

    wait_all()  # let background jobs and their progress dialogs finish before the window goes
    qtbot.wait(500)
    window.close()
    return problems


@pytest.fixture(scope="module", autouse=True)
def qt_in_russian(qapp: QApplication) -> None:
    """Qt's own texts («Save», «Cancel») in Russian, as the program installs them at start."""
    from ui.gui.app import _install_qt_translations

    _install_qt_translations(qapp)


@pytest.fixture(params=[False, True], ids=["normal-font", "large-font"])
def large(request: pytest.FixtureRequest) -> Iterator[bool]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_font_scale(app, request.param)
    yield request.param
    apply_font_scale(app, False)


@pytest.mark.timeout(900)
@pytest.mark.parametrize("role", [Role.SCHOOL, Role.DISTRICT])
def test_newcomer_session_fits_1024x768(
    services: Services,
    role: Role,
    large: bool,
    qtbot: QtBot,
    no_blocking_dialogs: list[QDialog],
) -> None:
    font = "large" if large else "normal"
    room = QApplication.primaryScreen().availableGeometry()
    assert room.width() <= 1024, "run under Xvfb -screen 0 1024x768x24"
    from ui.gui.dialogs.first_run import FirstRunWizard

    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    _settle(qtbot)
    problems = window_fits(wizard, room, f"{font}: мастер первого запуска")
    _shot(f"{role.value}-{font}-wizard")
    wizard.close()
    services.site.initialize(role, "Муниципальное бюджетное общеобразовательное учреждение "
                             "«Лодейнинская средняя общеобразовательная школа»" if role is
                             Role.SCHOOL else "Управление образования администрации Кольского "
                             "района", "5105012345")  # fmt: skip
    problems += _session(services, role, qtbot, no_blocking_dialogs, f"{font}-empty")
    services.demo.fill()
    problems += _session(services, role, qtbot, no_blocking_dialogs, f"{font}-demo")
    QTimer.singleShot(0, lambda: None)
    report = OUT / f"problems-{role.value}-{font}.txt"
    report.write_text("\n".join(problems) + "\n", encoding="utf-8")
    assert not problems, "\n".join(problems)
