"""Finding tables in workbooks by header text: Опора's results template and ФИС ОКО reports.

ФИС ОКО reports (DOMAIN §3.1) vary in wording, order and abbreviations («Кол-во уч.», «Отм.»),
put titles and merged cells above the header, and may store numbers as text. Nothing here relies
on cell positions: a header row is the row whose labels (with the one or two rows above it, for
vertically merged cells) name the most known columns; subject, grade and year come from columns
when present, else from the title block above the header or the sheet name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from services.documents.xlsx import MAX_ROWS, too_many_rows
from services.results.rules import GIA_SUBJECTS, VPR_SUBJECTS

SCAN_ROWS = 30
MAX_SHEET_ROWS = MAX_ROWS  # a longer sheet is refused, never cut short
LOGIN = re.compile(r"\bsch\d{3,}\b", re.IGNORECASE)
CLASS_LABEL = re.compile(
    r"^\s*(\d{1,2})\s*[-–«\"'(]?\s*([А-ЯЁA-Z])\s*[»\"')]?\s*(?:класс|кл\.?)?\s*$", re.I
)

# (field, pattern on the normalised label), first match wins: order matters.
FIELD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("group", r"^групп"),
        ("achieved_share", r"^успеваемост"),
        ("quality_share", r"^качество"),
        ("achieved", r"^успева"),
        ("quality", r"^на4и5$"),
        ("gia9_admitted", r"^допущ\w*гиа9"),
        ("gia11_admitted", r"^допущ\w*гиа11"),
        ("gia9_no_fail", r"^гиа9без"),
        ("medal_claimants", r"^претенд\w*медал"),
        ("badge_claimants", r"^претенд\w*знак"),
        ("badge_recipients", r"^награжд\w*знак"),
        ("lowered", r"^пониз"),
        ("confirmed", r"^подтв"),
        ("raised", r"^повыс"),
        ("n2", r"^(отметка|отм|оценка)?2$"),
        ("n3", r"^(отметка|отм|оценка)?3$"),
        ("n4", r"^(отметка|отм|оценка)?4$"),
        ("n5", r"^(отметка|отм|оценка)?5$"),
        ("high_scorers", r"80.?100|высокобал"),
        ("below_min", r"нижемин|непреодол|неудовл|^(отметка|отм)?2и?нижемин"),
        ("mean_score", r"^средн"),
        ("exam", r"^(экзамен|формагиа|вид)"),
        ("repeaters", r"повторн|оставлен"),
        ("conditionally_promoted", r"условн"),
        ("graduates_9", r"^выпускн\w*9"),
        ("certificates_9", r"^аттестат\w*9"),
        ("graduates_11", r"^выпускн\w*11"),
        ("certificates_11", r"^аттестат\w*11"),
        ("medals", r"медал"),
        ("pupils", r"^(обучающ|учащ|контингент)"),
        ("level", r"^(уровень|ступень)"),
        ("participants", r"^(колво|количество|число|кол)(уч|участ)|^участник|^колво$|^всегоуч"),
        ("percent", r"^%$|^процент|^доля"),
        ("year", r"^(год|учебныйгод)$"),
        ("class_label", r"^(буква|литера)"),
        ("grade", r"^(класс|параллель|кл)$"),
        ("subject", r"^(предмет|учебныйпредмет)$"),
    )
)
SUBJECT_PREFIXES = (
    ("окр", "Окружающий мир"),
    ("рус", "Русский язык"),
    ("матем", "Математика"),
    ("ист", "История"),
    ("общ", "Обществознание"),
    ("геогр", "География"),
    ("биол", "Биология"),
    ("физ", "Физика"),
    ("хим", "Химия"),
    ("литер", "Литература"),
    ("информ", "Информатика"),
    ("англ", "Английский язык"),
    ("немец", "Немецкий язык"),
    ("франц", "Французский язык"),
)


def normalise(text: object) -> str:
    """Lower case, ё → е, without spaces and punctuation (keeps digits, letters and %)."""
    s = str(text).lower().replace("ё", "е")
    return re.sub(r"[^\w%]|_", "", s)


def classify(label: object) -> str | None:
    """The field a header label names, or None."""
    n = normalise(label)
    if not n:
        return None
    for name, pattern in FIELD_PATTERNS:
        if pattern.search(n):
            return name
    return None


@dataclass(slots=True)
class Grid:
    """The values of one visible sheet (row 1 is `rows[0]`)."""

    title: str
    rows: list[tuple[Any, ...]]

    def text(self, row: int, col: int) -> str:
        """Trimmed text of a cell by 1-based row and 0-based column ('' when empty)."""
        if row < 1 or row > len(self.rows):
            return ""
        values = self.rows[row - 1]
        if col >= len(values) or values[col] is None:
            return ""
        value = values[col]
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def value(self, row: int, col: int) -> Any:
        values = self.rows[row - 1]
        return values[col] if col < len(values) else None


@dataclass(slots=True)
class Header:
    row: int  # 1-based number of the (last) header row
    columns: dict[str, int]  # field -> 0-based column
    titles: dict[str, str]  # field -> header text as printed
    percent: bool  # the header block speaks of percentages


def load_grids(wb: Any) -> tuple[list[Grid], list[str]]:
    """Visible sheets as grids, and the names of hidden sheets (which are not read)."""
    grids: list[Grid] = []
    hidden: list[str] = []
    for ws in wb.worksheets:
        if getattr(ws, "sheet_state", "visible") != "visible":
            hidden.append(ws.title)
            continue
        rows: list[tuple[Any, ...]] = []
        source = ws.iter_rows(values_only=True)
        for values in source:
            rows.append(tuple(values))
            if len(rows) > MAX_SHEET_ROWS:
                raise too_many_rows(ws.title, len(rows), source, MAX_SHEET_ROWS)
        grids.append(Grid(ws.title, rows))
    return grids, hidden


def find_header(grid: Grid, required: Iterable[str]) -> Header | None:
    """The header row naming all `required` fields and the most others, or None."""
    need = set(required)
    best: Header | None = None
    for r in range(1, min(SCAN_ROWS, len(grid.rows)) + 1):
        width = max((len(grid.rows[i]) for i in range(max(r - 3, 0), r)), default=0)
        columns: dict[str, int] = {}
        titles: dict[str, str] = {}
        for c in range(width):
            label = grid.text(r, c) or grid.text(r - 1, c) or grid.text(r - 2, c)
            name = classify(label)
            if name is not None and name not in columns:
                columns[name] = c
                titles[name] = label
        if not need <= set(columns) or (best is not None and len(columns) <= len(best.columns)):
            continue
        percent = any(
            "%" in grid.text(i, c) for i in range(max(r - 3, 1), r + 1) for c in range(width)
        )
        best = Header(r, columns, titles, percent)
    return best


@dataclass(slots=True)
class Context:
    """Subject, grade and year stated above a table or in the sheet name."""

    subject: str | None = None
    grade: int | None = None
    year: int | None = None


def title_context(grid: Grid, header_row: int) -> Context:
    texts = [grid.title]
    for r in range(1, header_row):
        texts += [grid.text(r, c) for c in range(len(grid.rows[r - 1])) if grid.text(r, c)]
    joined = " ".join(texts)
    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", joined)]
    return Context(
        subject=find_subject(joined, VPR_SUBJECTS),
        grade=find_grade(joined),
        year=max(years) if years else None,
    )


def find_subject(text: str, known: Iterable[str] = VPR_SUBJECTS + GIA_SUBJECTS) -> str | None:
    """A subject named in `text`: the full name first, then a known abbreviation."""
    low = text.lower().replace("ё", "е")
    for name in sorted(set(known), key=len, reverse=True):
        if name.lower() in low:
            return name
    for prefix, name in SUBJECT_PREFIXES:
        if re.search(rf"(?<![а-я]){prefix}", low):
            return name
    return None


def find_grade(text: str) -> int | None:
    low = text.lower()
    match = re.search(r"(\d{1,2})\s*(?:-?\s*(?:й|го|х))?\s*(?:класс|кл\b|кл\.)", low)
    if match is None:
        match = re.search(r"(?:класс|параллель)\s*[:№]?\s*(\d{1,2})\b", low)
    if match is None:
        return None
    grade = int(match.group(1))
    return grade if 1 <= grade <= 11 else None


def to_number(value: Any) -> float | None:
    """A cell as a number: numbers stored as text («12», «8,4», «12 %») are accepted."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).replace("\u00a0", "").replace(" ", "").replace(",", ".").rstrip("%")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def row_login(grid: Grid, row: int) -> str | None:
    for c in range(len(grid.rows[row - 1])):
        match = LOGIN.search(grid.text(row, c))
        if match:
            return match.group(0).lower()
    return None


def row_class_label(grid: Grid, row: int, skip: set[int]) -> tuple[int, str] | None:
    """(grade, «5А») when a row is labelled as a class."""
    for c in range(len(grid.rows[row - 1])):
        if c in skip:
            continue
        match = CLASS_LABEL.match(grid.text(row, c))
        if match:
            return int(match.group(1)), f"{int(match.group(1))}{match.group(2).upper()}"
    return None
