"""The roadmap's actions at 1024 px: every one has a visible button, none behind a «»»."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QToolButton
from pytestqt.qtbot import QtBot

from models.roadmap import RoadmapBase
from services.app import Services
from ui.gui.screens.roadmap.commands import Importer
from ui.gui.screens.roadmap.screen import RoadmapScreen
from ui.gui.tasks import idle

# The screen's share of a 1024 px window: the navigation list takes 230 px of it.
SCREEN_WIDTH = 1024 - 230 - 12


def _button_of(screen: RoadmapScreen, action: QAction) -> QAbstractButton | None:
    for button in screen.findChildren(QToolButton):
        if button.defaultAction() is action:
            return button
    return None


def test_every_roadmap_action_has_a_visible_button_at_1024_px(
    school: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    school.roadmap.save_roadmap(
        RoadmapBase(title="План", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    )
    importer = Importer(tmp_path, lambda *_: "")
    screen = RoadmapScreen(
        school.roadmap, importer, today=lambda: date(2026, 11, 20), programme=school.programme
    )
    qtbot.addWidget(screen)
    screen.resize(SCREEN_WIDTH, 700)
    screen.show()
    screen.refresh()
    qtbot.waitUntil(idle, timeout=5000)
    qtbot.waitUntil(screen.toolbar.isVisible, timeout=5000)
    hidden = []
    for action in screen.commands.values():
        button = _button_of(screen, action)
        if button is None or not button.isVisible():
            hidden.append(action.text())
            continue
        right = button.mapTo(screen, button.rect().topRight()).x()
        assert right < screen.width(), f"«{action.text()}» за краем ({right} px)"
    assert hidden == []


def test_a_hidden_action_hides_its_button(school: Services, qtbot: QtBot) -> None:
    screen = RoadmapScreen(school.roadmap, None, today=lambda: date(2026, 11, 20))
    qtbot.addWidget(screen)
    button = _button_of(screen, screen.commands["import"])
    assert button is not None and not button.isVisibleTo(screen)
    screen.commands["import"].setVisible(True)
    assert button.isVisibleTo(screen)
