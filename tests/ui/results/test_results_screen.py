"""«Результаты» with pytest-qt on real in-memory services (the demo school)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from services.results.rules import TargetEntry, VprEntry, check_vpr
from services.results.xlsx import write_results_template
from ui.gui.screens.results.dialogs import EntryDialog, FieldSpec
from ui.gui.screens.results.screen import ResultsScreen, make_results_screen
from ui.gui.tasks import idle


@pytest.fixture
def screen(school: Services, qtbot: QtBot) -> ResultsScreen:
    school.results.fill_demo(Role.SCHOOL)
    widget = make_results_screen(school)
    qtbot.addWidget(widget)
    qtbot.waitUntil(idle)  # the screen reads its tables in the background
    return widget


def _ask_returning(value: Any) -> Any:
    return classmethod(lambda cls, *args, **kwargs: value)


def test_shows_latest_year(screen: ResultsScreen, school: Services) -> None:
    latest = school.results.years()[0]
    assert screen.year == latest
    assert screen.vpr_tab.model.rowCount() == len(school.results.vpr(latest))
    assert screen.gia_tab.model.rowCount() == len(school.results.gia(latest))
    assert screen.progression_tab.model.rowCount() == 3
    values = school.results.indicators(latest)
    assert [v.key for v in screen.indicators.model.rows()] == [v.key for v in values]


def test_year_switch_reloads(screen: ResultsScreen, school: Services) -> None:
    earliest = school.results.years()[-1]
    screen.year_combo.setCurrentIndex(screen.year_combo.findData(earliest))
    screen.year_combo.activated.emit(screen.year_combo.currentIndex())
    assert {e.year for e in screen.vpr_tab.model.rows()} == {earliest}


def test_add_row_through_form_updates_indicators(
    screen: ResultsScreen, school: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    year = screen.year
    before = {v.key: v for v in screen.indicators.model.rows()}["VPR_FAIL"].ratio
    new = VprEntry(year, 11, "Химия", 10, 5, 3, 1, 1)
    monkeypatch.setattr(EntryDialog, "ask", _ask_returning(new))
    screen.vpr_tab.add_button.click()
    assert screen.vpr_tab.model.rowCount() == len(school.results.vpr(year))
    assert any(e.subject == "Химия" for e in screen.vpr_tab.model.rows())
    after = {v.key: v for v in screen.indicators.model.rows()}["VPR_FAIL"].ratio
    assert (after.numerator, after.denominator) == (before.numerator + 5, before.denominator + 10)


def test_refused_save_shows_the_message(
    screen: ResultsScreen, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "ui.gui.screens.results.tabs.show_error", lambda _p, e: shown.append(str(e))
    )
    duplicate = screen.vpr_tab.model.row_at(0)
    from dataclasses import replace

    typed = replace(duplicate, id="")
    asked: list[Any] = []

    def ask(cls: Any, _parent: Any, _title: str, _fields: Any, initial: Any, _check: Any) -> Any:
        asked.append(initial)
        return typed if len(asked) == 1 else None  # the user gives up the second time

    monkeypatch.setattr(EntryDialog, "ask", classmethod(ask))
    screen.vpr_tab.add_button.click()
    assert shown and "уже есть" in shown[0]
    assert len(asked) == 2 and asked[1] == typed  # the form came back with what was typed


def test_delete_selected_row(screen: ResultsScreen, monkeypatch: pytest.MonkeyPatch) -> None:
    count = screen.gia_tab.model.rowCount()
    monkeypatch.setattr(type(screen.gia_tab), "confirm_delete", lambda _self: True)
    screen.gia_tab.table.view.selectRow(0)
    screen.gia_tab.delete_button.click()
    assert screen.gia_tab.model.rowCount() == count - 1


def test_form_validates_inline(qtbot: QtBot) -> None:
    fields = [FieldSpec(n) for n in ("participants", "n2", "n3", "n4", "n5")] + [
        FieldSpec(n, optional=True) for n in ("lowered", "confirmed", "raised")
    ]
    dialog = EntryDialog("ВПР", fields, VprEntry(2025, 5, "Математика", 10, 1, 4, 4, 1), check_vpr)
    qtbot.addWidget(dialog)
    save = dialog.buttons.buttons()[0]
    assert save.isEnabled() and dialog.problems_label.isHidden()
    dialog._widgets["n2"].setText("2")  # type: ignore[attr-defined]
    assert not save.isEnabled()
    assert "сумма отметок" in dialog.problems_label.text()
    dialog._widgets["participants"].setText("11")  # type: ignore[attr-defined]
    assert save.isEnabled()
    dialog._widgets["confirmed"].setText("5")  # type: ignore[attr-defined]
    assert not save.isEnabled() and "все три" in dialog.problems_label.text()
    assert dialog.entry().lowered is None and dialog.entry().confirmed == 5


@pytest.mark.parametrize("typed", ["abc150", "15abc", "12,5", "-3", "１５0x"])
def test_a_count_is_read_whole_or_refused_and_the_form_keeps_it(qtbot: QtBot, typed: str) -> None:
    """A spin box dropped the keys it rejected: «abc150» became 150. Now it is refused."""
    fields = [FieldSpec(n) for n in ("participants", "n2", "n3", "n4", "n5")]
    dialog = EntryDialog("ВПР", fields, VprEntry(2025, 5, "Математика", 10, 1, 4, 4, 1), check_vpr)
    qtbot.addWidget(dialog)
    dialog._widgets["participants"].setText(typed)  # type: ignore[attr-defined]
    save = dialog.buttons.buttons()[0]
    assert not save.isEnabled()
    assert (
        typed.strip() in dialog.problems_label.text() or "пределов" in dialog.problems_label.text()
    )
    assert dialog._widgets["participants"].text() == typed  # type: ignore[attr-defined]


def test_set_target_from_indicators(
    screen: ResultsScreen, school: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    value = {v.key: v for v in screen.indicators.model.rows()}["CONDITIONAL"]
    monkeypatch.setattr(
        EntryDialog, "ask", _ask_returning(TargetEntry(screen.year, "CONDITIONAL", 3.5, 1.0))
    )
    screen.indicators.target_requested.emit(value)
    updated = {v.key: v for v in screen.indicators.model.rows()}["CONDITIONAL"]
    assert (updated.baseline, updated.target) == (3.5, 1.0)
    assert updated.off_target == ((updated.ratio.value or 0) > 1.0)


def test_indicator_detail_and_chart(screen: ResultsScreen, school: Services) -> None:
    rows = screen.indicators.model.rows()
    row = next(i for i, v in enumerate(rows) if v.key == "VPR_FAIL")
    screen.indicators.table.view.selectRow(row)
    history = school.results.history(screen.year)["VPR_FAIL"]
    expected = [coord for y, v in history if v is not None for coord in (float(y), v)]
    points = [coord for point in screen.indicators.chart_points() for coord in point]
    assert points == pytest.approx(expected)
    assert "Цель: 15" in screen.indicators.detail_label.text()


def test_import_button_runs_in_background(
    screen: ResultsScreen, school: Services, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    path = tmp_path / "t.xlsx"
    write_results_template(path, [VprEntry(2019, 5, "Математика", 20, 2, 8, 7, 3)])
    told: list[str] = []
    monkeypatch.setattr(screen, "ask_open_path", lambda: path)
    monkeypatch.setattr(screen, "tell", told.append)
    screen.import_button.click()
    qtbot.waitUntil(lambda: bool(told) and idle(), timeout=10_000)
    assert "добавлено строк: 1" in told[0]
    assert 2019 in school.results.years()
    assert screen.year_combo.findData(2019) >= 0


def test_export_writes_the_file(
    screen: ResultsScreen, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.xlsx"
    told: list[str] = []
    monkeypatch.setattr(screen, "ask_save_path", lambda _name: out)
    monkeypatch.setattr(screen, "tell", told.append)
    screen.export_button.click()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert out.is_file()
