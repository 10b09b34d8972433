"""One year of a school's results rows, summed the way the indicators need them.

ВПР may be entered for a whole grade (class «») or per class; when a grade and subject has a
whole-grade row, its class rows are not added again (no double counting). Progression likewise:
a «Вся школа» row wins over per-level rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from models.results import ExamKind, GiaResult, Progression, VprResult

ALL_LEVELS = "all"


@dataclass(slots=True)
class VprStats:
    participants: int = 0
    n2: int = 0
    n3: int = 0
    n4: int = 0
    n5: int = 0
    lowered: int = 0
    confirmed: int = 0
    raised: int = 0

    def add(self, r: VprResult | VprStats) -> None:
        self.participants += r.participants
        self.n2 += r.n2
        self.n3 += r.n3
        self.n4 += r.n4
        self.n5 += r.n5
        self.lowered += r.lowered or 0
        self.confirmed += r.confirmed or 0
        self.raised += r.raised or 0


@dataclass(slots=True)
class GiaStats:
    participants: int = 0
    below_min: int = 0
    high_scorers: int = 0


@dataclass(slots=True)
class ProgressionTotals:
    pupils: int = 0
    repeaters: int = 0
    conditionally_promoted: int = 0
    graduates_9: int = 0
    certificates_9: int = 0
    graduates_11: int = 0
    certificates_11: int = 0
    medals: int = 0

    def add(self, p: Progression) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(p, name))


@dataclass(slots=True)
class YearData:
    year: int
    vpr: dict[str, VprStats] = field(default_factory=dict)  # subject -> sums
    gia: dict[str, GiaStats] = field(default_factory=dict)  # exam kind value -> sums
    progression: ProgressionTotals = field(default_factory=ProgressionTotals)

    def vpr_total(self) -> VprStats:
        total = VprStats()
        for stats in self.vpr.values():
            total.add(stats)
        return total

    def gia_total(self, exam: str | None) -> GiaStats:
        total = GiaStats()
        for kind, stats in self.gia.items():
            if exam is None or kind == exam:
                total.participants += stats.participants
                total.below_min += stats.below_min
                total.high_scorers += stats.high_scorers
        return total


def load_year_data(session: Session, owner: str, year: int) -> YearData:
    """The summed rows of `owner` for `year` (tombstones excluded)."""
    data = YearData(year)
    _load_vpr(session, owner, year, data)
    gia = session.exec(
        select(GiaResult)
        .where(GiaResult.owner == owner)
        .where(GiaResult.year == year)
        .where(col(GiaResult.deleted).is_(False))
    )
    for g in gia:
        stats = data.gia.setdefault(ExamKind(g.exam).value, GiaStats())
        stats.participants += g.participants
        stats.below_min += g.below_min
        stats.high_scorers += g.high_scorers
    _load_progression(session, owner, year, data)
    return data


def _load_vpr(session: Session, owner: str, year: int, data: YearData) -> None:
    rows = session.exec(
        select(VprResult)
        .where(VprResult.owner == owner)
        .where(VprResult.year == year)
        .where(col(VprResult.deleted).is_(False))
    ).all()
    whole = {(r.grade, r.subject) for r in rows if not r.class_label}
    for r in rows:
        if r.class_label and (r.grade, r.subject) in whole:
            continue
        data.vpr.setdefault(r.subject, VprStats()).add(r)


def _load_progression(session: Session, owner: str, year: int, data: YearData) -> None:
    rows = session.exec(
        select(Progression)
        .where(Progression.owner == owner)
        .where(Progression.year == year)
        .where(col(Progression.deleted).is_(False))
    ).all()
    whole = [p for p in rows if p.level == ALL_LEVELS]
    for p in whole or rows:
        data.progression.add(p)
