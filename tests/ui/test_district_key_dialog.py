"""The school loads a bulletin introducing the district's new key: a dialog asks for the new
fingerprint (never shows it), and typing it loads the bulletin; the district sees its new one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from services.packages.keys import normalize_fingerprint
from services.packages.types import SiteCard
from tests.services.pair_support import Pair, make_pair
from ui.gui.app import build_main_window
from ui.gui.dialogs import district_key, district_key_confirm
from ui.gui.dialogs.district_key_confirm import DistrictKeyDialog
from ui.gui.screens.district.bulletin import BulletinScreen
from ui.gui.screens.exchange import ExchangeScreen
from ui.gui.tasks import idle


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


def test_the_school_types_the_new_district_key_and_the_bulletin_loads(
    pair: Pair, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_fp = pair.district.exchange.own_card().fingerprint
    new_fp = pair.district.district_key.rotate().fingerprint
    district_screen = BulletinScreen(pair.district)
    qtbot.addWidget(district_screen)
    district_screen.refresh()
    qtbot.waitUntil(lambda: new_fp in district_screen.key_label.text() and idle(), timeout=20_000)
    assert "МОУ Лодейнинская СОШ" in district_screen.key_label.text()  # still to be told
    [intro] = pair.send_bulletins()

    dialog = DistrictKeyDialog(pair.school.exchange.district_card())
    qtbot.addWidget(dialog)
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert old_fp in shown and "сменило свой ключ" in shown
    assert normalize_fingerprint(new_fp) not in normalize_fingerprint(shown)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing typed yet
    dialog.new_fingerprint.setText(new_fp)
    assert ok.isEnabled()

    asked: list[SiteCard | None] = []

    def typed(card: SiteCard | None, _parent: QWidget) -> str:
        asked.append(card)
        return new_fp

    monkeypatch.setattr(
        district_key_confirm.DistrictKeyDialog,
        "ask",
        classmethod(lambda _c, d, p=None: typed(d, p)),
    )
    screen = ExchangeScreen(pair.school)
    qtbot.addWidget(screen)
    told: list[str] = []
    screen.load_bulletin(intro, told.append)
    qtbot.waitUntil(lambda: bool(told) and idle(), timeout=20_000)
    assert [c.fingerprint if c else "" for c in asked] == [old_fp]
    assert "Новый ключ управления подтверждён" in told[0], told
    assert pair.school.exchange.district_card().fingerprint == new_fp  # type: ignore[union-attr]


def _menus(action: QAction) -> list[str]:
    return [m.title() for m in action.associatedObjects() if isinstance(m, QMenu)]


def test_the_district_changes_its_key_from_the_file_menu(
    qtbot: QtBot, file_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_services.site.initialize(Role.DISTRICT, "Управление образования", "5105000001")
    old_fp = file_services.exchange.own_card().fingerprint
    window = build_main_window(file_services, "0.1.0")
    qtbot.addWidget(window)
    assert _menus(window.key_action) == ["&Файл"] and window.key_action.isEnabled()
    monkeypatch.setattr(district_key, "ask_to_change", lambda _parent: False)
    window.key_action.trigger()  # cancelled: nothing changes
    assert file_services.exchange.own_card().fingerprint == old_fp
    told: list[str] = []
    monkeypatch.setattr(district_key, "ask_to_change", lambda _parent: True)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    window.key_action.trigger()
    qtbot.waitUntil(lambda: bool(told) and idle(), timeout=20_000)
    new_fp = file_services.exchange.own_card().fingerprint
    assert new_fp != old_fp and new_fp in told[0]
    assert "before-key-change" in [b.reason for b in file_services.backups.entries()]


def test_a_school_has_no_key_change_in_its_menu(qtbot: QtBot, services: Services) -> None:
    services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
    window = build_main_window(services, "0.1.0")
    qtbot.addWidget(window)
    assert _menus(window.key_action) == []
