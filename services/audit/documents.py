"""`report audit-blank` (the checklist for paper) and `report audit --year Y` (the filled audit).

Both are built from DTOs gathered here through the services; the PDF code in
`services/reports/audit_pdf.py` never sees a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from models import Role
from services.audit.catalogue import Catalogue
from services.audit.service import AuditView, FactorChange, LinkedItem
from services.core.errors import Invalid
from services.core.progress import Progress
from services.documents.registry import DocOptions, DocumentSpec, register

if TYPE_CHECKING:
    from services.app import Services


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    director_position: str
    director_name: str
    short_name: str = ""


@dataclass(frozen=True, slots=True)
class BlankPrint:
    org: Organisation
    catalogue: Catalogue
    year: int | None


@dataclass(frozen=True, slots=True)
class AuditPrint:
    org: Organisation
    view: AuditView
    changes: tuple[FactorChange, ...]
    measures: dict[str, tuple[LinkedItem, ...]]  # factor code -> linked roadmap items
    printed_on: date


def organisation(services: Services) -> Organisation:
    site = services.site.profile().site
    short = site.short_name if site.short_name != site.full_name else ""
    return Organisation(site.full_name, site.director_position, site.director_name, short)


def blank_print(services: Services, year: int | None) -> BlankPrint:
    return BlankPrint(organisation(services), services.audit.catalogue(), year)


def audit_print(services: Services, year: int | None, today: date | None = None) -> AuditPrint:
    """The filled audit of `year` (the latest one when None) with comparison and measures."""
    years = services.audit.years()
    if not years:
        raise Invalid(
            "Самоаудит ещё не проводился. Заполните его на экране «Самоаудит» "
            "или распечатайте бланк: report audit-blank."
        )
    chosen = years[0] if year is None else year
    view = services.audit.view(chosen)
    if view is None:
        listed = ", ".join(str(y) for y in years)
        raise Invalid(f"Самоаудита за {chosen} год нет. Есть самоаудиты за: {listed}.")
    measures = {f.code: tuple(services.audit.linked_items(f.code)) for f in view.factors}
    return AuditPrint(
        org=organisation(services),
        view=view,
        changes=tuple(services.audit.comparison(chosen)),
        measures=measures,
        printed_on=today or date.today(),
    )


def render_blank(services: Services, out: Path, options: DocOptions, progress: Progress) -> None:
    from services.audit.pdf import write_blank_pdf

    write_blank_pdf(out, blank_print(services, options.year), services.paths.fonts_dir, progress)


def render_audit(services: Services, out: Path, options: DocOptions, progress: Progress) -> None:
    from services.audit.pdf import write_audit_pdf

    write_audit_pdf(out, audit_print(services, options.year), services.paths.fonts_dir, progress)


register(
    DocumentSpec(
        kind="audit-blank",
        title="Бланк самоаудита по факторам риска",
        roles=frozenset({Role.SCHOOL}),
        formats=("pdf",),
        render=render_blank,
        options=("year",),
        description="Лист для заполнения на бумаге: критерии по факторам, поля для ответов, "
        "комментариев и подписи рабочей группы.",
    )
)
register(
    DocumentSpec(
        kind="audit",
        title="Результаты самоаудита по факторам риска",
        roles=frozenset({Role.SCHOOL}),
        formats=("pdf",),
        render=render_audit,
        options=("year",),
        description="Заполненный самоаудит: рисковый профиль на диаграмме, уровни, изменения "
        "уровней с причинами, ответы с комментариями и антирисковые меры.",
    )
)
