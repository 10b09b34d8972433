"""Printable results documents (DESIGN §10): `results` (PDF or Excel) and `results-template`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from models import Role
from services.core.progress import Progress
from services.documents.registry import DocOptions, DocumentSpec, register

if TYPE_CHECKING:
    from services.app import Services


def render_results(services: Services, out: Path, options: DocOptions, progress: Progress) -> None:
    """The results and indicators of a year: PDF with charts, or the Excel export."""
    progress.report(0, 2, "Расчёт показателей…")
    report = services.results.report(options.year)
    progress.report(1, 2, "Формирование документа…")
    if out.suffix.lower() == ".xlsx":
        from services.results.xlsx import write_results_export

        write_results_export(out, report)
    else:
        from services.results.pdf import write_results_pdf

        write_results_pdf(out, report, services.paths.fonts_dir, progress=progress)
    progress.report(2, 2, "Готово")


def render_template(services: Services, out: Path, options: DocOptions, progress: Progress) -> None:
    """The entry workbook; with --year, pre-filled with that year's rows."""
    from services.results.xlsx import write_results_template

    results = services.results
    if options.year is None:
        write_results_template(out)
        return
    year = options.year
    write_results_template(
        out,
        results.vpr(year),
        results.gia(year),
        results.progression(year),
        [e for e in results.assessment(year) if e.period == "year"],
    )


register(
    DocumentSpec(
        kind="results",
        title="Результаты и показатели",
        roles=frozenset({Role.SCHOOL}),
        formats=("pdf", "xlsx"),
        render=render_results,
        options=("year",),
        description="ВПР, ОГЭ и ЕГЭ, переводы и выпуск, показатели с целями и порогами.",
    )
)
register(
    DocumentSpec(
        kind="results-template",
        title="Шаблон для ввода результатов",
        roles=frozenset({Role.SCHOOL}),
        formats=("xlsx",),
        render=render_template,
        options=("year",),
        description="Книга Excel для ввода ВПР, ГИА и переводов; загружается обратно.",
    )
)
