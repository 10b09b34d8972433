"""Which columns the roadmap table shows: a menu on its header, remembered in `ui.ini`.

By default the columns a deputy director reads (№, «Мероприятие», «Срок», «Ответственные»,
«Отметка о выполнении») fit a 1024 px screen without a sideways scroll: «Мероприятие» takes the
width the others leave. The others are one right click on the header away.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from ui.gui.table_models.roadmap import COLUMN_SPECS, TITLE_COLUMN

KEY = "roadmap/columns"


class ColumnChooser:
    """Shows and hides the table's columns; `settings_file` None keeps the choice in memory."""

    def __init__(self, view: QTableView, settings_file: Path | None = None) -> None:
        self._view = view
        self._settings_file = settings_file
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, spec in enumerate(COLUMN_SPECS):
            view.setColumnWidth(column, spec.width)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_menu_requested)
        header.setToolTip("Правый щелчок по заголовку: выбрать столбцы")
        self.set_shown(self._stored())

    def shown(self) -> list[str]:
        header = self._view.horizontalHeader()
        return [s.name for n, s in enumerate(COLUMN_SPECS) if not header.isSectionHidden(n)]

    def set_shown(self, names: list[str]) -> None:
        header = self._view.horizontalHeader()
        for n, spec in enumerate(COLUMN_SPECS):
            # the number and the title are how a row is read: they never hide
            header.setSectionHidden(n, spec.name not in names and n > TITLE_COLUMN)

    def menu(self) -> QMenu:
        menu = QMenu(self._view)
        shown = set(self.shown())
        for n, spec in enumerate(COLUMN_SPECS):
            action = menu.addAction(spec.title)
            action.setCheckable(True)
            action.setChecked(spec.name in shown)
            action.setEnabled(n > TITLE_COLUMN)
            action.toggled.connect(lambda on, name=spec.name: self._toggle(name, on))
        menu.addSeparator()
        menu.addAction("Как по умолчанию", self._reset)
        return menu

    def _on_menu_requested(self, at: QPoint) -> None:
        self.menu().popup(self._view.horizontalHeader().mapToGlobal(at))

    def _toggle(self, name: str, on: bool) -> None:
        names = [n for n in self.shown() if n != name] + ([name] if on else [])
        self.set_shown(names)
        self._store()

    def _reset(self) -> None:
        self.set_shown(_defaults())
        self._store()

    def _settings(self) -> QSettings | None:
        if self._settings_file is None:
            return None
        return QSettings(str(self._settings_file), QSettings.Format.IniFormat)

    def _stored(self) -> list[str]:
        store = self._settings()
        value = store.value(KEY) if store is not None else None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return _defaults()
        known = {s.name for s in COLUMN_SPECS}
        return [str(v) for v in value if str(v) in known] or _defaults()

    def _store(self) -> None:
        store = self._settings()
        if store is not None:
            store.setValue(KEY, self.shown())
            store.sync()


def _defaults() -> list[str]:
    return [s.name for s in COLUMN_SPECS if s.shown]
