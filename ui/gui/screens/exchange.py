"""«Обмен с управлением» (school): cards, export to a USB stick, cover sheet, history, checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.app import Services
from services.core.errors import AppError
from services.core.formatting import date_short
from services.documents import DocOptions, get_spec
from services.exchange import ExportEntry, ExportResult
from services.packages import PackageError, SiteCard, read_card, write_card
from ui.gui.dialogs.district_key_confirm import confirm_district_key
from ui.gui.errors import show_error
from ui.gui.table_models.row_model import Column, RowTableModel
from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.folder_target import FolderTarget


@dataclass(frozen=True)
class _State:
    """What the screen shows; read in one background task (six reads)."""

    district: SiteCard | None
    own: SiteCard
    changed: bool
    history: list[Any]
    bulletins: list[Any]
    comments: list[Any]


def _read_state(services: Services) -> _State:
    ex = services.exchange
    received = [e for e in services.sync.import_log()
                if e.outcome == "applied" and e.report.kind == "district-bulletin"]  # fmt: skip
    comments = [c for c in services.registry.comments()
                if c.target_table == "site" and not c.resolved]  # fmt: skip
    return _State(ex.district_card(), ex.own_card(), ex.changed_since_export(), ex.history(),
                  received, comments)  # fmt: skip


class ExchangeScreen(QWidget):
    def __init__(
        self, services: Services, parent: QWidget | None = None, *, notifier: Notifier | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._notifier = notifier
        self.last_result: ExportResult | None = None
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.reminder = QLabel(self)
        self.reminder.setStyleSheet("color: #8a4b00; font-weight: bold;")
        cards = QGroupBox(self.tr("Карточки"), self)
        self.district_label = QLabel(cards)
        self.district_label.setWordWrap(True)
        self.own_label = QLabel(cards)
        self.load_card_button = QPushButton(self.tr("Загрузить карточку управления…"), cards)
        self.save_card_button = QPushButton(self.tr("Сохранить карточку школы…"), cards)
        cl = QVBoxLayout(cards)
        cl.addWidget(self.district_label)
        cl.addWidget(self.own_label)
        row = QHBoxLayout()
        row.addWidget(self.load_card_button)
        row.addWidget(self.save_card_button)
        row.addStretch(1)
        cl.addLayout(row)
        box = QGroupBox(self.tr("Выгрузка пакета для управления"), self)
        self.target = FolderTarget(self.tr("Папка для пакета"), box)
        self.export_button = QPushButton(self.tr("Выгрузить пакет"), box)
        self.export_button.setDefault(True)
        self.result_label = QLabel(box)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cover_button = QPushButton(self.tr("Сопроводительный лист…"), box)
        self.cover_button.setEnabled(False)
        bl = QVBoxLayout(box)
        trow = QHBoxLayout()
        trow.addWidget(self.target, 1)
        trow.addWidget(self.export_button)
        bl.addLayout(trow)
        rrow = QHBoxLayout()
        rrow.addWidget(self.result_label, 1)
        rrow.addWidget(self.cover_button, 0, Qt.AlignmentFlag.AlignTop)
        bl.addLayout(rrow)
        incoming = QGroupBox(self.tr("Рассылка управления"), self)
        self.bulletin_label = QLabel(incoming)
        self.bulletin_label.setWordWrap(True)
        self.bulletin_button = QPushButton(self.tr("Загрузить рассылку управления…"), incoming)
        il = QVBoxLayout(incoming)
        irow = QHBoxLayout()
        irow.addWidget(self.bulletin_label, 1)
        irow.addWidget(self.bulletin_button, 0, Qt.AlignmentFlag.AlignTop)
        il.addLayout(irow)
        self.verify_button = QPushButton(self.tr("Проверить пакет…"), self)
        self.history = RowTableModel[ExportEntry](
            [
                Column(self.tr("№"), lambda e: e.seq),
                Column(self.tr("Дата"), lambda e: date_short(e.created_at.date())),
                Column(self.tr("Записей"), lambda e: e.records),
                Column(self.tr("Файл"), lambda e: e.path if e.completed else self.tr("не записан")),
            ],
            self,
        )
        self.history_view = QTableView(self)
        self.history_view.setModel(self.history)
        self.history_view.horizontalHeader().setStretchLastSection(True)
        self.history_view.verticalHeader().setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reminder)
        layout.addWidget(cards)
        layout.addWidget(box)
        layout.addWidget(incoming)
        hrow = QHBoxLayout()
        hrow.addWidget(QLabel(self.tr("Выгруженные пакеты"), self))
        hrow.addStretch(1)
        hrow.addWidget(self.verify_button)
        layout.addLayout(hrow)
        layout.addWidget(self.history_view, 1)

    def _connect(self) -> None:
        self.load_card_button.clicked.connect(self._on_load_card_clicked)
        self.save_card_button.clicked.connect(self._on_save_card_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.cover_button.clicked.connect(self._on_cover_clicked)
        self.verify_button.clicked.connect(self._on_verify_clicked)
        self.bulletin_button.clicked.connect(self._on_bulletin_clicked)

    def refresh(self) -> None:
        services = self._services
        run_task(self, lambda _p: _read_state(services), self._show_state)

    def _show_state(self, state: _State) -> None:
        district, own, changed = state.district, state.own, state.changed
        if district is None:
            self.district_label.setText(self.tr("Карточка управления образования не загружена — "
                                                "без неё пакет не выгрузить."))  # fmt: skip
        else:
            self.district_label.setText(
                self.tr("Управление: «{0}», отпечаток {1}").format(
                    district.name, district.fingerprint
                )
            )
        self.own_label.setText(self.tr("Отпечаток ключа школы: {0}").format(own.fingerprint))
        self.export_button.setEnabled(district is not None)
        self.reminder.setText(
            self.tr("Есть изменения, ещё не отправленные в управление.") if changed else ""
        )
        self.target.refresh()
        self.history.set_rows(state.history)
        self.bulletin_button.setEnabled(district is not None)
        self._show_bulletin_state(state)

    def _show_bulletin_state(self, state: _State) -> None:
        lines = []
        if state.bulletins:
            last = state.bulletins[0]
            lines.append(self.tr("Последняя рассылка: № {0} от {1}.").format(
                last.seq, date_short(last.created_at.date())))  # fmt: skip
        else:
            lines.append(self.tr("Рассылок от управления ещё не было."))
        for comment in state.comments:
            lines.append(self.tr("Комментарий управления ({0}): {1}").format(
                date_short(comment.created_on), comment.text))  # fmt: skip
        self.bulletin_label.setText("\n".join(lines))

    def _on_bulletin_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Рассылка управления"), "",
                                              self.tr("Пакеты Опоры (*.opora)"))  # fmt: skip
        if name:
            self.load_bulletin(Path(name), self._tell_bulletin)

    def _tell_bulletin(self, text: str) -> None:
        QMessageBox.information(self, self.tr("Рассылка управления"), text)

    def load_bulletin(self, path: Path, then: Callable[[str], None]) -> None:
        """Import the bulletin in a task (merge engine + backup); `then` gets the text."""
        sync = self._services.sync

        def done(reports: list[Any]) -> None:
            [report] = reports
            self.refresh()
            if report.code == "district-key-change":  # typed by phone before anything applies
                confirm_district_key(self, self._services, path, then, self._notifier)
            elif report.verdict == "applied":
                then(self.tr("Рассылка № {0} загружена: пороги, статус школы и комментарии "
                             "управления обновлены.").format(report.seq))  # fmt: skip
            else:
                then(report.summary())

        run_task(self, lambda p: sync.import_files([path], dry_run=False, progress=p), done,
                 title=self.tr("Загрузка рассылки…"), notifier=self._notifier,
                 changes=["bulletin", "roadmap", "results"])  # fmt: skip

    def choose_target(self, folder: Path) -> None:
        self.target.choose(folder)

    def _on_export_clicked(self) -> None:
        folder = self.target.folder()
        if folder is None:
            return
        exchange = self._services.exchange
        run_task(self, lambda _p: exchange.export(folder), self._on_exported,
                 title=self.tr("Выгрузка пакета…"), notifier=self._notifier,
                 changes=["exchange"])  # fmt: skip

    def _on_exported(self, result: ExportResult) -> None:
        self.last_result = result
        self.result_label.setText(
            self.tr("Пакет № {0} сохранён: {1}\nSHA-256: {2}\nОтпечаток ключа школы: {3}\n"
                    "Распечатайте сопроводительный лист и подпишите его у директора.")
            .format(result.seq, result.path, result.sha256, result.fingerprint)
        )  # fmt: skip
        self.cover_button.setEnabled(True)
        self.refresh()

    def _on_cover_clicked(self) -> None:
        if self.last_result is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Сопроводительный лист"),
            str(self.last_result.path.with_suffix(".pdf")), self.tr("Документ PDF (*.pdf)"),
        )  # fmt: skip
        if name:
            self.save_cover_sheet(Path(name))

    def save_cover_sheet(self, out: Path) -> None:
        assert self.last_result is not None
        services, package = self._services, self.last_result.path
        spec = get_spec("cover-sheet", services.site.profile().role, out)
        run_task(self, lambda p: spec.render(services, out, DocOptions(package=package), p),
                 lambda _r: None, title=self.tr("Сопроводительный лист…"))  # fmt: skip

    def _on_load_card_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Карточка управления"), "",
                                              self.tr("Карточки Опоры (*.card)"))  # fmt: skip
        if name:
            self.load_district_card(Path(name))

    def load_district_card(self, path: Path) -> bool:
        try:
            card = read_card(path)
            if not confirm_fingerprint(self, card):
                return False
            self._services.exchange.trust_district_card(card)
        except AppError as exc:
            show_error(self, exc)
            return False
        self.refresh()
        if self._notifier is not None:
            self._notifier.announce(["exchange"], self)
        return True

    def _on_save_card_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Карточка школы"), "school.card",
                                              self.tr("Карточки Опоры (*.card)"))  # fmt: skip
        if name:
            try:
                write_card(Path(name), self._services.exchange.own_card())
            except AppError as exc:
                show_error(self, exc)

    def _on_verify_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Проверить пакет"), "",
                                              self.tr("Пакеты Опоры (*.opora)"))  # fmt: skip
        if name:
            QMessageBox.information(self, self.tr("Проверка пакета"), self.verify_text(Path(name)))

    def verify_text(self, path: Path) -> str:
        try:
            pkg = self._services.exchange.verify(path)
        except PackageError as exc:
            return self.tr("Пакет не прошёл проверку: {0}").format(exc)
        m = pkg.manifest
        sender = m.sender_card.name if m.sender_card else m.sender_id
        if not pkg.signer_known:  # never "in order", never the unconfirmed key's fingerprint
            text = self.tr("Отправитель неизвестен: пакет «{0}» подписан ключом, который "
                           "здесь не подтверждён. Проверить его данные нельзя.")  # fmt: skip
            return text.format(sender)
        return self.tr("Подпись и данные в порядке.\nОтправитель: {0}\nПакет № {1}\n"
                       "Записей: {2}\nSHA-256: {3}\nОтпечаток: {4}").format(
            sender, m.seq, sum(m.counts.values()), pkg.file_sha256, pkg.signer_fingerprint
        )  # fmt: skip


def confirm_fingerprint(parent: QWidget, card: SiteCard) -> bool:
    answer = QMessageBox.question(
        parent,
        parent.tr("Подтвердите карточку"),
        parent.tr(
            "Карточка «{0}».\nОтпечаток: {1}\n\nПозвоните в управление и сверьте "
            "отпечаток. Он совпадает?"
        ).format(card.name, card.fingerprint),
    )
    return answer == QMessageBox.StandardButton.Yes
