"""«Школы»: the registry, status and curator, comments on a school's rows, key revocation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTableView
from pytestqt.qtbot import QtBot

from models.site import SchoolStatusBase
from services.district.curators import Curator
from services.district.schools import comments_in
from services.roadmap.queries import execution_ratio
from tests.services.pair_support import Pair, make_pair
from ui.gui.screens.district.schools import SchoolsScreen
from ui.gui.screens.district.schools_dialogs import CommentDialog, RevokeDialog, StatusDialog
from ui.gui.table_models.roadmap import STATUS_COLUMN, ItemRow, OccurrenceRow, SectionRow
from ui.gui.tasks import idle


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


@pytest.fixture
def screen(pair: Pair, qtbot: QtBot) -> SchoolsScreen:
    widget = SchoolsScreen(pair.district)
    qtbot.addWidget(widget)
    widget.resize(1300, 760)
    widget.refresh()
    qtbot.waitUntil(idle, timeout=10_000)
    widget.table.view.selectRow(0)
    qtbot.waitUntil(idle, timeout=10_000)
    return widget


def test_selecting_a_school_shows_its_own_numbers(screen: SchoolsScreen, pair: Pair) -> None:
    view = screen.panel.view
    assert view is not None and view.entry.name == "МОУ Лодейнинская СОШ"
    shown = [r for r in screen.panel.items.rows() if isinstance(r, ItemRow)]
    assert [r.item.id for r in shown] == [i.id for i in view.items] and shown
    assert screen.panel.indicators.rowCount() > 0
    with pair.school.db.session(stamp=False) as s:  # the school's own figure, at the school
        own = execution_ratio(s, pair.school.site.profile().site.id, view.as_of)
    assert (view.execution.numerator, view.execution.denominator) == (
        own.numerator,
        own.denominator,
    )
    assert view.execution.text() in screen.panel.heading.text()
    assert "подтверждён" in screen.registry.data(screen.registry.index(0, 3))


def test_status_and_comments_are_saved_and_shown(
    screen: SchoolsScreen, pair: Pair, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    entry = screen.current()
    assert entry is not None
    status = SchoolStatusBase(school_id=entry.site_id, is_low_results=True)
    answer = (status, [Curator("Петрова"), Curator("Иванов И. И.", org="МОУ СОШ № 4")])
    monkeypatch.setattr(StatusDialog, "ask", classmethod(lambda cls, *_a: answer))
    screen.status_button.click()
    qtbot.waitUntil(idle, timeout=10_000)
    assert screen.registry.row_at(0).flags_text == "ШНОР"
    assert "Петрова, Иванов И. И." in screen.panel.heading.text()
    assert screen.registry.row_at(0).curators_text == "Петрова, Иванов И. И."

    monkeypatch.setattr(CommentDialog, "ask", classmethod(lambda cls, *_a: "Уточните срок."))
    first = next(n for n, r in enumerate(screen.panel.items.rows()) if isinstance(r, ItemRow))
    screen.panel.items_view.selectRow(first)
    item = screen.panel.items.row_at(first)
    assert isinstance(item, ItemRow)
    screen.panel.comment_item_button.click()
    qtbot.waitUntil(idle, timeout=10_000)
    screen.panel.comment_school_button.click()
    qtbot.waitUntil(idle, timeout=10_000)
    assert screen.panel.comments.rowCount() == 2
    assert screen.registry.row_at(0).open_comments == 2
    commented = screen.panel.items.row_at(first)
    assert isinstance(commented, ItemRow) and commented.comments == ("Уточните срок.",)
    with pair.district.db.session(stamp=False) as s:
        on_item = [c for c in comments_in(s) if c.target_table == "roadmap_item"]
    assert [c.target_id for c in on_item] == [item.item.id]

    screen.panel.comments_view.selectRow(0)
    screen.panel.resolve_button.click()
    qtbot.waitUntil(idle, timeout=10_000)
    assert screen.registry.row_at(0).open_comments == 1
    screen.panel.comments_view.selectRow(0)
    screen.panel.delete_button.click()
    qtbot.waitUntil(idle, timeout=10_000)
    assert screen.panel.comments.rowCount() == 1


def test_revoking_the_key_marks_the_school(
    screen: SchoolsScreen, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    assert screen.revoke_button.isEnabled()
    monkeypatch.setattr(RevokeDialog, "ask", classmethod(lambda cls, *_a: 1))
    monkeypatch.setattr(QMessageBox, "information", lambda *_a: None)
    screen.revoke_button.click()
    qtbot.waitUntil(idle, timeout=10_000)
    entry = screen.registry.row_at(0)
    assert entry.key_state == "revoked" and entry.accept_up_to_seq == 1
    assert "отозван (до № 1)" in screen.registry.data(screen.registry.index(0, 3))
    assert not screen.revoke_button.isEnabled()


def test_bulletin_screen_writes_one_package_per_school(
    pair: Pair, qtbot: QtBot, tmp_path: Path
) -> None:
    from ui.gui.screens.district.bulletin import BulletinScreen

    screen = BulletinScreen(pair.district)
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(idle, timeout=10_000)
    assert "МОУ Лодейнинская СОШ" in screen.recipients_label.text()
    folder = tmp_path / "bulletins"
    folder.mkdir()
    screen.choose_target(folder)
    screen.send_button.click()
    qtbot.waitUntil(idle, timeout=10_000)
    qtbot.waitUntil(lambda: screen.last_results is not None and idle(), timeout=20_000)
    [result] = screen.last_results or []
    assert result.path.parent == folder and result.path.exists() and result.seq == 1
    assert screen.history.rowCount() == 1 and "Сохранено пакетов: 1" in screen.result_label.text()
    [rep] = pair.school.sync.import_files([result.path], dry_run=False)
    assert rep.verdict == "applied", rep.reason


def test_school_sees_the_district_comments_after_loading_the_bulletin(
    pair: Pair, qtbot: QtBot, template_db: Path
) -> None:
    from ui.gui.screens.exchange import ExchangeScreen
    from ui.gui.screens.roadmap.screen import RoadmapScreen
    from ui.gui.table_models.roadmap import ItemRow

    d = pair.district
    entry = d.registry.schools()[0]
    school_id = entry.site_id
    view = d.school_view.view(entry, date.today().year, date.today())
    item = view.items[0]
    d.registry.add_comment(school_id, "roadmap_item", item.id, "Уточните срок и ответственного.")
    d.registry.add_comment(school_id, "site", school_id, "Пришлите справку к 1 декабря.")
    [path] = pair.send_bulletins()

    exchange = ExchangeScreen(pair.school)
    qtbot.addWidget(exchange)
    exchange.refresh()
    qtbot.waitUntil(idle, timeout=5000)
    assert "ещё не было" in exchange.bulletin_label.text()
    told: list[str] = []
    exchange.load_bulletin(path, told.append)  # in a background task
    qtbot.waitUntil(lambda: bool(told) and idle(), timeout=20_000)
    assert "Рассылка № 1 загружена" in told[0]
    assert "Пришлите справку к 1 декабря." in exchange.bulletin_label.text()
    assert "Последняя рассылка: № 1" in exchange.bulletin_label.text()

    roadmap = RoadmapScreen(pair.school.roadmap)
    qtbot.addWidget(roadmap)
    roadmap.refresh()
    qtbot.waitUntil(idle, timeout=5000)
    rows = [r for r in roadmap.model.rows() if isinstance(r, ItemRow) and r.comments]
    assert [r.item.id for r in rows] == [item.id]
    n = roadmap.model.rows().index(rows[0])
    shown = roadmap.model.data(roadmap.model.index(n, 1))
    assert shown.startswith(item.title) and "Управление: Уточните срок" in shown
    edit = roadmap.model.data(roadmap.model.index(n, 1), 2)  # EditRole: the title alone
    assert edit == item.title


def test_the_registry_opens_sorted_a_to_ya(screen: SchoolsScreen) -> None:
    header = screen.table.view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        0,
        Qt.SortOrder.AscendingOrder,
    )
    names = [screen.table.proxy.index(r, 0).data() for r in range(screen.table.proxy.rowCount())]
    assert names == sorted(names, key=lambda n: n.casefold().replace("ё", "е"))


def test_the_registry_fits_its_columns_one_per_turn_of_the_event_loop(
    screen: SchoolsScreen, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = screen.table.view
    fitted: list[int] = []
    monkeypatch.setattr(view, "resizeColumnToContents", lambda c: fitted.append(c))
    rows = screen.registry.rows()
    screen._show_registry(rows, None)
    assert len(fitted) <= 1  # 300 schools × every column at once blocked the window
    # the school's name (column 0) stretches over what the others leave
    others = list(range(1, screen.registry.columnCount()))
    qtbot.waitUntil(lambda: fitted == others, timeout=5000)


# What the screen gets in the main window at 1024 × 768 (the list of screens takes the rest).
SCREEN_AT_1024 = (760, 680)


def _fits(view: QTableView) -> None:
    bar = view.horizontalScrollBar()
    assert bar.maximum() == 0, [view.model().headerData(c, Qt.Orientation.Horizontal)
                                for c in range(view.model().columnCount())]  # fmt: skip


@pytest.mark.parametrize("large", [False, True], ids=["normal-font", "large-font"])
def test_registry_and_school_view_fit_1024_without_scrolling_sideways(
    pair: Pair, qtbot: QtBot, large: bool, request: pytest.FixtureRequest
) -> None:
    """Side by side with the school's view, the registry showed the name and one more column."""
    if large:
        request.getfixturevalue("large_font")
    widget = SchoolsScreen(pair.district)
    qtbot.addWidget(widget)
    widget.resize(*SCREEN_AT_1024)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    qtbot.waitUntil(idle, timeout=10_000)
    widget.table.view.selectRow(0)
    qtbot.waitUntil(idle, timeout=10_000)
    qtbot.waitUntil(lambda: not widget.fitter.fitting, timeout=5000)
    qtbot.wait(50)  # the fitting of widths to the view runs once per turn of the event loop
    view = widget.table.view
    _fits(view)
    assert view.columnWidth(0) >= 200
    header = view.horizontalHeader()
    shown = {screen_title(view, c) for c in range(header.count()) if not view.isColumnHidden(c)}
    assert {"Школа", "Признаки", "Кураторы", "Ключ", "Последний пакет"} <= shown
    panel = widget.panel
    for tab, table, main in ((0, panel.items_view, 1), (4, panel.comments_view, 2),
                             (3, panel.indicators_view, 0)):  # fmt: skip
        panel.tabs.setCurrentIndex(tab)
        qtbot.wait(50)
        _fits(table)
        assert table.columnWidth(main) >= 200


def screen_title(view: QTableView, column: int) -> str:
    return str(view.model().headerData(column, Qt.Orientation.Horizontal))


def test_bulletin_screen_names_the_first_recipients_and_lists_all_in_the_tooltip(
    pair: Pair, qtbot: QtBot
) -> None:
    """300 legal names in a wrapped label blocked the window for 60–120 ms to lay them out."""
    from ui.gui.screens.district.bulletin import SHOWN_NAMES, BulletinScreen

    screen = BulletinScreen(pair.district)
    qtbot.addWidget(screen)
    names = [f"МОУ СОШ № {n}" for n in range(1, SHOWN_NAMES + 3)]
    key = pair.district.district_key.state()
    screen._show((names, [], key))
    text = screen.recipients_label.text()
    assert text.startswith(f"Получат рассылку школ с подтверждённым ключом: {len(names)} — ")
    assert names[SHOWN_NAMES - 1] in text and names[SHOWN_NAMES] not in text
    assert text.endswith(" и ещё 2.")
    assert screen.recipients_label.toolTip().split("\n") == names
    screen._show((names[:2], [], key))  # a few are all named
    assert screen.recipients_label.text().endswith("МОУ СОШ № 1, МОУ СОШ № 2.")
    assert screen.recipients_label.toolTip() == ""


def test_a_flagged_indicator_says_so_in_words_not_only_in_colour(
    screen: SchoolsScreen, pair: Pair, qtbot: QtBot
) -> None:
    """A row over the district's threshold was only yellow."""
    from models.catalogue import Comparison
    from services.district.thresholds import ThresholdDraft

    view = screen.panel.view
    assert view is not None
    shown = next(v for v in view.indicators if v.ratio.value is not None)
    years = pair.district.results.years()
    year = years[0] if years else date.today().year
    pair.district.thresholds.save(ThresholdDraft(year=year, indicator_code=shown.code,
                                                 comparison=Comparison.GE, value=0.0))  # fmt: skip
    screen.show_school()
    qtbot.waitUntil(idle, timeout=10_000)
    model = screen.panel.indicators
    rows = model.rows()
    threshold = next(c for c in range(model.columnCount()) if screen_title_of(model, c) == "Порог")
    flagged = [r for r, v in enumerate(rows) if v.flagged]
    assert flagged, "the pair's school must cross a district threshold for this test"
    for r, v in enumerate(rows):
        text = str(model.index(r, threshold).data())
        assert ("за порогом" in text) == v.flagged, (v.title, text)


def screen_title_of(model: object, column: int) -> str:
    return str(model.headerData(column, Qt.Orientation.Horizontal))  # type: ignore[attr-defined]


def test_the_school_roadmap_shows_sections_and_every_date_read_only(
    screen: SchoolsScreen,
) -> None:
    rows = screen.panel.items.rows()
    assert isinstance(rows[0], SectionRow)
    dated = [r for r in rows if isinstance(r, OccurrenceRow)]
    several = [r for r in rows if isinstance(r, ItemRow) and len(r.item.occurrences) > 1]
    assert several and len(dated) == sum(len(r.item.occurrences) for r in several)
    model = screen.panel.items
    for n in range(model.rowCount()):
        assert not model.flags(model.index(n, STATUS_COLUMN)) & Qt.ItemFlag.ItemIsEditable
    title = model.headerData(1, Qt.Orientation.Horizontal)
    assert title == "Мероприятие" and screen.panel.items_view.columnWidth(1) >= 200


def test_the_status_dialog_edits_several_curators_and_waits_for_their_names(
    qtbot: QtBot,
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QTableWidgetItem

    from ui.gui.screens.district.schools_dialogs import StatusDialog as Dialog
    from ui.gui.widgets.forms import ProblemsLabel

    status = SchoolStatusBase(school_id="s1", is_low_results=True)
    dialog = Dialog("МОУ СОШ № 2", status, None, (Curator("Петрова О. И.", id="c1"),))
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.curators

    def cell(row: int, column: int) -> QTableWidgetItem:
        item = editor.table.item(row, column)
        assert item is not None
        return item

    editor.add_button.click()
    cell(1, 2).setText("МОУ СОШ № 4")  # an organisation, no name yet
    box = dialog.findChild(QDialogButtonBox)
    problems = dialog.findChild(ProblemsLabel)
    assert box is not None and problems is not None
    ok = box.button(QDialogButtonBox.StandardButton.Save) or box.button(
        QDialogButtonBox.StandardButton.Ok
    )
    assert not ok.isEnabled() and "Куратор № 2: укажите ФИО" in problems.text()
    box.accepted.emit()
    assert dialog.isVisible() and cell(1, 2).text() == "МОУ СОШ № 4"
    cell(1, 0).setText("Иванов И. И.")
    assert ok.isEnabled()
    assert editor.curators() == [
        Curator("Петрова О. И.", id="c1"),
        Curator("Иванов И. И.", org="МОУ СОШ № 4"),
    ]
