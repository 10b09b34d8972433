"""Column specs of «Импорт пакетов»: the preview, the quarantine and the import log."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor

from services.core.formatting import date_short
from services.sync import SEQ_TEXT, VERDICT_TEXT, ImportLogRead, ImportReport, QuarantineRead
from ui.gui.table_models.row_model import Column

VERDICT_COLOURS = {"refused": "#f8d7da", "quarantined": "#fff3cd", "already": "#eeeeee"}


def counts_text(rep: ImportReport) -> str:
    if not rep.counts:
        return "—"
    t = rep.totals()
    return f"+{t.new} / изм. {t.updated} / = {t.unchanged} / стар. {t.older} / удал. {t.deleted}"


def background(rep: ImportReport) -> QColor | None:
    colour = VERDICT_COLOURS.get(rep.verdict)
    return QColor(colour) if colour else None


def preview_columns() -> list[Column[ImportReport]]:
    return [
        Column("Файл", lambda r: Path(r.file).name),
        Column("Отправитель", lambda r: r.sender_name or r.sender_id or "—"),
        Column("№", lambda r: r.seq if r.seq is not None else "—"),
        Column("Очерёдность", lambda r: SEQ_TEXT.get(r.seq_status, "—")),
        Column("Записи", counts_text),
        Column("Итог", lambda r: VERDICT_TEXT.get(r.verdict, r.verdict)),
        Column("Причина", lambda r: r.reason or "; ".join(r.warnings)),
    ]


def quarantine_columns() -> list[Column[QuarantineRead]]:
    return [
        Column("Дата", lambda q: date_short(q.created_at.date())),
        Column("Отправитель", lambda q: q.sender_name or q.sender_id),
        Column("Причина", lambda q: q.reason),
    ]


def log_columns() -> list[Column[ImportLogRead]]:
    return [
        Column("Дата", lambda e: e.created_at.strftime("%d.%m.%Y %H:%M")),
        Column("Отправитель", lambda e: e.sender_text),
        Column("№", lambda e: e.seq if e.seq is not None else "—"),
        Column("Итог", lambda e: VERDICT_TEXT.get(e.outcome, e.outcome)),
        Column("Кто импортировал", lambda e: e.actor),
        Column("Подробности", lambda e: e.report.details()),
    ]


def log_choice_text(e: ImportLogRead) -> str:
    """An import as a newcomer names it: «дата — школа — итог» (never its internal id)."""
    who = e.report.sender_name or e.sender_id
    seq = f", пакет № {e.seq}" if e.seq is not None else ""
    outcome = VERDICT_TEXT.get(e.outcome, e.outcome)
    return f"{e.created_at:%d.%m.%Y %H:%M} — {who}{seq} — {outcome}"
