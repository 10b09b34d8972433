"""A refused form stays open with everything typed; the reason shows inline above «Сохранить»."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from services.results.rules import TargetEntry
from ui.gui.screens.district.schools_dialogs import CommentDialog
from ui.gui.screens.results.dialogs import EntryDialog, FieldSpec
from ui.gui.screens.roadmap.dialogs import RoadmapDialog
from ui.gui.screens.staff.dialogs import TeacherDialog


def _save(dialog: QWidget) -> QDialogButtonBox:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    return box


def _ok_enabled(dialog: QWidget) -> bool:
    box = _save(dialog)
    ok = box.button(QDialogButtonBox.StandardButton.Ok) or box.button(
        QDialogButtonBox.StandardButton.Save
    )
    return bool(ok.isEnabled())


def test_roadmap_period_backwards_keeps_the_form_open(qtbot: QtBot) -> None:
    dialog = RoadmapDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title_edit.setText("Дорожная карта на 2026 год")
    dialog.goal.setPlainText("Повысить качество")
    dialog.start.setDate(QDate(2026, 9, 1))
    dialog.end.setDate(QDate(2026, 1, 31))
    assert not _ok_enabled(dialog)
    assert "Конец периода раньше" in dialog.problems.text()
    _save(dialog).accepted.emit()  # Return in a field presses the default button
    assert dialog.isVisible() and dialog.goal.toPlainText() == "Повысить качество"
    dialog.end.setDate(QDate(2026, 12, 31))
    assert _ok_enabled(dialog) and not dialog.problems.isVisible()
    assert dialog.values().period_end == date(2026, 12, 31)


def test_teacher_without_name_is_refused_inline(qtbot: QtBot) -> None:
    dialog = TeacherDialog(None, [], None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.subjects.setText("математика")
    assert not _ok_enabled(dialog) and "ФИО" in dialog.problems.text()
    _save(dialog).accepted.emit()
    assert dialog.isVisible() and dialog.subjects.text() == "математика"
    dialog.name.setText("Белова Ирина Сергеевна")
    assert _ok_enabled(dialog)


def test_empty_district_comment_is_refused_inline(qtbot: QtBot) -> None:
    dialog = CommentDialog("Новый комментарий", "к школе", "")
    qtbot.addWidget(dialog)
    assert not _ok_enabled(dialog) and "комментари" in dialog.problems.text()
    dialog.edit.setPlainText("Проверьте сроки")
    assert _ok_enabled(dialog)


def test_a_typed_percent_is_never_cut(qtbot: QtBot) -> None:
    fields = [FieldSpec("target", "float", optional=True, maximum=100)]
    dialog = EntryDialog("Цель", fields, TargetEntry(2026, "X", None, None), lambda _e: [])
    qtbot.addWidget(dialog)
    target = dialog._widgets["target"]
    target.setText("abc150")  # type: ignore[attr-defined]
    assert not _ok_enabled(dialog) and "abc150" in dialog.problems_label.text()
    target.setText("150")  # type: ignore[attr-defined]
    assert not _ok_enabled(dialog) and "150" in dialog.problems_label.text()
    target.setText("15,5")  # type: ignore[attr-defined]
    assert _ok_enabled(dialog) and dialog.entry().target == 15.5
