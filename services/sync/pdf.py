"""The import report (DESIGN §7, §10 `report import --log-id ID`): what one import did, on paper.

One entry of the import log: file, sender, fingerprint, package number and its place in the
sequence, the Опора version and schema that wrote the package, the verdict with its reason,
warnings, and the per-table counts (new / updated / unchanged / older / deleted) with their
totals — the same figures the CLI and the screen show.
Without `--log-id` the newest entry is printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from models import Role
from services.core.errors import NotFound
from services.core.formatting import date_short, sha_groups
from services.core.progress import Progress
from services.core.tables import table_title
from services.documents.pdf import (
    Styles,
    build_pdf,
    content_width,
    esc,
    grid_table,
    make_styles,
)
from services.documents.registry import DocOptions, DocumentSpec, register
from services.sync.report import (
    COUNT_KINDS,
    SEQ_TEXT,
    VERDICT_TEXT,
    ImportLogRead,
    TableCounts,
)

if TYPE_CHECKING:
    from services.app import Services

HEADERS = {
    "new": "Новых",
    "updated": "Обновлено",
    "unchanged": "Без изменений",
    "older": "Устаревших*",
    "deleted": "Удалено",
}


def write_import_report(out: Path, entry: ImportLogRead, receiver: str, fonts_dir: Path) -> int:
    st = make_styles(fonts_dir)
    rep = entry.report
    width = content_width(False)
    when = entry.created_at
    facts = [
        ("Получатель", receiver),
        ("Файл", Path(rep.file).name if rep.file else "—"),
        ("Отправитель", rep.sender_name or rep.sender_id or "не определён"),
        ("Отпечаток ключа", rep.fingerprint or "—"),
        ("Номер пакета", "—" if rep.seq is None else f"{rep.seq} ({SEQ_TEXT[rep.seq_status]})"),
        ("Версия Опоры отправителя", entry.version_text),
        ("Дата импорта", f"{date_short(when.date())} {when:%H:%M}"),
        ("Кто импортировал", entry.actor or "не записано"),
        ("Итог", VERDICT_TEXT.get(rep.verdict, rep.verdict)),
        ("SHA-256 файла", sha_groups(entry.package_sha256) or "—"),
    ]
    rows: list[list[object]] = [
        [Paragraph(f"<b>{esc(k)}</b>", st.cell), Paragraph(esc(v), st.cell)] for k, v in facts
    ]
    story: list[Flowable] = [
        Paragraph("Отчёт об импорте пакета данных", st.title),
        Spacer(1, 6),
        grid_table(rows, [45 * mm, width - 45 * mm], header_rows=0),
    ]
    if rep.reason:
        story += [Spacer(1, 8), Paragraph(f"<b>Причина.</b> {esc(rep.reason)}", st.body)]
    for warning in rep.warnings:
        story += [Spacer(1, 4), Paragraph(f"<b>Предупреждение.</b> {esc(warning)}", st.body)]
    if rep.counts:
        story += [Spacer(1, 10), _counts_table(rep.counts, rep.manifest_counts, st, width)]
        story.append(
            Paragraph(
                "* Устаревшие версии записей пропущены: в базе уже есть более новые.", st.small
            )
        )
        if not rep.counts_add_up():
            story.append(Paragraph("Внимание: итоги не совпадают с описью пакета.", st.body))
    story += [
        Spacer(1, 18),
        Paragraph("Ответственный ____________________ / ____________________", st.body),
    ]
    return build_pdf(out, story, fonts_dir=fonts_dir, title="Отчёт об импорте пакета")


def _counts_table(
    counts: dict[str, TableCounts], manifest: dict[str, int], st: Styles, width: float
) -> Flowable:
    cell = st.cell
    head = ["Раздел данных", *(HEADERS[k] for k in COUNT_KINDS), "В описи пакета"]
    rows: list[list[object]] = [[Paragraph(f"<b>{esc(h)}</b>", cell) for h in head]]
    total = TableCounts()
    for table in sorted(counts, key=table_title):
        c = counts[table]
        rows.append(
            [
                Paragraph(esc(table_title(table)), cell),
                *(str(getattr(c, k)) for k in COUNT_KINDS),
                str(manifest.get(table, 0)),
            ]
        )
        for k in COUNT_KINDS:
            setattr(total, k, getattr(total, k) + getattr(c, k))
    rows.append(
        [
            Paragraph("<b>Всего</b>", cell),
            *(str(getattr(total, k)) for k in COUNT_KINDS),
            str(sum(manifest.values())),
        ]
    )
    first = 40 * mm
    rest = (width - first) / (len(head) - 1)
    return grid_table(rows, [first] + [rest] * (len(head) - 1))


def render_import_report(
    services: Services, out: Path, options: DocOptions, progress: Progress
) -> None:
    if out.suffix.lower() == ".xlsx":
        write_import_log_xlsx(out, services.sync.import_log())
        return
    if options.log_id:
        entry = services.sync.log_entry(options.log_id)
    else:
        log = services.sync.import_log()
        if not log:
            raise NotFound("Журнал импорта пуст: ещё не было ни одного импорта пакетов.")
        entry = log[0]
    receiver = services.site.profile().site.full_name
    write_import_report(out, entry, receiver, services.paths.fonts_dir)


def write_import_log_xlsx(out: Path, entries: list[ImportLogRead]) -> None:
    """The whole import log as a workbook: one row per attempt, counts as numbers."""
    from services.documents.xlsx import XlsxColumn, add_table_sheet, new_workbook, save_workbook

    columns = [
        XlsxColumn("Дата и время", 18, wrap=False, number_format="DD.MM.YYYY HH:MM"),
        XlsxColumn("Отправитель", 40),
        XlsxColumn("Кто импортировал", 16),
        XlsxColumn("№ пакета", 10, number_format="0"),
        XlsxColumn("Очерёдность", 16),
        XlsxColumn("Итог", 22),
        *(XlsxColumn(HEADERS[k].rstrip("*"), 12, number_format="0") for k in COUNT_KINDS),
        XlsxColumn("Причина", 60),
        XlsxColumn("Файл", 40),
        XlsxColumn("SHA-256", 30, wrap=False),
        # last, so that the columns of earlier versions keep their places
        XlsxColumn("Версия Опоры", 14, wrap=False),
        XlsxColumn("Схема", 9, wrap=False),
    ]
    rows = []
    for e in entries:
        rep, t = e.report, e.report.totals()
        rows.append([
            e.created_at.replace(tzinfo=None), rep.sender_name or e.sender_id, e.actor, e.seq,
            SEQ_TEXT.get(rep.seq_status, ""), VERDICT_TEXT.get(e.outcome, e.outcome),
            *(getattr(t, k) if rep.counts else None for k in COUNT_KINDS),
            rep.reason, rep.file, e.package_sha256, e.app_version or None, e.schema or None,
        ])  # fmt: skip
    wb = new_workbook()
    add_table_sheet(wb, "Журнал импорта", columns, rows, validation_rows=0)
    save_workbook(wb, out)


register(
    DocumentSpec(
        kind="import",
        title="Отчёт об импорте пакета",
        roles=frozenset({Role.SCHOOL, Role.DISTRICT}),
        formats=("pdf", "xlsx"),
        render=render_import_report,
        options=("log_id",),
        description="Что сделал импорт одного пакета: итог, причина, записи по разделам "
        "(новые, обновлённые, без изменений, устаревшие, удалённые); в Excel — весь журнал "
        "импорта.",
    )
)
