"""The read-only view of one school in «Школы», with the district's comments on its rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.audit import level_title
from services.core.formatting import date_short
from services.district import CommentRead, SchoolView
from services.indicators import IndicatorValue
from services.roadmap import RoadmapItemRead
from ui.gui.screens.district.school_roadmap import SchoolRoadmapTable
from ui.gui.table_models.row_model import Column, RowTableModel
from ui.gui.widgets.columns import fit_to_view, keep_readable
from ui.gui.widgets.flow_layout import FlowLayout
from ui.gui.widgets.focus import tab_bar_first

FLAGGED = QColor("#fff3cd")
RESOLVED = QColor("#eeeeee")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def _threshold_text(v: IndicatorValue) -> str:
    if v.threshold is None:
        return "—"
    return v.threshold.text() + (" — за порогом" if v.flagged else "")


def _table(
    model: RowTableModel[Any], parent: QWidget, main: int, drop: tuple[int, ...] = ()
) -> QTableView:
    """A read-only table that fits its width: column `main` takes what the others leave.

    It keeps at least 200 px; when less is left, the columns of `drop` hide (see
    `fit_to_view`), so the table never scrolls sideways.
    """
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    keep_readable(view)
    fit_to_view(view, main, drop)
    return view


def _page(parent: QWidget, *widgets: QWidget, buttons: tuple[QPushButton, ...] = ()) -> QWidget:
    """A tab's page: its widgets one under another, then a row of buttons that wraps."""
    page = QWidget(parent)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(4, 4, 4, 4)
    for widget in widgets:
        widget.setParent(page)
        layout.addWidget(widget, 1 if isinstance(widget, QTableView) else 0)
    row = FlowLayout()
    for button in buttons:
        button.setParent(page)
        row.addWidget(button)
    layout.addLayout(row)
    return page


class SchoolPanel(QWidget):
    """Header figures, tabs (roadmap, audit, teachers, indicators) and the comments list."""

    comment_requested = Signal(str, str)  # target table, target id
    edit_requested = Signal(object)  # CommentRead
    resolve_requested = Signal(object)
    delete_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: SchoolView | None = None
        self._build_ui()

    def _build_ui(self) -> None:
        self.heading = QLabel(self.tr("Выберите школу в списке слева."), self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.items_view = SchoolRoadmapTable(self)
        self.items = self.items_view.model_
        self.factors = RowTableModel[tuple[str, str, str]](
            [
                Column(self.tr("Фактор"), lambda f: f[0]),
                Column(self.tr("Название"), lambda f: f[1]),
                Column(self.tr("Уровень риска"), lambda f: f[2]),
            ],
            self,
        )
        self.factors_view = _table(self.factors, self, 1)
        self.staff_label = QLabel(self)
        self.staff_label.setWordWrap(True)
        self.staff_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.indicators = RowTableModel[IndicatorValue](
            [
                Column(self.tr("Показатель"), lambda v: v.title),
                Column(self.tr("Значение"), lambda v: v.ratio.text()),
                Column(self.tr("Прошлый год"), lambda v: v.previous.text() if v.previous else "—"),
                Column(
                    self.tr("Цель"),
                    lambda v: (
                        _pct(v.target) + (" %" if v.target is not None and v.unit == "%" else "")
                    ),
                ),
                # the row is coloured too, but colour alone is lost on a grey screen or printout
                Column(self.tr("Порог"), _threshold_text),
            ],
            self,
            row_background=lambda v: FLAGGED if v.flagged else None,
        )
        self.indicators_view = _table(self.indicators, self, 0, (2, 3))
        self.tabs = QTabWidget(self)
        # every tab in sight: with «Крупный шрифт» «Показатели» hid behind scroll arrows
        self.tabs.tabBar().setUsesScrollButtons(False)
        self.comments = RowTableModel[CommentRead](
            [
                Column(self.tr("Дата"), lambda c: date_short(c.created_on)),
                Column(self.tr("К чему"), lambda c: c.target_title or c.target_kind),
                Column(self.tr("Комментарий"), lambda c: c.text),
                Column(self.tr("Состояние"), lambda c: "решено" if c.resolved else "открыт"),
                # the staff login here; at a school, the signature the district gave it
                Column(self.tr("Автор"), lambda c: c.actor or c.author),
            ],
            self,
            row_background=lambda c: RESOLVED if c.resolved else None,
        )
        self.comments_view = _table(self.comments, self, 2, (0,))
        self.comment_school_button = QPushButton(self.tr("Комментарий к школе…"), self)
        self.comment_item_button = QPushButton(self.tr("Комментарий к мероприятию…"), self)
        self.edit_button = QPushButton(self.tr("Изменить…"), self)
        self.resolve_button = QPushButton(self.tr("Решено"), self)
        self.delete_button = QPushButton(self.tr("Удалить"), self)
        # The whole width for each table: side by side (or with the comments under them) the
        # columns scrolled sideways at 1024 px. Each tab's buttons act on its own table.
        self.tabs.addTab(_page(self, self.items_view, buttons=(self.comment_item_button,)),
                         self.tr("Дорожная карта"))  # fmt: skip
        self.tabs.addTab(self.factors_view, self.tr("Самоаудит"))
        self.tabs.addTab(self.staff_label, self.tr("Педагоги"))
        self.tabs.addTab(self.indicators_view, self.tr("Показатели"))
        note = QLabel(self.tr("Комментарии управления уйдут школе с рассылкой."), self)
        note.setWordWrap(True)
        buttons = (self.comment_school_button, self.edit_button, self.resolve_button,
                   self.delete_button)  # fmt: skip
        self.tabs.addTab(_page(self, note, self.comments_view, buttons=buttons),
                         self.tr("Комментарии"))  # fmt: skip
        tab_bar_first(self.tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        self.comment_school_button.clicked.connect(self._on_comment_school_clicked)
        self.comment_item_button.clicked.connect(self._on_comment_item_clicked)
        self.edit_button.clicked.connect(lambda: self._emit_selected(self.edit_requested))
        self.resolve_button.clicked.connect(lambda: self._emit_selected(self.resolve_requested))
        self.delete_button.clicked.connect(lambda: self._emit_selected(self.delete_requested))
        self.show_view(None)

    def show_view(self, view: SchoolView | None) -> None:
        self.view = view
        for b in (self.comment_school_button, self.comment_item_button, self.edit_button,
                  self.resolve_button, self.delete_button):  # fmt: skip
            b.setEnabled(view is not None)
        if view is None:
            self.items_view.show_view(None)
            for model in (self.factors, self.indicators, self.comments):
                model.set_rows([])
            self.staff_label.clear()
            self.tabs.setTabText(4, self.tr("Комментарии"))
            return
        e = view.entry
        curator = e.curators_text or self.tr("не назначены")
        flags = e.flags_text or self.tr("без признаков")
        # the registry hides its «Версия Опоры» column first when narrow: repeated here
        version = e.version_text + (self.tr(" — нужно обновить") if e.schema_outdated else "")
        self.heading.setText(
            self.tr("<b>{0}</b><br>{1}; кураторы: {2}; Опора: {3}; выполнение дорожной карты "
                    "на {4}: <b>{5}</b>.").format(
                e.name, flags, curator, version, date_short(view.as_of),
                view.execution.summary())
        )  # fmt: skip
        self.items_view.show_view(view)
        risk = view.risk
        self.factors.set_rows(
            [(code, risk.titles.get(code, ""), level_title(level))
             for code, level in sorted(risk.levels.items())]
            if risk else []
        )  # fmt: skip
        self.tabs.setTabText(1, self.tr("Самоаудит {0}").format(risk.year) if risk
                             else self.tr("Самоаудит (нет)"))  # fmt: skip
        c = view.staff
        self.staff_label.setText(
            self.tr("Педагогов: {0}\nС действующим ИППР: {1}\nПК за последние 3 года: {2}\n"
                    "Активные формы: {3}\nМолодые специалисты с наставником: {4}").format(
                c.teachers, c.with_plan.detail(), c.pk_3y.detail(), c.active_forms.detail(),
                c.young_with_mentor.detail())
        )  # fmt: skip
        self.indicators.set_rows(view.indicators)
        self.comments.set_rows(view.comments)
        for view_ in (self.factors_view, self.comments_view):
            view_.resizeColumnToContents(0)
        self.comments_view.setColumnWidth(1, 200)
        open_ = sum(1 for c in view.comments if not c.resolved)
        self.tabs.setTabText(4, self.tr("Комментарии ({0})").format(open_) if open_
                             else self.tr("Комментарии"))  # fmt: skip
        for column in range(1, 5):
            self.indicators_view.setColumnWidth(column, 110)

    def selected_item(self) -> RoadmapItemRead | None:
        return self.items_view.selected_item()

    def selected_comment(self) -> CommentRead | None:
        rows = self.comments_view.selectionModel().selectedRows()
        return self.comments.row_at(rows[0].row()) if rows else None

    def _emit_selected(self, signal: SignalInstance) -> None:
        comment = self.selected_comment()
        if comment is not None:
            signal.emit(comment)

    def _on_comment_school_clicked(self) -> None:
        if self.view is not None:
            self.comment_requested.emit("site", self.view.entry.site_id)

    def _on_comment_item_clicked(self) -> None:
        item = self.selected_item()
        if item is None:
            self.tabs.setCurrentIndex(0)
            self.heading.setToolTip(self.tr("Выберите мероприятие на вкладке «Дорожная карта»."))
            return
        self.comment_requested.emit("roadmap_item", item.id)
