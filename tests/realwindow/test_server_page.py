"""The wizard's server page at 1024 × 768: the fields, the check's failure text, the choice.

The failure text is the longest thing the page shows (db_pg's message: what to check); it must
wrap inside the window with «Далее» still in view, with the normal and the large font.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from tests.pgserver import _free_port
from tests.realwindow.conftest import OUT
from tests.realwindow.layout_checks import buttons_reachable, window_fits
from ui.gui.comfort import apply_font_scale


@pytest.fixture(scope="module", autouse=True)
def qt_in_russian(qapp: QApplication) -> None:
    from ui.gui.app import _install_qt_translations

    _install_qt_translations(qapp)


@pytest.fixture(params=[False, True], ids=["normal-font", "large-font"])
def large(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[bool]:
    apply_font_scale(qapp, request.param)
    yield request.param
    apply_font_scale(qapp, False)


def _whole(label: QLabel, top: QWidget, where: str) -> list[str]:
    """The label in the window and as tall as its wrapped text needs."""
    rect = QRect(label.mapTo(top, QPoint(0, 0)), label.size())
    if not top.rect().contains(rect) or label.height() < label.heightForWidth(label.width()):
        return [f"{where}: текст проверки подключения обрезан ({rect}, нужно "
                f"{label.heightForWidth(label.width())} px в высоту)"]  # fmt: skip
    return []


def test_server_page_fits_1024x768(
    large: bool, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.gui.dialogs.first_run import FirstRunWizard
    from ui.gui.tasks import idle

    room = QApplication.primaryScreen().availableGeometry()
    assert room.width() <= 1024, "run under Xvfb -screen 0 1024x768x24"
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.role_page.district.setChecked(True)
    wizard.role_page.server.setChecked(True)
    font = "large" if large else "normal"
    where = f"{font}: мастер, страница сервера"
    OUT.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    problems = window_fits(wizard, room, f"{font}: мастер, выбор базы управления")
    wizard.grab().save(str(OUT / f"district-{font}-wizard-storage.png"))
    wizard.next()
    page = wizard.server_page
    page.user.setText("metodist")
    page.host.setText("127.0.0.1")
    page.port.setValue(_free_port())  # nothing listens: the longest text the page shows
    page.check_button.click()
    qtbot.waitUntil(lambda: idle() and page.check_button.isEnabled(), timeout=30_000)
    qtbot.wait(500)  # the window manager resizes the window for the text
    assert "Не удалось подключиться" in page.result.text()
    problems += window_fits(wizard, room, where)
    problems += buttons_reachable(wizard, wizard, where)
    problems += _whole(page.result, wizard, where)
    wizard.grab().save(str(OUT / f"district-{font}-wizard-server.png"))
    wizard.close()
    assert not problems, "\n".join(problems)
