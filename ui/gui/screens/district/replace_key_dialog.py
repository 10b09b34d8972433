"""«Заменить ключ школы…»: accept a new key of a school whose key is trusted (a reinstall).

The dialog shows the school's old, trusted fingerprint and asks for the new one as the school
reads it over the phone: the new key's fingerprint is never shown, so it cannot be copied
from the screen. Accepting revokes the old key after the last package received from it.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from services.sync import QuarantineRead


class ReplaceKeyDialog(QDialog):
    def __init__(self, entry: QuarantineRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Заменить ключ школы"))
        school = entry.sender_name or entry.sender_id
        text = QLabel(
            self.tr(
                "Пакет школы «{0}» подписан новым ключом: переустановка программы или "
                "подделка.\n\nПозвоните в школу по известному вам номеру и спросите, "
                "переустанавливали ли программу. Если да — попросите прочитать отпечаток "
                "нового ключа (он в окне «Обмен с управлением» и на сопроводительном листе) и "
                "введите его ниже. Старый ключ будет отозван после последнего полученного от "
                "него пакета."
            ).format(school),
            self,
        )
        text.setWordWrap(True)
        self.old_fingerprint = QLabel(entry.trusted_fingerprint or "—", self)
        self.new_fingerprint = QLineEdit(self)
        self.new_fingerprint.setPlaceholderText(self.tr("как его читает школа"))
        self.new_fingerprint.setMaxLength(40)
        form = QFormLayout()
        form.addRow(self.tr("Отпечаток подтверждённого ключа:"), self.old_fingerprint)
        form.addRow(self.tr("Отпечаток нового ключа:"), self.new_fingerprint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Заменить ключ"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.new_fingerprint.textChanged.connect(self._update)
        self._update()
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(520, 280)

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.new_fingerprint.text().strip()))

    @classmethod
    def ask(cls, entry: QuarantineRead, parent: QWidget | None = None) -> str | None:
        """The fingerprint typed for the new key, or None when the methodist cancelled."""
        dialog = cls(entry, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.new_fingerprint.text().strip() or None
