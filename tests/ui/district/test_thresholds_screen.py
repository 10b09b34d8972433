"""«Шаблоны и пороги»: thresholds per year edited in place or in a dialog; catalogues published."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QDoubleSpinBox
from pytestqt.qtbot import QtBot

from models import Role
from models.catalogue import Comparison
from services.app import Services
from services.core.errors import AppError
from services.district.demo import EXAMPLE_THRESHOLDS
from services.district.thresholds import ThresholdDraft, ThresholdService
from ui.gui.screens import screens_for
from ui.gui.screens.district import thresholds as screen_module
from ui.gui.screens.district.thresholds import ThresholdsScreen
from ui.gui.screens.district.thresholds_parts import VALUE_COLUMN, ThresholdDialog
from ui.gui.widgets import conflict as conflict_module

YEAR = 2025


def make_screen(qtbot: QtBot, service: ThresholdService) -> ThresholdsScreen:
    widget = ThresholdsScreen(service)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.year.setValue(YEAR)
    widget.refresh()
    return widget


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    for module in (screen_module, conflict_module):
        monkeypatch.setattr(module, "show_error", lambda _p, exc: shown.append(str(exc)))
    return shown


@pytest.fixture
def screen(district: Services, qtbot: QtBot) -> ThresholdsScreen:
    return make_screen(qtbot, district.thresholds)


def cell(screen: ThresholdsScreen, row: int, column: int) -> str:
    return str(screen.model.data(screen.model.index(row, column)))


def test_district_navigation_builds_the_screen(district: Services, qtbot: QtBot) -> None:
    spec = next(s for s in screens_for(Role.DISTRICT) if s.key == "thresholds")
    widget = spec.factory(district)
    qtbot.addWidget(widget)
    assert isinstance(widget, ThresholdsScreen)


def test_empty_year_says_what_to_do_and_examples_fill_it(
    screen: ThresholdsScreen, district: Services
) -> None:
    assert screen.model.rowCount() == 0
    assert "Порогов на 2025 год нет" in screen.status.text()
    assert screen.copy_button.text() == "Скопировать из 2024 года"
    screen.examples_button.click()
    assert screen.model.rowCount() == len(EXAMPLE_THRESHOLDS)
    assert f"Добавлено примеров: {len(EXAMPLE_THRESHOLDS)}" in screen.status.text()
    names = [cell(screen, r, 0) for r in range(screen.model.rowCount())]
    stored = district.thresholds.for_year(YEAR)
    assert names == [t.name for t in stored]
    assert all(cell(screen, r, 4) == "пример" for r in range(screen.model.rowCount()))
    row = next(i for i, t in enumerate(stored) if t.indicator_code == "VPR_FAIL")
    assert cell(screen, row, 1) == "> 25 %"


def test_value_edited_in_place_is_saved_and_clears_the_example_mark(
    screen: ThresholdsScreen, district: Services, qtbot: QtBot
) -> None:
    screen.examples_button.click()
    row = next(
        i for i in range(screen.model.rowCount()) if screen.model.row_at(i).item.indicator_code
        == "VPR_FAIL"
    )  # fmt: skip
    index = screen.model.index(row, VALUE_COLUMN)
    screen.table.setCurrentIndex(index)
    screen.table.edit(index)
    editor = screen.table.findChild(QDoubleSpinBox)
    assert editor is not None
    assert (editor.minimum(), editor.maximum()) == (0, 100)
    assert editor.value() == 25
    editor.setValue(30)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell(screen, row, VALUE_COLUMN) == "30")
    saved = {t.indicator_code: t for t in district.thresholds.for_year(YEAR)}["VPR_FAIL"]
    assert saved.value == 30 and not saved.is_example
    assert cell(screen, row, 4) == ""


def test_refused_value_shows_the_error_and_changes_nothing(
    screen: ThresholdsScreen, district: Services, errors: list[str]
) -> None:
    district.thresholds.save(ThresholdDraft(YEAR, "VPR_FAIL", Comparison.GT, 25))
    screen.refresh()
    ok = screen.model.setData(screen.model.index(0, VALUE_COLUMN), 150.0)
    assert not ok
    assert errors and "от 0 до 100" in errors[0]
    assert district.thresholds.for_year(YEAR)[0].value == 25


def test_note_edited_in_place(screen: ThresholdsScreen, district: Services, qtbot: QtBot) -> None:
    district.thresholds.save(ThresholdDraft(YEAR, "VPR_FAIL", Comparison.GT, 25))
    screen.refresh()
    assert screen.model.setData(screen.model.index(0, 3), "Решение совещания")
    qtbot.waitUntil(lambda: cell(screen, 0, 3) == "Решение совещания")
    assert district.thresholds.for_year(YEAR)[0].note == "Решение совещания"


def answer(monkeypatch: pytest.MonkeyPatch, draft: ThresholdDraft) -> None:
    """The dialog, when shown, is filled with `draft` and «Сохранить» is pressed."""
    monkeypatch.setattr(ThresholdDialog, "draft", lambda self: draft)
    monkeypatch.setattr(ThresholdDialog, "exec", lambda self: (self.accept(), self.result())[1])


def test_add_through_the_dialog(
    screen: ThresholdsScreen, district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = ThresholdDraft(YEAR, "VPR_FAIL|Математика", Comparison.GE, 30, "по математике")
    answer(monkeypatch, draft)
    screen.add_button.click()
    assert cell(screen, 0, 0) == "Доля отметок «2» по ВПР: Математика"
    assert cell(screen, 0, 1) == "≥ 30 %"
    assert district.thresholds.for_year(YEAR)[0].indicator_code == "VPR_FAIL|Математика"


def test_dialog_limits_the_value_and_builds_a_subject_key(district: Services, qtbot: QtBot) -> None:
    defs = district.thresholds.indicators()
    dialog = ThresholdDialog(defs, YEAR)
    qtbot.addWidget(dialog)
    dialog.indicator.setCurrentIndex(dialog.indicator.findData("CERT_9"))
    assert not dialog.subject.isEnabled()
    assert dialog.comparison.currentData() == Comparison.LT  # higher is better → flag when low
    dialog.indicator.setCurrentIndex(dialog.indicator.findData("VPR_FAIL"))
    assert dialog.subject.isEnabled()
    assert dialog.comparison.currentData() == Comparison.GT
    dialog.subject.setText(" Русский язык ")
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    save = box.button(QDialogButtonBox.StandardButton.Save)
    for typed in ("250", "xx250", "abc150"):  # refused whole and named, never cut to 25
        dialog.value.setText(typed)
        assert not save.isEnabled() and typed in dialog.problems.text()
    dialog.value.setText("25,5")
    assert save.isEnabled() and not dialog.problems.isVisible()
    draft = dialog.draft()
    assert draft.indicator_code == "VPR_FAIL|Русский язык"
    assert draft.value == 25.5
    district.thresholds.save(draft)  # what the dialog builds is accepted


def test_edit_dialog_keeps_the_indicator(
    screen: ThresholdsScreen, district: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = district.thresholds.save(ThresholdDraft(YEAR, "REPEATERS", Comparison.LE, 2.5, "н"))
    dialog = ThresholdDialog(district.thresholds.indicators(), YEAR, item)
    qtbot.addWidget(dialog)
    assert not dialog.indicator.isEnabled()
    assert dialog.draft() == ThresholdDraft(YEAR, "REPEATERS", Comparison.LE, 2.5, "н")
    changed = ThresholdDraft(YEAR, "REPEATERS", Comparison.GT, 3.0, "н")
    answer(monkeypatch, changed)
    screen.refresh()
    screen.table.selectRow(0)
    screen.edit_button.click()
    assert cell(screen, 0, VALUE_COLUMN) == "3"


def test_earlier_thresholds_are_shown_and_can_be_copied(
    screen: ThresholdsScreen, district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    district.thresholds.save(ThresholdDraft(YEAR - 1, "VPR_FAIL", Comparison.GT, 25))
    screen.refresh()
    assert screen.model.rowCount() == 1
    assert cell(screen, 0, 4) == "из 2024 г."
    screen.table.selectRow(0)
    assert screen.edit_button.isEnabled() and not screen.delete_button.isEnabled()
    assert district.thresholds.for_year(YEAR) == []
    screen.copy_button.click()
    assert "Скопировано порогов из 2024 года: 1" in screen.status.text()
    assert cell(screen, 0, 4) == ""
    assert [t.value for t in district.thresholds.for_year(YEAR)] == [25]
    screen.copy_button.click()
    assert "уже есть" in screen.status.text()


def test_copy_with_nothing_to_copy_shows_the_refusal(
    screen: ThresholdsScreen, errors: list[str]
) -> None:
    screen.copy_button.click()
    assert errors and "За 2024 год порогов нет" in errors[0]


def test_delete_asks_first(
    screen: ThresholdsScreen, district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    district.thresholds.save(ThresholdDraft(YEAR, "VPR_FAIL", Comparison.GT, 25))
    screen.refresh()
    screen.table.selectRow(0)
    monkeypatch.setattr(screen_module, "confirm", lambda *_a: False)
    screen.delete_button.click()
    assert screen.model.rowCount() == 1
    monkeypatch.setattr(screen_module, "confirm", lambda *_a: True)
    match = screen.delete_shortcut.key().matches(QKeySequence(Qt.Key.Key_Delete))
    assert match == QKeySequence.SequenceMatch.ExactMatch
    screen.delete_shortcut.activated.emit()  # the Delete key on the table
    assert screen.model.rowCount() == 0
    assert district.thresholds.for_year(YEAR) == []


def test_year_selector_switches_the_table(screen: ThresholdsScreen, district: Services) -> None:
    district.thresholds.save(ThresholdDraft(YEAR + 2, "VPR_FAIL", Comparison.GT, 25))
    assert screen.model.rowCount() == 0
    screen.year.setValue(YEAR + 2)
    assert screen.model.rowCount() == 1 and cell(screen, 0, 4) == ""


def test_publish_a_catalogue(screen: ThresholdsScreen, district: Services) -> None:
    states = [(e.kind.value, s.text(), b.isEnabled()) for e, s, b in screen.catalogue_rows]
    assert states == [
        ("indicators", "не опубликован", True),
        ("risk_factors", "не опубликован", True),
    ]
    screen.catalogue_rows[1][2].click()
    assert "Рассылкой школам" in screen.status.text()
    entry, state, button = screen.catalogue_rows[1]
    assert entry.published and state.text() == "опубликован" and not button.isEnabled()
    assert [e.published for e in district.thresholds.catalogues()] == [False, True]


def test_malformed_catalogue_cannot_be_published(
    district: Services, qtbot: QtBot, tmp_path: Path, catalogues_dir: Path
) -> None:
    for f in catalogues_dir.glob("*.json"):
        shutil.copy(f, tmp_path / f.name)
    doc = json.loads((catalogues_dir / "indicators_v1.json").read_text("utf-8"))
    doc["version"] = 3
    (tmp_path / "indicators_v2.json").write_text(json.dumps(doc), "utf-8")
    widget = make_screen(qtbot, ThresholdService(district.db, tmp_path))
    _entry, state, button = next(r for r in widget.catalogue_rows if r[0].version == 2)
    assert "версия 3" in state.text() and not button.isEnabled()
    with pytest.raises(AppError):
        district.thresholds.publish("indicators", 2)
