"""First-run wizard: role, organisation, district card (school), demo (DESIGN §9)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from models import Role
from services.core.errors import Invalid
from services.site import validate_fisoko_login, validate_identity
from ui.gui.dialogs.server_page import ServerChoice, ServerPage


@dataclass(frozen=True, slots=True)
class FirstRunChoice:
    role: Role
    full_name: str
    short_name: str
    code: str
    district_card: Path | None
    fill_demo: bool
    fisoko_login: str = ""
    server: ServerChoice | None = None  # a district workspace on a PostgreSQL server


class RolePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Добро пожаловать в Опору"))
        self.setSubTitle(self.tr("Где будет работать программа?"))
        self.school = QRadioButton(self.tr("В школе"), self)
        self.district = QRadioButton(self.tr("В управлении (отделе) образования"), self)
        self.school.setChecked(True)
        self.group = QButtonGroup(self)
        self.group.addButton(self.school)
        self.group.addButton(self.district)
        self.local = QRadioButton(self.tr("База управления на этом компьютере"), self)
        self.server = QRadioButton(self.tr("Общая база управления на сервере"), self)
        self.local.setChecked(True)
        self.storage = QButtonGroup(self)
        self.storage.addButton(self.local)
        self.storage.addButton(self.server)
        hint = QLabel(
            self.tr(
                "Школа ведёт дорожную карту, самоаудит, планы педагогов и результаты и "
                "отправляет их в управление. Управление собирает пакеты всех школ и видит "
                "сводную картину. Роль выбирается один раз."
            ),
            self,
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.school)
        layout.addWidget(self.district)
        storage = QVBoxLayout()
        storage.setContentsMargins(24, 0, 0, 0)  # under «управление»: its own sub-choice
        storage.addWidget(self.local)
        storage.addWidget(self.server)
        layout.addLayout(storage)
        layout.addSpacing(12)
        layout.addWidget(hint)
        self.district.toggled.connect(self._show_storage)
        self._show_storage(False)

    def _show_storage(self, district: bool) -> None:
        for button in (self.local, self.server):
            button.setVisible(district)

    def role(self) -> Role:
        return Role.SCHOOL if self.school.isChecked() else Role.DISTRICT

    def on_server(self) -> bool:
        return self.district.isChecked() and self.server.isChecked()


class OrganisationPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Организация"))
        self.full_name = QLineEdit(self)
        self.short_name = QLineEdit(self)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText(self.tr("ИНН или региональный код"))
        self.fisoko_login = QLineEdit(self)
        self.fisoko_login.setPlaceholderText(self.tr("sch123456 — для школы; можно позже"))
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.form = QFormLayout(self)
        self.form.addRow(self.tr("Полное название:"), self.full_name)
        self.form.addRow(self.tr("Краткое название:"), self.short_name)
        self.form.addRow(self.tr("Код:"), self.code)
        self.form.addRow(self.tr("Логин ФИС ОКО:"), self.fisoko_login)
        self.form.addRow(self.error)
        for edit in (self.full_name, self.code):
            edit.textChanged.connect(self._on_text_changed)
        self.set_role(Role.SCHOOL)

    def set_role(self, role: Role) -> None:
        """Wording and fields of the chosen role: a district is not asked for a school's data."""
        school = role is Role.SCHOOL
        full, short = (
            (self.tr("Муниципальное общеобразовательное учреждение «Средняя школа № 1»"),
             self.tr("МОУ СОШ № 1"))
            if school
            else (self.tr("Управление образования администрации муниципального района"),
                  self.tr("Управление образования"))
        )  # fmt: skip
        self.full_name.setPlaceholderText(full)
        self.short_name.setPlaceholderText(short)
        self.setSubTitle(
            self.tr("Эти данные печатаются в документах и видны управлению.")
            if school
            else self.tr("Эти данные печатаются в документах и видны школам в карточке управления.")
        )
        self.form.setRowVisible(self.fisoko_login, school)  # ФИС ОКО logins are schools'
        if not school:
            self.fisoko_login.clear()

    def _on_text_changed(self) -> None:
        self.error.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.full_name.text().strip() and self.code.text().strip())

    def validatePage(self) -> bool:
        try:
            validate_identity(self.full_name.text(), self.code.text())
            validate_fisoko_login(self.fisoko_login.text())
        except Invalid as exc:
            self.error.setText(str(exc))
            return False
        return True


class DistrictCardPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Карточка управления образования"))
        self.setSubTitle(
            self.tr(
                "Управление выдаёт школе файл-карточку (на флешке или по почте). По ней "
                "программа шифрует пакеты для управления."
            )
        )
        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("Файл не выбран — можно загрузить позже"))
        self.browse = QPushButton(self.tr("Выбрать файл…"), self)
        self.browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        later = QLabel(
            self.tr(
                "Если карточки пока нет, нажмите «Далее»: её можно загрузить позже на "
                "экране «Обмен с управлением»."
            ),
            self,
        )
        later.setWordWrap(True)
        self.card_info = QLabel(self)
        self.card_info.setWordWrap(True)
        self.confirmed = QCheckBox(
            self.tr("Отпечаток совпадает с тем, что назвали в управлении по телефону"), self
        )
        self.confirmed.setVisible(False)
        self.confirmed.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.card_info)
        layout.addWidget(self.confirmed)
        layout.addWidget(later)

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Карточка управления"),
            "",
            self.tr("Карточки Опоры (*.card);;Все файлы (*)"),
        )
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        """Read the card and show whose it is and its fingerprint, to confirm by phone."""
        from services.core.errors import AppError
        from services.packages import read_card

        self.confirmed.setChecked(False)
        try:
            card = read_card(path)
            if card.role != "district":
                raise AppError(self.tr("Это карточка школы, а нужна карточка управления."))
        except AppError as exc:
            self.path_edit.clear()
            self.card_info.setText(str(exc))
            self.confirmed.setVisible(False)
        else:
            self.path_edit.setText(str(path))
            self.card_info.setText(
                self.tr(
                    "«{0}»\nОтпечаток: {1}\nПозвоните в управление и сверьте отпечаток."
                ).format(card.name, card.fingerprint)
            )
            self.confirmed.setVisible(True)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.path_edit.text() or self.confirmed.isChecked()

    def card_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text) if text else None


class FinishPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Всё готово"))
        self.demo = QCheckBox(
            self.tr("Заполнить демонстрационными данными, чтобы осмотреться"), self
        )
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addSpacing(12)
        layout.addWidget(self.demo)
        self.set_server(None)

    def set_server(self, server: ServerChoice | None) -> None:
        """On a shared server no demo: colleagues would see it as real data."""
        self.demo.setVisible(server is None)
        if server is None:
            self.text.setText(self.tr(
                "Данные хранятся на этом компьютере и сохраняются автоматически после каждого "
                "изменения; резервные копии делаются сами. Демонстрационные данные лучше "
                "заполнять в отдельной папке данных, а не в рабочей."
            ))  # fmt: skip
        elif server.join:
            self.text.setText(self.tr(
                "Программа подключится к рабочему пространству «{0}» на сервере. Данные "
                "сохраняются на сервере после каждого изменения; резервные копии сервера "
                "делает его администратор (pg_dump)."
            ).format(server.name))  # fmt: skip
        else:
            self.text.setText(self.tr(
                "На сервере будет создано рабочее пространство управления; коллеги подключатся "
                "к нему из мастера первого запуска. Резервные копии сервера делает его "
                "администратор (pg_dump)."
            ))  # fmt: skip


class FirstRunWizard(QWizard):
    """Collects the first-run choice; applying it is the caller's job (through services)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Опора — первый запуск"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Далее >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Назад"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Начать работу"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Отмена"))
        self.role_page = RolePage(self)
        self.org_page = OrganisationPage(self)
        self.card_page = DistrictCardPage(self)
        self.server_page = ServerPage(self)
        self.finish_page = FinishPage(self)
        self._ids = {
            "role": self.addPage(self.role_page),
            "server": self.addPage(self.server_page),
            "org": self.addPage(self.org_page),
            "card": self.addPage(self.card_page),
            "finish": self.addPage(self.finish_page),
        }
        self.resize(640, 440)

    def initializePage(self, page_id: int) -> None:
        if page_id == self._ids["org"]:
            self.org_page.set_role(self.role_page.role())
        if page_id == self._ids["finish"]:
            self.finish_page.set_server(self.server_choice())
        super().initializePage(page_id)

    def nextId(self) -> int:
        """Role → [server] → [org] → [card, for a school] → finish."""
        ids, current = self._ids, self.currentId()
        district = self.role_page.role() is Role.DISTRICT
        if current == ids["role"]:
            return ids["server"] if self.role_page.on_server() else ids["org"]
        if current == ids["server"]:
            choice = self.server_page.choice()
            return ids["finish"] if choice is not None and choice.join else ids["org"]
        if current == ids["org"]:
            return ids["finish"] if district else ids["card"]
        if current == ids["card"]:
            return ids["finish"]
        return -1

    def server_choice(self) -> ServerChoice | None:
        return self.server_page.choice() if self.role_page.on_server() else None

    def choice(self) -> FirstRunChoice:
        role = self.role_page.role()
        return FirstRunChoice(
            role=role,
            full_name=self.org_page.full_name.text(),
            short_name=self.org_page.short_name.text(),
            code=self.org_page.code.text(),
            district_card=self.card_page.card_path() if role is Role.SCHOOL else None,
            fill_demo=self.finish_page.demo.isChecked() and self.server_choice() is None,
            fisoko_login=self.org_page.fisoko_login.text() if role is Role.SCHOOL else "",
            server=self.server_choice(),
        )
