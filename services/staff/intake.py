"""Storing an imported teachers' list or ИППР table: one transaction each (DESIGN §8 intake).

The previews (`services.intake.people`, `services.intake.ippr`) decide what is stored; these
functions write exactly that, in one session, so a failure leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TypeVar

from sqlmodel import Session

from models.staff import (
    ActivityForm,
    ActivityStatus,
    DeficitArea,
    DevelopmentActivity,
    DevelopmentPlan,
    ProfessionalDeficit,
    Teacher,
)
from services.core.db import Database
from services.core.errors import Invalid
from services.intake.ippr import ActivityDraft, IpprPreview
from services.intake.people import TeacherDraft, name_key
from services.site.profile import own_site_id
from services.staff.queries import (
    TeacherRead,
    live_activities,
    live_deficits,
    live_plans,
    live_teachers,
)

T = TypeVar("T", Teacher, TeacherRead)


@dataclass(slots=True)
class TeachersStored:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # already stored, left as they were
    unknown_mentors: list[str] = field(default_factory=list)


def store_teachers(db: Database, drafts: Sequence[TeacherDraft], update: bool) -> TeachersStored:
    """Add the new names; a stored name is updated from the file with `update`, else kept."""
    result = TeachersStored()
    with db.session() as s:
        owner = own_site_id(s)
        by_key = {name_key(t.full_name): t for t in live_teachers(s, owner)}
        for draft in drafts:
            values = {k: v for k, v in asdict(draft).items() if k != "mentor"}
            teacher = by_key.get(name_key(draft.full_name))
            if teacher is None:
                teacher = Teacher(owner=owner, **values)
                by_key[name_key(draft.full_name)] = teacher
                result.added.append(draft.full_name)
            elif update:
                for name, value in values.items():
                    if value not in ("", None) and name != "full_name":
                        setattr(teacher, name, value)
                result.updated.append(teacher.full_name)
            else:
                result.kept.append(teacher.full_name)
                continue
            s.add(teacher)
        s.flush()
        _mentors(s, drafts, by_key, result)
    return result


def _mentors(
    s: Session, drafts: Sequence[TeacherDraft], by_key: dict[str, Teacher], result: TeachersStored
) -> None:
    for draft in drafts:
        teacher = by_key[name_key(draft.full_name)]
        if not draft.mentor or draft.full_name in result.kept:
            continue
        mentor = by_key.get(name_key(draft.mentor)) or _unique_prefix(by_key, draft.mentor)
        if mentor is None or mentor is teacher:
            result.unknown_mentors.append(f"{draft.full_name} — «{draft.mentor}»")
            continue
        teacher.mentor_id = mentor.id
        s.add(teacher)


def _unique_prefix(by_key: dict[str, Teacher], who: str) -> Teacher | None:
    found = matching(list(by_key.values()), who)
    return found[0] if len(found) == 1 else None


def matching(teachers: Sequence[T], who: str) -> list[T]:
    """Teachers whose ФИО each word of `who` begins a word of («Иванова И.П.», «иванова»)."""
    wanted = [w for w in name_key(who).replace(".", ". ").split() if w]
    found = []
    for teacher in teachers:
        words = name_key(teacher.full_name).split()
        if len(wanted) <= len(words) and all(
            word.startswith(part.rstrip(".")) for part, word in zip(wanted, words, strict=False)
        ):
            found.append(teacher)
    return found


def find_teacher(db: Database, who: str) -> TeacherRead:
    """The teacher `who` names (id, or ФИО without case and «ё»); `Invalid` lists candidates."""
    with db.session(stamp=False) as s:
        teachers = [TeacherRead.model_validate(t) for t in live_teachers(s, own_site_id(s))]
    exact = [t for t in teachers if t.id == who.strip() or name_key(t.full_name) == name_key(who)]
    found = exact or matching(teachers, who)
    if len(found) == 1:
        return TeacherRead.model_validate(found[0])
    if found:
        listed = "\n".join(f"  {t.full_name} (--teacher {t.id})" for t in found)
        raise Invalid(f"«{who}» подходит к нескольким педагогам. Укажите одного:\n{listed}")
    if not teachers:
        raise Invalid(
            "В Опоре нет ни одного педагога. Сначала добавьте педагогов («Педагоги» → «Добавить» "
            "или import-xlsx teachers ФАЙЛ), затем загрузите ИППР."
        )
    listed = "\n".join(f"  {t.full_name} (--teacher {t.id})" for t in teachers[:30])
    more = f"\n  …и ещё {len(teachers) - 30}." if len(teachers) > 30 else ""
    raise Invalid(f"Педагог «{who}» не найден. Педагоги школы:\n{listed}{more}")


@dataclass(slots=True)
class ActivitiesStored:
    plan_id: str
    plan_created: bool
    added: int = 0
    kept: list[str] = field(default_factory=list)  # the plan already has an activity so named
    deficits_added: int = 0


def store_activities(db: Database, teacher_id: str, preview: IpprPreview) -> ActivitiesStored:
    """Add the activities and their deficits to the teacher's plan for the preview's period.

    The plan is made when there is none; an activity or deficit it already has is not doubled.
    """
    period = preview.period
    with db.session() as s:
        teacher = s.get(Teacher, teacher_id)
        if teacher is None or teacher.deleted:
            raise Invalid("Педагог не найден — обновите список и попробуйте снова.")
        plan = _plan_for(s, teacher_id, period)
        result = ActivitiesStored(plan.id if plan else "", plan is None)
        if plan is None:
            plan = DevelopmentPlan(
                owner=teacher.owner, teacher_id=teacher_id,
                period_start=period[0], period_end=period[1],
            )  # fmt: skip
            s.add(plan)
            s.flush()
            result.plan_id = plan.id
        deficits = _deficits(s, plan, preview, result)
        stored = _Stored(live_activities(s, {plan.id}))
        for item in preview.items:
            draft = item.fields
            if stored.has(draft):
                result.kept.append(draft.title)
                continue
            stored.add(draft)
            values = asdict(draft) | {
                "form": ActivityForm(draft.form),
                "status": ActivityStatus(draft.status),
                "completion_date": _completion(draft),
                "deficit_id": deficits.get(name_key(item.deficit)),
            }
            s.add(DevelopmentActivity(owner=teacher.owner, plan_id=plan.id, **values))
            result.added += 1
    return result


class _Stored:
    """The activities a plan already has: by name and deadline wording.

    Two activities of one name but different deadlines («октябрь», «март») are two; an activity
    stored without a wording (typed in, or imported before the wording was kept) is the one of
    its name, so importing the same plan again adds nothing.
    """

    def __init__(self, rows: Sequence[DevelopmentActivity]) -> None:
        self._worded: set[tuple[str, str]] = set()
        self._bare: set[str] = set()
        for row in rows:
            self.add(row)

    def has(self, a: DevelopmentActivity | ActivityDraft) -> bool:
        title = name_key(a.title)
        return title in self._bare or (title, name_key(a.deadline_text)) in self._worded

    def add(self, a: DevelopmentActivity | ActivityDraft) -> None:
        if a.deadline_text.strip():
            self._worded.add((name_key(a.title), name_key(a.deadline_text)))
        else:
            self._bare.add(name_key(a.title))


def _deficits(
    s: Session, plan: DevelopmentPlan, preview: IpprPreview, result: ActivitiesStored
) -> dict[str, str]:
    """The plan's deficit id by description, the preview's missing ones added."""
    found = {name_key(d.description): d.id for d in live_deficits(s, {plan.id})}
    for text, area in preview.deficits.items():
        if name_key(text) not in found:
            row = ProfessionalDeficit(
                owner=plan.owner, plan_id=plan.id, area=DeficitArea(area), description=text
            )
            s.add(row)
            s.flush()
            found[name_key(text)] = row.id
            result.deficits_added += 1
    return found


def _plan_for(s: Session, teacher_id: str, period: tuple[date, date]) -> DevelopmentPlan | None:
    """The teacher's plan for the period: the same period, else the one overlapping it most."""
    plans = live_plans(s, {teacher_id})

    def overlap(p: DevelopmentPlan) -> int:
        return (min(p.period_end, period[1]) - max(p.period_start, period[0])).days

    best = max(plans, key=overlap, default=None)
    return best if best is not None and overlap(best) > 0 else None


def _completion(draft: ActivityDraft) -> date | None:
    if draft.status != ActivityStatus.DONE:
        return None
    return min(draft.end_date or date.today(), date.today())
