"""`report ippr [--teacher ID]`: the printed ИППР (PDF) or all plans' activities (xlsx)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from models import Role
from services.core.errors import Invalid, NotFound
from services.core.formatting import date_short
from services.core.progress import Progress
from services.documents.registry import DocOptions, DocumentSpec, register
from services.staff.queries import AREA_TITLES, FORM_TITLES, STATUS_TITLES, DeficitCount
from services.staff.service import PlanDocument

if TYPE_CHECKING:
    from services.app import Services

XLSX_HEADERS = (
    ("Педагог", 30),
    ("Период плана", 24),
    ("Дефицит", 40),
    ("Форма", 22),
    ("Мероприятие", 45),
    ("Организатор", 26),
    ("Часы", 8),
    ("Начало", 12),
    ("Окончание", 12),
    ("Срок в плане", 20),  # the plan's wording: the only deadline of one not understood
    ("Ожидаемый результат", 30),
    ("Форма отчётности", 22),
    ("Статус", 16),
    ("Дата выполнения", 14),
    ("№ удостоверения", 18),
)


def find_teacher(services: Services, key: str) -> str:
    """A teacher id from an id or a unique part of the full name."""
    teachers = services.staff.teachers()
    for t in teachers:
        if t.id == key:
            return t.id
    found = [t for t in teachers if key.strip().lower() in t.full_name.lower()]
    if len(found) == 1:
        return found[0].id
    if not found:
        raise NotFound(f"Педагог «{key}» не найден — укажите id или часть ФИО.")
    names = ", ".join(t.full_name for t in found[:5])
    raise Invalid(f"Под «{key}» подходят несколько педагогов ({names}) — уточните.")


def plan_documents(services: Services, teacher_key: str | None) -> list[PlanDocument]:
    """The documents to print: the teacher's latest plan, or every plan of the school."""
    if teacher_key:
        plans = services.staff.plans(find_teacher(services, teacher_key))
        if not plans:
            raise Invalid("У педагога ещё нет ИППР — создайте план на экране «Педагоги и ИППР».")
        return [services.staff.document(plans[0].id)]
    ids = services.staff.all_plan_ids()
    if not ids:
        raise Invalid("В школе ещё нет ИППР — создайте планы на экране «Педагоги и ИППР».")
    return [services.staff.document(i) for i in ids]


def activity_rows(docs: Sequence[PlanDocument]) -> list[list[object]]:
    rows: list[list[object]] = []
    for doc in docs:
        deficits = {d.id: d.description for d in doc.deficits}
        period = f"{date_short(doc.plan.period_start)} – {date_short(doc.plan.period_end)}"
        for a in doc.activities:
            rows.append(
                [
                    doc.teacher.full_name,
                    period,
                    deficits.get(a.deficit_id or "", ""),
                    FORM_TITLES[a.form],
                    a.title,
                    a.provider,
                    a.hours,
                    date_short(a.start_date),
                    date_short(a.end_date),
                    a.deadline_text,
                    a.expected_result,
                    a.report_form,
                    STATUS_TITLES[a.status],
                    date_short(a.completion_date),
                    a.certificate_number,
                ]
            )
    return rows


def write_ippr_xlsx(
    out: Path, docs: Sequence[PlanDocument], counts: Sequence[DeficitCount] = ()
) -> None:
    """All activities of `docs`; a second sheet counts deficits by area and subject."""
    from services.documents.xlsx import XlsxColumn, add_table_sheet, new_workbook, save_workbook

    wb = new_workbook()
    columns = [XlsxColumn(h, w) for h, w in XLSX_HEADERS]
    add_table_sheet(wb, "Мероприятия ИППР", columns, activity_rows(docs))
    count_columns = [
        XlsxColumn("Область дефицита", 30),
        XlsxColumn("Предмет", 30),
        XlsxColumn("Дефицитов", 12),
        XlsxColumn("Педагогов", 12),
    ]
    count_rows = [[AREA_TITLES[c.area], c.subject, c.deficits, c.teachers] for c in counts]
    add_table_sheet(wb, "Дефициты по областям", count_columns, count_rows)
    save_workbook(wb, out)


def render_ippr(services: Services, out: Path, options: DocOptions, progress: Progress) -> None:
    docs = plan_documents(services, options.teacher_id)
    if out.suffix.lower() == ".xlsx":
        write_ippr_xlsx(out, docs, services.staff.deficit_counts())
        return
    from services.staff.pdf import write_ippr_pdf

    write_ippr_pdf(out, docs, services.paths.fonts_dir, progress)


register(
    DocumentSpec(
        kind="ippr",
        title="ИППР педагогов",
        roles=frozenset({Role.SCHOOL}),
        formats=("pdf", "xlsx"),
        render=render_ippr,
        options=("teacher_id",),
        description="Индивидуальный план профессионального развития педагога с блоком "
        "«УТВЕРЖДАЮ»; без педагога — все планы (каждый с новой страницы); Excel — "
        "все мероприятия всех планов.",
    )
)
