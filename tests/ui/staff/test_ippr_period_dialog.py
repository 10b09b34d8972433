"""The ИППР preview has the roadmap's period row: year-less months re-read in the user's dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit
from pytestqt.qtbot import QtBot

from models.staff import TeacherBase
from services.app import Services
from services.intake import IpprPreview, apply_ippr
from tests.conftest import INTAKE
from ui.gui.screens.staff.intake import ippr_kind
from ui.gui.tasks import idle
from ui.gui.widgets.intake_dialog import IntakeDialog


def _plan(tmp_path: Path) -> Path:
    path = tmp_path / "ippr.csv"
    path.write_text(
        "№;Мероприятие;Форма;Сроки\n1;Курсы ПК;Курсы ПК;октябрь\n2;Открытый урок;;ноябрь – март\n",
        encoding="utf-8",
    )
    return path


def _set(qtbot: QtBot, edit: QDateEdit, day: QDate) -> None:
    edit.setDate(day)  # as the user types; the deadlines are re-read in a task
    qtbot.waitUntil(idle, timeout=10_000)


def _shown(dialog: IntakeDialog[IpprPreview], row: int) -> str:
    cell = dialog.rows.item(row, 3)
    assert cell is not None
    return cell.text()


def test_the_period_row_rereads_the_deadlines_and_the_typed_period_is_stored(
    qtbot: QtBot, school: Services, tmp_path: Path
) -> None:
    dialog = IntakeDialog(tmp_path / "ippr.csv", ippr_kind(_plan(tmp_path), INTAKE, "Иванова"))
    qtbot.addWidget(dialog)
    row = dialog.period_row
    assert row is not None and row.isVisibleTo(dialog)
    assert "учебный год по умолчанию" in row.source.text() and not row.reset.isEnabled()
    _set(qtbot, row.start, QDate(2024, 9, 1))
    _set(qtbot, row.end, QDate(2025, 8, 31))
    preview = dialog.preview
    assert preview is not None and preview.period == (date(2024, 9, 1), date(2025, 8, 31))
    assert "указан при загрузке" in row.source.text() and row.reset.isEnabled()
    assert _shown(dialog, 0) == "01.10.2024–31.10.2024"
    assert _shown(dialog, 1) == "01.11.2024–31.03.2025"
    teacher = school.staff.save_teacher(TeacherBase(full_name="Иванова Ирина Петровна"))
    assert "новый план 01.09.2024 – 31.08.2025" in apply_ippr(school, preview, teacher)
    [plan] = school.staff.plans(teacher)
    ends = sorted(a.end_date for a in school.staff.activities(plan.id) if a.end_date)
    assert ends == [date(2024, 10, 31), date(2025, 3, 31)]
    row.reset.click()
    qtbot.waitUntil(idle, timeout=10_000)
    assert "учебный год по умолчанию" in row.source.text()


def test_an_end_before_the_start_is_refused_in_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = IntakeDialog(tmp_path / "ippr.csv", ippr_kind(_plan(tmp_path), INTAKE, "Иванова"))
    qtbot.addWidget(dialog)
    assert dialog.period_row is not None
    start = dialog.period_row.period()[0]
    _set(qtbot, dialog.period_row.end, QDate(start.year - 1, 1, 1))
    assert dialog.preview is None and not dialog.load_button.isEnabled()
    assert "раньше его начала" in dialog.error.text()
