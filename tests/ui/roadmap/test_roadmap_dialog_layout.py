"""«Дорожная карта: общие сведения»: the spare height goes to the text fields, not to a gap."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.gui.screens.roadmap.dialogs import RoadmapDialog


def test_the_last_row_has_no_gap_and_the_texts_get_the_room(qtbot: QtBot) -> None:
    dialog = RoadmapDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    row = dialog.adopted_date
    assert row.height() <= row.sizeHint().height() + 2  # the date sits by its label
    assert dialog.goal.height() > 60
