"""The «Школы» registry table: one row per school, its key state and its Опора version.

A school whose last package was written with an older schema than the district's own packages
gets its «Последний пакет» and «Версия Опоры» cells marked (⚠ and colour, since colour alone is
lost on a grey printout or a projector) and the tooltip «Школе нужно обновить Опору»: at
1024 px the version column is hidden (`SchoolsScreen`), the package column stays.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from services.district import KEY_STATES, RegistryEntry
from ui.gui.table_models.row_model import Column, RowTableModel

Index = QModelIndex | QPersistentModelIndex

REVOKED = QColor("#f8d7da")
PENDING = QColor("#fff3cd")
OUTDATED = QColor("#ffe0b2")
PACKAGE_COLUMN, VERSION_COLUMN = 4, 5
UPDATE_TIP = "Школе нужно обновить Опору"


def _last_package(e: RegistryEntry) -> str:
    if not e.last_seq:
        return "—"
    when = e.last_received.strftime("%d.%m.%Y") if e.last_received else ""
    mark = "⚠ " if e.schema_outdated else ""  # the version column is the first to hide
    return f"{mark}№ {e.last_seq}, {when}"


def _key_text(e: RegistryEntry) -> str:
    limit = f" (до № {e.accept_up_to_seq})" if e.accept_up_to_seq is not None else ""
    return KEY_STATES[e.key_state] + limit


def _version(e: RegistryEntry) -> str:
    return f"⚠ {e.version_text}" if e.schema_outdated else e.version_text


def _row_colour(e: RegistryEntry) -> QColor | None:
    return {"revoked": REVOKED, "pending": PENDING, "none": PENDING}.get(e.key_state)


def registry_columns() -> list[Column[RegistryEntry]]:
    return [
        Column("Школа", lambda e: e.title),
        Column("Признаки", lambda e: e.flags_text),
        Column("Кураторы", lambda e: e.curators_text),
        Column("Ключ", _key_text),
        Column("Последний пакет", _last_package),
        Column(
            "Версия Опоры",
            _version,
            tooltip="Версия Опоры и схема данных последнего принятого пакета школы",
        ),
        Column("Пропуски", lambda e: ", ".join(map(str, e.gaps)) or ""),
        Column("Комм.", lambda e: e.open_comments or ""),
    ]


class SchoolsTableModel(RowTableModel[RegistryEntry]):
    """The registry rows; the package and version cells of a school that must update stand out."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(registry_columns(), parent, row_background=_row_colour)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        marked = index.isValid() and index.column() in (PACKAGE_COLUMN, VERSION_COLUMN)
        if marked and index.row() < self.rowCount():
            entry = self.row_at(index.row())
            if entry.schema_outdated and role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(OUTDATED)
            if entry.schema_outdated and role == Qt.ItemDataRole.ToolTipRole:
                return f"{UPDATE_TIP}: её последний пакет записан по схеме {entry.schema}."
        return super().data(index, role)
