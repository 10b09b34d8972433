"""«Школы»: the «Версия Опоры» column, and the schools that must update stand out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from services.sync.merge import package_schema
from tests.services.pair_support import Pair, make_pair
from ui.gui.screens.district.schools import SchoolsScreen
from ui.gui.tasks import idle


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


def _screen(pair: Pair, qtbot: QtBot) -> SchoolsScreen:
    widget = SchoolsScreen(pair.district)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.refresh()
    qtbot.waitUntil(idle, timeout=10_000)
    return widget


def _cell(screen: SchoolsScreen, role: Qt.ItemDataRole, title: str = "Версия Опоры") -> object:
    model = screen.registry
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return model.data(model.index(0, headers.index(title)), role)


def test_the_column_shows_the_version_of_the_schools_last_package(
    pair: Pair, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    screen = _screen(pair, qtbot)
    qtmodeltester.check(screen.registry)
    expected = f"{pair.school.exchange._version}, схема {package_schema()}"
    assert _cell(screen, Qt.ItemDataRole.DisplayRole) == expected
    assert _cell(screen, Qt.ItemDataRole.BackgroundRole) is None


def test_a_school_on_an_older_schema_is_marked_with_the_reason(
    pair: Pair, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pair.school.exchange, "_version", "1.2.0")
    monkeypatch.setattr("services.exchange.service.package_schema", lambda: "0007")
    [report] = pair.district.sync.import_files([pair.school_package()], dry_run=False)
    assert report.verdict == "applied"
    screen = _screen(pair, qtbot)
    assert _cell(screen, Qt.ItemDataRole.DisplayRole) == "⚠ 1.2.0, схема 0007"
    tip = _cell(screen, Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tip, str) and tip.startswith("Школе нужно обновить Опору")
    assert _cell(screen, Qt.ItemDataRole.BackgroundRole) is not None
    # the version column is the first to hide at 1024 px: the last package is marked too
    package = _cell(screen, Qt.ItemDataRole.DisplayRole, "Последний пакет")
    assert isinstance(package, str) and package.startswith("⚠ № 2")
    assert _cell(screen, Qt.ItemDataRole.ToolTipRole, "Последний пакет") == tip
    screen.table.view.selectRow(0)
    qtbot.waitUntil(idle, timeout=10_000)
    assert "1.2.0, схема 0007 — нужно обновить" in screen.panel.heading.text()
