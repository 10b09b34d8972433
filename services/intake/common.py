"""What every kind's preview says the same way: columns left out or empty, formulas, text below.

Used by the roadmap preview (`services.intake.preview`), the teachers' list
(`services.intake.people`) and ИППР activities (`services.intake.ippr`), so each names what it
does not store in the same words (DESIGN §8: nothing is dropped silently).
"""

from __future__ import annotations

from collections.abc import Iterator

from services.intake.detect import Column, Detected


def cell(cells: list[str], col: int) -> str:
    return cells[col].strip() if col < len(cells) else ""


def filled(d: Detected, column: Column) -> bool:
    return any(cell(row, column.index) for s in d.sections for row in s.rows)


def records(d: Detected) -> Iterator[tuple[str, dict[str, str]]]:
    """Each row of the table as (its section, {field: text}) for the mapped fields."""
    by_field = {c.field: c.index for c in d.columns if c.field}
    for section in d.sections:
        for cells in section.rows:
            yield section.title, {name: cell(cells, col) for name, col in by_field.items()}


def column_warnings(d: Detected, quiet: frozenset[str] = frozenset()) -> list[str]:
    """Unmapped non-empty columns, mapped ones empty everywhere (but `quiet`), formulas."""
    warnings = []
    for column in d.columns:
        if column.field is None and filled(d, column) and column.how != "исключён (--map)":
            warnings.append(
                f"Столбец #{column.index + 1} «{column.header or 'без заголовка'}» не загружается "
                f'({column.how}). Укажите поле: --map "#{column.index + 1}=поле" или '
                f'--map "#{column.index + 1}=-", чтобы пропустить его.'
            )
    for column in d.columns:
        if column.field and column.field not in quiet and not filled(d, column):
            warnings.append(f"Столбец «{column.header}» ({column.field}) пуст во всех строках.")
    if d.formulas_without_value:
        warnings.append(
            "Формулы без сохранённого значения (ячейки прочитаны пустыми; откройте "
            "файл в Excel и сохраните его): " + ", ".join(d.formulas_without_value)
        )
    return warnings


def below_warnings(d: Detected) -> list[str]:
    if not d.below:
        return []
    return ["Под таблицей и между таблицами (не загружается): "
            + "; ".join(f"«{t[:80]}»" for t in d.below)]  # fmt: skip


def head(source: str, d: Detected) -> list[str]:
    """The preview's first lines: the file, the table, the other tables to pick from."""
    out = [f"Файл: {source}; таблица: {d.label}."]
    if len(d.candidates) > 1:
        out += ["Таблицы файла (--table N / --sheet ИМЯ):"] + [
            f"  {n}. {c}" for n, c in enumerate(d.candidates, 1)
        ]
    return out


def columns_text(d: Detected) -> list[str]:
    out = ["Столбцы:"]
    for c in d.columns:
        label = d.labels.get(c.field or "", "")
        target = f"{label} [{c.field}]" if label else (c.field or "— не загружается")
        out.append(f"  #{c.index + 1} «{c.header or 'без заголовка'}» → {target} ({c.how})")
    return out


def skipped_text(d: Detected) -> list[str]:
    skipped = [f"{what}: {n}" for what, n in d.skipped.items()]
    if d.continuations:
        skipped.append(f"строк-продолжений присоединено к строке выше: {d.continuations}")
    return ["Пропущено: " + "; ".join(skipped) + "."] if skipped else []


def warnings_text(warnings: list[str]) -> list[str]:
    """The warnings block that ends every preview and summary: never silent, never empty."""
    if not warnings:
        return []
    return [f"Предупреждения ({len(warnings)}):"] + [f"  - {w}" for w in warnings]
