"""Self-audit by risk factors: one audit per school and year, answers, assessed levels."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import SyncFields, covering_index


class RiskLevel(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class SelfAuditBase(SQLModel):
    year: int = Field(index=True)
    catalogue_version: int = 1
    started_on: date | None = None
    completed_on: date | None = None
    working_group: str = Field(default="", max_length=2000)
    notes: str = Field(default="", max_length=4000)


class SelfAudit(SyncFields, SelfAuditBase, table=True):
    """id = stable_id("audit", owner, year)."""

    __tablename__ = "self_audit"


class AuditAnswerBase(SQLModel):
    # indexed by ix_audit_answer_values
    audit_id: str = Field(foreign_key="self_audit.id", max_length=36)
    criterion_code: str = Field(max_length=30)
    score: int | None = Field(default=None, description="Answer on the criterion's scale")
    value: float | None = Field(default=None, description="Answer of a numeric criterion")
    comment: str = Field(default="", max_length=2000)
    evidence: str = Field(default="", max_length=1000)


class AuditAnswer(SyncFields, AuditAnswerBase, table=True):
    """id = stable_id("answer", audit_id, criterion_code)."""

    __tablename__ = "audit_answer"
    __table_args__ = (
        covering_index(
            "audit_answer_values", "audit_id", "deleted", "criterion_code", "score", "value"
        ),
    )


class RiskAssessmentBase(SQLModel):
    audit_id: str = Field(foreign_key="self_audit.id", index=True, max_length=36)
    factor_code: str = Field(max_length=20)
    computed_level: RiskLevel = RiskLevel.NONE
    score: float | None = None
    override_level: RiskLevel | None = None
    override_reason: str = Field(default="", max_length=2000)


class RiskAssessment(SyncFields, RiskAssessmentBase, table=True):
    """id = stable_id("assessment", audit_id, factor_code)."""

    __tablename__ = "risk_assessment"
