"""«Справочники для школ» on «Шаблоны и пороги»: each catalogue version and its publication."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from services.core.errors import AppError
from services.district import CatalogueEntry, ThresholdService
from ui.gui.widgets.read_only import lock


class CataloguePanel(QGroupBox):
    """One row per catalogue: title, version, state and «Опубликовать»."""

    def __init__(
        self,
        service: ThresholdService,
        on_error: Callable[[AppError], None],
        tell: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._on_error = on_error
        self._tell = tell
        self.rows: list[tuple[CatalogueEntry, QLabel, QPushButton]] = []
        self._locked = False  # a read-only login: every «Опубликовать», built now or later
        self.setTitle(self.tr("Справочники для школ"))
        hint = QLabel(
            self.tr(
                "Опубликованный справочник попадёт к школам со следующей «Рассылкой школам»; "
                "школы перейдут на него, если он новее справочника их программы."
            ),
            self,
        )
        hint.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(0, 1)
        inner = QVBoxLayout(self)
        inner.addWidget(hint)
        inner.addLayout(self.grid)

    def load(self) -> None:
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.rows = []
        for row, entry in enumerate(self._service.catalogues()):
            title = QLabel(f"{entry.kind_title}: {entry.title}", self)
            title.setWordWrap(True)
            version = QLabel(self.tr("версия {0}").format(entry.version), self)
            state = QLabel(self._state_text(entry), self)
            state.setWordWrap(True)
            if entry.problem:
                state.setStyleSheet("color: #b00020;")
            button = QPushButton(self.tr("Опубликовать"), self)
            button.setEnabled(not entry.published and not entry.problem)
            button.clicked.connect(lambda _c=False, e=entry: self.publish(e))
            if self._locked:
                lock([button])
            for column, widget in enumerate((title, version, state, button)):
                self.grid.addWidget(widget, row, column)
            self.rows.append((entry, state, button))

    def lock_writes(self) -> None:
        self._locked = True
        lock([button for _e, _s, button in self.rows])

    def _state_text(self, entry: CatalogueEntry) -> str:
        if entry.problem:
            return entry.problem
        if entry.published:
            return self.tr("опубликован")
        return self.tr("не опубликован")

    def publish(self, entry: CatalogueEntry) -> None:
        try:
            self._service.publish(entry.kind.value, entry.version)
        except AppError as exc:
            self._on_error(exc)
            return
        self._tell(
            self.tr("«{0}», версия {1}, опубликован: он дойдёт до школ со следующей "
                    "«Рассылкой школам».").format(entry.title, entry.version)
        )  # fmt: skip
        self.load()
