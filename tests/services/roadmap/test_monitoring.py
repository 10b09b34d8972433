"""Monitoring of a roadmap by period: the boundaries of half-years and years, counts, printouts."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from models.roadmap import ItemStatus, RoadmapBase
from services.app import Services
from services.core.errors import Invalid
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec
from services.roadmap import OccurrenceFields
from services.roadmap.monitoring import parse_period, period_report, resolve_period
from services.roadmap.queries import RoadmapRead
from services.roadmap.service import ItemFields


def _roadmap(start: date, end: date) -> RoadmapRead:
    return RoadmapRead(id="r", owner="o", title="План", period_start=start, period_end=end)


SCHOOL = _roadmap(date(2023, 9, 1), date(2026, 8, 31))
CALENDAR = _roadmap(date(2024, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("text", "roadmap", "start", "end"),
    [
        ("2024-H1", SCHOOL, date(2024, 9, 1), date(2025, 2, 28)),  # September–February
        ("2023-H1", SCHOOL, date(2023, 9, 1), date(2024, 2, 29)),  # a leap February
        ("2024-H2", SCHOOL, date(2025, 3, 1), date(2025, 8, 31)),  # March–August
        ("2024/25-H2", CALENDAR, date(2025, 3, 1), date(2025, 8, 31)),
        ("2024", SCHOOL, date(2024, 9, 1), date(2025, 8, 31)),  # the school year, as the plan
        ("2024", CALENDAR, date(2024, 1, 1), date(2024, 12, 31)),  # the calendar year
        ("2024/25", CALENDAR, date(2024, 9, 1), date(2025, 8, 31)),  # always the school year
    ],
)
def test_period_boundaries(text: str, roadmap: RoadmapRead, start: date, end: date) -> None:
    period = resolve_period(parse_period(text), roadmap)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2024-H3", "2024/26", "24", "весна", "2024-2025", "1999"])
def test_a_period_it_cannot_read_is_refused_in_russian(text: str) -> None:
    with pytest.raises(Invalid, match=r"не понят.*2025-H1"):
        parse_period(text)


def test_a_period_outside_the_roadmap_is_refused() -> None:
    with pytest.raises(Invalid, match="не пересекается с периодом дорожной карты"):
        resolve_period(parse_period("2030"), SCHOOL)


def _fill(school: Services) -> str:
    rid = school.roadmap.save_roadmap(
        RoadmapBase(title="Программа", period_start=date(2023, 9, 1), period_end=date(2026, 8, 31))
    )
    top = school.roadmap.add_section(rid, "Механизмы реализации", number="I", task="условия")
    sub = school.roadmap.add_section(rid, "Система оценки", parent_id=top, number="1")
    yearly = school.roadmap.add_item(rid, sub, ItemFields("Анализ ГИА", "Август ежегодно"))
    twice = school.roadmap.add_item(rid, sub, ItemFields("Мониторинг", "2 раза в год"))
    items = {i.id: i for i in school.roadmap.items(rid)}
    aug24, aug25 = items[yearly].occurrences[:2]
    school.roadmap.update_occurrence(aug24.id, OccurrenceFields(ItemStatus.DONE, date(2024, 8, 20)))
    school.roadmap.update_occurrence(aug25.id, OccurrenceFields(ItemStatus.DONE, date(2025, 9, 5)))
    dec24 = next(o for o in items[twice].occurrences if o.label == "декабрь 2024")
    school.roadmap.update_occurrence(dec24.id, OccurrenceFields(ItemStatus.CANCELLED))
    return rid


def test_due_and_done_in_a_half_year_count_occurrences(school: Services) -> None:
    rid = _fill(school)
    roadmap = school.roadmap.get(rid)
    items = school.roadmap.items(rid)
    h2 = period_report(items, resolve_period(parse_period("2024-H2"), roadmap), date(2026, 1, 1))
    assert [r.occurrence.label for r in h2.due] == ["август 2025", "май 2025"]
    assert (h2.execution.numerator, h2.execution.denominator) == (1, 2)
    assert (h2.done_late, h2.overdue, h2.cancelled) == (1, 1, 0)
    h1 = period_report(items, resolve_period(parse_period("2025-H1"), roadmap), date(2026, 1, 1))
    # August 2025 was done on 05.09.2025: in this half-year, though due in the previous one
    assert [r.occurrence.label for r in h1.done_elsewhere] == ["август 2025"]
    year = period_report(items, resolve_period(parse_period("2024"), roadmap), date(2026, 1, 1))
    assert year.cancelled == 1 and year.execution.denominator == 2  # December 2024 left out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_of_a_period_and_the_plan_with_nested_sections(
    school: Services, tmp_path: Path
) -> None:
    _fill(school)
    out = tmp_path / "m.pdf"
    spec = get_spec("roadmap", school.site.profile().role, out)
    spec.render(school, out, DocOptions(monitoring=True, period="2024-H2"), NullProgress())
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "II полугодие 2024/25 учебного года (01.03.2025 – 31.08.2025)" in text
    assert "Сроков мероприятий в периоде: 2" in text and "50,0 %" in text
    assert "I. Механизмы реализации (условия)" in text and "1. Система оценки" in text
    assert "август 2025" in text and "май 2025" in text and "декабрь 2024" not in text
    plan = tmp_path / "p.pdf"
    spec.render(school, plan, DocOptions(), NullProgress())
    text = subprocess.run(["pdftotext", str(plan), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert "август 2024 — выполнено 20.08.2024; август 2025 — выполнено 05.09.2025" in flat


def test_xlsx_has_a_row_per_occurrence_with_real_dates(school: Services, tmp_path: Path) -> None:
    rid = _fill(school)
    out = tmp_path / "rm.xlsx"
    get_spec("roadmap", school.site.profile().role, out).render(
        school, out, DocOptions(), NullProgress()
    )
    ws = load_workbook(out)["По срокам"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    occurrences = sum(len(i.occurrences) for i in school.roadmap.items(rid))
    assert len(rows) == occurrences == 3 + 6
    first = rows[0]
    assert first[2:5] == ("Анализ ГИА", "Август ежегодно", "август 2024")
    start, end = first[5], first[6]
    assert isinstance(start, datetime) and isinstance(end, datetime)  # date cells, not text
    assert (start.date(), end.date(), first[8]) == (date(2024, 8, 1), date(2024, 8, 31),
                                                    "Выполнено")  # fmt: skip
    assert ws.auto_filter.ref is not None
