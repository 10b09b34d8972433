"""«Рассылка школам» (district): one signed, encrypted bulletin per school into a folder.

Each bulletin carries the district's thresholds and catalogue versions, the municipal roadmap,
and — for that school only — its status, curator and the comments on its rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.app import Services
from services.core.progress import Progress
from services.district import BulletinResult, KeyState
from ui.gui.dialogs.keys_passphrase import with_keys
from ui.gui.table_models.row_model import Column, RowTableModel
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.columns import keep_readable
from ui.gui.widgets.folder_target import FolderTarget

History = tuple[datetime, str, int, str, bool, str]
SHOWN_NAMES = 10  # recipients named in the label; the tooltip lists them all


class BulletinScreen(QWidget):
    def __init__(
        self, services: Services, parent: QWidget | None = None, *, notifier: Notifier | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._notifier = notifier
        self.last_results: list[BulletinResult] | None = None
        self._build_ui()
        self.send_button.clicked.connect(self.send)

    def _build_ui(self) -> None:
        intro = QLabel(
            self.tr(
                "Рассылка — это подписанный управлением пакет для каждой школы, зашифрованный "
                "так, что открыть его может только эта школа. В нём пороговые значения "
                "показателей, опубликованные справочники, муниципальная дорожная карта, а "
                "также статус школы, куратор и комментарии управления к её данным. Школа "
                "загружает пакет на экране «Обмен с управлением»."
            ),
            self,
        )
        intro.setWordWrap(True)
        # The district's own fingerprint, read out to a school that confirms its key by phone.
        self.key_label = QLabel(self)
        self.key_label.setWordWrap(True)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QGroupBox(self.tr("Сформировать рассылку"), self)
        self.recipients_label = QLabel(box)
        self.recipients_label.setWordWrap(True)
        self.target = FolderTarget(self.tr("Папка для рассылки"), box)
        self.send_button = QPushButton(self.tr("Сформировать рассылку"), box)
        self.send_button.setDefault(True)
        self.result_label = QLabel(box)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bl = QVBoxLayout(box)
        bl.addWidget(self.recipients_label)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(self.send_button)
        bl.addLayout(row)
        bl.addWidget(self.result_label)
        self.history = RowTableModel[History](
            [
                Column(self.tr("Дата"), lambda h: h[0].strftime("%d.%m.%Y %H:%M")),
                Column(self.tr("Школа"), lambda h: h[1]),
                Column(self.tr("№"), lambda h: h[2]),
                Column(self.tr("Кто отправил"), lambda h: h[5]),
                Column(self.tr("Файл"), lambda h: h[3] if h[4] else self.tr("не записан")),
            ],
            self,
        )
        self.history_view = QTableView(self)
        self.history_view.setModel(self.history)
        self.history_view.verticalHeader().setVisible(False)
        self.history_view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((120, 300, 50, 100)):
            self.history_view.setColumnWidth(column, width)
        keep_readable(self.history_view)  # the widths above are too narrow at «Крупный шрифт»
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.key_label)
        layout.addWidget(box)
        layout.addWidget(QLabel(self.tr("Отправленные рассылки"), self))
        layout.addWidget(self.history_view, 1)

    def lock_writes(self) -> None:
        """A read-only login sees the bulletin screen but cannot send one."""
        from ui.gui.widgets.read_only import lock

        lock([self.send_button])

    def refresh(self) -> None:
        """Read the recipients and the history in the background (300 schools: ≈ 0.5 s)."""
        bulletin, district_key = self._services.bulletin, self._services.district_key

        def job(_progress: Progress) -> tuple[list[str], list[Any], KeyState]:
            names = [bulletin.name_of(s) for s in bulletin.recipients()]
            return names, bulletin.history(), district_key.state()

        run_task(self, job, self._show)

    def _first_names(self, names: Sequence[str]) -> str:
        """The first names and how many more (the tooltip lists them all).

        Laying out 300 legal names in a wrapped label blocked the window for 60–120 ms.
        """
        named = ", ".join(names[:SHOWN_NAMES])
        if len(names) > SHOWN_NAMES:
            named = self.tr("{0} и ещё {1}").format(named, len(names) - SHOWN_NAMES)
        return named

    def _show(self, state: tuple[list[str], list[Any], KeyState]) -> None:
        schools, history, key = state
        text = self.tr("Отпечаток ключа управления: {0}").format(key.fingerprint)
        if key.waiting:
            text += self.tr(
                "\nКлюч недавно сменён: следующая рассылка сообщит его школам ({0}): {1}. "
                "Школа загрузит её, когда позвонит и сверит этот отпечаток."
            ).format(len(key.waiting), self._first_names(key.waiting))
        self.key_label.setText(text)
        named = self._first_names(schools)
        self.recipients_label.setToolTip("\n".join(schools) if len(schools) > SHOWN_NAMES else "")
        self.recipients_label.setText(
            self.tr("Получат рассылку школ с подтверждённым ключом: {0} — {1}.").format(
                len(schools), named)
            if schools
            else self.tr("Пока нет ни одной школы с подтверждённым ключом. Импортируйте пакеты "
                         "школ и подтвердите их ключи на экране «Импорт пакетов».")
        )  # fmt: skip
        self.send_button.setEnabled(bool(schools))
        self.target.refresh()
        self.history.set_rows(history)

    def choose_target(self, folder: Path) -> None:
        self.target.choose(folder)

    def send(self) -> None:
        folder = self.target.folder()
        if folder is None:
            return
        with_keys(self, self._services.keys, lambda: self._send_to(Path(folder)))

    def _send_to(self, folder: Path) -> None:
        bulletin = self._services.bulletin

        def job(progress: Progress) -> list[BulletinResult]:
            return bulletin.export_bulletins(Path(folder), progress)

        run_task(self, job, self._sent, title=self.tr("Рассылка…"), notifier=self._notifier,
                 changes=["bulletin"])  # fmt: skip

    def _sent(self, results: list[BulletinResult]) -> None:
        self.last_results = results
        lines = "\n".join(r.line() for r in results)
        self.result_label.setText(
            self.tr("Сохранено пакетов: {0}. Передайте каждой школе её файл.\n{1}").format(
                len(results), lines)
        )  # fmt: skip
        self.refresh()
