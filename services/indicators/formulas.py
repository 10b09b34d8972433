"""The formulas of the computed indicators over one year's rows, keyed by indicator code.

A formula gives a `Ratio`; the catalogue names the indicator, the code here computes it, so a
catalogue entry whose code has no formula is not shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.core.ratio import Ratio
from services.results.data import YearData

NO_RATIO = Ratio(0, 0)

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
