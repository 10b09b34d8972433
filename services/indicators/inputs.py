"""Everything the indicators read, loaded for many schools at once.

`services.indicators.compute.compute_indicators` computes one school's figures from a
`SchoolData`; this module loads that data for one school or for every school of a district with
a few set-based queries (GROUP BY owner), each area's loader doing the counting: results from
`services.results.data`, roadmap execution from `services.roadmap.queries`, teacher coverage from
`services.staff.queries`. A school therefore sees exactly the numbers the district sees of it.
"""

from __future__ import annotations

import importlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from services.core.ratio import Ratio
from services.core.sql_select import JSON_LIST, Scoped
from services.indicators.evaluate import FormulaInputs, sums_in
from services.indicators.expr import Node
from services.results.data import YearData, load_year_data_many
from services.results.formula_data import load_formula_inputs
from services.roadmap.queries import NO_FIGURES, RoadmapFigures
from services.staff.queries import StaffCoverage

ROADMAP_CODES = frozenset({"ROADMAP_EXEC"})
STAFF_CODES = frozenset({"TEACHER_PK", "TEACHER_ACTIVE", "TEACHER_IPPR"})
EXTERNAL = ROADMAP_CODES | STAFF_CODES  # computed from other areas' rows, not from results
NO_RATIO = Ratio(0, 0)
NO_STAFF = StaffCoverage(0, NO_RATIO, NO_RATIO, NO_RATIO, NO_RATIO)

# Live targets of a year: of everyone by the year index, of a few owners by the owner index.
_TARGETS = "SELECT owner, indicator_code, baseline, target FROM indicator_target WHERE deleted = 0"
TARGETS = Scoped(
    _TARGETS + " AND year = ?", _TARGETS + " AND year + 0 = ? AND owner IN " + JSON_LIST
)

Targets = Mapping[str, tuple[float | None, float | None]]  # key -> (baseline, target)


@dataclass(frozen=True, slots=True)
class SchoolData:
    """One school's inputs of the indicators of a year (and of the year before)."""

    now: YearData
    before: YearData
    targets: Targets = field(default_factory=dict)
    roadmap: RoadmapFigures = NO_FIGURES  # on as_of
    roadmap_before: RoadmapFigures = NO_FIGURES  # on `as_of_for(year - 1, as_of)`
    staff: StaffCoverage = NO_STAFF  # on as_of
    staff_before: StaffCoverage = NO_STAFF
    formula_now: FormulaInputs = field(default_factory=FormulaInputs)  # district formulas
    formula_before: FormulaInputs = field(default_factory=FormulaInputs)

    def external(self, previous: bool) -> dict[str, Ratio]:
        """ROADMAP_EXEC and the teacher coverage indicators on as_of (or the year before)."""
        roadmap = self.roadmap_before if previous else self.roadmap
        staff = self.staff_before if previous else self.staff
        return {
            "ROADMAP_EXEC": roadmap.execution,
            "TEACHER_PK": staff.pk_3y,
            "TEACHER_ACTIVE": staff.active_forms,
            "TEACHER_IPPR": staff.with_plan,
        }


@dataclass(frozen=True, slots=True)
class SchoolsData:
    year: int
    as_of: date
    schools: dict[str, SchoolData]

    def school(self, owner: str) -> SchoolData:
        """The data of `owner` (a school without any rows gets empty data)."""
        found = self.schools.get(owner)
        return found or SchoolData(YearData(self.year), YearData(self.year - 1))


def load_schools_data(
    session: Session,
    owners: Collection[str] | None,
    year: int,
    as_of: date,
    before: date,
    codes: Collection[str] = EXTERNAL,
    subjects: bool = True,
    formulas: Sequence[Node] = (),
) -> SchoolsData:
    """The inputs of `owners` (None: every owner in the database) for results `year`.

    Roadmap and staff figures are read on `as_of` (always: dashboards show them) and on
    `before` (only when `codes` has an indicator that needs them). Without `subjects` ВПР is
    read as whole-school sums only (see `load_year_data_many`). With `formulas` (the district's
    own indicators, parsed), what they read is aggregated too (`services.results.formula_data`).
    """
    # The ВПР statement finds the keys the formulas' ВПР conditions are tested on: no scan of
    # its own for them.
    vpr_keys: set[tuple[Any, ...]] | None = None
    if any(node.table == "vpr" for node in sums_in(formulas)):
        vpr_keys = set()
    years = load_year_data_many(
        session, owners, (year, year - 1), subjects=subjects, vpr_keys=vpr_keys
    )
    targets = load_targets(session, owners, year)
    days = [as_of]
    if set(codes) & EXTERNAL:
        days.append(before)
    roadmap, *roadmap_before = _roadmap(session, owners, days)
    staff, *staff_before = _staff(session, owners, days)
    if not ROADMAP_CODES & set(codes):
        roadmap_before = []
    if not STAFF_CODES & set(codes):
        staff_before = []
    known = {"vpr": vpr_keys} if vpr_keys is not None else None
    rows = (
        load_formula_inputs(session, owners, (year, year - 1), formulas, known) if formulas else {}
    )
    everyone = set(owners) if owners is not None else set(years) | set(roadmap) | set(staff)
    everyone |= {owner for owner, _year in rows}
    schools: dict[str, SchoolData] = {}
    for owner in everyone:
        per_year = years.get(owner, {})
        schools[owner] = SchoolData(
            now=per_year.get(year) or YearData(year),
            before=per_year.get(year - 1) or YearData(year - 1),
            targets=targets.get(owner, {}),
            roadmap=roadmap.get(owner, NO_FIGURES),
            roadmap_before=roadmap_before[0].get(owner, NO_FIGURES)
            if roadmap_before
            else NO_FIGURES,
            staff=staff.get(owner, NO_STAFF),
            staff_before=staff_before[0].get(owner, NO_STAFF) if staff_before else NO_STAFF,
            formula_now=rows.get((owner, year), FormulaInputs()),
            formula_before=rows.get((owner, year - 1), FormulaInputs()),
        )
    return SchoolsData(year, as_of, schools)


def _roadmap(
    session: Session, owners: Collection[str] | None, days: list[date]
) -> list[dict[str, RoadmapFigures]]:
    """`services.roadmap.queries.roadmap_figures_on`, looked up when called."""
    module = importlib.import_module("services.roadmap.queries")
    many = getattr(module, "roadmap_figures_on", None)
    if many is not None:
        return list(many(session, owners, days))
    # An area offering only the per-school `execution_ratio` (as test doubles do).
    one = module.execution_ratio
    return [
        {owner: RoadmapFigures(one(session, owner, day), 0) for owner in owners or ()}
        for day in days
    ]


def _staff(
    session: Session, owners: Collection[str] | None, days: list[date]
) -> list[dict[str, StaffCoverage]]:
    """`services.staff.queries.staff_coverage_on`, looked up when called (the area's interface)."""
    module = importlib.import_module("services.staff.queries")
    many = getattr(module, "staff_coverage_on", None)
    if many is not None:
        return list(many(session, owners, days))
    one = module.staff_coverage
    return [{owner: one(session, owner, day) for owner in owners or ()} for day in days]


def load_targets(
    session: Session, owners: Collection[str] | None, year: int
) -> dict[str, dict[str, tuple[float | None, float | None]]]:
    """{owner: {indicator key: (baseline, target)}} of `year` (live rows)."""
    result: dict[str, dict[str, tuple[float | None, float | None]]] = {}
    for owner, code, baseline, target in TARGETS.run(session, owners, year):
        result.setdefault(owner, {})[code] = (baseline, target)
    return result
