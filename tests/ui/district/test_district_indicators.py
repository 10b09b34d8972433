"""«Шаблоны и пороги» → «Показатели управления»: the district's own indicators by formula, and
their columns in «Сводка»."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from services.district.definitions import DefinitionDraft
from tests.services.indicators.seed001 import SCHOOL_B, SEED_001, YEAR, add_two_schools
from ui.gui.screens import screens_for
from ui.gui.screens.district.definitions_panel import DefinitionDialog
from ui.gui.screens.district.summary import SummaryScreen
from ui.gui.screens.district.thresholds import ThresholdsScreen


@pytest.fixture
def screen(district: Services, qtbot: QtBot) -> ThresholdsScreen:
    widget = ThresholdsScreen(district.thresholds)
    qtbot.addWidget(widget)
    widget.year.setValue(YEAR)
    widget.refresh()
    return widget


def test_the_form_names_the_formula_mistake_and_keeps_the_text(qtbot: QtBot) -> None:
    dialog = DefinitionDialog({"VPR_FAIL"}, None)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.code.setText("MUN_GIA9")
    dialog.name.setText("ГИА-9 без двоек")
    dialog.formula.setPlainText("percent(gia9_no_fail, gia9_admited)")
    assert not save.isEnabled()
    assert "неизвестное имя «gia9_admited»" in dialog.problems.text()
    assert "позиции 23" in dialog.problems.text()
    assert dialog.formula.toPlainText() == "percent(gia9_no_fail, gia9_admited)"
    dialog.formula.setPlainText("percent(gia9_no_fail, gia9_admitted)")
    assert save.isEnabled() and dialog.problems.isHidden()
    dialog.code.setText("VPR_FAIL")
    assert not save.isEnabled() and "занят" in dialog.problems.text()


def test_add_edit_delete_through_the_panel(
    screen: ThresholdsScreen, district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = screen.definitions
    answers = iter([SEED_001[1], None])
    monkeypatch.setattr(DefinitionDialog, "ask", classmethod(lambda cls, *a: next(answers)))
    panel.add_button.click()
    assert [d.code for d in district.thresholds.definitions()] == ["MUN_GIA9_NO_FAIL"]
    assert panel.table.rowCount() == 1
    assert "MUN_GIA9_NO_FAIL" in screen.status.text()
    # the new indicator can now get a threshold like any other
    assert "MUN_GIA9_NO_FAIL" in {d.code for d in district.thresholds.indicators()}

    panel.table.selectRow(0)
    asked: list[Any] = []
    changed = DefinitionDraft("MUN_GIA9_NO_FAIL", "Изменённое название", SEED_001[1].formula)

    def ask(cls: Any, _parent: Any, _taken: Any, draft: Any = None) -> Any:
        asked.append(draft)
        return changed if len(asked) == 1 else None

    monkeypatch.setattr(DefinitionDialog, "ask", classmethod(ask))
    panel.edit_button.click()
    assert asked[0].code == "MUN_GIA9_NO_FAIL"
    assert district.thresholds.definitions()[0].name == "Изменённое название"

    panel.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    panel.delete_button.click()
    assert district.thresholds.definitions() == [] and panel.table.rowCount() == 0


def test_a_refused_save_reopens_the_form_with_the_typed_draft(
    screen: ThresholdsScreen, district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    district.thresholds.save_definition(SEED_001[0])
    shown: list[str] = []
    monkeypatch.setattr(
        "ui.gui.screens.district.thresholds.show_error", lambda _p, e: shown.append(str(e))
    )
    asked: list[Any] = []

    def ask(cls: Any, _parent: Any, _taken: Any, draft: Any = None) -> Any:
        asked.append(draft)
        return SEED_001[0] if len(asked) == 1 else None  # the same code again: refused

    monkeypatch.setattr(DefinitionDialog, "ask", classmethod(ask))
    screen.definitions.add_button.click()
    assert shown and "уже есть" in shown[0]
    assert asked[1] == SEED_001[0]


def test_summary_shows_a_column_per_district_indicator(qtbot: QtBot, district: Services) -> None:
    for draft in SEED_001:
        district.thresholds.save_definition(draft)
    with district.db.session() as s:
        add_two_schools(s)
    spec = next(s for s in screens_for(Role.DISTRICT) if s.key == "summary")
    screen = spec.factory(district)
    assert isinstance(screen, SummaryScreen)
    qtbot.addWidget(screen)
    screen.load(YEAR)
    qtbot.waitUntil(lambda: screen.summary is not None, timeout=5000)
    model = screen.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert set(headers) >= {d.code for d in SEED_001}
    column = headers.index("MUN_GIA9_NO_FAIL")
    row = next(r for r in range(model.rowCount()) if model.row_at(r).site_id == SCHOOL_B)
    assert model.data(model.index(row, column)) == "75,0"
    assert "Доля выпускников 9 классов" in model.data(
        model.index(row, column), Qt.ItemDataRole.ToolTipRole
    )
