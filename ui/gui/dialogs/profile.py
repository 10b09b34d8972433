"""«Профиль организации»: what documents print about it, and a school's ФИС ОКО login."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from models import Role
from services.core.errors import AppError
from ui.gui.widgets.forms import save_cancel_layout

if TYPE_CHECKING:
    from services.site import SiteService


class ProfileDialog(QDialog):
    """Edit the profile through `SiteService.update`; the dialog stays open on a refusal."""

    def __init__(self, site: SiteService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Профиль организации"))
        self.resize(560, 300)
        self._site = site
        profile = site.profile()
        s = profile.site
        self.full_name = QLineEdit(s.full_name, self)
        self.short_name = QLineEdit(s.short_name, self)
        self.address = QLineEdit(s.address, self)
        self.director_position = QLineEdit(s.director_position, self)
        self.director_name = QLineEdit(s.director_name, self)
        self.fisoko_login = QLineEdit(profile.fisoko_login, self)
        self.fisoko_login.setPlaceholderText(self.tr("sch123456"))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("Полное название:"), self.full_name)
        form.addRow(self.tr("Краткое название:"), self.short_name)
        form.addRow(self.tr("Адрес:"), self.address)
        form.addRow(self.tr("Должность руководителя:"), self.director_position)
        form.addRow(self.tr("Руководитель:"), self.director_name)
        if profile.role is Role.SCHOOL:
            form.addRow(self.tr("Логин ФИС ОКО:"), self.fisoko_login)
        form.addRow(self.error)
        save_cancel_layout(self, form)

    def accept(self) -> None:
        school = self._site.profile().role is Role.SCHOOL
        try:
            self._site.update(
                full_name=self.full_name.text(),
                short_name=self.short_name.text(),
                address=self.address.text(),
                director_position=self.director_position.text(),
                director_name=self.director_name.text(),
                fisoko_login=self.fisoko_login.text() if school else None,
            )
        except AppError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
