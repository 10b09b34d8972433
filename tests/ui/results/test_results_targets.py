"""A target set from «Результаты» follows its indicator's unit, not a percentage's 0–100."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from models import Role, stable_id
from models.catalogue import IndicatorDefinition
from services.app import Services
from ui.gui.screens.results.dialogs import EntryDialog
from ui.gui.screens.results.screen import ResultsScreen, make_results_screen
from ui.gui.tasks import idle

_CODE = "MUN_GRADUATES_11"


def _define_count_indicator(school: Services) -> None:
    """A district indicator counting people, as a bulletin brings it to the school."""
    with school.db.session() as s:
        s.add(
            IndicatorDefinition(
                id=stable_id("indicator", _CODE),
                owner="district",
                code=_CODE,
                name="Выпускники 11 классов",
                unit="чел.",
                formula="graduates_11",
            )
        )


@pytest.fixture
def screen(school: Services, qtbot: QtBot) -> ResultsScreen:
    school.results.fill_demo(Role.SCHOOL)
    _define_count_indicator(school)
    widget = make_results_screen(school)
    qtbot.addWidget(widget)
    qtbot.waitUntil(idle)
    return widget


def _typing(qtbot: QtBot, target: str, seen: dict[str, Any]) -> Any:
    """`EntryDialog.ask` that builds the real form, types `target` and saves if it may."""

    def ask(cls: type[EntryDialog], parent: Any, title: str, *args: Any) -> Any:
        dialog = cls(title, *args)
        qtbot.addWidget(dialog)
        dialog._widgets["target"].setText(target)  # type: ignore[attr-defined]
        save = dialog.buttons.buttons()[0]
        seen["enabled"], seen["problems"] = save.isEnabled(), dialog.problems_label.text()
        return dialog.entry() if save.isEnabled() else None

    return classmethod(ask)


def _value(screen: ResultsScreen, code: str) -> Any:
    return {v.key: v for v in screen.indicators.model.rows()}[code]


def test_a_count_indicator_takes_a_target_of_250(
    screen: ResultsScreen, school: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(EntryDialog, "ask", _typing(qtbot, "250", seen))
    screen.indicators.target_requested.emit(_value(screen, _CODE))
    assert seen["enabled"], seen["problems"]
    qtbot.waitUntil(idle)
    assert _value(screen, _CODE).target == 250
    saved = {t.indicator_code: t.target for t in school.results.targets(screen.year)}
    assert saved[_CODE] == 250


@pytest.mark.parametrize(("code", "typed"), [(_CODE, "12,5"), ("CONDITIONAL", "150")])
def test_a_half_person_or_150_percent_is_refused_in_the_form(
    screen: ResultsScreen, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, code: str, typed: str
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(EntryDialog, "ask", _typing(qtbot, typed, seen))
    screen.indicators.target_requested.emit(_value(screen, code))
    assert not seen["enabled"]
    assert typed in seen["problems"]
