"""The indicator catalogue computed from a school's rows (DESIGN §4).

One function, `compute_indicators`, feeds the «Результаты» and «Обзор» screens, the PDF, the Excel
export and the district dashboard, so the same numbers appear everywhere. Every value is a
`Ratio` (numerator ÷ denominator); an empty denominator gives «нет данных», never an error or 0.
Formulas live in code, keyed by indicator code; names, units and the better direction come from
the versioned catalogue (`services.indicators.catalogue`: the shipped version or a newer one the
district published); the district's thresholds flag values (`services.indicators.thresholds`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session

from services.core.ratio import Ratio
from services.indicators.catalogue import IndicatorDef, catalogue
from services.indicators.evaluate import evaluate
from services.indicators.expr import parsed
from services.indicators.formulas import FORMULAS, NO_RATIO
from services.indicators.inputs import EXTERNAL, SchoolData, SchoolsData, Targets, load_schools_data
from services.indicators.thresholds import ThresholdRead, applicable_threshold

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
    note: str = ""  # why there is no value, when known («нет данных: не введено …»)

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
    catalogues_dir: Path,
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
    defs = tuple(d for d in catalogue(session, catalogues_dir) if only is None or d.code in only)
    on = as_of or as_of_for(year)
    codes = {d.code for d in defs} & EXTERNAL
    subjects = None if by_subject is None else frozenset(by_subject)
    # ВПР per subject is read only when some per-subject value will be computed.
    per_subject = any(d.per_subject and (subjects is None or d.code in subjects) for d in defs)
    formulas = [parsed(d.formula) for d in defs if d.custom]
    data = load_schools_data(
        session,
        owners,
        year,
        on,
        as_of_for(year - 1, on),
        codes,
        subjects=per_subject,
        formulas=formulas,
    )
    return IndicatorInputs(year, on, defs, data, subjects)


def compute_indicators(
    session: Session,
    owner: str,
    year: int,
    thresholds: Sequence[ThresholdRead] = (),
    *,
    catalogues_dir: Path,
    as_of: date | None = None,
    inputs: IndicatorInputs | None = None,
) -> list[IndicatorValue]:
    """Every catalogue indicator of `owner` for `year`, with last year, target and flag.

    Per-subject indicators come as the whole-school value followed by one value per ВПР subject
    of this or last year (alphabetical). Read-only; runs in the caller's session.
    `as_of` is the date for roadmap and staff indicators (default: `as_of_for(year)`).
    `inputs` (from `load_inputs` for many schools) replaces the queries of this school's rows;
    without them the catalogue shipped in `catalogues_dir` (or a newer published one) is read.
    """
    if inputs is None:
        inputs = load_inputs(session, [owner], year, catalogues_dir=catalogues_dir, as_of=as_of)
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
        if d.custom:
            values.append(_formula_value(d, school, thresholds, year))
            continue
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


def _formula_value(
    d: IndicatorDef, school: SchoolData, thresholds: Sequence[ThresholdRead], year: int
) -> IndicatorValue:
    """A district indicator: its formula over this and last year's inputs."""
    node = parsed(d.formula)  # the catalogue keeps only formulas that parse
    now, before = evaluate(node, school.formula_now), evaluate(node, school.formula_before)
    ratio = _sane(now.ratio) if now.is_share else now.ratio
    previous = _sane(before.ratio) if before.is_share else before.ratio
    note = now.note
    if not note and ratio.value is None:
        note = "нет данных: доля вне 0–100 % — проверьте введённые числа"
    return _value(d, None, ratio, previous, school.targets, thresholds, year, note)


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
    note: str = "",
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
        note=note,
    )
