"""The curators of each school: district-owned rows, several per school, in the district's order.

The status dialog of «Школы» edits a school's whole list at once: rows keep their ids, a row left
out becomes a tombstone (it travels in the school's bulletin like any deletion).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.programme import SchoolCurator
from services.core.errors import Invalid

LIMITS = {"name": 200, "job_title": 300, "org": 300, "contact": 200}
TITLES = {"name": "ФИО", "job_title": "должность", "org": "организация", "contact": "контакты"}


@dataclass(frozen=True, slots=True)
class Curator:
    """One curator as the screens and documents show it; `id` is None for a new one."""

    name: str
    job_title: str = ""
    org: str = ""
    contact: str = ""
    id: str | None = None

    def line(self) -> str:
        """«Петрова О. И., заместитель директора, МОУ СОШ № 4 (8-900-000-00-00)»."""
        text = ", ".join(x for x in (self.name, self.job_title, self.org) if x)
        return f"{text} ({self.contact})" if self.contact else text


def curators_by_school(s: Session) -> dict[str, tuple[Curator, ...]]:
    """Live curators of every school, in order, by school id."""
    rows = s.exec(
        select(SchoolCurator)
        .where(col(SchoolCurator.deleted).is_(False))
        .order_by(col(SchoolCurator.school_id), col(SchoolCurator.position), col(SchoolCurator.id))
    ).all()
    found: dict[str, list[Curator]] = {}
    for r in rows:
        found.setdefault(r.school_id, []).append(
            Curator(r.name, r.job_title, r.org, r.contact, r.id)
        )
    return {k: tuple(v) for k, v in found.items()}


def checked(curators: Sequence[Curator]) -> list[Curator]:
    """Trimmed curators; refuses a row without a name or a field over its length."""
    out = []
    for n, c in enumerate(curators, start=1):
        values = {k: getattr(c, k).strip() for k in LIMITS}
        if not values["name"]:
            raise Invalid(f"Куратор № {n}: укажите ФИО или удалите эту строку.")
        for key, limit in LIMITS.items():
            if len(values[key]) > limit:
                raise Invalid(
                    f"Куратор № {n}: поле «{TITLES[key]}» длиннее {limit} символов — сократите его."
                )
        out.append(Curator(id=c.id, **values))
    return out


def save_curators(s: Session, owner: str, school_id: str, curators: Sequence[Curator]) -> None:
    """Make the school's live curators exactly `curators` (checked), in that order."""
    wanted = checked(curators)
    stored = {
        r.id: r
        for r in s.exec(select(SchoolCurator).where(SchoolCurator.school_id == school_id)).all()
    }
    kept: set[str] = set()
    for position, c in enumerate(wanted):
        row = stored.get(c.id or "")
        if row is None or row.owner != owner:
            row = SchoolCurator(owner=owner, school_id=school_id, name=c.name)
        kept.add(row.id)
        _assign(row, position, c)
        s.add(row)
    for row_id, row in stored.items():
        if row_id not in kept and not row.deleted and row.owner == owner:
            row.deleted = True
            s.add(row)


def _assign(row: SchoolCurator, position: int, c: Curator) -> None:
    values = {"position": position, "name": c.name, "job_title": c.job_title, "org": c.org,
              "contact": c.contact, "deleted": False}  # fmt: skip
    for key, value in values.items():
        if getattr(row, key) != value:  # an unchanged row keeps its version
            setattr(row, key, value)
