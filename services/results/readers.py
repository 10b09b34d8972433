"""Readers of the results tables a workbook may hold (see `results_import`).

Each reader turns one located table into entries, each with the sheet and row it came from, and
adds a located error for every cell it cannot read; none of them writes anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from models.results import ExamKind
from services.documents.xlsx import MAX_NUMBER, CellError, out_of_range
from services.results.demo import split
from services.results.fisoko import (
    Grid,
    Header,
    classify,
    find_subject,
    normalise,
    row_class_label,
    row_login,
    title_context,
    to_number,
)
from services.results.rules import (
    EXAM_TITLES,
    LEVEL_TITLES,
    OPTIONAL_COUNTS,
    PROGRESSION_COUNTS,
    GiaEntry,
    ProgressionEntry,
    VprEntry,
)

VprKey = tuple[int, int, str, str]  # year, grade, class label, subject
EXAMS = {normalise(t): k for k, t in EXAM_TITLES.items()} | {k.value.lower(): k for k in ExamKind}
LEVELS = {normalise(t): k for k, t in LEVEL_TITLES.items()} | {
    normalise(k): k for k in LEVEL_TITLES
}
PERCENT_TOLERANCE = 1.5


@dataclass(slots=True)
class Located:
    """An entry with where it came from, to point at the cell of each problem."""

    entry: Any
    sheet: str
    row: int
    titles: dict[str, str]


@dataclass(slots=True)
class Objectivity:
    key: VprKey
    lowered: int
    confirmed: int
    raised: int
    total: int
    sheet: str
    row: int


@dataclass(slots=True)
class Reading:
    vpr: dict[VprKey, Located] = field(default_factory=dict)
    objectivity: list[Objectivity] = field(default_factory=list)
    gia: list[Located] = field(default_factory=list)
    progression: list[Located] = field(default_factory=list)
    assessment: list[Located] = field(default_factory=list)  # the year's marks by class
    errors: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    without_objectivity: set[VprKey] = field(default_factory=set)  # sheet had no such columns
    logins: set[str] = field(default_factory=set)  # the ФИС ОКО logins of the school rows read

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.errors.append(CellError(sheet, row, column, message))


class Cells:
    """Reads typed values of one data row, collecting located errors."""

    def __init__(self, grid: Grid, header: Header, row: int, reading: Reading) -> None:
        self.grid, self.header, self.row, self.reading = grid, header, row, reading

    def raw(self, name: str) -> Any:
        col = self.header.columns.get(name)
        return None if col is None else self.grid.value(self.row, col)

    def fail(self, name: str, message: str) -> None:
        column = self.header.titles.get(name, "—")
        self.reading.error(self.grid.title, self.row, column, message)

    def number(self, name: str, *, whole: bool = True, required: bool = True) -> float | None:
        raw = self.raw(name)
        value = to_number(raw)
        if value is None:
            if raw is not None and str(raw).strip():
                self.fail(name, f"«{raw}» — не число")
            elif required:
                self.fail(name, "пустая ячейка: впишите число (0, если таких нет)")
            return None
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            self.fail(name, out_of_range(raw))
            return None
        if value < 0:
            self.fail(name, "число не может быть отрицательным")
            return None
        if whole and not value.is_integer():
            self.fail(name, f"«{raw}» — нужно целое число")
            return None
        return value

    def count(self, name: str, *, required: bool = True) -> int | None:
        value = self.number(name, required=required)
        return None if value is None else int(value)

    def text(self, name: str) -> str:
        col = self.header.columns.get(name)
        return "" if col is None else self.grid.text(self.row, col)


def data_rows(grid: Grid, header: Header, key_field: str) -> list[int]:
    """Rows below the header with something in the `key_field` column."""
    col = header.columns[key_field]
    return [
        r
        for r in range(header.row + 1, len(grid.rows) + 1)
        if grid.text(r, col) or any(grid.text(r, c) for c in header.columns.values())
    ]


# -- ВПР: statistics of marks (template sheet or ФИС ОКО report) ------------------------------

VPR_FIELDS = ("participants", "n2", "n3", "n4", "n5")


def read_vpr_stats(grid: Grid, header: Header, reading: Reading) -> None:
    context = title_context(grid, header.row)
    per_row = {"year", "grade", "subject"} <= set(header.columns)
    rows = data_rows(grid, header, "participants")
    if not per_row:
        rows = _school_rows(grid, header, rows, reading)
        for name, value in (
            ("subject", context.subject),
            ("grade", context.grade),
            ("year", context.year),
        ):
            if value is None:
                what = {"subject": "предмет", "grade": "класс", "year": "год"}[name]
                reading.error(
                    grid.title,
                    header.row,
                    "—",
                    f"не найден {what}: укажите его в "
                    "названии листа, например «Математика 5 класс 2025»",
                )
        if reading.errors and any(e.sheet == grid.title for e in reading.errors):
            return
    for r in rows:
        entry = _vpr_row(Cells(grid, header, r, reading), header, context, per_row)
        if entry is None:
            continue
        key = (entry.year, entry.grade, entry.class_label, entry.subject)
        if key in reading.vpr:
            previous = reading.vpr[key]
            reading.error(
                grid.title,
                r,
                header.titles.get("subject", "—"),
                f"повтор: те же класс и предмет уже есть (лист «{previous.sheet}», "
                f"строка {previous.row})",
            )
            continue
        reading.vpr[key] = Located(entry, grid.title, r, header.titles)
        if not {"lowered", "confirmed", "raised"} & set(header.columns):
            reading.without_objectivity.add(key)


def _school_rows(grid: Grid, header: Header, rows: list[int], reading: Reading) -> list[int]:
    """In a ФИС ОКО report: the school's row (by its login) and the class rows under it."""
    logins = {r: row_login(grid, r) for r in rows}
    found = {x for x in logins.values() if x}
    if len(found) > 1:
        reading.error(
            grid.title,
            rows[0],
            "—",
            "в отчёте несколько школ ("
            + ", ".join(sorted(found))
            + "): выгрузите отчёт своей школы",
        )
        return []
    if not found:
        if len(rows) == 1:
            return rows
        reading.error(
            grid.title,
            header.row + 1,
            "—",
            "не найдена строка школы: в отчёте ФИС ОКО она подписана логином вида sch123456",
        )
        return []
    reading.logins |= {x.lower() for x in found}
    start = next(r for r in rows if logins[r])
    taken = [start]
    skip = set(header.columns.values())
    for r in rows[rows.index(start) + 1 :]:
        if row_class_label(grid, r, skip) is None:
            break
        taken.append(r)
    return taken


def _vpr_row(cells: Cells, header: Header, context: Any, per_row: bool) -> VprEntry | None:
    errors_before = len(cells.reading.errors)
    class_label = ""
    if per_row:
        year, grade = cells.count("year"), cells.count("grade")
        subject = find_subject(cells.text("subject")) or cells.text("subject")
        class_label = cells.text("class_label").upper().replace(" ", "")
        if not subject:
            cells.fail("subject", "не указан предмет")
    else:
        year, grade, subject = context.year, context.grade, context.subject
        label = row_class_label(cells.grid, cells.row, set(header.columns.values()))
        if label is not None:
            grade, class_label = label
    participants = cells.count("participants")
    marks = _marks(cells, header, participants)
    objectivity = [cells.count(n, required=False) for n in ("lowered", "confirmed", "raised")]
    if len(cells.reading.errors) > errors_before or participants is None or marks is None:
        return None
    assert year is not None and grade is not None and subject
    return VprEntry(
        year=year,
        grade=grade,
        subject=subject,
        participants=participants,
        n2=marks[0],
        n3=marks[1],
        n4=marks[2],
        n5=marks[3],
        class_label=class_label,
        lowered=objectivity[0],
        confirmed=objectivity[1],
        raised=objectivity[2],
    )


def _marks(cells: Cells, header: Header, participants: int | None) -> list[int] | None:
    if not header.percent:
        counts = [cells.count(n) for n in ("n2", "n3", "n4", "n5")]
        return None if any(c is None for c in counts) else [c or 0 for c in counts]
    shares = [cells.number(n, whole=False) for n in ("n2", "n3", "n4", "n5")]
    if participants is None or any(s is None for s in shares):
        return None
    total = sum(s or 0 for s in shares)
    if participants and abs(total - 100) > PERCENT_TOLERANCE:
        cells.fail("n2", f"проценты отметок «2»–«5» в сумме дают {total:g}, а не 100")
        return None
    return split(participants, [s or 0 for s in shares])


# -- ВПР: comparison with journal marks (ФИС ОКО «Сравнение отметок…») -------------------------

GROUPS = ("lowered", "confirmed", "raised", "total")


def read_objectivity(grid: Grid, header: Header, reading: Reading) -> None:
    context = title_context(grid, header.row)
    if context.subject is None or context.grade is None or context.year is None:
        reading.error(
            grid.title,
            header.row,
            "—",
            "не найдены предмет, класс или год: укажите "
            "их в названии листа, например «Математика 5 класс 2025»",
        )
        return
    block = _objectivity_block(grid, header, reading)
    if block is None:
        return
    counts: dict[str, int] = {}
    for name in GROUPS:
        row = block.get(name)
        if row is None:
            title = {
                "lowered": "Понизили",
                "confirmed": "Подтвердили",
                "raised": "Повысили",
                "total": "Всего",
            }[name]
            reading.error(
                grid.title, header.row + 1, header.titles["group"], f"нет строки «{title}»"
            )
            continue
        value = Cells(grid, header, row, reading).count("participants")
        if value is not None:
            counts[name] = value
    if len(counts) < len(GROUPS):
        return
    parts = counts["lowered"] + counts["confirmed"] + counts["raised"]
    if parts != counts["total"]:
        reading.error(
            grid.title,
            block["total"],
            header.titles["participants"],
            f"«Всего» ({counts['total']}) не равно сумме понизили + подтвердили + "
            f"повысили ({parts})",
        )
        return
    key = (context.year, context.grade, "", context.subject)
    reading.objectivity.append(
        Objectivity(
            key,
            counts["lowered"],
            counts["confirmed"],
            counts["raised"],
            counts["total"],
            grid.title,
            block["total"],
        )
    )


def _objectivity_block(grid: Grid, header: Header, reading: Reading) -> dict[str, int] | None:
    """Rows of «Понизили/Подтвердили/Повысили/Всего»: the school's block when there are several."""
    gcol = header.columns["group"]
    blocks: list[dict[str, int]] = []
    school_block: int | None = None
    for r in range(header.row + 1, len(grid.rows) + 1):
        if row_login(grid, r):
            school_block = len(blocks)
        label = normalise(grid.text(r, gcol))
        name = "total" if label.startswith("всего") else classify(grid.text(r, gcol))
        if name not in GROUPS:
            continue
        if name == "lowered" or not blocks:
            blocks.append({})
        blocks[-1][name] = r
    if len(blocks) == 1:
        return blocks[0]
    if blocks and school_block is not None and school_block < len(blocks):
        return blocks[school_block]
    message = (
        "в отчёте несколько школ: выгрузите отчёт своей школы"
        if blocks
        else "не найдены строки «Понизили», «Подтвердили», «Повысили»"
    )
    reading.error(grid.title, header.row + 1, header.titles["group"], message)
    return None


# -- ГИА and progression (template sheets) -----------------------------------------------------


def sheet_year(cells: Cells, fallback: int | None) -> int | None:
    """The row's «Год», else the year in the sheet's title (an error when neither)."""
    if "year" in cells.header.columns:
        return cells.count("year")
    if fallback is None:
        cells.fail("year", "не указан год: добавьте столбец «Год» или год в название листа")
    return fallback


def read_gia(grid: Grid, header: Header, reading: Reading) -> None:
    context = title_context(grid, header.row)
    for r in data_rows(grid, header, "subject"):
        cells = Cells(grid, header, r, reading)
        before = len(reading.errors)
        year = sheet_year(cells, context.year)
        exam = EXAMS.get(normalise(cells.text("exam")))
        if exam is None:
            cells.fail("exam", f"«{cells.text('exam')}» — укажите ОГЭ, ЕГЭ или ГВЭ")
        subject = find_subject(cells.text("subject")) or cells.text("subject")
        if not subject:
            cells.fail("subject", "не указан предмет")
        participants = cells.count("participants")
        below = cells.count("below_min", required=False) or 0
        high = cells.count("high_scorers", required=False) or 0
        mean = cells.number("mean_score", whole=False, required=False)
        if len(reading.errors) > before or year is None or exam is None or not subject:
            continue
        entry = GiaEntry(year, exam, subject, participants or 0, below, mean, high)
        reading.gia.append(Located(entry, grid.title, r, header.titles))


def read_progression(grid: Grid, header: Header, reading: Reading) -> None:
    context = title_context(grid, header.row)
    for r in data_rows(grid, header, "level"):
        cells = Cells(grid, header, r, reading)
        before = len(reading.errors)
        year = sheet_year(cells, context.year)
        level = LEVELS.get(normalise(cells.text("level")))
        if level is None:
            cells.fail("level", f"«{cells.text('level')}» — выберите уровень из списка")
        # The municipal inputs stay None (not entered) when blank; the others read as 0.
        counts: dict[str, Any] = {
            n: cells.count(n, required=n == "pupils")
            if n in OPTIONAL_COUNTS
            else cells.count(n, required=n == "pupils") or 0
            for n in PROGRESSION_COUNTS
        }
        if len(reading.errors) > before or year is None or level is None:
            continue
        entry = ProgressionEntry(year=year, level=level, **counts)
        reading.progression.append(Located(entry, grid.title, r, header.titles))
