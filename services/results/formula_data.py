"""The results rows a district formula reads, for many schools and years at once.

`services.indicators.evaluate` sums them; this module only reads them, with the results area's
rule against double counting: a whole-grade row (class «») of a grade and subject (and period)
wins over its class rows, and a «Вся школа» progression row over the per-level rows. A progression
input that some summed row lacks (None) stays «не введено» for the school: never a partial sum.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from sqlmodel import Session

from services.core.sql_select import JSON_LIST, Scoped, as_json
from services.indicators.evaluate import ROW_KEY, FormulaInputs, Row
from services.indicators.names import SCALARS
from services.results.rules import EXAM_TITLES

_EVERYONE = " WHERE deleted = 0 AND year IN " + JSON_LIST
_SOME = " WHERE deleted = 0 AND year + 0 IN " + JSON_LIST + " AND owner IN " + JSON_LIST
_VPR = (
    "SELECT owner, year, grade, class_label, subject, participants, n2, n3, n4, n5, lowered, "
    "confirmed, raised FROM vpr_result"
)
_GIA = "SELECT owner, year, exam, subject, participants, below_min, high_scorers FROM gia_result"
_ASSESSMENT = (
    "SELECT owner, year, period, grade, class_label, subject, pupils, achieved, quality "
    "FROM assessment_result"
)
_PROGRESSION = f"SELECT owner, year, level, {', '.join(SCALARS)} FROM progression"
VPR_ROWS = Scoped(_VPR + _EVERYONE, _VPR + _SOME)
GIA_ROWS = Scoped(_GIA + _EVERYONE, _GIA + _SOME)
ASSESSMENT_ROWS = Scoped(_ASSESSMENT + _EVERYONE, _ASSESSMENT + _SOME)
PROGRESSION_ROWS = Scoped(_PROGRESSION + _EVERYONE, _PROGRESSION + _SOME)
EXAMS = {kind.name: title for kind, title in EXAM_TITLES.items()}

Key = tuple[str, int]  # owner, year


def load_formula_inputs(
    session: Session, owners: Collection[str] | None, years: Collection[int]
) -> dict[Key, FormulaInputs]:
    """{(owner, year): inputs} of every school and year that has any results row."""
    years_json = as_json(list(years))
    tables: dict[Key, dict[str, list[Row]]] = {}
    vpr = [_vpr_row(r) for r in VPR_ROWS.run(session, owners, years_json)]
    assessment = [_assessment_row(r) for r in ASSESSMENT_ROWS.run(session, owners, years_json)]
    for name, found in (
        ("vpr", _without_double_counts(vpr, ("grade", "subject"))),
        ("assessment", _without_double_counts(assessment, ("period", "grade", "subject"))),
        ("gia", [_gia_row(r) for r in GIA_ROWS.run(session, owners, years_json)]),
    ):
        for key, row in found:
            tables.setdefault(key, {}).setdefault(name, []).append(row)
    scalars = _scalars(PROGRESSION_ROWS.run(session, owners, years_json))
    return {
        key: FormulaInputs(scalars.get(key, {}), tables.get(key, {}))
        for key in set(tables) | set(scalars)
    }


def _vpr_row(r: Any) -> tuple[Key, Row]:
    owner, year, grade, label, subject, participants, n2, n3, n4, n5, low, same, high = r
    row = {
        "grade": grade,
        "class": label or "",
        "subject": subject,
        "participants": participants,
        "n2": n2,
        "n3": n3,
        "n4": n4,
        "n5": n5,
        "lowered": low,
        "confirmed": same,
        "raised": high,
        ROW_KEY: (grade, label or "", subject),
    }
    return (owner, int(year)), row


def _gia_row(r: Any) -> tuple[Key, Row]:
    owner, year, exam, subject, participants, below_min, high = r
    shown = EXAMS.get(exam, exam)
    row = {
        ROW_KEY: (shown, subject),
        "exam": shown,
        "subject": subject,
        "participants": participants,
        "below_min": below_min,
        "high_scorers": high,
    }
    return (owner, int(year)), row


def _assessment_row(r: Any) -> tuple[Key, Row]:
    owner, year, period, grade, label, subject, pupils, achieved, quality = r
    row = {
        ROW_KEY: (period, grade, label or "", subject),
        "period": period,
        "grade": grade,
        "class": label or "",
        "subject": subject,
        "pupils": pupils,
        "achieved": achieved,
        "quality": quality,
    }
    return (owner, int(year)), row


def _without_double_counts(
    rows: list[tuple[Key, Row]], group: tuple[str, ...]
) -> list[tuple[Key, Row]]:
    """Class rows of a group that also has a whole-grade row (class «») are left out."""
    if not any(row["class"] for _key, row in rows):
        return rows  # the usual case: whole grades only
    whole = {(key, *(row[g] for g in group)) for key, row in rows if not row["class"]}
    return [
        (key, row)
        for key, row in rows
        if not row["class"] or (key, *(row[g] for g in group)) not in whole
    ]


def _scalars(found: Iterable[Any]) -> dict[Key, dict[str, int | None]]:
    """The «Вся школа» row of each school and year, else the sum of its level rows."""
    by_key: dict[Key, dict[bool, list[tuple[Any, ...]]]] = {}
    for owner, year, level, *values in found:
        by_key.setdefault((owner, int(year)), {}).setdefault(level == "all", []).append(
            tuple(values)
        )
    result: dict[Key, dict[str, int | None]] = {}
    for key, kinds in by_key.items():
        chosen = kinds.get(True) or kinds[False]
        result[key] = {
            name: None if any(v[i] is None for v in chosen) else sum(int(v[i]) for v in chosen)
            for i, name in enumerate(SCALARS)
        }
    return result
