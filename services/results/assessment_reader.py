"""Reader of the «Итоги года по классам» sheet: the year's marks of each class and subject.

The counts are read; the two percentages after them are Опора's own computation (written as
values on export). A percentage left in the sheet must agree with the counts of its row: a
reader who edited one of them is told which, never silently overruled.
"""

from __future__ import annotations

from services.results.fisoko import Grid, Header, find_subject, title_context
from services.results.readers import Cells, Located, Reading, data_rows, sheet_year
from services.results.rules import AssessmentEntry
from services.results.xlsx import share

# A percentage is written to one decimal; anything further off was typed over.
SHARE_TOLERANCE = 0.051


def read_assessment(grid: Grid, header: Header, reading: Reading) -> None:
    context = title_context(grid, header.row)
    for r in data_rows(grid, header, "pupils"):
        cells = Cells(grid, header, r, reading)
        before = len(reading.errors)
        year = sheet_year(cells, context.year)
        grade = cells.count("grade")
        if grade is not None and grade not in range(1, 12):
            cells.fail("grade", f"класс {grade}: допустимы 1–11")
        subject = find_subject(cells.text("subject")) or cells.text("subject")
        if not subject:
            cells.fail("subject", "не указан предмет")
        pupils, achieved, quality = (cells.count(n) for n in ("pupils", "achieved", "quality"))
        if len(reading.errors) > before or year is None or grade is None:
            continue
        assert pupils is not None and achieved is not None and quality is not None
        _check_share(cells, "achieved_share", achieved, pupils)
        _check_share(cells, "quality_share", quality, pupils)
        label = cells.text("class_label").upper().replace(" ", "")
        entry = AssessmentEntry(year, grade, subject, pupils, achieved, quality, class_label=label)
        reading.assessment.append(Located(entry, grid.title, r, header.titles))


def _check_share(cells: Cells, name: str, part: int, whole: int) -> None:
    """A percentage in the sheet must be the one its counts give (or be left empty)."""
    if name not in cells.header.columns or cells.raw(name) in (None, ""):
        return
    typed = cells.number(name, whole=False, required=False)
    expected = share(part, whole)
    if typed is None:
        return
    if expected is None:
        cells.fail(name, "обучающихся 0: процент не считается — очистите ячейку")
    elif abs(typed - expected) > SHARE_TOLERANCE:
        cells.fail(
            name,
            f"{typed:g} % не совпадает с вычисленным по количествам ({expected:g} %): "
            "исправьте количества или очистите ячейку",
        )
