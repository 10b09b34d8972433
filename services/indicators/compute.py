"""The indicator catalogue computed from a school's rows (DESIGN §4, issue 6).

One function, `compute_indicators`, feeds the «Результаты» and «Обзор» screens, the PDF, the Excel
export and the district dashboard, so the same numbers appear everywhere. Every value is a
`Ratio` (numerator ÷ denominator); an empty denominator gives «нет данных», never an error or 0.
Formulas live in code, keyed by indicator code; names, units and the better direction come from
the versioned catalogue (`resources/catalogues/indicators_v1.json`, or a newer version the
district published).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlmodel import Session

from models.catalogue import CatalogueKind, Comparison
from services.core.ratio import Ratio
from services.core.sql_select import rows
from services.indicators.inputs import EXTERNAL, SchoolData, SchoolsData, Targets, load_schools_data
from services.results.data import YearData

log = logging.getLogger(__name__)

CATALOGUE_FILE = (
    Path(__file__).resolve().parents[2] / "resources" / "catalogues" / "indicators_v1.json"
)
NO_RATIO = Ratio(0, 0)

# Codes shown on dashboards (the school's «Обзор», the district's «Сводка»), in order.
KEY_INDICATORS: tuple[str, ...] = (
    "ROADMAP_EXEC",
    "CERT_9_11",
    "REPEATERS",
    "VPR_FAIL",
    "VPR_QUALITY",
    "VPR_OBJECTIVITY",
    "GIA_BELOW_MIN",
    "TEACHER_PK",
    "TEACHER_ACTIVE",
)
SUBJECT_SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class ThresholdRead:
    """A district threshold: a school is flagged when `value comparison threshold` holds."""

    year: int
    indicator_code: str
    comparison: Comparison
    value: float
    is_example: bool = False
    note: str = ""
    id: str = ""

    def holds(self, value: float | None) -> bool:
        """Whether an indicator value meets the flag condition (never for «нет данных»)."""
        if value is None:
            return False
        if self.comparison is Comparison.GT:
            return value > self.value
        if self.comparison is Comparison.GE:
            return value >= self.value
        if self.comparison is Comparison.LT:
            return value < self.value
        return value <= self.value

    def text(self) -> str:
        """«> 30» — the condition as shown next to a flag."""
        number = f"{self.value:g}".replace(".", ",")
        return f"{self.comparison.value} {number}"


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    """One catalogue entry."""

    code: str
    name: str
    unit: str
    better: str  # "higher" | "lower"
    per_subject: bool
    formula: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    code: str
    name: str
    unit: str
    better: str
    subject: str | None
    ratio: Ratio
    previous: Ratio | None
    target: float | None
    baseline: float | None
    threshold: ThresholdRead | None
    flagged: bool

    @property
    def key(self) -> str:
        """The code, or «code|subject» for a per-subject value (targets and thresholds use it)."""
        return indicator_key(self.code, self.subject)

    @property
    def title(self) -> str:
        return self.name if self.subject is None else f"{self.name}: {self.subject}"

    @property
    def change(self) -> float | None:
        """Change from last year in percentage points, or None when either year has no data."""
        now = self.ratio.value
        before = self.previous.value if self.previous is not None else None
        if now is None or before is None:
            return None
        return now - before

    @property
    def off_target(self) -> bool:
        """The value is worse than the school's target for the year."""
        value = self.ratio.value
        if value is None or self.target is None:
            return False
        return value < self.target if self.better == "higher" else value > self.target

    @property
    def improved(self) -> bool | None:
        """Whether the change from last year goes the better way (None: no change known)."""
        change = self.change
        if change is None or change == 0:
            return None
        return change > 0 if self.better == "higher" else change < 0


def indicator_key(code: str, subject: str | None) -> str:
    return code if subject is None else f"{code}{SUBJECT_SEPARATOR}{subject}"


# -- the catalogue ------------------------------------------------------------------------------


def parse_catalogue(content: str | bytes) -> tuple[int, list[IndicatorDef]]:
    """The version and entries of an indicator catalogue document; ValueError when malformed."""
    doc = json.loads(content)
    if not isinstance(doc, dict) or doc.get("kind") != CatalogueKind.INDICATORS.value:
        raise ValueError("not an indicator catalogue")
    entries = [
        IndicatorDef(
            code=str(e["code"]),
            name=str(e["name"]),
            unit=str(e.get("unit", "%")),
            better="lower" if e.get("better") == "lower" else "higher",
            per_subject=bool(e.get("per_subject", False)),
            formula=str(e.get("formula", "")),
            source=str(e.get("source", "")),
        )
        for e in doc["indicators"]
    ]
    return int(doc["version"]), entries


@lru_cache(maxsize=1)
def shipped_catalogue() -> tuple[int, tuple[IndicatorDef, ...]]:
    version, entries = parse_catalogue(CATALOGUE_FILE.read_bytes())
    return version, tuple(e for e in entries if e.code in FORMULAS)


NEWER_CATALOGUE = (
    "SELECT version, content FROM catalogue_version WHERE kind = ? AND deleted = 0 "
    "AND version > ? ORDER BY version DESC LIMIT 1"
)
_THRESHOLDS = (
    "SELECT year, indicator_code, comparison, value, is_example, note, id FROM threshold "
    "WHERE deleted = 0"
)
THRESHOLDS = _THRESHOLDS + " ORDER BY year"
THRESHOLDS_UP_TO = _THRESHOLDS + " AND year <= ? ORDER BY year"


def catalogue(session: Session | None = None) -> list[IndicatorDef]:
    """The catalogue in force: the shipped one, or a newer version published by the district.

    Only codes this program can compute are kept; a malformed published version is ignored.
    """
    version, entries = shipped_catalogue()
    if session is None:
        return list(entries)
    newer = rows(session, NEWER_CATALOGUE, (CatalogueKind.INDICATORS.name, version))
    if not newer:
        return list(entries)
    newer_version, content = newer[0]
    try:
        _v, published = parse_catalogue(content)
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring malformed indicator catalogue v%s: %s", newer_version, exc)
        return list(entries)
    return [e for e in published if e.code in FORMULAS]


# -- formulas over one year's rows ------------------------------------------------------------

Formula = Callable[[YearData, str | None], Ratio]


def _vpr(pick: Callable[[Any], int]) -> Formula:
    def formula(data: YearData, subject: str | None) -> Ratio:
        stats = data.vpr_total() if subject is None else data.vpr.get(subject)
        if stats is None:
            return NO_RATIO
        return Ratio(pick(stats), stats.participants)

    return formula


def _objectivity(data: YearData, subject: str | None) -> Ratio:
    stats = data.vpr_total() if subject is None else data.vpr.get(subject)
    if stats is None:
        return NO_RATIO
    return Ratio(stats.confirmed, stats.lowered + stats.confirmed + stats.raised)


def _gia(pick: Callable[[Any], int], exam: str | None) -> Formula:
    def formula(data: YearData, _subject: str | None) -> Ratio:
        stats = data.gia_total(exam)
        return Ratio(pick(stats), stats.participants)

    return formula


def _progression(num: Callable[[Any], int], den: Callable[[Any], int]) -> Formula:
    def formula(data: YearData, _subject: str | None) -> Ratio:
        p = data.progression
        return Ratio(num(p), den(p))

    return formula


FORMULAS: dict[str, Formula] = {
    "CERT_9_11": _progression(
        lambda p: p.certificates_9 + p.certificates_11, lambda p: p.graduates_9 + p.graduates_11
    ),
    "CERT_9": _progression(lambda p: p.certificates_9, lambda p: p.graduates_9),
    "NO_CERT_11": _progression(
        lambda p: max(p.graduates_11 - p.certificates_11, 0), lambda p: p.graduates_11
    ),
    "MEDALS_11": _progression(lambda p: p.medals, lambda p: p.graduates_11),
    "REPEATERS": _progression(lambda p: p.repeaters, lambda p: p.pupils),
    "CONDITIONAL": _progression(lambda p: p.conditionally_promoted, lambda p: p.pupils),
    "VPR_FAIL": _vpr(lambda s: s.n2),
    "VPR_PASS": _vpr(lambda s: s.n3 + s.n4 + s.n5),
    "VPR_QUALITY": _vpr(lambda s: s.n4 + s.n5),
    "VPR_OBJECTIVITY": _objectivity,
    "GIA_BELOW_MIN": _gia(lambda s: s.below_min, None),
    "OGE_FAIL": _gia(lambda s: s.below_min, "OGE"),
    "EGE_BELOW_MIN": _gia(lambda s: s.below_min, "EGE"),
    "EGE_HIGH": _gia(lambda s: s.high_scorers, "EGE"),
    # Computed from other areas' rows (`SchoolData.external`), listed so the catalogue keeps them.
    "ROADMAP_EXEC": lambda _d, _s: NO_RATIO,
    "TEACHER_PK": lambda _d, _s: NO_RATIO,
    "TEACHER_ACTIVE": lambda _d, _s: NO_RATIO,
    "TEACHER_IPPR": lambda _d, _s: NO_RATIO,
}


def as_of_for(year: int, today: date | None = None) -> date:
    """The date roadmap and staff indicators of a results year are computed on.

    The current (or a future) year: today; a past year: the end of that school year (31 August).
    """
    today = today or date.today()
    return today if year >= today.year else date(year, 8, 31)


# -- assembly ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorInputs:
    """What `compute_indicators` reads, loaded once for many schools (see `load_inputs`)."""

    year: int
    as_of: date
    defs: tuple[IndicatorDef, ...]
    data: SchoolsData
    by_subject: frozenset[str] | None = None  # per-subject values of these codes (None: all)


def load_inputs(
    session: Session,
    owners: Collection[str] | None,
    year: int,
    *,
    as_of: date | None = None,
    only: Collection[str] | None = None,
    by_subject: Collection[str] | None = None,
) -> IndicatorInputs:
    """The inputs of the indicators of `owners` (None: every owner) for `year`, in a few queries.

    `as_of` is the date for roadmap and staff indicators (default: `as_of_for(year)`); last
    year's are read on `as_of_for(year - 1, as_of)`. `compute_indicators` with these inputs
    gives only the catalogue codes in `only` (None: all), and per-subject values only of the
    codes in `by_subject` (None: of every per-subject indicator); each value is unchanged.
    """
    defs = tuple(d for d in catalogue(session) if only is None or d.code in only)
    on = as_of or as_of_for(year)
    codes = {d.code for d in defs} & EXTERNAL
    subjects = None if by_subject is None else frozenset(by_subject)
    # ВПР per subject is read only when some per-subject value will be computed.
    per_subject = any(d.per_subject and (subjects is None or d.code in subjects) for d in defs)
    data = load_schools_data(
        session, owners, year, on, as_of_for(year - 1, on), codes, subjects=per_subject
    )
    return IndicatorInputs(year, on, defs, data, subjects)


def compute_indicators(
    session: Session,
    owner: str,
    year: int,
    thresholds: Sequence[ThresholdRead] = (),
    *,
    as_of: date | None = None,
    inputs: IndicatorInputs | None = None,
) -> list[IndicatorValue]:
    """Every catalogue indicator of `owner` for `year`, with last year, target and flag.

    Per-subject indicators come as the whole-school value followed by one value per ВПР subject
    of this or last year (alphabetical). Read-only; runs in the caller's session.
    `as_of` is the date for roadmap and staff indicators (default: `as_of_for(year)`).
    `inputs` (from `load_inputs` for many schools) replaces the queries of this school's rows.
    """
    if inputs is None:
        inputs = load_inputs(session, [owner], year, as_of=as_of)
    elif inputs.year != year or (as_of is not None and as_of != inputs.as_of):
        raise ValueError("indicator inputs were loaded for another year or date")
    school = inputs.data.school(owner)
    return indicators_of(inputs.defs, school, thresholds, year, inputs.by_subject)


def indicators_of(
    defs: Sequence[IndicatorDef],
    school: SchoolData,
    thresholds: Sequence[ThresholdRead],
    year: int,
    by_subject: Collection[str] | None = None,
) -> list[IndicatorValue]:
    """The indicators of one school's loaded data (pure: the formulas, targets and flags)."""
    now, before = school.now, school.before
    ext_now, ext_before = school.external(previous=False), school.external(previous=True)
    values: list[IndicatorValue] = []
    for d in defs:
        subjects: list[str | None] = [None]
        if d.per_subject and (by_subject is None or d.code in by_subject):
            subjects += sorted(set(now.vpr) | set(before.vpr))
        for subject in subjects:
            if d.code in EXTERNAL:
                ratio, prev = ext_now.get(d.code, NO_RATIO), ext_before.get(d.code, NO_RATIO)
            else:
                ratio, prev = FORMULAS[d.code](now, subject), FORMULAS[d.code](before, subject)
            values.append(
                _value(d, subject, _sane(ratio), _sane(prev), school.targets, thresholds, year)
            )
    return values


def _sane(ratio: Ratio) -> Ratio:
    """A share outside 0–100 % can only come from inconsistent rows: show «нет данных»."""
    if ratio.denominator <= 0 or not 0 <= ratio.numerator <= ratio.denominator:
        return NO_RATIO
    return ratio


def _value(
    d: IndicatorDef,
    subject: str | None,
    ratio: Ratio,
    previous: Ratio,
    targets: Targets,
    thresholds: Sequence[ThresholdRead],
    year: int,
) -> IndicatorValue:
    key = indicator_key(d.code, subject)
    baseline, target = targets.get(key, (None, None))
    threshold = applicable_threshold(thresholds, key, year)
    return IndicatorValue(
        code=d.code,
        name=d.name,
        unit=d.unit,
        better=d.better,
        subject=subject,
        ratio=ratio,
        previous=previous,
        target=target,
        baseline=baseline,
        threshold=threshold,
        flagged=threshold is not None and threshold.holds(ratio.value),
    )


def applicable_threshold(
    thresholds: Iterable[ThresholdRead], key: str, year: int
) -> ThresholdRead | None:
    """The threshold of `key` for `year`, else the latest one of an earlier year."""
    best: ThresholdRead | None = None
    for t in thresholds:
        if t.indicator_code != key or t.year > year:
            continue
        if best is None or t.year > best.year:
            best = t
    return best


def load_thresholds(session: Session, year: int | None = None) -> list[ThresholdRead]:
    """The district's thresholds present in this database (all years, or up to `year`)."""
    found = rows(session, THRESHOLDS) if year is None else rows(session, THRESHOLDS_UP_TO, (year,))
    return [
        ThresholdRead(
            year=int(t_year),
            indicator_code=code,
            comparison=Comparison[comparison],
            value=float(value),
            is_example=bool(is_example),
            note=note,
            id=threshold_id,
        )
        for t_year, code, comparison, value, is_example, note, threshold_id in found
    ]
