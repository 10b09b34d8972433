"""Roadmap documents and the Excel import (DESIGN §10).

`roadmap`, `roadmap-template` and `import-xlsx roadmap`; the CLI and the «Документы» and
«Дорожная карта» screens call these same functions.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from models import Role
from services.core.errors import Invalid
from services.core.progress import Progress
from services.documents.registry import DocOptions, DocumentSpec, register
from services.documents.spreadsheets import ImportMode, XlsxImporter
from services.documents.spreadsheets import register as register_importer

if TYPE_CHECKING:
    from services.app import Services
    from services.roadmap.pdf import RoadmapPrint


def roadmap_print(
    services: Services, *, monitoring: bool, on: date | None = None, period: str | None = None
) -> RoadmapPrint:
    """What the printout shows: the current roadmap with its figures as of today.

    With `period` («2025-H1», «2025», «2025/26»): the monitoring of that period (what was due
    and what was done in it); a period Опора cannot read is refused before anything is written.
    """
    from services.roadmap.monitoring import parse_period, period_report, resolve_period
    from services.roadmap.pdf import RoadmapPrint, as_of_default

    today = on or date.today()
    spec = parse_period(period) if period else None
    roadmap = services.roadmap.current(today)
    if roadmap is None:
        raise Invalid(
            "Дорожная карта ещё не создана. Создайте её на экране «Дорожная карта» "
            "или загрузите готовую из файла Word или Excel кнопкой «Загрузить из файла…»."
        )
    site = services.site.profile().site
    items = services.roadmap.items(roadmap.id)
    report = period_report(items, resolve_period(spec, roadmap), today) if spec else None
    return RoadmapPrint(
        roadmap=roadmap,
        sections=services.roadmap.sections(roadmap.id),
        items=items,
        org_name=site.full_name,
        director_position=site.director_position,
        director_name=site.director_name,
        execution=services.roadmap.execution(roadmap.id, as_of_default(roadmap, today)),
        monitoring=monitoring or report is not None,
        org_short=site.short_name if site.short_name != site.full_name else "",
        period=report,
        programme=services.programme.programme(roadmap.id),
    )


def render_roadmap(services: Services, out: Path, options: DocOptions, progress: Progress) -> None:
    doc = roadmap_print(services, monitoring=options.monitoring, period=options.period)
    if out.suffix.lower() == ".xlsx":
        from services.roadmap.xlsx import write_period_xlsx, write_roadmap_xlsx

        if doc.period is not None:
            write_period_xlsx(out, doc.sections, doc.period)
        else:
            write_roadmap_xlsx(out, doc.sections, doc.items, doc.execution.as_of)
        return
    from services.roadmap.pdf import write_roadmap_pdf

    write_roadmap_pdf(out, doc, services.paths.fonts_dir, progress)


def render_template(services: Services, out: Path, options: DocOptions, progress: Progress) -> None:
    from services.roadmap.xlsx import write_roadmap_template

    write_roadmap_template(out)


def import_roadmap(services: Services, path: Path, mode: ImportMode, progress: Progress) -> str:
    """Read any supported file through the intake preview, then store exactly what it shows."""
    from services.intake.apply import apply_roadmap
    from services.intake.preview import preview_roadmap
    from services.intake.vocabulary import load_vocabulary

    progress.report(0, 2, "Проверка файла…")
    preview = preview_roadmap(path, load_vocabulary(services.paths.intake_dir))
    progress.report(1, 2, "Запись…")
    summary = apply_roadmap(services, preview, mode)
    progress.report(2, 2, "Готово")
    return summary


BOTH = frozenset({Role.SCHOOL, Role.DISTRICT})
register(
    DocumentSpec(
        kind="roadmap",
        title="Дорожная карта",
        roles=BOTH,
        formats=("pdf", "xlsx"),
        render=render_roadmap,
        options=("monitoring", "period"),
        description="План мероприятий с блоком «УТВЕРЖДАЮ»; вариант для мониторинга — "
        "с отметками о выполнении и процентом выполнения, за всё время или за период "
        "(полугодие, учебный или календарный год): что пришлось на период и что в нём сделано.",
    )
)
register(
    DocumentSpec(
        kind="roadmap-template",
        title="Шаблон дорожной карты (Excel)",
        roles=BOTH,
        formats=("xlsx",),
        render=render_template,
        description="Пустая таблица для заполнения и загрузки обратно в Опору.",
    )
)
register_importer(XlsxImporter("roadmap", "Дорожная карта", import_roadmap))
