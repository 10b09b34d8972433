"""Aggregate results of a school per year: ВПР, ГИА, progression, indicator targets.

Counts only: there are no pupil names or pupil-level rows anywhere (DOMAIN §8.5).
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import SyncFields, covering_index


class ExamKind(StrEnum):
    OGE = "OGE"
    EGE = "EGE"
    GVE = "GVE"


class VprResultBase(SQLModel):
    year: int  # indexed by ix_vpr_result_sums
    grade: int
    class_label: str = Field(default="", max_length=20)
    subject: str = Field(max_length=100)
    participants: int
    n2: int = 0
    n3: int = 0
    n4: int = 0
    n5: int = 0
    lowered: int | None = None
    confirmed: int | None = None
    raised: int | None = None


class VprResult(SyncFields, VprResultBase, table=True):
    """id = stable_id("vpr", owner, year, grade, class_label, subject)."""

    __tablename__ = "vpr_result"
    __table_args__ = (
        covering_index(
            "vpr_result_sums",
            "year",
            "owner",
            "deleted",
            "grade",
            "subject",
            "class_label",
            "participants",
            "n2",
            "n3",
            "n4",
            "n5",
            "lowered",
            "confirmed",
            "raised",
        ),
    )


class GiaResultBase(SQLModel):
    year: int = Field(index=True)
    exam: ExamKind
    subject: str = Field(max_length=100)
    participants: int
    below_min: int = 0
    mean_score: float | None = None
    high_scorers: int = 0


class GiaResult(SyncFields, GiaResultBase, table=True):
    """id = stable_id("gia", owner, year, exam, subject)."""

    __tablename__ = "gia_result"


class ProgressionBase(SQLModel):
    year: int = Field(index=True)
    level: str = Field(default="all", max_length=20)
    pupils: int = 0
    repeaters: int = 0
    conditionally_promoted: int = 0
    graduates_9: int = 0
    certificates_9: int = 0
    graduates_11: int = 0
    certificates_11: int = 0
    medals: int = 0  # recipients of the medal «За особые успехи в учении»
    # Inputs of municipal indicators; None means «не введено» (never read as 0).
    gia9_admitted: int | None = None  # admitted to ГИА-9
    gia9_no_fail: int | None = None  # passed every exam without a «2», retakes not counted
    gia11_admitted: int | None = None  # admitted to ГИА-11
    medal_claimants: int | None = None  # claimed the medal (and the аттестат с отличием)
    badge_claimants: int | None = None  # claimed the regional badge «За особые успехи в учении»
    badge_recipients: int | None = None


class Progression(SyncFields, ProgressionBase, table=True):
    """id = stable_id("progression", owner, year, level)."""

    __tablename__ = "progression"


class AssessmentResultBase(SQLModel):
    """The year's (or a term's) marks of one class and subject: counts, never pupils.

    `achieved` have no «2» («успеваемость»), `quality` have only «4» and «5» («качество
    знаний»). `period` is "year" or "term1".."term4" (четверть, триместр or полугодие: the
    school's own division of the year).
    """

    year: int = Field(index=True)
    period: str = Field(default="year", max_length=10)
    grade: int
    class_label: str = Field(default="", max_length=20)
    subject: str = Field(max_length=100)
    pupils: int
    achieved: int
    quality: int


class AssessmentResult(SyncFields, AssessmentResultBase, table=True):
    """id = stable_id("assessment", owner, year, period, grade, class_label, subject)."""

    __tablename__ = "assessment_result"


class IndicatorTargetBase(SQLModel):
    year: int = Field(index=True)
    indicator_code: str = Field(max_length=60)
    baseline: float | None = None
    target: float | None = None


class IndicatorTarget(SyncFields, IndicatorTargetBase, table=True):
    """id = stable_id("target", owner, indicator_code, year)."""

    __tablename__ = "indicator_target"
