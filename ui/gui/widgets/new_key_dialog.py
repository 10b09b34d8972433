"""A new key confirmed by phone: the old, trusted fingerprint shown, the new one typed.

The new key's fingerprint is never displayed, so it cannot be copied from the screen; the
person types what the other side reads aloud. Used by «Заменить ключ школы…» at the district
and by the school when a bulletin introduces the district's new key.
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


class NewKeyDialog(QDialog):
    """`explanation` above, then «old fingerprint» (shown) and «new fingerprint» (typed)."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        explanation: str,
        old_label: str,
        old_fingerprint: str,
        placeholder: str,
        ok_text: str,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        text = QLabel(explanation, self)
        text.setWordWrap(True)
        self.old_fingerprint = QLabel(old_fingerprint or "—", self)
        self.new_fingerprint = QLineEdit(self)
        self.new_fingerprint.setPlaceholderText(placeholder)
        self.new_fingerprint.setMaxLength(40)
        form = QFormLayout()
        form.addRow(old_label, self.old_fingerprint)
        form.addRow(self.tr("Отпечаток нового ключа:"), self.new_fingerprint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
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

    def typed(self) -> str | None:
        """Run the dialog: the fingerprint typed, or None when the user cancelled."""
        if self.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.new_fingerprint.text().strip() or None
