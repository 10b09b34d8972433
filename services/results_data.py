"""One year of a school's results rows, summed the way the indicators need them.

ВПР may be entered for a whole grade (class «») or per class; when a grade and subject has a
whole-grade row, its class rows are not added again (no double counting). Progression likewise:
a «Вся школа» row wins over per-level rows.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from models.results import ExamKind, GiaResult, Progression, VprResult
from services.sql_select import columns, fetch, table_columns

ALL_LEVELS = "all"
VPR_FIELDS = ("participants", "n2", "n3", "n4", "n5", "lowered", "confirmed", "raised")
PROGRESSION_FIELDS = (
    "pupils",
    "repeaters",
    "conditionally_promoted",
    "graduates_9",
    "certificates_9",
    "graduates_11",
    "certificates_11",
    "medals",
)


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
    _total: tuple[int, VprStats] | None = field(default=None, repr=False, compare=False)

    def vpr_total(self) -> VprStats:
        """The sums over every subject (kept while no subject is added; do not change it)."""
        if self._total is not None and self._total[0] == len(self.vpr):
            return self._total[1]
        total = VprStats()
        for stats in self.vpr.values():
            total.add(stats)
        self._total = (len(self.vpr), total)
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
    return load_year_data_many(session, [owner], [year])[owner][year]


def load_year_data_many(
    session: Session, owners: Collection[str] | None, years: Collection[int]
) -> dict[str, dict[int, YearData]]:
    """`load_year_data` of many schools and years at once: {owner: {year: YearData}}.

    A few GROUP BY queries read every school's rows (`owners` None: every owner in the database);
    each owner asked for gets every year asked for, empty when it has no rows.
    """
    wanted = list(years)
    result: dict[str, dict[int, YearData]] = {}

    def year_data(owner: str, year: int) -> YearData:
        per_owner = result.setdefault(owner, {})
        return per_owner.setdefault(year, YearData(year))

    for owner in owners or ():
        for year in wanted:
            year_data(owner, year)
    mixed: set[tuple[str, int, str]] = set()
    for owner, year, subject, whole_rows, class_rows, *sums in fetch(
        session, _vpr_sums(owners, wanted)
    ):
        if whole_rows and class_rows:
            mixed.add((owner, year, subject))
        else:
            year_data(owner, year).vpr[subject] = VprStats(*(int(x or 0) for x in sums))
    if mixed:
        for (owner, year, subject), stats in _mixed_vpr(session, mixed).items():
            year_data(owner, year).vpr[subject] = stats
    for owner, year, exam, *sums in fetch(session, _gia_sums(owners, wanted)):
        participants, below_min, high = (int(x or 0) for x in sums)
        year_data(owner, year).gia[ExamKind(exam).value] = GiaStats(participants, below_min, high)
    levels: dict[tuple[str, int], dict[bool, ProgressionTotals]] = {}
    for owner, year, whole, *sums in fetch(session, _progression_sums(owners, wanted)):
        totals = ProgressionTotals(*(int(x or 0) for x in sums))
        levels.setdefault((owner, year), {})[bool(whole)] = totals
    for (owner, year), by_kind in levels.items():
        year_data(owner, year).progression = by_kind.get(True) or by_kind[False]
    return result


def _live(c: Any, owners: Collection[str] | None, years: list[int]) -> list[Any]:
    """Live rows of `years` (and `owners`): by the year index for everyone, else by owner.

    `year + 0` keeps SQLite from reading every school's rows of the year through the year
    index when only a few schools are wanted (their rows are found by the owner index).
    """
    if owners is None:
        return [c.deleted.is_(False), c.year.in_(years)]
    return [c.deleted.is_(False), (c.year + 0).in_(years), c.owner.in_(list(owners))]


def _vpr_sums(owners: Collection[str] | None, years: list[int]) -> Any:
    """Sums per owner, year and subject, with the numbers of whole-grade and of class rows."""
    v = table_columns(VprResult)
    whole = func.coalesce(v.class_label, "") == ""
    return (
        columns(
            v.owner,
            v.year,
            v.subject,
            func.sum(case((whole, 1), else_=0)),
            func.sum(case((whole, 0), else_=1)),
            *(func.sum(v[name]) for name in VPR_FIELDS),
        )
        .where(*_live(v, owners, years))
        .group_by(v.owner, v.year, v.subject)
    )


def _mixed_vpr(session: Session, keys: set[tuple[str, int, str]]) -> dict[Any, VprStats]:
    """Subjects with both whole-grade and class rows: a grade's whole row wins over its classes.

    Rare (a school enters a subject one way), so these few rows are summed here one by one.
    """
    owners, years, subjects = (sorted({k[i] for k in keys}) for i in range(3))
    rows = session.exec(
        select(VprResult).where(
            col(VprResult.owner).in_(owners),
            col(VprResult.year).in_(years),
            col(VprResult.subject).in_(subjects),
            col(VprResult.deleted).is_(False),
        )
    ).all()
    rows = [r for r in rows if (r.owner, r.year, r.subject) in keys]
    whole = {(r.owner, r.year, r.grade, r.subject) for r in rows if not r.class_label}
    sums: dict[Any, VprStats] = {}
    for r in rows:
        if r.class_label and (r.owner, r.year, r.grade, r.subject) in whole:
            continue
        sums.setdefault((r.owner, r.year, r.subject), VprStats()).add(r)
    return sums


def _gia_sums(owners: Collection[str] | None, years: list[int]) -> Any:
    g = table_columns(GiaResult)
    return (
        columns(
            g.owner,
            g.year,
            g.exam,
            func.sum(g.participants),
            func.sum(g.below_min),
            func.sum(g.high_scorers),
        )
        .where(*_live(g, owners, years))
        .group_by(g.owner, g.year, g.exam)
    )


def _progression_sums(owners: Collection[str] | None, years: list[int]) -> Any:
    """Sums per owner and year of the «Вся школа» rows and of the per-level rows, apart."""
    p = table_columns(Progression)
    whole = p.level == ALL_LEVELS
    return (
        columns(p.owner, p.year, whole, *(func.sum(p[name]) for name in PROGRESSION_FIELDS))
        .where(*_live(p, owners, years))
        .group_by(p.owner, p.year, whole)
    )
