"""A colleague saved the same threshold or comment: the conflict dialog shows both versions and
the editor never loses what the user typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models.catalogue import Comparison
from services.app import Services
from services.core.errors import ChangedByOther
from services.district import ThresholdDraft
from tests.services.district.staff_support import two_staff
from ui.gui.screens.district.schools_dialogs import CommentDialog
from ui.gui.screens.district.thresholds import ThresholdsScreen
from ui.gui.screens.district.thresholds_parts import ThresholdDialog
from ui.gui.tasks import idle
from ui.gui.widgets import conflict
from ui.gui.widgets.conflict import Choice, ConflictDialog

SCHOOL = "11111111-2222-3333-4444-555555555555"
YEAR = 2025


@pytest.fixture
def staff(template_db: Path, tmp_path: Path) -> Iterator[tuple[Services, Services]]:
    with two_staff(template_db, tmp_path) as pair:
        yield pair


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> tuple[list[Choice], list[ChangedByOther]]:
    """The conflict dialog answers with the queued choices and records what it was shown."""
    queued: list[Choice] = []
    shown: list[ChangedByOther] = []

    def ask(_cls: object, _parent: object, exc: ChangedByOther) -> Choice:
        shown.append(exc)
        return queued.pop(0)

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(ask))
    return queued, shown


def test_comment_editor_keeps_the_typed_text_on_a_colleagues_save(
    staff: tuple[Services, Services],
    answers: tuple[list[Choice], list[ChangedByOther]],
    qtbot: QtBot,
) -> None:
    a, b = staff
    comment = a.registry.add_comment(SCHOOL, "site", SCHOOL, "Проверьте сроки")

    def save(text: str, expected: str | None) -> None:
        a.registry.edit_comment(comment.id, text, expected)

    dialog = CommentDialog("Комментарий", "школа в целом", comment.text, None, save, comment.hlc)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.edit.setPlainText("Мой текст замечания")
    b.registry.edit_comment(comment.id, "Текст коллеги", b.registry.comments(SCHOOL)[0].hlc)
    queued, shown = answers
    queued.append(Choice.BACK)
    dialog.accept()
    assert dialog.isVisible() and dialog.edit.toPlainText() == "Мой текст замечания"
    assert (shown[0].theirs, shown[0].yours) == ("Текст коллеги", "Мой текст замечания")
    assert [c.text for c in a.registry.comments(SCHOOL)] == ["Текст коллеги"]
    queued.append(Choice.KEEP_MINE)  # saved over the colleague's version, knowingly
    dialog.accept()
    assert not dialog.isVisible() and dialog.result() == CommentDialog.DialogCode.Accepted
    assert [c.text for c in b.registry.comments(SCHOOL)] == ["Мой текст замечания"]


def test_threshold_dialog_takes_the_colleagues_version(
    staff: tuple[Services, Services],
    answers: tuple[list[Choice], list[ChangedByOther]],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = staff
    a.thresholds.save(ThresholdDraft(YEAR, "VPR_FAIL", Comparison.GT, 20))
    screen = ThresholdsScreen(a.thresholds)
    qtbot.addWidget(screen)
    screen.year.setValue(YEAR)
    qtbot.waitUntil(idle, timeout=10_000)
    typed = ThresholdDraft(YEAR, "VPR_FAIL", Comparison.GT, 30, "мой")
    b.thresholds.save(ThresholdDraft(YEAR, "VPR_FAIL", Comparison.GT, 25, "коллеги"))
    queued, shown = answers
    queued += [Choice.BACK, Choice.TAKE_THEIRS]
    pressed: list[str] = []

    def exec_(dialog: ThresholdDialog) -> int:
        monkeypatch.setattr(dialog, "draft", lambda: typed)
        for _ in range(2):  # «Сохранить» twice: back to the editor, then the colleague's
            dialog.accept()
            pressed.append("visible" if dialog.result() == 0 else "closed")
        return dialog.result()

    monkeypatch.setattr(ThresholdDialog, "exec", exec_)
    screen.table.selectRow(0)
    screen.edit_button.click()
    assert pressed == ["visible", "closed"]
    assert (shown[0].theirs, shown[0].yours) == ("> 25 %; коллеги", "> 30 %; мой")
    assert [(t.value, t.note) for t in a.thresholds.for_year(YEAR)] == [(25, "коллеги")]
    assert screen.status.text() == "Оставлен порог, сохранённый коллегой."
    assert screen.model.row_at(0).item.value == 25  # the list shows what is stored


def test_conflict_dialog_shows_both_versions(qtbot: QtBot) -> None:
    exc = ChangedByOther("текст комментария", "Текст коллеги", "Мой текст", "stamp")
    dialog = ConflictDialog(exc)
    qtbot.addWidget(dialog)
    assert dialog.theirs.toPlainText() == "Текст коллеги"
    assert dialog.yours.toPlainText() == "Мой текст"
    assert dialog.choice is Choice.BACK  # closing it goes back to the editor
    dialog.keep_button.click()
    assert dialog.choice.value == Choice.KEEP_MINE.value
    removed = ConflictDialog(ChangedByOther("комментарий удалён", "комментарий удалён", "x", ""))
    qtbot.addWidget(removed)
    assert removed.keep_button.text() == "Восстановить с моим вариантом"
    removed.take_button.click()
    assert removed.choice is Choice.TAKE_THEIRS


def test_other_refusals_keep_the_editor_open(
    staff: tuple[Services, Services], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = staff
    comment = a.registry.add_comment(SCHOOL, "site", SCHOOL, "Проверьте сроки")
    a.registry.delete_comment(comment.id)
    errors: list[str] = []
    monkeypatch.setattr(conflict, "show_error", lambda _p, exc: errors.append(str(exc)))

    def save(text: str, expected: str | None) -> None:
        a.registry.edit_comment(comment.id, text, None)  # no check: the row is simply gone

    dialog = CommentDialog("Комментарий", "школа в целом", "Мой текст", None, save, comment.hlc)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    assert dialog.isVisible() and dialog.edit.toPlainText() == "Мой текст"
    assert errors == ["Комментарий не найден (возможно, он уже удалён)."]
