"""«Документы» asks for an import by what a person knows: «дата — школа — итог», not an id."""

from __future__ import annotations

from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from services.app import Services
from services.sync import ImportLogRead, ImportReport
from ui.gui.screens.documents import DocumentsScreen
from ui.gui.widgets.pdf_preview import PdfPreview


def test_the_import_is_picked_by_date_school_and_outcome(
    district: Services, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    entries = [
        ImportLogRead("log-1", datetime(2026, 11, 3, 9, 15), "sha", "site-1", 4, "applied",
                      ImportReport("a.opora", sender_name="МОУ Лодейнинская СОШ")),
        ImportLogRead("log-2", datetime(2026, 11, 4, 14, 0), "sha", "site-2", None, "refused",
                      ImportReport("b.opora", sender_name="МБОУ «Туломская СОШ»")),
    ]  # fmt: skip
    monkeypatch.setattr(district.sync, "import_log", lambda: entries)
    screen = DocumentsScreen(district)
    qtbot.addWidget(screen)
    screen.refresh()
    kind = next(s.kind for s in screen._specs if "log_id" in s.options)
    screen.select(kind)
    texts = [screen.log_id.itemText(i) for i in range(screen.log_id.count())]
    assert texts == [
        "03.11.2026 09:15 — МОУ Лодейнинская СОШ, пакет № 4 — принят",
        "04.11.2026 14:00 — МБОУ «Туломская СОШ» — отклонён",
    ]
    screen.log_id.setCurrentIndex(1)
    assert screen.options_value().log_id == "log-2"
    assert isinstance(screen.preview, PdfPreview)  # the preview zooms
