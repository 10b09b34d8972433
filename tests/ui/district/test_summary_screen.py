"""«Сводка»: the district dashboard screen with real services on crafted schools."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from models import Role
from services.app import Services
from services.district.summary import PERSISTENT_TEXT, DistrictSummary
from services.indicators.compute import as_of_for
from tests.services.district_support import YEAR, craft
from ui.gui.screens import screens_for
from ui.gui.screens.district.summary import SummaryScreen
from ui.gui.screens.district.summary_widgets import FLAG_COLOUR, PERSISTENT_COLOUR
from ui.gui.table_models.row_model import ROW_ROLE
from ui.gui.tasks import idle


def _screen(qtbot: QtBot, district: Services) -> SummaryScreen:
    spec = next(s for s in screens_for(Role.DISTRICT) if s.key == "summary")
    screen = spec.factory(district)
    assert isinstance(screen, SummaryScreen)
    qtbot.addWidget(screen)
    return screen


def _column(screen: SummaryScreen, header: str) -> int:
    model = screen.model
    return next(c for c in range(model.columnCount()) if model.headerData(c, _H) == header)


_H = Qt.Orientation.Horizontal
BG = Qt.ItemDataRole.BackgroundRole


def test_refresh_loads_the_newest_year_in_the_background(qtbot: QtBot, district: Services) -> None:
    craft(district)
    screen = _screen(qtbot, district)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.summary is not None, timeout=5000)
    assert screen.year_combo.currentData() == YEAR
    assert screen.model.rowCount() == 4
    assert "Школ: 4" in screen.totals_label.text()
    assert screen.pdf_button.isEnabled()


def test_table_marks_persistently_low_and_colours_flagged_cells(
    qtbot: QtBot, district: Services
) -> None:
    c = craft(district)
    screen = _screen(qtbot, district)
    screen.show_summary(district.dashboard.summary(YEAR, as_of_for(YEAR)))
    model = screen.model
    rows = {model.row_at(r).site_id: r for r in range(model.rowCount())}
    mark, fail = _column(screen, "Отметка"), _column(screen, "ВПР «2», %")
    assert model.index(rows[c.low], mark).data() == PERSISTENT_TEXT
    assert "ключ отозван" in model.index(rows[c.revoked], mark).data()
    assert model.index(rows[c.low], fail).data() == "▲▲ 30,0"  # above the threshold, 2 years
    low_bg = model.index(rows[c.low], fail).data(Qt.ItemDataRole.BackgroundRole)
    revoked_bg = model.index(rows[c.revoked], fail).data(BG)
    assert low_bg.color() == PERSISTENT_COLOUR and revoked_bg.color() == FLAG_COLOUR
    assert model.index(rows[c.good], fail).data(BG) is None
    tip = model.index(rows[c.low], fail).data(Qt.ItemDataRole.ToolTipRole)
    assert "12 из 40" in tip and "год назад 25,0 %" in tip and "порог > 20" in tip


def test_filter_and_sort(qtbot: QtBot, district: Services) -> None:
    craft(district)
    screen = _screen(qtbot, district)
    screen.show_summary(district.dashboard.summary(YEAR, as_of_for(YEAR)))
    screen.table.filter_edit.setText("устойчиво")
    assert screen.table.proxy.rowCount() == 1
    screen.table.filter_edit.setText("")
    fail = _column(screen, "ВПР «2», %")
    screen.table.view.sortByColumn(fail, Qt.SortOrder.DescendingOrder)
    first = screen.table.proxy.index(0, 0).data(ROW_ROLE)
    assert first.indicator("VPR_FAIL").ratio.value == 30.0


def test_heatmap_and_chart_follow_the_selection(qtbot: QtBot, district: Services) -> None:
    c = craft(district)
    screen = _screen(qtbot, district)
    summary = district.dashboard.summary(YEAR, as_of_for(YEAR))
    screen.show_summary(summary)
    assert screen.heatmap.rowCount() == 0  # filled when its tab is opened
    screen.tabs.setCurrentWidget(screen.heatmap)
    row = next(i for i, s in enumerate(summary.schools) if s.site_id == c.low)
    factors = [code for code, _t in summary.factors]
    if factors:
        assert screen.heatmap.level_text(row, factors.index("R01") + 1) == "В"
    empty_row = next(i for i, s in enumerate(summary.schools) if s.site_id == c.empty)
    assert screen.heatmap.level_text(empty_row, 0) == "нет самообследования"
    district_bars = screen.chart.series_values()["Район"]
    assert district_bars == [
        summary.district_value("VPR_FAIL", previous=True).value,
        summary.district_value("VPR_FAIL").value,
    ]
    proxy_row = next(
        r
        for r in range(screen.table.proxy.rowCount())
        if screen.table.proxy.index(r, 0).data(ROW_ROLE).site_id == c.low
    )
    screen.table.view.selectRow(proxy_row)
    values = screen.chart.series_values()
    assert values["МОУ Лодейнинская СОШ"] == [25.0, 30.0]


def test_save_writes_the_document_in_the_background(
    qtbot: QtBot, district: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    craft(district)
    screen = _screen(qtbot, district)
    screen.show_summary(district.dashboard.summary(YEAR, as_of_for(YEAR)))
    out = tmp_path / "справка.xlsx"
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(screen, "ask_path", lambda fmt: out)
    screen.xlsx_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert out.exists() and str(out) in shown[0]


def test_requests_during_a_load_wait_and_only_the_latest_runs(
    qtbot: QtBot, district: Services
) -> None:
    craft(district)
    calls: list[int] = []

    class Counting:
        def summary(self, year: int, as_of: date) -> DistrictSummary:
            calls.append(year)
            return district.dashboard.summary(year, as_of)

        def years(self) -> list[int]:
            return district.dashboard.years()

    screen = SummaryScreen(Counting(), lambda out, year, progress: None)
    qtbot.addWidget(screen)
    for year in (YEAR, YEAR, YEAR - 1, YEAR - 1):
        screen.load(year)
    qtbot.waitUntil(lambda: screen.summary is not None, timeout=5000)
    assert calls == [YEAR, YEAR - 1]
    assert screen.summary is not None and screen.summary.year == YEAR - 1
    assert screen.year_combo.currentData() == YEAR - 1


def test_colour_is_never_the_only_signal_and_a_legend_explains_it(
    qtbot: QtBot, district: Services
) -> None:
    craft(district)
    screen = _screen(qtbot, district)
    screen.show_summary(district.dashboard.summary(YEAR, as_of_for(YEAR)))
    model, flagged = screen.model, 0
    mark = _column(screen, "Отметка")
    for r in range(model.rowCount()):
        school = model.row_at(r)
        row_bg = school.persistently_low
        assert row_bg == (PERSISTENT_TEXT in model.index(r, mark).data())
        for col in range(model.columnCount()):
            index = model.index(r, col)
            brush = index.data(BG)
            coloured = brush is not None and brush.color() in (FLAG_COLOUR, PERSISTENT_COLOUR)
            marked = str(index.data()).startswith(("▲", "▼"))
            assert coloured == marked, (school.name, model.headerData(col, _H))
            flagged += marked
    assert flagged > 0
    legend = screen.legend.text()
    assert "▲ — выше порога района" in legend and "▼ — ниже порога" in legend
    assert "розовая строка" in legend and "«В» высокий" in legend


def test_columns_are_fitted_one_per_turn_of_the_event_loop(
    qtbot: QtBot, district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Measuring every column of 300 schools at once blocked the window for over 100 ms."""
    craft(district)
    screen = _screen(qtbot, district)
    screen.refresh()
    # the first summary shown, its own fitting over and no job left: nothing restarts it below
    qtbot.waitUntil(
        lambda: screen.summary is not None and idle() and not screen.fitter.fitting,
        timeout=20_000,
    )
    assert screen.summary is not None
    view = screen.table.view
    fitted: list[int] = []
    monkeypatch.setattr(view, "resizeColumnToContents", lambda c: fitted.append(c))
    monkeypatch.setattr(view, "resizeColumnsToContents", lambda: fitted.extend(range(99)))
    screen.show_summary(screen.summary)
    assert len(fitted) <= 1  # the rest come on later turns
    qtbot.waitUntil(lambda: not screen.fitter.fitting, timeout=20_000)
    assert fitted == list(range(screen.model.columnCount())), fitted
    # the school name stays readable but not the whole legal name
    assert 200 <= view.columnWidth(0) <= 300


def _name_views(screen: SummaryScreen) -> list[QTableView]:
    """The views that show the school names: the table itself and any view lying over it."""
    views = [screen.table.view, *screen.table.view.findChildren(QTableView)]
    return [v for v in views if v.isVisible() and not v.isColumnHidden(0)]


def _name_in_sight(view: QTableView, row: int) -> bool:
    index = view.model().index(row, 0)
    rect = view.visualRect(index)
    visible = view.viewport().visibleRegion().boundingRect()
    return view.columnWidth(0) >= 200 and not rect.isEmpty() and visible.contains(rect)


def test_school_names_stay_in_view_when_the_table_scrolls_sideways(
    qtbot: QtBot, district: Services
) -> None:
    """Scrolled to its last column, the table used to show figures without the school's name."""
    craft(district)
    screen = _screen(qtbot, district)
    screen.resize(900, 600)
    screen.show()
    qtbot.waitExposed(screen)
    screen.show_summary(district.dashboard.summary(YEAR, as_of_for(YEAR)))
    qtbot.waitUntil(lambda: not screen.fitter.fitting, timeout=5000)
    view = screen.table.view
    bar = view.horizontalScrollBar()
    assert bar.maximum() > 0, "the table must be wider than the screen for this test"
    bar.setValue(bar.maximum())
    last = screen.model.columnCount() - 1
    assert view.viewport().rect().intersects(view.visualRect(view.model().index(0, last)))
    shown = _name_views(screen)
    assert any(_name_in_sight(v, 0) for v in shown), "the school names scrolled out of view"
    overlay = next(v for v in shown if _name_in_sight(v, 0))
    assert overlay.model().index(0, 0).data() == screen.table.proxy.index(0, 0).data()


def test_the_frozen_names_follow_selection_sorting_and_row_heights(
    qtbot: QtBot, district: Services
) -> None:
    craft(district)
    screen = _screen(qtbot, district)
    screen.resize(900, 600)
    screen.show()
    qtbot.waitExposed(screen)
    screen.show_summary(district.dashboard.summary(YEAR, as_of_for(YEAR)))
    qtbot.waitUntil(lambda: not screen.fitter.fitting, timeout=5000)
    view = screen.table.view
    frozen = view.findChild(QTableView, "frozen_column")
    assert frozen is not None and frozen.selectionModel() is view.selectionModel()
    # a click on a name selects the row in the table (the chart follows)
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton,
                     pos=frozen.visualRect(frozen.model().index(1, 0)).center())  # fmt: skip
    assert screen.selected_school() == screen.table.proxy.index(1, 0).data(ROW_ROLE)
    # a click on the frozen header sorts the table by name, Я→А on the second click
    header = frozen.horizontalHeader()
    for _ in range(2):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(0) + 20, 5))  # fmt: skip
    names = [screen.table.proxy.index(r, 0).data() for r in range(screen.table.proxy.rowCount())]
    assert names == sorted(names, reverse=True)
    assert view.horizontalHeader().sortIndicatorSection() == 0
    # sorting by a figure in the table moves the names with their rows
    view.sortByColumn(_column(screen, "ВПР «2», %"), Qt.SortOrder.DescendingOrder)
    assert header.sortIndicatorSection() == _column(screen, "ВПР «2», %")
    view.setRowHeight(2, 77)
    assert frozen.rowHeight(2) == 77 and frozen.columnWidth(0) == view.columnWidth(0)
    # the keyboard stays in the table and never leaves its current cell under the names
    bar = view.horizontalScrollBar()
    bar.setValue(bar.maximum())
    view.setCurrentIndex(screen.table.proxy.index(0, 1))
    assert view.visualRect(screen.table.proxy.index(0, 1)).left() >= view.columnWidth(0)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1 and frozen.focusPolicy() == Qt.FocusPolicy.NoFocus
