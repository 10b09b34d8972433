"""Finding the table of measures and telling its rows apart (detect → map, before the preview).

Real roadmaps put a title above the table, the header on any of the first rows (one or two rows
deep), a column-number row «1 2 3 4 5» under it, the header again on each page or before each
section, section rows (merged across, or a number «1.», «I.», «Раздел 1», «Задача 1» with nothing
else), blank rows, and footnotes or signatures below. A Word document may hold the plan as one
table per section, each with the same header and the section's name in the paragraphs above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services.core.errors import Invalid
from services.intake.outline import Section, make_section, number_levels
from services.intake.readers import SourceTable
from services.intake.shapes import ROADMAP, Shape
from services.intake.vocabulary import Vocabulary

HEADER_SCAN = 20
_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?$")
_SECTION_NUMBER = re.compile(
    r"^(?:[IVXLC]+\.?|(?:раздел|задача|модуль|направление|блок|подпрограмма)\s*\d+\.?)(?:\s|$)",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Column:
    index: int
    header: str
    field: str | None
    how: str = "по заголовку"  # «по заголовку», «указано --map», «не распознан», …


@dataclass(slots=True)
class Detected:
    label: str
    candidates: list[str]  # every table of the file, with what its header maps to
    columns: list[Column]
    title_lines: list[str]
    sections: list[Section]  # the first may be untitled: items before any section
    skipped: dict[str, int] = field(default_factory=dict)
    below: list[str] = field(default_factory=list)  # footnotes and signatures under the table
    formulas_without_value: list[str] = field(default_factory=list)
    continuations: int = 0
    parts: int = 1  # tables read as one (a plan typed as one table per section)
    labels: dict[str, str] = field(default_factory=dict)  # field → its name for a person


def _header_map(cells: list[str], words: Vocabulary) -> dict[int, tuple[str, float]]:
    found: dict[int, tuple[str, float]] = {}
    for col, text in enumerate(cells):
        if text and len(text) <= 120:
            name, score = words.match_header(text)
            if name is not None:
                found[col] = (name, score)
    return found


def _is_number_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if len(filled) < 2 or not all(re.fullmatch(r"\d{1,2}\.?", c) for c in filled):
        return False
    values = [int(c.rstrip(".")) for c in filled]
    return values == sorted(values) and values[0] <= 2


def find_header(
    rows: list[list[str]], words: Vocabulary, shape: Shape = ROADMAP
) -> tuple[int, int, list[str]] | None:
    """(first header row, rows it spans, column header texts) among the first rows."""
    for r, cells in enumerate(rows[:HEADER_SCAN]):
        mapped = {name for name, _ in _header_map(cells, words).values()}
        if not mapped & shape.anchors or len(mapped) < 2:
            continue
        texts = list(cells)
        depth = 1
        below = rows[r + 1] if r + 1 < len(rows) else []
        sub = _header_map(below, words)
        filled = [c for c in below if c]
        words_only = all(not c[:1].isdigit() for c in filled)
        # a header cell merged down repeats its text in the row below: only new cells must map
        fresh = [c for c, t in enumerate(below) if t and (c >= len(cells) or t != cells[c])]
        if (
            len(filled) >= 2
            and words_only
            and not _is_number_row(below)
            and all(c in sub for c in fresh)
            and (fresh or len(sub) == len(filled))
        ):
            depth = 2
            last = ""
            for col in range(max(len(texts), len(below))):
                top = texts[col] if col < len(texts) else ""
                last = top or last
                low = below[col] if col < len(below) else ""
                if col >= len(texts):
                    texts.append("")
                parent = top or last
                if not low or low == parent:  # a cell merged down over both rows reads twice
                    texts[col] = top or low
                else:
                    texts[col] = f"{parent} {low}".strip()
            _split_spans(texts, below, words)
        return r, depth, texts
    return None


def _split_spans(texts: list[str], below: list[str], words: Vocabulary) -> None:
    """Sub-headers under one merged header that name different fields keep their own names.

    «Фамилия, имя, отчество» over «Фамилия | Имя | Отчество» would map all three columns to the
    full name; each sub-header names its own field («Сроки» over «начало | окончание» maps the
    same either way).
    """
    by_field: dict[str, list[int]] = {}
    for col, text in enumerate(texts):
        name = words.match_header(text)[0] if text else None
        if name is not None:
            by_field.setdefault(name, []).append(col)
    for cols in by_field.values():
        lows = [below[c] if c < len(below) else "" for c in cols]
        own = [words.match_header(low)[0] if low else None for low in lows]
        if len(cols) > 1 and None not in own and len(set(own)) == len(own):
            for col, low in zip(cols, lows, strict=True):
                texts[col] = low


def _mapping(
    texts: list[str], overrides: dict[str, str], rows: list[list[str]], words: Vocabulary
) -> list[Column]:
    columns = [
        Column(i, t.replace("\n", " ").strip(), None, "не распознан") for i, t in enumerate(texts)
    ]
    best: dict[str, tuple[float, int]] = {}
    for col, (name, score) in _header_map(texts, words).items():
        columns[col].field, columns[col].how = name, "по заголовку"
        if name not in best or score > best[name][0]:
            best[name] = (score, col)
    for column in columns:
        if column.field and best[column.field][1] != column.index:
            column.how = f"повторяет поле {column.field}"
            column.field = None
    _numbers_by_content(columns, rows)
    for key, target in overrides.items():
        column = _column_for(columns, key, words)
        if target != "-" and target not in words.field_names():
            known = ", ".join(words.field_names())
            raise Invalid(f"--map: поле «{target}» неизвестно. Поля: {known}.")
        for other in columns:
            if target != "-" and other.field == target:
                other.field, other.how = None, "поле отдано другому столбцу (--map)"
        column.field = None if target == "-" else target
        column.how = "исключён (--map)" if target == "-" else "указано --map"
    return columns


def _column_for(columns: list[Column], key: str, words: Vocabulary) -> Column:
    if re.fullmatch(r"#\d+", key):
        n = int(key[1:])
        if 1 <= n <= len(columns):
            return columns[n - 1]
        raise Invalid(f"--map: столбца {key} нет (в таблице {len(columns)} столбцов).")
    wanted = " ".join(words.lemmas(key, exact=True))
    for column in columns:
        same = " ".join(words.lemmas(column.header, exact=True)) == wanted
        if column.header.lower() == key.lower() or same:
            return column
    heads = "; ".join(f"#{c.index + 1} «{c.header or 'без заголовка'}»" for c in columns)
    raise Invalid(f"--map: столбца «{key}» нет. Столбцы: {heads}.")


def detect(
    tables: list[SourceTable],
    words: Vocabulary,
    *,
    overrides: dict[str, str] | None = None,
    pick: str | None = None,
    shape: Shape = ROADMAP,
) -> Detected:
    """The `shape`'s table of the file (or the one `pick` names: «2» or a sheet name)."""
    found = [(t, find_header(t.rows, words, shape)) for t in tables]
    candidates = [_describe(t, h, words, shape) for t, h in found]
    usable = [(n, t, h) for n, (t, h) in enumerate(found) if h is not None]
    if pick:
        usable = [u for u in usable if _picked(u[0], u[1], pick)]
        if not usable:
            raise Invalid(f"Таблица «{pick}» не найдена или в ней нет заголовка {shape.what}. "
                          "Таблицы файла:\n" + "\n".join(candidates))  # fmt: skip
    if not usable:
        raise Invalid(
            f"В файле не найдена таблица {shape.what}: ни в одной таблице нет строки заголовка "
            f"со столбцом {shape.example} и ещё хотя бы одним известным столбцом в первых 20 "
            f'строках. Подпишите столбцы или укажите их: --map "Заголовок={min(shape.anchors)}".'
        )
    _n, table, header = max(usable, key=lambda u: _weight(u[2], words))
    assert header is not None
    start, _depth, texts = header
    columns = _mapping(texts, overrides or {}, table.rows[start:], words)
    group = [] if pick else [(t, h) for _, t, h in usable if h and _same_header(h[2], texts, words)]
    first_sections: list[str] = []
    if not table.lead:
        title_lines = [" ".join(c for c in row if c) for row in table.rows[:start]]
    elif len(group) > 1:  # the first table's own section heads the paragraphs above it
        title_lines, first_sections = _split_first_lead(group[0][0].lead)
    else:
        title_lines = list(table.lead)
    result = Detected(
        table.label, candidates, columns, [t for t in title_lines if t], [Section("")]
    )
    result.labels = words.field_labels()
    result.formulas_without_value = [
        f"{table.label}: {ref}" for ref in table.formulas_without_value
    ]
    parts = group if len(group) > 1 else [(table, header)]
    result.parts = len(parts)
    for n, (part, (first, part_depth, _texts)) in enumerate(parts):
        _lead_sections(part.lead if n else first_sections, result)
        _classify(part.rows[first + part_depth :], columns, texts, result, shape)
    _trim_below(result)
    number_levels(result.sections)
    return result


def _describe(
    table: SourceTable, header: tuple[int, int, list[str]] | None, words: Vocabulary, shape: Shape
) -> str:
    if header is None:
        return f"{table.label}: заголовок {shape.what} не найден ({len(table.rows)} строк)"
    names = [words.match_header(t)[0] or "?" for t in header[2] if t]
    return f"{table.label}: {len(table.rows)} строк, столбцы: {', '.join(names)}"


def _picked(n: int, table: SourceTable, pick: str) -> bool:
    return pick == str(n + 1) or table.label == f"лист «{pick}»"


def _weight(header: tuple[int, int, list[str]] | None, words: Vocabulary) -> int:
    return len({words.match_header(t)[0] for t in header[2] if t} - {None}) if header else 0


def _same_header(a: list[str], b: list[str], words: Vocabulary) -> bool:
    return [words.match_header(t)[0] for t in a if t] == [words.match_header(t)[0] for t in b if t]


def _lead_sections(lead: list[str], result: Detected) -> None:
    """Paragraphs above a later table of the plan name its section («(цель…)» joins the name)."""
    titles: list[str] = []
    for line in lead:
        text = re.sub(r"\*+", "", line).strip()
        if not text:
            continue
        if titles and text.startswith("(") and not _SECTION_NUMBER.match(text):
            titles[-1] = f"{titles[-1]} {text}"
        elif text[0].islower() and not titles:
            result.skipped["обрывки текста между таблицами"] = (
                result.skipped.get("обрывки текста между таблицами", 0) + 1
            )
            result.below.append(text)
        else:
            titles.append(text)
    for title in titles:
        result.sections.append(make_section(title))


def _split_first_lead(lead: list[str]) -> tuple[list[str], list[str]]:
    """The plan's title lines and the first section's heading, from the paragraphs above it.

    When a plan is typed as several tables, the paragraphs above the first one end with its
    section: the last heading with its «(цель…)» lines, and the numbered headings («I …»,
    «Раздел 1») right above it. The first line, and a line naming the period, stay in the title.
    """
    from services.roadmap.deadlines import period_from_title

    at = len(lead)
    while at > 1 and lead[at - 1].lstrip("* ").startswith("("):
        at -= 1
    if at > 1 and period_from_title(lead[at - 1]) is None:
        at -= 1
        while at > 1 and _SECTION_NUMBER.match(lead[at - 1].lstrip("* ")):
            at -= 1
    if at == len(lead) or lead[at].lstrip("* ").startswith("("):
        return list(lead), []
    return lead[:at], lead[at:]


def _numbers_by_content(columns: list[Column], rows: list[list[str]]) -> None:
    """A headerless column of item numbers («1.», «2.3») is the number column.

    Word plans often leave «№» out of the header.
    """
    if any(c.field == "number" for c in columns):
        return
    for column in columns:
        if column.header or column.field:
            continue
        cells = [r[column.index] for r in rows if column.index < len(r) and r[column.index]]
        numbered = sum(1 for c in cells if _NUMBER.match(c.strip()))
        if len(cells) >= 2 and numbered * 10 >= len(cells) * 8:
            column.field, column.how = "number", "без заголовка, по номерам в ячейках"
            return


def _count(result: Detected, what: str) -> None:
    result.skipped[what] = result.skipped.get(what, 0) + 1


def _classify(
    rows: list[list[str]],
    columns: list[Column],
    header: list[str],
    result: Detected,
    shape: Shape = ROADMAP,
) -> None:
    by_field = {c.field: c.index for c in columns if c.field}
    main = next((name for name in shape.main if name in by_field), "title")
    if main != "title":  # section rows are told from rows by the field that names a row
        by_field["title"] = by_field.pop(main)
    number_col, title_col = by_field.get("number"), by_field.get("title")
    header_norm = [h.lower().strip() for h in header if h]
    for n, cells in enumerate(rows):
        filled = [c for c in cells if c]
        if not filled:
            continue
        if _is_number_row(cells):
            _count(result, "строка с номерами столбцов")
            continue
        norm = [c.lower().strip() for c in filled]
        if len(header_norm) >= 2 and sum(c in header_norm for c in norm) * 2 >= len(norm) + 1:
            _count(result, "повтор заголовка таблицы")
            continue
        kind = _kind(cells, filled, by_field, rows[n + 1 :], result)
        if kind == "section" and shape.is_person(_cell(cells, title_col)):
            kind = "item"
        if kind == "section":
            result.sections.append(_section_row(cells, number_col, title_col))
        elif kind == "continuation":
            last = result.sections[-1].rows[-1]
            for col, value in enumerate(cells):
                if value and col < len(last):
                    last[col] = f"{last[col]}\n{value}".strip() if last[col] else value
            result.continuations += 1
        else:
            result.sections[-1].rows.append(list(cells))


def _section_row(cells: list[str], number_col: int | None, title_col: int | None) -> Section:
    text = next(c for c in cells if c)
    number = _cell(cells, number_col)
    title = _cell(cells, title_col)
    if number and title and number != title and not _NUMBER.match(number):
        return make_section(f"{number} {title}")
    if number and title and number != title:
        return make_section(title, number)
    return make_section(text)


def _cell(cells: list[str], col: int | None) -> str:
    return cells[col] if col is not None and col < len(cells) else ""


def _kind(
    cells: list[str],
    filled: list[str],
    by_field: dict[str, int],
    after: list[list[str]],
    result: Detected,
) -> str:
    number = _cell(cells, by_field.get("number"))
    title = _cell(cells, by_field.get("title"))
    others = [
        _cell(cells, col) for name, col in by_field.items() if name not in ("number", "title")
    ]
    distinct = list(dict.fromkeys(filled))
    has_items = any(s.rows for s in result.sections)
    if len(distinct) == 1:
        text = distinct[0]
        if has_items and text[:1].islower() and not number:
            return "continuation"
        return "section"
    if any(others):
        if not number and has_items and by_field.get("number") is not None:
            return "continuation" if all(c[:1].islower() or not c for c in cells) else "item"
        return "item"
    if number and title and _SECTION_NUMBER.match(number):
        return "section"
    match = _NUMBER.match(number)
    if match and title:
        prefix = match.group(1) + "."
        nxt = next(
            (_cell(r, by_field.get("number")) for r in after if _cell(r, by_field.get("number"))),
            "",
        )
        if nxt.startswith(prefix) and len(nxt.rstrip(".")) > len(prefix):
            return "section"
    return "item"


def _trim_below(result: Detected) -> None:
    """Sections after the last item are footnotes or signatures: listed, not stored."""
    while len(result.sections) > 1 and not result.sections[-1].rows:
        result.below.insert(0, result.sections.pop().title)
