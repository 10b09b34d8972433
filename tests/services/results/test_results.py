"""ResultsService: entry, consistency rules, import batches, demo."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from models import Role
from models.results import ExamKind, VprResult
from services.app import Services
from services.core.errors import Conflict, Invalid, NotFound
from services.results.demo import demo_years, split
from services.results.rules import GiaEntry, ProgressionEntry, TargetEntry, VprEntry
from services.results.service import ResultsBatch


def _vpr(**kw: object) -> VprEntry:
    base: dict[str, object] = dict(
        year=2025, grade=5, subject="Математика", participants=20, n2=2, n3=8, n4=7, n5=3
    )
    base.update(kw)
    return VprEntry(**base)  # type: ignore[arg-type]


def test_save_and_list_vpr(school: Services) -> None:
    saved = school.results.save_vpr(_vpr(lowered=3, confirmed=15, raised=2))
    assert saved.id
    assert school.results.vpr(2025) == [saved]
    assert school.results.vpr(2024) == []
    assert school.results.years() == [2025]


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        (_vpr(n2=3), "сумма отметок «2»–«5» (21) не равна числу участников (20)"),
        (_vpr(n3=-1, n2=3), "не может быть отрицательным"),
        (_vpr(lowered=2, confirmed=10, raised=2), "понизили + подтвердили + повысили (14)"),
        (_vpr(lowered=2), "заполните все три числа"),
        (_vpr(grade=3), "ВПР пишут в 4–11 классах"),
        (_vpr(subject="  "), "не указан предмет"),
        (_vpr(year=1999), "год 1999"),
    ],
)
def test_vpr_consistency_rules(school: Services, entry: VprEntry, fragment: str) -> None:
    with pytest.raises(Invalid) as err:
        school.results.save_vpr(entry)
    assert fragment in str(err.value)
    assert "Строка не сохранена" in str(err.value)
    assert school.results.vpr(entry.year) == []


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        (GiaEntry(2025, ExamKind.EGE, "Химия", 5, below_min=6), "ниже минимума (6) больше"),
        (GiaEntry(2025, ExamKind.EGE, "Химия", 5, high_scorers=6), "80–100 баллов (6)"),
        (GiaEntry(2025, ExamKind.EGE, "Химия", 5, 3, None, 3), "вместе больше"),
        (GiaEntry(2025, ExamKind.EGE, "Химия", 5, mean_score=101), "от 0 до 100"),
        (GiaEntry(2025, ExamKind.OGE, "Химия", 0, mean_score=3.5), "участников нет"),
    ],
)
def test_gia_rules(school: Services, entry: GiaEntry, fragment: str) -> None:
    with pytest.raises(Invalid, match=re.escape(fragment)):
        school.results.save_gia(entry)


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        (ProgressionEntry(2025, "all", pupils=10, repeaters=6, conditionally_promoted=5), "вместе"),
        (ProgressionEntry(2025, "5-9", graduates_9=10, certificates_9=11), "аттестатов 9 кл."),
        (ProgressionEntry(2025, "10-11", graduates_11=5, certificates_11=6), "аттестатов 11"),
        (ProgressionEntry(2025, "10-11", graduates_11=5, certificates_11=3, medals=4), "медалист"),
        (ProgressionEntry(2025, "5-11"), "не из списка"),
    ],
)
def test_progression_rules(school: Services, entry: ProgressionEntry, fragment: str) -> None:
    with pytest.raises(Invalid, match=re.escape(fragment)):
        school.results.save_progression(entry)


def test_target_rules(school: Services) -> None:
    saved = school.results.save_target(TargetEntry(2025, "VPR_FAIL|Математика", 20.0, 12.5))
    assert school.results.targets(2025) == [saved]
    with pytest.raises(Invalid, match="нет в справочнике"):
        school.results.save_target(TargetEntry(2025, "NOPE", None, 1.0))
    with pytest.raises(Invalid, match="от 0 до 100"):
        school.results.save_target(TargetEntry(2025, "REPEATERS", None, 120.0))


def test_duplicate_key_conflicts_and_edit_moves_row(school: Services) -> None:
    first = school.results.save_vpr(_vpr())
    with pytest.raises(Conflict, match="такая строка за 2025 год уже есть"):
        school.results.save_vpr(_vpr(n2=1, n3=9))
    # editing the same row by id updates it in place
    updated = school.results.save_vpr(_vpr(n2=1, n3=9, id=first.id))
    assert updated.id == first.id and updated.n2 == 1
    # changing the subject moves the row: the old id becomes a tombstone
    moved = school.results.save_vpr(_vpr(subject="Русский язык", id=first.id))
    assert moved.id != first.id
    assert [e.subject for e in school.results.vpr(2025)] == ["Русский язык"]
    with school.db.session() as s:
        old = s.get(VprResult, first.id)
        assert old is not None and old.deleted


def test_delete_is_a_tombstone_and_resave_revives(school: Services) -> None:
    saved = school.results.save_vpr(_vpr())
    school.results.delete_vpr(saved.id)
    assert school.results.vpr(2025) == []
    with pytest.raises(NotFound):
        school.results.delete_vpr(saved.id)
    revived = school.results.save_vpr(_vpr())
    assert revived.id == saved.id
    with school.db.session() as s:
        assert len(s.exec(select(VprResult)).all()) == 1


def _batch() -> ResultsBatch:
    return ResultsBatch(
        vpr=[_vpr(), _vpr(grade=6, subject="Русский язык")],
        gia=[GiaEntry(2025, ExamKind.OGE, "Математика", 20, 2, 3.4)],
        progression=[ProgressionEntry(2025, "all", pupils=200, repeaters=2)],
    )


def test_apply_batch_is_idempotent(school: Services) -> None:
    counts = school.results.apply_batch(_batch())
    assert (counts.new, counts.updated, counts.unchanged) == (4, 0, 0)
    before = school.db.change_count
    again = school.results.apply_batch(_batch())
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    assert school.db.change_count == before


def test_apply_batch_replace_tombstones_missing_rows_of_same_years(school: Services) -> None:
    school.results.apply_batch(_batch())
    school.results.save_vpr(_vpr(year=2024))
    smaller = ResultsBatch(vpr=[_vpr(n2=1, n3=9)])
    counts = school.results.apply_batch(smaller, replace=True)
    assert (counts.updated, counts.deleted) == (1, 1)
    assert [(e.grade, e.n2) for e in school.results.vpr(2025)] == [(5, 1)]
    assert len(school.results.vpr(2024)) == 1  # another year is untouched
    assert len(school.results.gia(2025)) == 1  # a kind absent from the file is untouched


def test_apply_batch_refuses_everything_on_one_bad_row(school: Services) -> None:
    bad = _batch()
    bad.vpr.append(_vpr(grade=7, n2=5))
    with pytest.raises(Invalid):
        school.results.apply_batch(bad)
    assert school.results.years() == []
    dup = _batch()
    dup.vpr.append(_vpr())
    with pytest.raises(Invalid, match="повторяется"):
        school.results.apply_batch(dup)
    assert school.results.years() == []


def test_split_adds_up() -> None:
    assert split(25, (8.4, 29.9, 44.5, 17.3)) == [2, 8, 11, 4]
    assert sum(split(7, (1, 1, 1))) == 7
    assert split(0, (1, 2)) == [0, 0]


def test_demo_three_consistent_years(school: Services) -> None:
    line = school.results.fill_demo(Role.SCHOOL)
    years = demo_years(date.today())
    assert str(years[0]) in line
    assert school.results.years() == sorted(years, reverse=True)
    for year in years:
        assert len(school.results.vpr(year)) == 15
        assert school.results.gia(year) and len(school.results.progression(year)) == 3
    latest = {v.key: v for v in school.results.indicators(years[-1])}
    first = {v.key: v for v in school.results.indicators(years[0])}
    for code in ("VPR_FAIL", "VPR_QUALITY", "VPR_OBJECTIVITY", "CERT_9_11", "REPEATERS"):
        assert latest[code].ratio.value is not None
    # the demo school improves: fewer «2», more confirmed marks
    assert latest["VPR_FAIL"].ratio.value < first["VPR_FAIL"].ratio.value  # type: ignore[operator]
    assert latest["VPR_OBJECTIVITY"].improved is True
    assert latest["VPR_FAIL"].target == 15.0
    assert latest["VPR_FAIL"].baseline == round(first["VPR_FAIL"].ratio.value or 0, 1)
    history = school.results.history(years[-1], span=3)
    assert [y for y, _ in history["VPR_FAIL"]] == years
    assert all(v is not None for _, v in history["VPR_FAIL"])


def test_demo_district_adds_nothing(district: Services) -> None:
    assert "управления" in district.results.fill_demo(Role.DISTRICT)
    assert district.results.years() == []
