"""«Результаты»: the assessment tab, ВПР from percentages, and the municipal progression inputs."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from services.results.rules import AssessmentEntry, ProgressionEntry, check_progression
from ui.gui.screens.results.dialogs import EntryDialog, FieldSpec
from ui.gui.screens.results.new_inputs import VprSharesDialog
from ui.gui.screens.results.screen import ResultsScreen, make_results_screen
from ui.gui.tasks import idle


@pytest.fixture
def screen(school: Services, qtbot: QtBot) -> ResultsScreen:
    school.results.fill_demo(Role.SCHOOL)
    widget = make_results_screen(school)
    qtbot.addWidget(widget)
    qtbot.waitUntil(idle)
    return widget


def test_assessment_rows_are_added_through_their_tab(
    screen: ResultsScreen, school: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = len(school.results.assessment(screen.year))
    entry = AssessmentEntry(screen.year, 9, "Математика", 25, 23, 11, "year", "А")
    monkeypatch.setattr(EntryDialog, "ask", classmethod(lambda cls, *a, **k: entry))
    screen.assessment_tab.add_button.click()
    [saved] = [e for e in school.results.assessment(screen.year) if e.class_label == "А"]
    assert (saved.pupils, saved.achieved, saved.quality, saved.grade) == (25, 23, 11, 9)
    assert screen.assessment_tab.model.rowCount() == before + 1


def _fill(dialog: VprSharesDialog, participants: str, marks: list[str], journal: list[str]) -> None:
    dialog.participants.setText(participants)
    for field, text in zip(dialog.marks, marks, strict=True):
        field.setText(text)
    for field, text in zip(dialog.journal, journal, strict=True):
        field.setText(text)


def test_percentages_show_the_counts_before_saving(school: Services, qtbot: QtBot) -> None:
    dialog = VprSharesDialog(school.results, 2025)
    qtbot.addWidget(dialog)
    save = dialog.buttons.buttons()[0]
    assert not save.isEnabled()
    # 27 participants: 11,11 % / 33,33 % / 40,74 % / 14,81 % are 3, 9, 11 and 4 pupils
    _fill(dialog, "27", ["11,11", "33,33", "40,74", "14,81"], ["22,22", "70,37", "7,41"])
    assert save.isEnabled(), dialog.problems.text()
    assert "«2» — 3, «3» — 9, «4» — 11, «5» — 4" in dialog.preview.text()
    assert "понизили — 6, подтвердили — 19, повысили — 2" in dialog.preview.text()
    assert dialog.entry is not None and dialog.entry.participants == 27


@pytest.mark.parametrize(
    ("participants", "marks", "words"),
    [
        ("abc150", ["10", "40", "40", "10"], "не число"),
        ("20", ["10", "40", "40", "5"], "в сумме дают 95"),
        ("20", ["10", "40", "x40", "10"], "не число"),
    ],
)
def test_refused_percentages_keep_what_was_typed(
    school: Services, qtbot: QtBot, participants: str, marks: list[str], words: str
) -> None:
    dialog = VprSharesDialog(school.results, 2025)
    qtbot.addWidget(dialog)
    _fill(dialog, participants, marks, ["", "", ""])
    assert not dialog.buttons.buttons()[0].isEnabled()
    assert words in dialog.problems.text()
    assert dialog.participants.text() == participants and dialog.entry is None


def test_municipal_progression_inputs_left_blank_stay_not_entered(qtbot: QtBot) -> None:
    fields = [FieldSpec("pupils"), FieldSpec("gia9_admitted", optional=True),
              FieldSpec("gia9_no_fail", optional=True)]  # fmt: skip
    dialog = EntryDialog("Переводы", fields, ProgressionEntry(2025, "all", 300), check_progression)
    qtbot.addWidget(dialog)
    entry: Any = dialog.entry()
    assert entry.gia9_admitted is None and entry.gia9_no_fail is None
    dialog._widgets["gia9_admitted"].setText("30")  # type: ignore[attr-defined]
    dialog._widgets["gia9_no_fail"].setText("31")  # type: ignore[attr-defined]
    assert "больше, чем «Допущены к ГИА-9»" in dialog.problems_label.text()
    dialog._widgets["gia9_no_fail"].setText("28")  # type: ignore[attr-defined]
    assert dialog.entry().gia9_no_fail == 28 and dialog.buttons.buttons()[0].isEnabled()
