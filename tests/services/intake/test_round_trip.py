"""Import → export → import gives the same roadmap; the export carries the understood dates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from services.app import Services
from services.core.progress import NullProgress
from services.documents.registry import DocOptions, get_spec
from services.documents.spreadsheets import ImportMode, import_xlsx

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "intake"


def _snapshot(services: Services) -> tuple[object, ...]:
    roadmap = services.roadmap.current()
    assert roadmap is not None
    sections = services.roadmap.sections(roadmap.id)
    titles = {s.id: s.title for s in sections}
    items = [
        (titles.get(i.section_id or ""), i.number, i.title, i.deadline_text, i.start_date,
         i.end_date, i.deadline_understood, i.responsible, i.expected_result, i.status)
        for i in services.roadmap.items(roadmap.id)
    ]  # fmt: skip
    return (roadmap.period_start, roadmap.period_end, [s.title for s in sections], items)


@pytest.mark.parametrize("name", ["seed000.docx", "seed003.xlsx"])
def test_import_export_import_gives_the_same_roadmap(
    school: Services, tmp_path: Path, name: str
) -> None:
    import_xlsx(school, "roadmap", FIXTURES / name, ImportMode.ASK)
    before = _snapshot(school)
    out = tmp_path / "export.xlsx"
    get_spec("roadmap", school.site.profile().role, out).render(
        school, out, DocOptions(), NullProgress()
    )
    import_xlsx(school, "roadmap", out, ImportMode.REPLACE)
    assert _snapshot(school) == before


def test_the_export_has_start_and_end_as_date_cells_beside_the_wording(
    school: Services, tmp_path: Path
) -> None:
    import_xlsx(school, "roadmap", FIXTURES / "seed000.docx", ImportMode.ASK)
    out = tmp_path / "export.xlsx"
    get_spec("roadmap", school.site.profile().role, out).render(
        school, out, DocOptions(), NullProgress()
    )
    ws = load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    at = header.index("Сроки исполнения")
    assert header[at + 1 : at + 3] == ["Начало (как понято)", "Окончание (как понято)"]
    roadmap = school.roadmap.current()
    assert roadmap is not None
    by_title = {i.title: i for i in school.roadmap.items(roadmap.id)}
    checked = 0
    for row in ws.iter_rows(min_row=2):
        item = by_title.get(str(row[header.index("Мероприятие")].value or ""))
        if item is None or not item.deadline_understood or item.end_date is None:
            continue
        start, end = row[at + 1], row[at + 2]
        assert start.number_format == end.number_format == "DD.MM.YYYY"
        assert isinstance(start.value, datetime) and isinstance(end.value, datetime)
        assert (start.value.date(), end.value.date()) == (item.start_date, item.end_date)
        checked += 1
    assert checked == len(by_title)
