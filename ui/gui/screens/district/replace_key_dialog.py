"""«Заменить ключ школы…»: accept a new key of a school whose key is trusted (a reinstall).

The dialog shows the school's old, trusted fingerprint and asks for the new one as the school
reads it over the phone: the new key's fingerprint is never shown, so it cannot be copied
from the screen. Accepting revokes the old key after the last package received from it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from services.sync import QuarantineRead
from ui.gui.widgets.new_key_dialog import NewKeyDialog


class ReplaceKeyDialog(NewKeyDialog):
    def __init__(self, entry: QuarantineRead, parent: QWidget | None = None) -> None:
        school = entry.sender_name or entry.sender_id
        super().__init__(
            parent,
            title=self.tr("Заменить ключ школы"),
            explanation=self.tr(
                "Пакет школы «{0}» подписан новым ключом: переустановка программы или "
                "подделка.\n\nПозвоните в школу по известному вам номеру и спросите, "
                "переустанавливали ли программу. Если да — попросите прочитать отпечаток "
                "нового ключа (он в окне «Обмен с управлением» и на сопроводительном листе) и "
                "введите его ниже. Старый ключ будет отозван после последнего полученного от "
                "него пакета."
            ).format(school),
            old_label=self.tr("Отпечаток подтверждённого ключа:"),
            old_fingerprint=entry.trusted_fingerprint or "",
            placeholder=self.tr("как его читает школа"),
            ok_text=self.tr("Заменить ключ"),
        )

    @classmethod
    def ask(cls, entry: QuarantineRead, parent: QWidget | None = None) -> str | None:
        """The fingerprint typed for the new key, or None when the methodist cancelled."""
        return cls(entry, parent).typed()
