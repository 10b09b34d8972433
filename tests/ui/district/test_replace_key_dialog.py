"""«Заменить ключ школы…»: the old trusted fingerprint shown, the new one typed, never shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from services.app import build_services
from services.core.config import AppPaths
from services.packages.keys import normalize_fingerprint
from tests.conftest import RESOURCES
from tests.services.pair_support import Pair, make_pair
from ui.gui.screens.district.package_import import ImportScreen
from ui.gui.screens.district.replace_key_dialog import ReplaceKeyDialog
from ui.gui.tasks import idle


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


def test_a_new_key_is_replaced_from_the_quarantine_by_typing_it(
    pair: Pair, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_fp = pair.school.exchange.own_card().fingerprint
    new_pc = build_services(pair.school.db, AppPaths(RESOURCES, tmp_path / "new-pc"))
    new_fp = new_pc.exchange.own_card().fingerprint
    pair.district.sync.import_files([new_pc.exchange.export(pair.out).path], dry_run=False)
    screen = ImportScreen(pair.district)
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.quarantine.rowCount() == 1 and idle(), timeout=20_000)
    model = screen.quarantine
    cells = [
        str(model.data(model.index(0, c), Qt.ItemDataRole.DisplayRole))
        for c in range(model.columnCount())
    ]
    headers = [
        str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole))
        for c in range(model.columnCount())
    ]
    assert "Отпечаток" not in headers
    assert normalize_fingerprint(new_fp) not in normalize_fingerprint(" ".join(cells))
    entry = model.row_at(0)
    dialog = ReplaceKeyDialog(entry)
    qtbot.addWidget(dialog)
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert old_fp in shown and normalize_fingerprint(new_fp) not in normalize_fingerprint(shown)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing typed yet
    dialog.new_fingerprint.setText(new_fp)
    assert ok.isEnabled()
    monkeypatch.setattr(ReplaceKeyDialog, "ask", classmethod(lambda _cls, _e, _p=None: new_fp))
    screen.quarantine_tab.view.selectRow(0)
    screen.quarantine_tab.replace_key_button.click()
    qtbot.waitUntil(lambda: screen.quarantine.rowCount() == 0 and idle(), timeout=20_000)
    [school] = pair.district.registry.schools()
    assert school.key_state == "trusted" and school.fingerprint == new_fp
    assert "Ключ подтверждён" in screen.summary_label.text()
