"""Programme data of a roadmap: the «Кадровое обеспечение» table, read and edited with undo.

The programme's goal, tasks, mechanisms, coordinator and period are fields of the roadmap
(`RoadmapService.save_roadmap`). Its staffing rows belong to the roadmap's owner — the district
for the municipal programme — and travel with it. Every edit returns what «Отменить» needs:
`delete_staff` is undone by `restore_staff`, `update_staff` by `update_staff` with the old values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from sqlmodel import Session, col, select

from models.programme import ProgrammeStaff
from models.roadmap import Roadmap, RoadmapSection
from services.core.db import Database
from services.core.errors import Invalid, NotFound
from services.roadmap.queries import RoadmapRead, SectionRead
from services.site.profile import own_site_id

LIMITS = {"person": 200, "job_title": 300, "role": 1000, "curates": 1000}
TITLES = {"person": "ФИО", "job_title": "должность", "role": "функции в программе",
          "curates": "курируемое направление"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class StaffFields:
    """One row of «Кадровое обеспечение» as the user enters it."""

    person: str
    job_title: str = ""
    role: str = ""  # «Куратор механизма …»
    curates: str = ""  # the section or mechanism, as the programme words it
    section_id: str | None = None  # the roadmap's section it curates, when there is one

    def changed(self, **values: object) -> StaffFields:
        return replace(self, **values)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class StaffRead(StaffFields):
    id: str = ""
    position: int = 0

    def fields(self) -> StaffFields:
        return StaffFields(self.person, self.job_title, self.role, self.curates, self.section_id)


@dataclass(frozen=True, slots=True)
class Programme:
    """Everything the programme page prints: the roadmap's fields, sections and staffing."""

    roadmap: RoadmapRead
    staff: tuple[StaffRead, ...]
    sections: tuple[SectionRead, ...] = ()  # the live ones, to choose from
    # every section's title, a deleted one's too: a row still names what it curated
    titles: dict[str, str] = field(default_factory=dict)

    def curated(self, row: StaffRead) -> str:
        """What a row curates: its own wording, else the title of its section."""
        if row.curates:
            return row.curates
        return self.titles.get(row.section_id or "", "")


def validated(values: StaffFields) -> StaffFields:
    trimmed = {k: getattr(values, k).strip() for k in LIMITS}
    if not trimmed["person"]:
        raise Invalid("Укажите ФИО специалиста.")
    for key, limit in LIMITS.items():
        if len(trimmed[key]) > limit:
            raise Invalid(f"Поле «{TITLES[key]}» длиннее {limit} символов — сократите его.")
    return StaffFields(section_id=values.section_id, **trimmed)


def staff_rows(s: Session, roadmap_id: str) -> list[ProgrammeStaff]:
    return list(
        s.exec(
            select(ProgrammeStaff)
            .where(ProgrammeStaff.roadmap_id == roadmap_id, col(ProgrammeStaff.deleted).is_(False))
            .order_by(col(ProgrammeStaff.position), col(ProgrammeStaff.id))
        ).all()
    )


def read_programme(s: Session, roadmap: Roadmap) -> Programme:
    """The programme of `roadmap` read in the caller's session (documents use it too)."""
    sections = s.exec(
        select(RoadmapSection)
        .where(RoadmapSection.roadmap_id == roadmap.id)
        .order_by(col(RoadmapSection.position), col(RoadmapSection.id))
    ).all()
    return Programme(
        RoadmapRead.model_validate(roadmap),
        tuple(_read(r) for r in staff_rows(s, roadmap.id)),
        tuple(SectionRead.model_validate(x) for x in sections if not x.deleted),
        {x.id: x.title for x in sections},
    )


def _read(row: ProgrammeStaff) -> StaffRead:
    return StaffRead(row.person, row.job_title, row.role, row.curates, row.section_id, row.id,
                     row.position)  # fmt: skip


class ProgrammeService:
    """Use cases of the «Программа» dialog: the staffing table of this site's own roadmaps."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def programme(self, roadmap_id: str) -> Programme:
        with self._db.session(stamp=False) as s:
            return read_programme(s, self._roadmap(s, roadmap_id))

    def add_staff(self, roadmap_id: str, values: StaffFields, *, at: int | None = None) -> str:
        """Add a row (at the end, or at `at`); returns its id."""
        values = validated(values)
        with self._db.session() as s:
            roadmap = self._roadmap(s, roadmap_id, own=True)
            self._check_section(s, roadmap, values.section_id)
            rows = staff_rows(s, roadmap.id)
            position = len(rows) if at is None else max(0, min(at, len(rows)))
            for row in rows[position:]:
                row.position += 1
            new = ProgrammeStaff(owner=roadmap.owner, roadmap_id=roadmap.id, position=position,
                                 **asdict(values))  # fmt: skip
            s.add(new)
            s.flush()
            return new.id

    def update_staff(self, staff_id: str, values: StaffFields) -> None:
        values = validated(values)
        with self._db.session() as s:
            row = self._own(s, staff_id)
            self._check_section(s, self._roadmap(s, row.roadmap_id), values.section_id)
            for key, value in asdict(values).items():
                if getattr(row, key) != value:
                    setattr(row, key, value)

    def move_staff(self, staff_id: str, delta: int) -> None:
        with self._db.session() as s:
            row = self._own(s, staff_id)
            ordered = staff_rows(s, row.roadmap_id)
            index = next(n for n, x in enumerate(ordered) if x.id == row.id)
            ordered.insert(max(0, min(len(ordered) - 1, index + delta)), ordered.pop(index))
            for position, x in enumerate(ordered):
                if x.position != position:
                    x.position = position

    def delete_staff(self, staff_id: str) -> None:
        with self._db.session() as s:
            self._own(s, staff_id).deleted = True

    def restore_staff(self, staff_id: str) -> None:
        with self._db.session() as s:
            row = s.get(ProgrammeStaff, staff_id)
            if row is None or row.owner != own_site_id(s):
                raise NotFound("Строка не найдена — обновите экран.")
            row.deleted = False

    # helpers --------------------------------------------------------------------------

    @staticmethod
    def _roadmap(s: Session, roadmap_id: str, *, own: bool = False) -> Roadmap:
        roadmap = s.get(Roadmap, roadmap_id)
        if roadmap is None or roadmap.deleted:
            raise NotFound("Дорожная карта не найдена.")
        if own and roadmap.owner != own_site_id(s):
            raise Invalid("Эта программа принадлежит другой организации; изменить её нельзя.")
        return roadmap

    @staticmethod
    def _own(s: Session, staff_id: str) -> ProgrammeStaff:
        row = s.get(ProgrammeStaff, staff_id)
        if row is None or row.deleted:
            raise NotFound("Строка не найдена — возможно, её уже удалили. Обновите экран.")
        if row.owner != own_site_id(s):
            raise Invalid("Эта строка принадлежит другой организации; изменить её нельзя.")
        return row

    @staticmethod
    def _check_section(s: Session, roadmap: Roadmap, section_id: str | None) -> None:
        if section_id is None:
            return
        section = s.get(RoadmapSection, section_id)
        if section is None or section.deleted or section.roadmap_id != roadmap.id:
            raise Invalid("Выбранный раздел удалён или относится к другой карте — выберите снова.")
