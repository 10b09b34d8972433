"""Help where the user is (F1 opens the current screen's page) and «Вид → Крупный шрифт»."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from tests.conftest import RESOURCES
from ui.gui.app import build_main_window
from ui.gui.comfort import apply_font_scale, large_font_on
from ui.gui.dialogs.help import HelpDialog, help_page
from ui.gui.navigation import NAVIGATION

HELP = RESOURCES / "help"


def test_every_screen_has_a_guide_page_and_every_link_resolves() -> None:
    for screens in NAVIGATION.values():
        for key, _title in screens:
            assert help_page(HELP, key).name == f"{key}.html", key
    for page in HELP.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'lang="ru"' in text and "<h1>" in text
        for target in re.findall(r'href="([^"]+)"', text):
            assert (HELP / target).is_file(), (page.name, target)


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.DISTRICT])
def test_f1_opens_the_page_of_the_current_screen(
    qtbot: QtBot, services: Services, role: Role, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.site.initialize(role, "Организация", "12345")
    window = build_main_window(services, "0.1.0")
    qtbot.addWidget(window)
    opened: list[str] = []

    def exec_(dialog: HelpDialog) -> int:
        opened.append(dialog.page())
        assert "<h1>" in dialog.browser.toHtml() or dialog.browser.toPlainText()
        return 0

    monkeypatch.setattr(HelpDialog, "exec", exec_)
    assert window.help_action.shortcut().toString() == "F1"
    key = NAVIGATION[role.value][1][0]
    window.show_screen(key)
    window.help_action.trigger()
    assert opened == [f"{key}.html"]


def test_large_font_scales_the_interface_and_persists(qtbot: QtBot, services: Services) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    base = app.font().pointSizeF()
    services.site.initialize(Role.SCHOOL, "Школа", "12345")
    window = build_main_window(services, "0.1.0")
    qtbot.addWidget(window)
    data: Path = services.paths.data_dir
    assert not window.large_font_action.isChecked() and not large_font_on(data)
    try:
        window.large_font_action.setChecked(True)
        assert app.font().pointSizeF() == pytest.approx(base * 1.25)
        qtbot.waitUntil(lambda: window.font().pointSizeF() > base)
        assert window.font().pointSizeF() == pytest.approx(base * 1.25)
        assert large_font_on(data)  # remembered for the next start
        again = build_main_window(services, "0.1.0")
        qtbot.addWidget(again)
        assert again.large_font_action.isChecked()
        window.large_font_action.setChecked(False)
        assert app.font().pointSizeF() == pytest.approx(base) and not large_font_on(data)
    finally:
        apply_font_scale(app, False)
