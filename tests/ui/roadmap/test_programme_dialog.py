"""«Программа…»: the staffing table with undo, refused rows kept, the heading's programme fields."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from models.roadmap import RoadmapBase
from services.app import Services
from services.roadmap import StaffFields
from ui.gui.screens.roadmap.dialogs import RoadmapDialog
from ui.gui.screens.roadmap.programme_dialog import ProgrammeDialog, StaffDialog

ROW = StaffFields(
    "Редькова А.А.",
    "Заместитель начальника Управления образования",
    "Куратор механизма «Система оценки качества образовательных результатов»",
)


def _programme(d: Services) -> tuple[str, str]:
    rid = d.roadmap.save_roadmap(
        RoadmapBase(title="Муниципальная программа", period_start=date(2021, 1, 1),
                    period_end=date(2024, 12, 31), coordinator="Редькова А.А.")
    )  # fmt: skip
    return rid, d.roadmap.add_section(rid, "Система оценки качества образовательных результатов")


def _cells(dialog: ProgrammeDialog) -> list[list[str]]:
    t = dialog.table
    return [
        [cell.text() if (cell := t.item(r, c)) else "" for c in range(t.columnCount())]
        for r in range(t.rowCount())
    ]


def _box(dialog: QWidget) -> QDialogButtonBox:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    return box


def test_rows_are_added_edited_deleted_and_undone(
    district: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid, section = _programme(district)
    dialog = ProgrammeDialog(district.programme, rid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "01.01.2021 – 31.12.2024" in dialog.summary.text()
    answers = [ROW.changed(curates="", section_id=section)]
    monkeypatch.setattr(StaffDialog, "ask", classmethod(lambda cls, *_a: answers.pop(0)))
    dialog.buttons["add"].click()
    assert _cells(dialog) == [["1.", ROW.person, ROW.job_title, ROW.role,
                               "Система оценки качества образовательных результатов"]]  # fmt: skip
    answers.append(ROW.changed(job_title="Начальник отдела", section_id=None, curates="ВсОШ"))
    dialog.table.selectRow(0)
    dialog.buttons["edit"].click()
    assert _cells(dialog)[0][2:] == ["Начальник отдела", ROW.role, "ВсОШ"]
    dialog.buttons["delete"].click()
    assert _cells(dialog) == []
    dialog.buttons["undo"].click()  # the delete
    dialog.buttons["undo"].click()  # the edit
    assert _cells(dialog)[0][2] == ROW.job_title
    dialog.buttons["undo"].click()  # the add
    assert _cells(dialog) == [] and district.programme.programme(rid).staff == ()


def test_a_row_the_service_refuses_is_offered_again_with_what_was_typed(
    district: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid, section = _programme(district)
    dialog = ProgrammeDialog(district.programme, rid)
    qtbot.addWidget(dialog)
    district.roadmap.delete_section(section)  # removed after the dialog read the sections
    calls: list[tuple[StaffFields | None, str]] = []

    def ask(cls: object, _parent: object, values: StaffFields | None, _s: object, error: str = ""):
        calls.append((values, error))
        return ROW.changed(section_id=section) if len(calls) == 1 else None

    monkeypatch.setattr(StaffDialog, "ask", classmethod(ask))
    dialog.buttons["add"].click()
    assert len(calls) == 2
    again, error = calls[1]
    assert again == ROW.changed(section_id=section) and "раздел" in error
    assert district.programme.programme(rid).staff == ()


def test_the_row_form_waits_for_a_name_and_keeps_the_text(qtbot: QtBot) -> None:
    dialog = StaffDialog(None, [])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.role.setPlainText("Куратор механизма «Система методической работы»")
    box = _box(dialog)
    ok = box.button(QDialogButtonBox.StandardButton.Ok) or box.button(
        QDialogButtonBox.StandardButton.Save
    )
    assert not ok.isEnabled() and "ФИО" in dialog.problems.text()
    box.accepted.emit()
    assert dialog.isVisible() and "методической" in dialog.role.toPlainText()
    dialog.job_title.setText("x" * 301)
    assert "не больше 300" in dialog.problems.text()
    dialog.job_title.setText("Заведующий ИМЦ")
    dialog.person.setText("Трусова М.Б.")
    assert ok.isEnabled()
    assert dialog.values().person == "Трусова М.Б."


def test_the_heading_holds_mechanisms_coordinator_and_a_multi_year_period(qtbot: QtBot) -> None:
    dialog = RoadmapDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title_edit.setText("Муниципальная программа")
    dialog.start.setDate(QDate(2021, 1, 1))
    dialog.end.setDate(QDate(2024, 12, 31))
    dialog.mechanisms.setPlainText("- принятие эффективных решений;")
    dialog.coordinator.setText("x" * 501)
    assert "Координатор" in dialog.problems.text()
    dialog.coordinator.setText("Гайдай Е.В., начальник отдела")
    values = dialog.values()
    assert (values.period_start, values.period_end) == (date(2021, 1, 1), date(2024, 12, 31))
    assert values.mechanisms == "- принятие эффективных решений;"
    assert values.coordinator == "Гайдай Е.В., начальник отдела"
    assert dialog.height() <= 740 and dialog.width() <= 1024


def test_the_programme_dialog_fits_1024_by_768(district: Services, qtbot: QtBot) -> None:
    rid, _section = _programme(district)
    dialog = ProgrammeDialog(district.programme, rid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= 1000 and dialog.height() <= 700
    assert dialog.minimumSizeHint().width() <= 1000


def test_moving_past_the_edge_changes_nothing_and_leaves_nothing_to_undo(
    district: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid, _section = _programme(district)
    for person in ("Первая А.А.", "Второй Б.Б."):
        district.programme.add_staff(rid, ROW.changed(person=person))
    dialog = ProgrammeDialog(district.programme, rid)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    dialog.buttons["up"].click()
    assert not dialog.history.can_undo()
    dialog.buttons["down"].click()
    assert [r[1] for r in _cells(dialog)] == ["Второй Б.Б.", "Первая А.А."]
    dialog.buttons["undo"].click()
    assert [r[1] for r in _cells(dialog)] == ["Первая А.А.", "Второй Б.Б."]


def test_a_long_section_title_does_not_widen_the_row_form_past_the_screen(qtbot: QtBot) -> None:
    from services.roadmap import SectionRead

    long_title = "Система работы со школами с низкими результатами обучения и/или школами, " * 3
    section = SectionRead(id="s1", roadmap_id="r1", title=long_title)
    dialog = StaffDialog(ROW.changed(section_id="s1"), [section])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= 1000 and dialog.section.currentData() == "s1"
