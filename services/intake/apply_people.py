"""Storing a previewed teachers' list or ИППР table, after a backup, in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.core.formatting import plural
from services.intake.common import warnings_text
from services.intake.ippr import IpprPreview
from services.intake.people import TeachersPreview

if TYPE_CHECKING:
    from services.app import Services
    from services.staff.queries import TeacherRead


def _backup(services: Services) -> None:
    if services.db.db_path is not None:  # the copy every state-changing import makes first
        services.backups.before_change("before-xlsx")


def existing_teachers(services: Services) -> list[str]:
    """The names a teachers' preview compares with (`preview_teachers(existing=…)`)."""
    return [t.full_name for t in services.staff.teachers()]


def find_teacher(services: Services, who: str) -> TeacherRead:
    """The teacher `--teacher ФИО|ID` names; `Invalid` lists the candidates."""
    from services.staff.intake import find_teacher as find

    return find(services.db, who)


def apply_teachers(services: Services, preview: TeachersPreview, update: bool = False) -> str:
    """Store the preview's teachers; a name already stored is kept, or updated with `update`."""
    from services.staff.intake import store_teachers

    _backup(services)
    stored = store_teachers(services.db, preview.teachers, update)
    lines = [f"Загружено педагогов: {len(stored.added)}."]
    if stored.updated:
        lines.append(f"Обновлены из файла ({len(stored.updated)}): {', '.join(stored.updated)}.")
    if stored.kept:
        lines.append(f"Уже были в Опоре и не изменены ({len(stored.kept)}; --replace обновит их "
                     f"из файла): {', '.join(stored.kept)}.")  # fmt: skip
    if preview.repeated:
        lines.append(f"Повторно в файле, загружены один раз: {', '.join(preview.repeated)}.")
    warnings = list(preview.warnings)
    warnings += [f"Наставник не найден среди педагогов, не назначен: {m}."
                 for m in stored.unknown_mentors]  # fmt: skip
    lines += warnings_text(warnings)
    return "\n".join(lines)


def apply_ippr(services: Services, preview: IpprPreview, teacher_id: str) -> str:
    """Add the preview's activities to the teacher's plan for the preview's period."""
    from services.staff.intake import store_activities

    _backup(services)
    stored = store_activities(services.db, teacher_id, preview)
    start, end = (d.strftime("%d.%m.%Y") for d in preview.period)
    plan = "новый план" if stored.plan_created else "план"
    lines = [
        f"Загружено в {plan} {start} – {end}: "
        f"{plural(stored.added, 'мероприятие', 'мероприятия', 'мероприятий')}, "
        f"новых дефицитов — {stored.deficits_added}."
    ]
    if stored.kept:
        lines.append(f"Уже есть в плане, не загружены повторно ({len(stored.kept)}): "
                     + "; ".join(f"«{t[:60]}»" for t in stored.kept))  # fmt: skip
    lines += warnings_text(preview.warnings)
    return "\n".join(lines)
