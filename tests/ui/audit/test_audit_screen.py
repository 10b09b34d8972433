"""«Самоаудит» screen: start, form saves, out-of-range refused, override, chart, measures."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from models import Role
from models.audit import RiskLevel
from services.app import Services
from services.audit.demo import AuditDemo
from services.audit.service import AnswerRead
from ui.gui.screens.audit import screen as audit_screen
from ui.gui.screens.audit.chart import NARROW_CHART
from ui.gui.screens.audit.dialogs import MeasuresDialog
from ui.gui.screens.audit.form import NARROW_FORM
from ui.gui.screens.audit.screen import AuditScreen
from ui.gui.tasks import idle

TODAY = date(2026, 11, 20)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(audit_screen, "show_error", lambda _parent, exc: shown.append(str(exc)))
    return shown


def make(qtbot: QtBot, school: Services) -> AuditScreen:
    screen = AuditScreen(school.audit, today=lambda: TODAY)
    qtbot.addWidget(screen)
    screen.resize(1300, 800)
    qtbot.waitUntil(idle)  # the screen reads its data in the background
    return screen


def start(qtbot: QtBot, screen: AuditScreen) -> None:
    qtbot.mouseClick(screen.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(idle)


def test_start_then_answer_scale_and_number(qtbot: QtBot, school: Services) -> None:
    screen = make(qtbot, school)
    assert screen.year_combo.currentData() == 2026 and screen.start_button.isVisibleTo(screen)
    start(qtbot, screen)
    assert school.audit.years() == [2026]
    assert screen.factors.rowCount() == 10 and screen.selected_code() == "R01"
    row = screen.form.row("R01.2")
    assert row.combo is not None
    row.combo.setFocus()
    row.combo.setCurrentIndex(row.combo.findData(0))  # «0 — нет»
    row.combo.activated.emit(row.combo.currentIndex())
    number = screen.form.row("R01.1")
    assert number.spin is not None and number.spin.maximum() == 1000
    number.spin.setValue(25)
    number.spin.editingFinished.emit()
    number.comment.setText("12 компьютеров")
    number.comment.editingFinished.emit()
    view = school.audit.view(2026)
    assert view is not None
    assert view.answer("R01.2").score == 0 and view.answer("R01.1").value == 25
    assert view.answer("R01.1").comment == "12 компьютеров"
    item = screen.factors.item(0, 1)
    assert item is not None and item.text() == "высокий"
    assert "2 из 62" in screen.completeness.text()
    screen.step_factor(1)
    assert screen.selected_code() == "R02" and screen.form.rows[0].criterion.code == "R02.1"
    screen.step_factor(-1)
    assert screen.selected_code() == "R01" and screen.form.row("R01.2").combo is not None
    assert screen.chart.values() == {"2026": [100.0] + [0.0] * 9}


def test_out_of_range_number_is_refused(qtbot: QtBot, school: Services, errors: list[str]) -> None:
    school.audit.ensure(2026, TODAY)
    screen = make(qtbot, school)
    screen.factors.selectRow(1)  # R02
    share = screen.form.row("R02.2")  # retirement-age teachers, 0–100 %
    assert share.spin is not None
    share.spin.lineEdit().selectAll()
    qtbot.keyClicks(share.spin.lineEdit(), "150")
    qtbot.keyClick(share.spin.lineEdit(), Qt.Key.Key_Return)
    assert share.spin.value() <= 100  # the spin box refuses the out-of-range keystroke
    # an out-of-range value reaching the service is refused, shown, and nothing is saved
    assert not screen.form.save(AnswerRead("R02.2", value=150.0))
    assert errors and "вне допустимого диапазона" in errors[-1]
    view = school.audit.view(2026)
    assert view is not None and (view.answer("R02.2").value or 0) <= 100


def test_override_needs_reason(qtbot: QtBot, school: Services, errors: list[str]) -> None:
    school.audit.ensure(2026, TODAY)
    screen = make(qtbot, school)
    screen.level.combo.setCurrentIndex(screen.level.combo.findData(RiskLevel.HIGH))
    qtbot.mouseClick(screen.level.button, Qt.MouseButton.LeftButton)
    assert errors and "Укажите причину" in errors[-1]
    screen.level.reason.setText("Решение рабочей группы")
    qtbot.mouseClick(screen.level.button, Qt.MouseButton.LeftButton)
    view = school.audit.view(2026)
    assert view is not None and view.results["R01"].level is RiskLevel.HIGH
    item = screen.factors.item(0, 1)
    assert item is not None and item.text() == "высокий *"


def test_chart_has_both_years_and_measures_are_linked(
    qtbot: QtBot, school: Services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    AuditDemo(school.audit).fill_demo(Role.SCHOOL, TODAY)
    screen = make(qtbot, school)
    assert screen.year_combo.currentData() == 2026
    values = screen.chart.values()
    assert set(values) == {"2025", "2026"}
    comparison = school.audit.comparison(2026)
    expected = [round(c.current.share or 0, 3) for c in comparison if c.current]
    assert [round(v, 3) for v in values["2026"]] == expected
    assert screen.chart.x_axis.categories() == [f"R{n:02d}" for n in range(1, 11)]
    asked: list[Any] = []

    def ask(_parent: object, choices: list[Any]) -> list[str]:
        asked.extend(choices)
        return ["R04"]

    monkeypatch.setattr(MeasuresDialog, "ask", ask)
    screen.factors.selectRow(3)  # R04
    qtbot.mouseClick(screen.measures_button, Qt.MouseButton.LeftButton)
    assert [c.code for c in asked if c.checked] == ["R02"]  # high levels are pre-ticked
    assert "добавлено мероприятий: 3" in screen.message.text()
    assert screen.linked.count() == 3 and "Запланировано" in screen.linked.item(0).text()
    qtbot.mouseClick(screen.measures_button, Qt.MouseButton.LeftButton)
    assert "ничего не добавлено" in screen.message.text()
    screen.grab().save(str(tmp_path / "audit.png"))


def test_previous_year_is_readable(qtbot: QtBot, school: Services) -> None:
    AuditDemo(school.audit).fill_demo(Role.SCHOOL, TODAY)
    screen = make(qtbot, school)
    screen.year_combo.setCurrentIndex(screen.year_combo.findData(2025))
    screen.year_combo.activated.emit(screen.year_combo.currentIndex())
    assert "62 из 62" in screen.completeness.text()
    assert set(screen.chart.values()) == {"2025"}
    row = screen.form.row("R01.1")
    assert row.spin is not None and row.spin.value() > 0


def test_details_dialog_round_trip(qtbot: QtBot, school: Services) -> None:
    from ui.gui.screens.audit.dialogs import Details, DetailsDialog

    dialog = DetailsDialog(Details("Иванова Анна Петровна, завуч", "Выводы", None))
    qtbot.addWidget(dialog)
    assert not dialog.day.isEnabled()
    dialog.complete_box.setChecked(True)
    dialog.day.setDate(dialog.day.date().fromString("24.03.2026", "dd.MM.yyyy"))
    got = dialog.details()
    assert got == Details("Иванова Анна Петровна, завуч", "Выводы", date(2026, 3, 24))


def test_optional_factor_is_switched_on_by_its_check_box(qtbot: QtBot, school: Services) -> None:
    screen = make(qtbot, school)
    start(qtbot, screen)
    boxes = screen.optional.findChildren(QCheckBox)
    assert [b.text() for b in boxes] == ["Учитывать фактор R11:"]
    titles = [label.text() for label in screen.optional.findChildren(QLabel)]
    assert titles == ["Высокая доля обучающихся с ОВЗ"]  # beside the box, wrapped when narrow
    boxes[0].click()
    view = school.audit.view(2026)
    assert view is not None and "R11" in view.results
    assert screen.factors.rowCount() == 11


def test_a_narrow_chart_labels_factors_by_number(qtbot: QtBot, school: Services) -> None:
    AuditDemo(school.audit).fill_demo(Role.SCHOOL, TODAY)
    screen = make(qtbot, school)
    screen.show()
    chart = screen.chart
    chart.resize(NARROW_CHART + 100, 240)
    qtbot.waitUntil(lambda: chart.categories()[0] == "R01")
    assert chart.categories() == [f"R{n:02d}" for n in range(1, 11)]
    chart.resize(NARROW_CHART - 100, 240)  # a 1024-px screen: «R01» would be cut to «…»
    qtbot.waitUntil(lambda: chart.categories()[0] == "1")
    assert chart.categories() == [str(n) for n in range(1, 11)]
    assert set(chart.values()) == {"2025", "2026"}  # the bars stay


def test_a_narrow_form_puts_comment_and_evidence_under_the_question(
    qtbot: QtBot, school: Services
) -> None:
    AuditDemo(school.audit).fill_demo(Role.SCHOOL, TODAY)
    screen = make(qtbot, school)
    screen.show()
    form = screen.form
    row = form.row("R01.1")
    comment = row.comment.text()

    def position(widget: QWidget) -> tuple[int, int]:
        place = cast(
            tuple[int, int, int, int], form.grid.getItemPosition(form.grid.indexOf(widget))
        )
        return place[0], place[1]

    form.resize(NARROW_FORM + 200, 500)
    qtbot.waitUntil(lambda: position(row.comment)[1] == 2)
    assert position(row.question) == (1, 0) and position(row.comment) == (1, 2)
    form.resize(NARROW_FORM - 100, 500)
    qtbot.waitUntil(lambda: position(row.comment)[1] == 0)
    assert position(row.comment) == (3, 0) and position(row.evidence) == (3, 1)
    assert position(form.row("R01.2").question) == (5, 0)  # four grid rows per criterion
    assert row.comment.text() == comment and row.comment.isVisibleTo(form)
    row.comment.setText("Новый комментарий")
    row.comment.editingFinished.emit()  # still saves after the move
    view = school.audit.view(2026)
    assert view is not None and view.answer("R01.1").comment == "Новый комментарий"
