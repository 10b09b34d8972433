"""The entry tabs of «Результаты»: ВПР, ОГЭ/ЕГЭ, progression — a table with add/edit/delete."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget

from models.results import ExamKind
from services.core.errors import AppError
from services.results import (
    EXAM_TITLES,
    FIELD_TITLES,
    GIA_SUBJECTS,
    LEVEL_TITLES,
    OPTIONAL_COUNTS,
    VPR_GRADES,
    VPR_SUBJECTS,
    GiaEntry,
    Problems,
    ProgressionEntry,
    ResultsService,
    VprEntry,
    check_gia,
    check_progression,
    check_vpr,
)
from ui.gui.errors import show_error
from ui.gui.screens.results.dialogs import EntryDialog, FieldSpec
from ui.gui.table_models.row_model import ROW_ROLE, Column, RowTableModel
from ui.gui.widgets.columns import fit_to_view
from ui.gui.widgets.filter_table import FilterTable

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _opt(value: Any) -> str:
    return "—" if value is None else str(value).replace(".", ",")


# Titles of the figures' columns, broken over lines or shortened (the full title shows as the
# header's tooltip and in the row's form): in one line, «Переводы и выпуск» needed 1300 px.
SHORT_TITLES = {
    "participants": "Участ-\nников",
    "lowered": "Пониз.",
    "confirmed": "Подтв.",
    "raised": "Повыс.",
    "below_min": "Ниже мин.\nили «2»",
    "mean_score": "Средний\nбалл",
    "high_scorers": "80–100\nбаллов",
    "pupils": "Обучаю-\nщихся",
    "repeaters": "Повторное\nобучение",
    "conditionally_promoted": "Переве-\nдены\nусловно",
    "graduates_9": "Выпуск-\nники\n9 кл.",
    "certificates_9": "Аттес-\nтаты\n9 кл.",
    "graduates_11": "Выпуск-\nники\n11 кл.",
    "certificates_11": "Аттес-\nтаты\n11 кл.",
}


def number_column(name: str) -> Column[Any]:
    title = FIELD_TITLES[name]
    short = SHORT_TITLES.get(name, title)
    return Column(short, lambda e: getattr(e, name), _opt, RIGHT, tooltip=title if short != title
                  else "", sort_key=lambda x: -1 if x is None else x)  # fmt: skip


@dataclass(frozen=True)
class TabSpec:
    """How one entry kind is listed, edited and saved."""

    title: str
    columns: list[Column[Any]]
    fields: list[FieldSpec]
    new: Callable[[int], Any]
    check: Callable[[Any], Problems]
    list_rows: Callable[[int], Sequence[Any]]
    save: Callable[[Any], Any]
    delete: Callable[[str], None]
    # the column a row is read by takes the spare width; at 1024 px with «Крупный шрифт» the
    # columns of `drop` hide (least important first) instead of the table scrolling sideways
    main: int = 0
    drop: tuple[int, ...] = ()


class EntryTab(QWidget):
    """A filterable table of one year's entries with «Добавить», «Изменить», «Удалить»."""

    changed = Signal()

    def __init__(self, spec: TabSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.year = 0
        self.model: RowTableModel[Any] = RowTableModel(spec.columns, self)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        # made in layout order: Tab follows creation (the buttons sit above the table)
        self.add_button = QPushButton(self.tr("Добавить…"), self)
        self.edit_button = QPushButton(self.tr("Изменить…"), self)
        self.delete_button = QPushButton(self.tr("Удалить"), self)
        self.table = FilterTable(self.model, self)
        self.table.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.proxy.sort(-1)  # the service's order until the user sorts
        view, main = self.table.view, self.spec.main
        self.fitter = fit_to_view(view, main, self.spec.drop, lambda: view.sizeHintForColumn(main))
        self._buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            self._buttons.addWidget(b)
        self._buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(self._buttons)
        layout.addWidget(self.table, 1)

    def add_action(self, text: str) -> QPushButton:
        """One more button after «Удалить» (the ВПР tab's entry from percentages)."""
        button = QPushButton(text, self)
        self._buttons.insertWidget(3, button)
        return button

    def _connect(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.table.activated_row.connect(self.edit)

    def load(self, year: int) -> None:
        self.show_rows(year, self.spec.list_rows(year))

    def show_rows(self, year: int, rows: Sequence[Any]) -> None:
        self.year = year
        self.model.set_rows(rows)
        # Every column was 100 px: «Класс» half empty, «Предмет» cut to «Математ…».
        self.fitter.fit_contents()

    def selected(self) -> Any | None:
        rows = self.table.view.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _on_add_button_clicked(self) -> None:
        self.edit(self.spec.new(self.year))

    def _on_edit_button_clicked(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.edit(entry)

    def edit(self, entry: Any) -> None:
        """Open the form for `entry` (new when it has no id) and save what the user confirms."""
        title = self.tr("{0}: {1} год").format(self.spec.title, entry.year)
        while True:  # a refused save reopens the form with everything typed
            changed = EntryDialog.ask(self, title, self.spec.fields, entry, self.spec.check)
            if changed is None:
                return
            try:
                self.spec.save(changed)
            except AppError as exc:
                show_error(self, exc)
                entry = changed
                continue
            break
        self.load(self.year)
        self.changed.emit()

    def _on_delete_button_clicked(self) -> None:
        entry = self.selected()
        if entry is None or not self.confirm_delete():
            return
        try:
            self.spec.delete(entry.id)
        except AppError as exc:
            show_error(self, exc)
            return
        self.load(self.year)
        self.changed.emit()

    def confirm_delete(self) -> bool:
        answer = QMessageBox.question(self, self.tr("Удаление"), self.tr("Удалить строку?"))
        return answer == QMessageBox.StandardButton.Yes


def _choices(
    values: Sequence[Any], titles: dict[Any, str] | None = None
) -> tuple[tuple[Any, str], ...]:
    return tuple((v, (titles or {}).get(v, str(v))) for v in values)


def vpr_tab(results: ResultsService, parent: QWidget | None = None) -> EntryTab:
    counts = ("participants", "n2", "n3", "n4", "n5", "lowered", "confirmed", "raised")
    spec = TabSpec(
        title="ВПР",
        columns=[
            Column("Класс", lambda e: e.grade, align=RIGHT),
            Column("Буква", lambda e: e.class_label),
            Column("Предмет", lambda e: e.subject),
            *(number_column(n) for n in counts),
        ],
        fields=[
            FieldSpec("grade", "choice", _choices(VPR_GRADES)),
            FieldSpec("class_label", "text"),
            FieldSpec("subject", "choice", _choices(VPR_SUBJECTS), editable=True),
            *(FieldSpec(n, optional=n in counts[5:]) for n in counts),
        ],
        new=lambda year: VprEntry(year, 5, "Математика", 0, 0, 0, 0, 0),
        check=check_vpr,
        list_rows=results.vpr,
        save=results.save_vpr,
        delete=results.delete_vpr,
        main=2,
        drop=(10, 9, 8),
    )
    return EntryTab(spec, parent)


def gia_tab(results: ResultsService, parent: QWidget | None = None) -> EntryTab:
    spec = TabSpec(
        title="ОГЭ и ЕГЭ",
        columns=[
            Column("Экзамен", lambda e: EXAM_TITLES[e.exam]),
            Column("Предмет", lambda e: e.subject),
            *(
                number_column(n)
                for n in ("participants", "below_min", "mean_score", "high_scorers")
            ),
        ],
        fields=[
            FieldSpec("exam", "choice", _choices(list(ExamKind), EXAM_TITLES)),
            FieldSpec("subject", "choice", _choices(GIA_SUBJECTS), editable=True),
            FieldSpec("participants"),
            FieldSpec("below_min"),
            FieldSpec("mean_score", "float", optional=True, maximum=100),
            FieldSpec("high_scorers"),
        ],
        new=lambda year: GiaEntry(year, ExamKind.OGE, "Математика", 0),
        check=check_gia,
        list_rows=results.gia,
        save=results.save_gia,
        delete=results.delete_gia,
        main=1,
        drop=(5, 4),
    )
    return EntryTab(spec, parent)


def progression_tab(results: ResultsService, parent: QWidget | None = None) -> EntryTab:
    counts = ("pupils", "repeaters", "conditionally_promoted", "graduates_9", "certificates_9",
              "graduates_11", "certificates_11", "medals")  # fmt: skip
    spec = TabSpec(
        title="Переводы и выпуск",
        columns=[
            Column("Уровень", lambda e: LEVEL_TITLES.get(e.level, e.level)),
            *(number_column(n) for n in (*counts, *OPTIONAL_COUNTS)),
        ],
        fields=[
            FieldSpec("level", "choice", _choices(list(LEVEL_TITLES), LEVEL_TITLES)),
            *(FieldSpec(n) for n in counts),
            # the inputs of municipal indicators: blank is «не введено», not 0
            *(FieldSpec(n, optional=True) for n in OPTIONAL_COUNTS),
        ],
        new=lambda year: ProgressionEntry(year, "all"),
        check=check_progression,
        list_rows=results.progression,
        save=results.save_progression,
        delete=results.delete_progression,
        # the municipal inputs give way first (often blank; the row's form shows them all)
        drop=(*range(8 + len(OPTIONAL_COUNTS), 8, -1), 8, 3, 2),
    )
    return EntryTab(spec, parent)
