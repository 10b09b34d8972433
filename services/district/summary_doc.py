"""Document `district-summary`: the analytical report and consolidated workbook.

Both formats are built from one `DashboardService.summary(year, as_of)`, the figures of the
«Сводка» screen; `as_of` follows the indicators module (`as_of_for(year)`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from models import Role
from services.core.progress import Progress
from services.core.russian import position_with_organisation
from services.documents.registry import DocOptions, DocumentSpec, register
from services.indicators.compute import as_of_for

if TYPE_CHECKING:
    from services.app import Services
    from services.district.summary_programme import ProgrammePart


def default_year(services: Services) -> int:
    """The newest results year in the database, else the current calendar year."""
    years = services.dashboard.years()
    return years[0] if years else date.today().year


def render_summary(services: Services, out: Path, options: DocOptions, progress: Progress) -> None:
    year = options.year or default_year(services)
    progress.report(0, 1, "Сбор показателей школ…")
    summary = services.dashboard.summary(year, as_of_for(year))
    if out.suffix.lower() == ".xlsx":
        from services.district.summary_xlsx import write_summary_xlsx

        write_summary_xlsx(out, summary)
        return
    from services.district.summary_pdf import Signer, write_summary_pdf

    site = services.site.profile().site
    short = site.short_name if site.short_name != site.full_name else ""
    position = position_with_organisation(
        site.director_position or "Руководитель", site.full_name, short
    )
    signer = Signer(site.full_name, position, site.director_name)
    write_summary_pdf(
        out, summary, signer, services.paths.fonts_dir, progress, programme_data(services)
    )


def programme_data(services: Services) -> ProgrammePart:
    """The district's current roadmap as the municipal programme, and each school's curators."""
    from services.district.summary_programme import ProgrammePart

    roadmap = services.roadmap.current()
    programme = services.programme.programme(roadmap.id) if roadmap else None
    schools = services.registry.schools()
    return ProgrammePart(programme, [(e.title, e.curators) for e in schools])


register(
    DocumentSpec(
        kind="district-summary",
        title="Аналитическая справка по школам района",
        roles=frozenset({Role.DISTRICT}),
        formats=("pdf", "xlsx"),
        render=render_summary,
        options=("year",),
        description="Показатели каждой школы, профили рисков, устойчиво низкие результаты, "
        "исполнение дорожных карт и кадровые условия; Excel — сводная книга по разделам "
        "с диаграммами.",
    )
)
