"""«Протоколы»: list, the form (refused input keeps what was typed), delete with undo, roadmap."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from services.core.progress import Progress
from services.protocols import DecisionFields, ProtocolFields
from tests.services.protocols.seed004 import seed_protocol
from ui.gui.screens.protocols.dialog import ProtocolDialog
from ui.gui.screens.protocols.screen import ProtocolsScreen
from ui.gui.tasks import idle
from ui.gui.widgets.forms import qdate


@pytest.fixture
def school_file(file_services: Services) -> Services:
    file_services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
    return file_services


def _screen(qtbot: QtBot, services: Services) -> ProtocolsScreen:
    printed: list[str] = []

    def save_pdf(protocol_id: str, _out: Path, _progress: Progress) -> None:
        printed.append(protocol_id)

    screen = ProtocolsScreen(services.protocols, save_pdf)
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(idle)
    return screen


def test_the_form_refuses_keeps_what_was_typed_then_saves(qtbot: QtBot, school: Services) -> None:
    saved: list[ProtocolFields] = []

    def save(values: ProtocolFields) -> Any:
        saved.append(values)
        return school.protocols.save(values)

    dialog = ProtocolDialog(None, save)
    qtbot.addWidget(dialog)
    dialog.meeting_date.setDate(qdate(date(2021, 5, 26)))
    dialog.kind.setText("заседания педагогического совета")
    dialog.decisions.add_row(["7", "Составить план - в срок до 01.09.2021", "Иванова", "", ""])
    assert dialog.decisions.text(0, 4) == "до 01.09.2021"
    dialog._on_save()
    assert not dialog.problem.isHidden() and "нет вопроса № 7" in dialog.problem.text()
    assert dialog.kind.text() == "заседания педагогического совета"  # nothing typed is lost
    dialog.agenda.add_row(["О плане", "Иванова И.И.", "", ""])
    number = dialog.decisions.table.item(0, 0)
    assert number is not None
    number.setText("1")
    dialog._on_save()
    assert dialog.result_value is not None
    [row] = school.protocols.protocols()
    assert (row.kind, row.decisions) == ("заседания педагогического совета", 1)
    doc = school.protocols.document(row.id)
    assert doc.decisions[0].agenda_item_id == doc.agenda[0].id
    assert doc.decisions[0].due_date == date(2021, 9, 1)


def test_list_delete_undo_and_a_decision_to_the_roadmap(
    qtbot: QtBot, school_file: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = school_file.protocols.save(seed_protocol()).protocol_id
    screen = _screen(qtbot, school_file)
    assert screen.model.rowCount() == 1
    screen.list.view.selectRow(0)
    qtbot.waitUntil(idle)
    assert screen.decisions_model.rowCount() == 15
    screen.decisions.view.selectRow(0)
    assert screen.roadmap_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *_a, **_k: ("Решения протоколов", True))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    screen.to_roadmap()
    qtbot.waitUntil(idle)
    assert told and "Решения протоколов" in told[0] and "до 01.06.2021" in told[0]
    assert school_file.protocols.document(pid).decisions[0].roadmap_item_id
    screen.list.view.selectRow(0)
    screen.delete_selected()
    qtbot.waitUntil(idle)
    assert screen.model.rowCount() == 0 and school_file.protocols.protocols() == []
    screen.history.undo()
    qtbot.waitUntil(idle)
    assert screen.model.rowCount() == 1
    assert [r.in_roadmap for r in school_file.protocols.protocols()] == [1]


def test_a_received_protocol_is_read_only(
    qtbot: QtBot, school_file: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlmodel import select

    from models.protocol import Protocol

    pid = school_file.protocols.save(
        ProtocolFields(date(2025, 9, 1), "1", decisions=(DecisionFields("Сделать - постоянно"),))
    ).protocol_id
    with school_file.db.session(stamp=False) as s:  # as if it came in the district's bulletin
        row = s.exec(select(Protocol).where(Protocol.id == pid)).one()
        row.owner = "00000000-0000-4000-8000-000000000001"
        s.add(row)
    screen = _screen(qtbot, school_file)
    screen.list.view.selectRow(0)
    qtbot.waitUntil(idle)
    assert not screen.delete_button.isEnabled() and screen.pdf_button.isEnabled()
    screen.decisions.view.selectRow(0)
    assert not screen.roadmap_button.isEnabled()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    screen.edit_selected()
    assert told and "изменить может только она" in told[0]
