"""The school confirms its district's new key, introduced by a bulletin (typed, never shown).

A bulletin signed by the district's trusted key that introduces a new one waits: nothing of it
is applied until the person types the new fingerprint the district reads out by phone. The
dialog shows the old, trusted fingerprint only; a wrong one changes nothing and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from ui.gui.tasks import Notifier, run_task
from ui.gui.widgets.new_key_dialog import NewKeyDialog

if TYPE_CHECKING:
    from services.app import Services
    from services.packages import SiteCard


class DistrictKeyDialog(NewKeyDialog):
    def __init__(self, district: SiteCard | None, parent: QWidget | None = None) -> None:
        name = district.name if district is not None else "управление образования"
        super().__init__(
            parent,
            title=self.tr("Новый ключ управления"),
            explanation=self.tr(
                "«{0}» сменило свой ключ. Рассылка подписана прежним ключом и сообщает новый; "
                "пока вы не подтвердите новый ключ, рассылка не загружена.\n\nПозвоните в "
                "управление по известному вам номеру (не по номеру из письма или с флешки), "
                "попросите прочитать отпечаток нового ключа с экрана программы и введите его "
                "ниже. Если отпечаток не совпадёт, ничего не изменится."
            ).format(name),
            old_label=self.tr("Отпечаток прежнего ключа:"),
            old_fingerprint=district.fingerprint if district is not None else "",
            placeholder=self.tr("как его читает управление"),
            ok_text=self.tr("Подтвердить ключ"),
        )

    @classmethod
    def ask(cls, district: SiteCard | None, parent: QWidget | None = None) -> str | None:
        """The fingerprint typed for the new key, or None when the user cancelled."""
        return cls(district, parent).typed()


def confirm_district_key(
    parent: QWidget,
    services: Services,
    path: Path,
    then: Callable[[str], None],
    notifier: Notifier | None = None,
) -> None:
    """Ask for the new fingerprint; trust the new key and load the bulletin in a task.

    A wrong fingerprint fails the task with the engine's «не совпадает» message; nothing is
    trusted or applied.
    """
    typed = DistrictKeyDialog.ask(services.exchange.district_card(), parent)
    if typed is None:
        then(parent.tr("Рассылка не загружена: новый ключ управления не подтверждён. Загрузите "
                       "её снова, когда сверите отпечаток по телефону."))  # fmt: skip
        return
    sync = services.sync

    def done(enrolled: Any) -> None:
        seq = enrolled.report.seq if enrolled.report is not None else "—"
        then(parent.tr("Новый ключ управления подтверждён. Рассылка № {0} загружена: пороги, "
                       "статус школы и комментарии управления обновлены.").format(seq))  # fmt: skip

    run_task(parent, lambda _p: sync.enroll(path, typed), done,
             title=parent.tr("Подтверждение ключа…"), notifier=notifier,
             changes=["exchange", "bulletin", "roadmap", "results"])  # fmt: skip
