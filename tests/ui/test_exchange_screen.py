"""«Обмен с управлением»: district card and its fingerprint, export, cover sheet, checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models import Role
from models.staff import TeacherBase
from services.packages.keys import write_card
from tests.services.package_support import make_site
from ui.gui.screens import exchange as exchange_module
from ui.gui.screens.exchange import ExchangeScreen
from ui.gui.tasks import idle
from ui.gui.widgets import folder_target


@pytest.fixture
def setup(template_db: Path, tmp_path: Path, qtbot: QtBot) -> tuple[ExchangeScreen, Path]:
    district = make_site(template_db, tmp_path / "s", Role.DISTRICT, "Управление образования", "51")
    school = make_site(template_db, tmp_path / "s", Role.SCHOOL, "МОУ Лодейнинская СОШ", "4701")
    card = tmp_path / "district.card"
    write_card(card, district.exchange.own_card())
    screen = ExchangeScreen(school)
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(idle, timeout=5000)
    return screen, card


def test_export_needs_the_district_card_confirmed_by_fingerprint(
    setup: tuple[ExchangeScreen, Path], monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    screen, card = setup
    assert not screen.export_button.isEnabled()
    assert "не загружена" in screen.district_label.text()
    monkeypatch.setattr(exchange_module, "confirm_fingerprint", lambda *_a: False)
    assert not screen.load_district_card(card)  # not confirmed: nothing trusted
    assert not screen.export_button.isEnabled()
    monkeypatch.setattr(exchange_module, "confirm_fingerprint", lambda *_a: True)
    assert screen.load_district_card(card)
    qtbot.waitUntil(idle, timeout=5000)
    assert screen.export_button.isEnabled()
    assert "Управление образования" in screen.district_label.text()


def test_export_shows_hash_and_offers_the_cover_sheet(
    setup: tuple[ExchangeScreen, Path],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen, card = setup
    monkeypatch.setattr(exchange_module, "confirm_fingerprint", lambda *_a: True)
    screen.load_district_card(card)
    qtbot.waitUntil(idle, timeout=5000)
    assert screen.reminder.text() == ""  # a new school has nothing to send yet
    screen._services.staff.save_teacher(TeacherBase(full_name="Белова Ирина Сергеевна"))
    screen.refresh()
    qtbot.waitUntil(lambda: idle() and "изменения" in screen.reminder.text(), timeout=5000)
    assert "изменения" in screen.reminder.text()
    stick = tmp_path / "stick"
    stick.mkdir()
    screen.choose_target(stick)
    screen.export_button.click()
    qtbot.waitUntil(lambda: screen.last_result is not None and idle(), timeout=20_000)
    result = screen.last_result
    assert result is not None and result.path.parent == stick and result.path.exists()
    assert result.sha256 in screen.result_label.text()
    assert screen.history.rowCount() == 1 and screen.reminder.text() == ""
    out = tmp_path / "cover.pdf"
    screen.save_cover_sheet(out)
    qtbot.waitUntil(out.exists, timeout=20_000)
    assert "в порядке" in screen.verify_text(result.path)
    bad = tmp_path / "bad.opora"
    bad.write_bytes(b"PK\x03\x04 broken")
    assert "не прошёл проверку" in screen.verify_text(bad)


def test_removable_drives_are_listed_first(monkeypatch: pytest.MonkeyPatch) -> None:
    class Volume:
        def __init__(self, root: str) -> None:
            self.root = root

        def isValid(self) -> bool:
            return True

        def isReady(self) -> bool:
            return True

        def isReadOnly(self) -> bool:
            return False

        def rootPath(self) -> str:
            return self.root

        def displayName(self) -> str:
            return "USB"

    monkeypatch.setattr(
        "ui.gui.widgets.folder_target.QStorageInfo.mountedVolumes",
        staticmethod(lambda: [Volume("/"), Volume("/media/user/USB")]),
    )
    targets = folder_target.export_targets()
    assert targets[0][1] == Path("/media/user/USB")
    assert targets[-1][1] == Path.home()
