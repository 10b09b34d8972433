"""Teachers and their individual professional development plans (ИППР)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import SyncFields, covering_index


class DeficitArea(StrEnum):
    SUBJECT = "subject"
    METHODICAL = "methodical"
    PSYCH_PED = "psych_ped"
    COMMUNICATIVE = "communicative"
    NORMATIVE = "normative"


class DeficitSource(StrEnum):
    DIAGNOSTIC = "diagnostic"
    VPR_ANALYSIS = "vpr_analysis"
    LESSON_VISIT = "lesson_visit"
    SELF = "self"


class ActivityForm(StrEnum):
    COURSE = "course"
    SEMINAR = "seminar"
    MENTORING = "mentoring"
    SELF_EDUCATION = "self_education"
    OPEN_LESSON = "open_lesson"
    PEER_OBSERVATION = "peer_observation"
    INTERNSHIP = "internship"
    METHODICAL_ASSOCIATION = "methodical_association"
    COMPETITION = "competition"


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class TeacherBase(SQLModel):
    full_name: str = Field(max_length=200)
    position: str = Field(default="", max_length=200)
    subjects: str = Field(default="", max_length=500)
    category: str = Field(default="", max_length=100)
    experience_years: int | None = None
    is_young_specialist: bool = False
    mentor_id: str | None = Field(default=None, foreign_key="teacher.id", max_length=36)


class Teacher(SyncFields, TeacherBase, table=True):
    __tablename__ = "teacher"


class DevelopmentPlanBase(SQLModel):
    # indexed by ix_development_plan_periods
    teacher_id: str = Field(foreign_key="teacher.id", max_length=36)
    period_start: date
    period_end: date
    goals: str = Field(default="", max_length=4000)
    reflection: str = Field(default="", max_length=4000)
    approve_position: str = Field(default="", max_length=300)
    approve_name: str = Field(default="", max_length=200)
    approve_date: date | None = None


class DevelopmentPlan(SyncFields, DevelopmentPlanBase, table=True):
    __tablename__ = "development_plan"
    __table_args__ = (
        covering_index(
            "development_plan_periods", "teacher_id", "deleted", "period_start", "period_end", "id"
        ),
    )


class ProfessionalDeficitBase(SQLModel):
    plan_id: str = Field(foreign_key="development_plan.id", index=True, max_length=36)
    area: DeficitArea
    description: str = Field(max_length=2000)
    source: DeficitSource = DeficitSource.DIAGNOSTIC
    score: float | None = None


class ProfessionalDeficit(SyncFields, ProfessionalDeficitBase, table=True):
    __tablename__ = "professional_deficit"


class DevelopmentActivityBase(SQLModel):
    # indexed by ix_development_activity_counts
    plan_id: str = Field(foreign_key="development_plan.id", max_length=36)
    deficit_id: str | None = Field(
        default=None, foreign_key="professional_deficit.id", max_length=36
    )
    form: ActivityForm
    title: str = Field(max_length=1000)
    provider: str = Field(default="", max_length=500)
    hours: float | None = None
    start_date: date | None = None
    end_date: date | None = None
    # The deadline as worded in the plan («октябрь», «по графику ИРО»): kept for every imported
    # activity; one the program did not understand has no dates and is shown by its wording.
    deadline_text: str = Field(default="", max_length=500)
    expected_result: str = Field(default="", max_length=2000)
    report_form: str = Field(default="", max_length=1000)
    status: ActivityStatus = ActivityStatus.PLANNED
    completion_date: date | None = None
    certificate_number: str = Field(default="", max_length=100)


class DevelopmentActivity(SyncFields, DevelopmentActivityBase, table=True):
    __tablename__ = "development_activity"
    __table_args__ = (
        covering_index(
            "development_activity_counts",
            "plan_id",
            "deleted",
            "form",
            "status",
            "start_date",
            "end_date",
            "completion_date",
        ),
    )
