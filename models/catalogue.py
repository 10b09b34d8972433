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


class IndicatorDefinitionBase(SQLModel):
    """An indicator the district defined: a formula over named result inputs.

    The formula is text in the expression language of `services.indicators.expr`; every site
    computes it with that same code. `better` is "higher" or "lower".
    """

    code: str = Field(max_length=60)
    name: str = Field(max_length=300)
    unit: str = Field(default="%", max_length=20)
    formula: str = Field(max_length=4000)
    better: str = Field(default="higher", max_length=10)
    note: str = Field(default="", max_length=1000)


class IndicatorDefinition(SyncFields, IndicatorDefinitionBase, table=True):
    """District-owned; id = stable_id("indicator", code)."""

    __tablename__ = "indicator_definition"


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
