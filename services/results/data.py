"""One year of a school's results rows, summed the way the indicators need them.

ВПР may be entered for a whole grade (class «») or per class; when a grade and subject has a
whole-grade row, its class rows are not added again (no double counting). Progression likewise:
a «Вся школа» row wins over per-level rows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from models.results import ExamKind, Progression, VprResult
from services.core.sql_select import JSON_LIST, PerEngine, Scoped, as_json

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
    vpr_sum: VprStats | None = None  # the sums over every subject, read without `vpr`
    _total: tuple[int, VprStats] | None = field(default=None, repr=False, compare=False)

    def vpr_total(self) -> VprStats:
        """The sums over every subject (kept while no subject is added; do not change it)."""
        if self.vpr_sum is not None:
            return self.vpr_sum
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


# One place for the results area's SQL. Every statement reads live rows of the years of a JSON
# list; for everyone from the covering index ix_vpr_result_sums (year, owner, then the summed
# columns: the wide rows are not read), for a few owners by the owner index (`year + 0` keeps
# SQLite from reading every school's rows of the year through the year-first index).
_EVERYONE = " WHERE deleted = 0 AND year IN " + JSON_LIST
_SOME = " WHERE deleted = 0 AND year + 0 IN " + JSON_LIST + " AND owner IN " + JSON_LIST
_VPR_SUMS = (
    "SUM(class_label = ''), SUM(class_label <> ''), SUM(participants), SUM(n2), SUM(n3), "
    "SUM(n4), SUM(n5), SUM(lowered), SUM(confirmed), SUM(raised) FROM vpr_result"
)
# Sums per owner, year (and subject) with the numbers of whole-grade and of class rows.
VPR_BY_SUBJECT = Scoped(
    "SELECT owner, year, subject, " + _VPR_SUMS + _EVERYONE + " GROUP BY owner, year, subject",
    "SELECT owner, year, subject, " + _VPR_SUMS + _SOME + " GROUP BY owner, year, subject",
)
VPR_BY_YEAR = Scoped(
    "SELECT owner, year, " + _VPR_SUMS + _EVERYONE + " GROUP BY owner, year",
    "SELECT owner, year, " + _VPR_SUMS + _SOME + " GROUP BY owner, year",
)


def _with_keys(group: str) -> PerEngine:
    """The sums grouped by `group`, and the distinct (grade, class, subject) keys of the same rows.

    Rows: a flag (1: a key row), the `group` columns, the key, the sums; a key row has only the
    key, a sums row no key. The district formulas test their conditions once per key
    (`services.results.formula_data`). PostgreSQL finds both in one scan (GROUPING SETS); SQLite
    has no grouping sets, so its text adds the keys' own DISTINCT after the sums (two scans in
    one statement, numbered parameters bound to both).
    """
    nulls = ", ".join(["NULL"] * group.count(","))
    sums = "SELECT 0, " + group + ", NULL, NULL, NULL, " + _VPR_SUMS
    keys = f"SELECT 1, NULL, {nulls}, grade, class_label, subject, "
    keys += ", ".join(["NULL"] * _VPR_SUMS.count("SUM(")) + " FROM (SELECT DISTINCT "
    keys += "grade, class_label, subject FROM vpr_result"  # the key alone: a narrower sort

    def sqlite(where: str) -> str:
        numbered = where.replace(JSON_LIST, JSON_LIST.replace("?", "?1"), 1)
        numbered = numbered.replace(JSON_LIST, JSON_LIST.replace("?", "?2"), 1)
        return f"{sums}{numbered} GROUP BY {group} UNION ALL {keys}{numbered})"

    def postgres(where: str) -> str:
        return (
            f"SELECT GROUPING(owner), {group}, grade, class_label, subject, {_VPR_SUMS}{where} "
            f"GROUP BY GROUPING SETS (({group}), (grade, class_label, subject))"
        )

    return PerEngine(
        Scoped(sqlite(_EVERYONE), sqlite(_SOME)), Scoped(postgres(_EVERYONE), postgres(_SOME))
    )


VPR_BY_SUBJECT_KEYS = _with_keys("owner, year, subject")
VPR_BY_YEAR_KEYS = _with_keys("owner, year")
_GIA = (
    "SELECT owner, year, exam, SUM(participants), SUM(below_min), SUM(high_scorers) FROM gia_result"
)
GIA_SUMS = Scoped(
    _GIA + _EVERYONE + " GROUP BY owner, year, exam",
    _GIA + _SOME + " GROUP BY owner, year, exam",
)
# Sums per owner and year of the «Вся школа» rows and of the per-level rows, apart.
_PROGRESSION = (
    "SELECT owner, year, level = 'all' AS whole, SUM(pupils), SUM(repeaters), "
    "SUM(conditionally_promoted), SUM(graduates_9), SUM(certificates_9), SUM(graduates_11), "
    "SUM(certificates_11), SUM(medals) FROM progression"
)
PROGRESSION_SUMS = Scoped(
    _PROGRESSION + _EVERYONE + " GROUP BY owner, year, whole",
    _PROGRESSION + _SOME + " GROUP BY owner, year, whole",
)


def load_year_data_many(
    session: Session,
    owners: Collection[str] | None,
    years: Collection[int],
    *,
    subjects: bool = True,
    vpr_keys: set[tuple[Any, ...]] | None = None,
) -> dict[str, dict[int, YearData]]:
    """`load_year_data` of many schools and years at once: {owner: {year: YearData}}.

    A few GROUP BY queries read every school's rows (`owners` None: every owner in the database);
    each owner asked for gets every year asked for, empty when it has no rows. Without
    `subjects`, ВПР is summed per school and year only (`YearData.vpr` stays empty and
    `vpr_total` gives the sums): the cheaper read when no per-subject value is wanted. Into
    `vpr_keys` go the distinct (grade, class, subject) of the ВПР rows read, found by the same
    statement (the district formulas' conditions are tested on them).
    """
    wanted = list(years)
    result: dict[str, dict[int, YearData]] = {}

    def year_data(owner: str, year: int) -> YearData:
        per_owner = result.setdefault(owner, {})
        return per_owner.setdefault(year, YearData(year))

    for owner in owners or ():
        for year in wanted:
            year_data(owner, year)
    years_json = as_json(wanted)
    if subjects:
        _vpr_by_subject(session, owners, years_json, year_data, keys=vpr_keys)
    else:
        mixed: set[str] = set()
        for owner, year, whole_rows, class_rows, *sums in _vpr_rows(
            session, owners, years_json, False, vpr_keys
        ):
            if whole_rows and class_rows:  # maybe a grade entered both ways: see per subject
                mixed.add(owner)
            else:
                year_data(owner, year).vpr_sum = VprStats(*(int(x or 0) for x in sums))
        if mixed:
            _vpr_by_subject(session, sorted(mixed), years_json, year_data, totals_only=True)
    for owner, year, exam, *sums in GIA_SUMS.run(session, owners, years_json):
        participants, below_min, high = (int(x or 0) for x in sums)
        year_data(owner, year).gia[ExamKind(exam).value] = GiaStats(participants, below_min, high)
    levels: dict[tuple[str, int], dict[bool, ProgressionTotals]] = {}
    for owner, year, whole, *sums in PROGRESSION_SUMS.run(session, owners, years_json):
        totals = ProgressionTotals(*(int(x or 0) for x in sums))
        levels.setdefault((owner, year), {})[bool(whole)] = totals
    for (owner, year), by_kind in levels.items():
        year_data(owner, year).progression = by_kind.get(True) or by_kind[False]
    return result


def _vpr_by_subject(
    session: Session,
    owners: Collection[str] | None,
    years_json: str,
    year_data: Callable[[str, int], YearData],
    totals_only: bool = False,
    keys: set[tuple[Any, ...]] | None = None,
) -> None:
    """ВПР sums per subject into `year_data` (with `totals_only`: only their sum, per year)."""
    found: dict[tuple[str, int], dict[str, VprStats]] = {}
    mixed: set[tuple[str, int, str]] = set()
    for owner, year, subject, whole_rows, class_rows, *sums in _vpr_rows(
        session, owners, years_json, True, keys
    ):
        if whole_rows and class_rows:
            mixed.add((owner, year, subject))
        else:
            found.setdefault((owner, year), {})[subject] = VprStats(*(int(x or 0) for x in sums))
    if mixed:
        for (owner, year, subject), stats in _mixed_vpr(session, mixed).items():
            found.setdefault((owner, year), {})[subject] = stats
    for (owner, year), by_subject in found.items():
        data = year_data(owner, year)
        if totals_only:
            data.vpr_sum = _sum(by_subject.values())
        else:
            data.vpr.update(by_subject)


def _vpr_rows(
    session: Session,
    owners: Collection[str] | None,
    years_json: str,
    by_subject: bool,
    keys: set[tuple[Any, ...]] | None,
) -> list[tuple[Any, ...]]:
    """The rows of `VPR_BY_SUBJECT` or `VPR_BY_YEAR`; with `keys`, the rows' keys go into it."""
    if keys is None:
        return (VPR_BY_SUBJECT if by_subject else VPR_BY_YEAR).run(session, owners, years_json)
    width = 3 if by_subject else 2  # the grouping columns
    sums: list[tuple[Any, ...]] = []
    statement = VPR_BY_SUBJECT_KEYS if by_subject else VPR_BY_YEAR_KEYS
    for is_key, *row in statement.run(session, owners, years_json):
        if is_key:
            keys.add(tuple(row[width : width + 3]))
        else:
            sums.append((*row[:width], *row[width + 3 :]))
    return sums


def _sum(items: Iterable[VprStats]) -> VprStats:
    total = VprStats()
    for stats in items:
        total.add(stats)
    return total


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
