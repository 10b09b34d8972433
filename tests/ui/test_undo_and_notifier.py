"""The shared undo wrapper and the app's one change notification."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from models import Role
from models.roadmap import RoadmapBase
from services.app import Services
from services.core.errors import Invalid
from services.roadmap import ItemFields
from ui.gui.app import build_main_window
from ui.gui.screens.overview import OverviewScreen
from ui.gui.screens.roadmap.screen import RoadmapScreen
from ui.gui.tasks import Change, Notifier, idle
from ui.gui.widgets.undo import UndoHistory


def test_undo_history_makes_undoes_reports_refusals_and_announces(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    notifier = Notifier()
    changes: list[Change] = []
    notifier.changed.connect(changes.append)
    state = {"value": 1}
    reloads: list[int] = []
    errors: list[str] = []
    history = UndoHistory(owner, ["roadmap"], reload=lambda: reloads.append(state["value"]),
                          on_error=lambda e: errors.append(str(e)), notifier=notifier)  # fmt: skip

    def set_to(new: int) -> int:
        old, state["value"] = state["value"], new
        return old

    applied = history.push("Изменение", lambda: set_to(5), lambda old: set_to(old))
    assert applied is not None and applied.value == 1 and state["value"] == 5
    assert history.can_undo() and reloads == [5]
    assert changes == [Change(frozenset({"roadmap"}), owner)]

    def refuse() -> int:
        raise Invalid("Укажите название мероприятия.")

    assert history.push("Отказ", refuse, lambda _r: None) is None
    assert errors == ["Укажите название мероприятия."] and history.stack.count() == 1
    assert len(changes) == 1  # a refusal changes nothing and announces nothing
    history.undo()
    assert state["value"] == 1 and not history.can_undo() and len(changes) == 2
    history.undo()  # nothing left: nothing happens
    assert state["value"] == 1 and len(changes) == 2


def test_an_edit_on_the_roadmap_refreshes_the_overview(school: Services, qtbot: QtBot) -> None:
    rid = school.roadmap.save_roadmap(
        RoadmapBase(title="План", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    )
    school.roadmap.add_item(rid, None, ItemFields("Анализ ВПР", "Январь", "Директор"))
    notifier = Notifier()
    roadmap = RoadmapScreen(school.roadmap, notifier=notifier, today=lambda: date(2026, 11, 20))
    overview = OverviewScreen(school.results.overview, notifier=notifier)
    for screen in (roadmap, overview):
        qtbot.addWidget(screen)
        screen.show()
    roadmap.refresh()
    qtbot.waitUntil(idle, timeout=5000)
    before = overview.roadmap_card.body.text()
    roadmap.view.selectAll()
    roadmap.commands["done"].trigger()
    qtbot.waitUntil(idle, timeout=5000)
    assert overview.roadmap_card.body.text() != before  # refreshed without being asked


def test_the_main_window_polls_nothing(qtbot: QtBot, services: Services) -> None:
    services.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105012345")
    window = build_main_window(services, "0.1.0")
    qtbot.addWidget(window)
    assert not [t for t in window.findChildren(QTimer) if t.isActive()]
    window.notifier.announce(["roadmap"])
    assert window.saved_label.text().startswith("Сохранено в ")
