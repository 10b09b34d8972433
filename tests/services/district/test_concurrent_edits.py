"""Two staff edit the same threshold or comment: the second save is refused, never lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from models.catalogue import Comparison
from services.app import Services
from services.core.errors import ChangedByOther
from services.district.thresholds import ThresholdDraft
from tests.services.district.staff_support import two_staff

SCHOOL = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def staff(template_db: Path, tmp_path: Path) -> Iterator[tuple[Services, Services]]:
    with two_staff(template_db, tmp_path) as pair:
        yield pair


def _draft(value: float, note: str = "", expected: str | None = None) -> ThresholdDraft:
    return ThresholdDraft(2025, "VPR_FAIL", Comparison.GT, value, note, expected=expected)


def test_second_save_of_a_threshold_is_refused_with_both_versions(
    staff: tuple[Services, Services],
) -> None:
    a, b = staff
    a.thresholds.save(_draft(20))
    seen_by_a = a.thresholds.for_year(2025)[0]
    seen_by_b = b.thresholds.for_year(2025)[0]  # both editors open the same version
    a.thresholds.save(_draft(25, "решение совещания", expected=seen_by_a.hlc))
    with pytest.raises(ChangedByOther) as caught:
        b.thresholds.save(_draft(30, "по письму", expected=seen_by_b.hlc))
    err = caught.value
    assert str(err).startswith("Изменено другим сотрудником: порог «Доля отметок «2» по ВПР»")
    assert err.theirs == "> 25 %; решение совещания"
    assert err.yours == "> 30 %; по письму"
    stored = b.thresholds.for_year(2025)[0]
    assert (stored.value, stored.note) == (25, "решение совещания")  # A's save stands
    assert err.stamp == stored.hlc
    # B keeps theirs: saving over the version now stored succeeds.
    b.thresholds.save(_draft(30, "по письму", expected=err.stamp))
    assert a.thresholds.for_year(2025)[0].value == 30


def test_two_staff_adding_the_same_threshold(staff: tuple[Services, Services]) -> None:
    a, b = staff
    a.thresholds.save(_draft(20, expected=""))  # neither saw one for this indicator
    with pytest.raises(ChangedByOther) as caught:
        b.thresholds.save(_draft(35, expected=""))
    assert caught.value.theirs == "> 20 %"
    assert b.thresholds.for_year(2025)[0].value == 20


def test_threshold_removed_by_the_other(staff: tuple[Services, Services]) -> None:
    a, b = staff
    item = a.thresholds.save(_draft(20))
    b.thresholds.delete(item.id)
    with pytest.raises(ChangedByOther) as caught:
        a.thresholds.save(_draft(22, expected=item.hlc))
    assert caught.value.removed and caught.value.theirs == "порог удалён"
    assert a.thresholds.for_year(2025) == []
    a.thresholds.save(_draft(22, expected=caught.value.stamp))  # keep mine: restored
    assert [t.value for t in b.thresholds.for_year(2025)] == [22]


def test_second_save_of_a_comment_is_refused_with_both_versions(
    staff: tuple[Services, Services],
) -> None:
    a, b = staff
    comment = a.registry.add_comment(SCHOOL, "site", SCHOOL, "Проверьте сроки")
    seen_by_b = b.registry.comments(SCHOOL)[0]
    a.registry.edit_comment(comment.id, "Проверьте сроки по разделу 2", comment.hlc)
    with pytest.raises(ChangedByOther) as caught:
        b.registry.edit_comment(comment.id, "Сроки в порядке", seen_by_b.hlc)
    assert (caught.value.theirs, caught.value.yours) == (
        "Проверьте сроки по разделу 2",
        "Сроки в порядке",
    )
    assert [c.text for c in a.registry.comments(SCHOOL)] == ["Проверьте сроки по разделу 2"]
    b.registry.edit_comment(comment.id, "Сроки в порядке", caught.value.stamp)
    assert [c.text for c in a.registry.comments(SCHOOL)] == ["Сроки в порядке"]


def test_comment_deleted_by_the_other(staff: tuple[Services, Services]) -> None:
    a, b = staff
    comment = a.registry.add_comment(SCHOOL, "site", SCHOOL, "Проверьте сроки")
    b.registry.delete_comment(comment.id)
    with pytest.raises(ChangedByOther) as caught:
        a.registry.edit_comment(comment.id, "Исправлено", comment.hlc)
    assert caught.value.removed
    assert a.registry.comments(SCHOOL) == []


def test_a_colleagues_save_between_reading_and_writing(
    staff: tuple[Services, Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    """B commits while A's save is reading: A is shown B's version, not the one it had read."""
    from services.district import thresholds as thresholds_module

    a, b = staff
    seen = a.thresholds.save(_draft(20))
    real = thresholds_module._row_for

    def row_for_then_colleague(s: Any, year: int, key: str) -> Any:
        row = real(s, year, key)
        monkeypatch.setattr(thresholds_module, "_row_for", real)
        b.thresholds.save(_draft(25, "коллеги"))  # committed while A's read is open
        return row

    monkeypatch.setattr(thresholds_module, "_row_for", row_for_then_colleague)
    with pytest.raises(ChangedByOther) as caught:
        a.thresholds.save(_draft(30, expected=seen.hlc))
    assert caught.value.theirs == "> 25 %; коллеги"
