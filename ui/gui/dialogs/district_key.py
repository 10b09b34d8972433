"""«Сменить ключ управления…» (district, menu «Файл»): replace the district's own keys.

A confirmation explains what follows: the next bulletin to each school introduces the new key,
and every school calls to confirm its fingerprint, which the methodist reads from the screen
(«Рассылка школам» shows it). The change itself runs in the background (a backup first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.gui.tasks import Notifier, run_task

if TYPE_CHECKING:
    from services.app import Services
    from services.district import KeyRotated

EXPLANATION = (
    "Будет создан новый ключ управления; прежний сохранится в папке данных.\n\n"
    "Следующая рассылка каждой школе будет подписана прежним ключом и сообщит новый. Школа "
    "загрузит её, только когда сверит отпечаток нового ключа по телефону: каждая школа "
    "позвонит в управление, и вы прочитаете ей отпечаток с экрана «Рассылка школам». "
    "Дальше рассылки подписываются новым ключом.\n\n"
    "Меняйте ключ, если прежний мог попасть в чужие руки (потерян или украден компьютер, "
    "флешка с резервной копией). Сменить ключ?"
)


def ask_to_change(parent: QWidget) -> bool:
    """The confirmation; the answer defaults to «No» (a change costs every school a call)."""
    box = QMessageBox(QMessageBox.Icon.Question, parent.tr("Сменить ключ управления"),
                      parent.tr(EXPLANATION), parent=parent)  # fmt: skip
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).setText(parent.tr("Сменить ключ"))
    box.button(QMessageBox.StandardButton.No).setText(parent.tr("Отмена"))
    return box.exec() == QMessageBox.StandardButton.Yes


def change_district_key(parent: QWidget, services: Services, notifier: Notifier | None) -> None:
    """Ask, then change the key in a task and say what happens next."""
    if not ask_to_change(parent):
        return
    district_key = services.district_key

    def done(rotated: KeyRotated) -> None:
        text = parent.tr(
            "Ключ управления заменён.\nНовый отпечаток: {0}\n\nСледующая рассылка сообщит "
            "новый ключ школам ({1}). Когда школа позвонит, прочитайте ей этот отпечаток."
        ).format(rotated.fingerprint, len(rotated.waiting))
        QMessageBox.information(parent, parent.tr("Сменить ключ управления"), text)

    run_task(parent, lambda _p: district_key.rotate(), done,
             title=parent.tr("Смена ключа…"), notifier=notifier,
             changes=["bulletin"])  # fmt: skip
