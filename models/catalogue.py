"""Published catalogue versions and the district's thresholds (DESIGN §4).

The shipped catalogues live as versioned JSON in `resources/catalogues`; a district may publish a
newer version, which travels in its bulletin as a `CatalogueVersion` row.
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import SyncFields


class CatalogueKind(StrEnum):
    RISK_FACTORS = "risk_factors"
    AUDIT_CRITERIA = "audit_criteria"
    INDICATORS = "indicators"


class CatalogueVersionBase(SQLModel):
    kind: CatalogueKind
    version: int
    title: str = Field(default="", max_length=300)
    content: str = Field(description="The catalogue document as canonical JSON text")


class CatalogueVersion(SyncFields, CatalogueVersionBase, table=True):
    """id = stable_id("catalogue", kind, version)."""

    __tablename__ = "catalogue_version"


class Comparison(StrEnum):
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="


class ThresholdBase(SQLModel):
    year: int = Field(index=True)
    indicator_code: str = Field(max_length=60)
    comparison: Comparison
    value: float
    is_example: bool = False
    note: str = Field(default="", max_length=500)


class Threshold(SyncFields, ThresholdBase, table=True):
    """District-owned: a school is flagged when `indicator comparison value` holds."""

    __tablename__ = "threshold"
