"""The first-run wizard's page for a district workspace on a PostgreSQL server (DESIGN §5)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from services.core.errors import AppError
from services.packages import check_new_passphrase
from services.site import Probe, probe_server, server_url, use_password
from ui.gui.tasks import run_task

WIDE = 760  # the page's window: room for a server's error without much wrapping
OK_COLOUR = "#1b5e20"
ERROR_COLOUR = "#b00020"


@dataclass(frozen=True, slots=True)
class ServerChoice:
    url: str
    join: bool  # True: the workspace exists (its district is `name`); False: create it
    name: str = ""
    passphrase: str = ""  # a new workspace's keys are sealed with it (never written here)


def grow_to_fit(page: QWidget, min_width: int = 0) -> None:
    """Make the page's window tall enough for its wrapped texts (a long error), within the screen.

    A wizard keeps the size it was shown with; its size hint does not follow word wrap.
    """
    window = page.window()
    if not window.isVisible():
        return
    room = window.screen().availableGeometry()
    frame = window.frameGeometry().size() - window.size()
    width = min(max(window.width(), min_width), room.width() - frame.width())
    wider = width - window.width()  # the labels get as much wider once the window is
    short = sum(
        max(0, label.heightForWidth(label.width() + wider) - label.height())
        for label in page.findChildren(QLabel)
        if label.isVisible() and label.wordWrap()
    )
    height = min(window.height() + short, room.height() - frame.height())
    if (width, height) != (window.width(), window.height()):  # applied a moment later
        window.resize(width, height)
        top = min(window.y(), room.bottom() - height - frame.height())
        window.move(window.x(), max(room.top(), top))


class ServerPage(QWizardPage):
    """Server, port, database, user, an optional password; a check; then create or join."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Общая база управления на сервере"))
        self.setSubTitle(self.tr("Данные для подключения даёт администратор сервера PostgreSQL."))
        self.probe: Probe | None = None
        self._build()
        for edit in (self.host, self.database, self.user, self.password):
            edit.textChanged.connect(self._forget_probe)
        self.port.valueChanged.connect(self._forget_probe)
        self.check_button.clicked.connect(self._on_check_clicked)
        self.group.buttonToggled.connect(lambda *_a: self._show_keys())
        for edit in (self.phrase, self.phrase_again):
            edit.textChanged.connect(self._show_keys)

    def _build(self) -> None:
        self.host = QLineEdit(self)
        self.host.setPlaceholderText(self.tr("например, db.rono.local или 192.168.1.10"))
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("opora", self)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("не нужен, если записан в файле .pgpass"))
        self.check_button = QPushButton(self.tr("Проверить подключение"), self)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.create_button = QRadioButton(
            self.tr("Создать новое рабочее пространство управления"), self
        )
        self.join_button = QRadioButton(
            self.tr("Подключиться к существующему рабочему пространству"), self
        )
        self.keys = QWidget(self)  # the new workspace's keys: sealed with this passphrase
        self.phrase = QLineEdit(self.keys)
        self.phrase_again = QLineEdit(self.keys)
        for edit in (self.phrase, self.phrase_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.phrase_note = QLabel(self.keys)
        self.phrase_note.setWordWrap(True)
        keys_form = QFormLayout(self.keys)
        keys_form.setContentsMargins(24, 0, 0, 0)
        keys_form.addRow(self.tr("Парольная фраза ключей:"), self.phrase)
        keys_form.addRow(self.tr("Ещё раз:"), self.phrase_again)
        keys_form.addRow(self.phrase_note)
        self.group = QButtonGroup(self)
        self.group.addButton(self.create_button)
        self.group.addButton(self.join_button)
        where = QHBoxLayout()
        where.addWidget(self.host, 1)
        where.addWidget(QLabel(self.tr("Порт:"), self))
        where.addWidget(self.port)
        form = QFormLayout()
        form.addRow(self.tr("Сервер:"), where)
        form.addRow(self.tr("База данных:"), self.database)
        form.addRow(self.tr("Пользователь:"), self.user)
        form.addRow(self.tr("Пароль:"), self.password)
        note = QLabel(
            self.tr(
                "Пароль никуда не записывается и нужен только до выхода из программы; "
                "постоянно его хранят в файле .pgpass."
            ),
            self,
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.check_button)
        layout.addWidget(self.result)
        layout.addWidget(self.create_button)
        layout.addWidget(self.keys)
        layout.addWidget(self.join_button)
        layout.addStretch(1)
        self._set_modes(None)

    # -- checking ------------------------------------------------------------------------------

    def _on_check_clicked(self) -> None:
        try:
            url = server_url(
                self.host.text(), self.port.value(), self.database.text(), self.user.text()
            )
        except AppError as exc:
            self._show_failure(exc)
            return
        use_password(self.password.text())
        self.check_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(self.tr("Подключение…"))
        run_task(self, lambda _p: probe_server(url), self._show_probe,
                 on_error=self._show_failure)  # fmt: skip

    def _show_probe(self, probe: Probe) -> None:
        self.check_button.setEnabled(True)
        self.probe = probe
        self.result.setStyleSheet(f"color: {OK_COLOUR};")
        if probe.name:
            text = self.tr(
                "Подключение работает: {0}. В ней рабочее пространство «{1}» — "
                "к нему можно подключиться."
            ).format(probe.where, probe.name)
        else:
            text = self.tr(
                "Подключение работает: {0}. База пуста — в ней будет создано новое "
                "рабочее пространство управления."
            ).format(probe.where)
        self.result.setText(text)
        self._set_modes(probe)
        grow_to_fit(self, WIDE)

    def _show_failure(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.probe = None
        self._set_modes(None)
        details = " ".join(str(getattr(exc, "details", "")).split())  # libpq puts tabs in it
        text = str(exc) + (self.tr("\nОтвет сервера: {0}").format(details) if details else "")
        self.result.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.result.setText(text)
        grow_to_fit(self, WIDE)

    def _forget_probe(self) -> None:
        if self.probe is None and not self.result.text():
            return
        self.probe = None
        self.result.clear()
        self._set_modes(None)

    def _set_modes(self, probe: Probe | None) -> None:
        """Only what the database allows: join a workspace that is there, create in an empty one.

        Shown after a successful check only (a failure's text takes their room).
        """
        for button in (self.create_button, self.join_button):
            button.setVisible(probe is not None)
        self.create_button.setEnabled(probe is not None and not probe.name)
        self.join_button.setEnabled(probe is not None and bool(probe.name))
        if probe is not None:
            (self.join_button if probe.name else self.create_button).setChecked(True)
        self._show_keys()

    def _creating(self) -> bool:
        return self.probe is not None and self.create_button.isChecked()

    def _phrase_problem(self) -> str:
        """Why the passphrase cannot seal the keys yet (empty: it can)."""
        try:
            check_new_passphrase(self.phrase.text())
        except AppError as exc:
            return str(exc)
        if self.phrase.text() != self.phrase_again.text():
            return self.tr("Фразы не совпадают: введите её ещё раз.")
        return ""

    def _show_keys(self) -> None:
        self.keys.setVisible(self._creating())
        problem = self._phrase_problem() if self.phrase.text() else ""
        self.phrase_note.setStyleSheet(f"color: {ERROR_COLOUR};" if problem else "")
        self.phrase_note.setText(
            problem
            or self.tr(
                "Ключи управления будут храниться только в общей базе, зашифрованные этой "
                "фразой. Сообщите её сотрудникам, которые будут принимать пакеты и рассылать "
                "сводки; без неё ключи не открыть."
            )
        )
        grow_to_fit(self, WIDE)
        self.completeChanged.emit()

    # -- the wizard ----------------------------------------------------------------------------

    def isComplete(self) -> bool:
        return self.probe is not None and not (self._creating() and self._phrase_problem())

    def choice(self) -> ServerChoice | None:
        if self.probe is None:
            return None
        join = self.join_button.isChecked()
        phrase = "" if join else self.phrase.text()
        return ServerChoice(self.probe.url, join, self.probe.name, phrase)
