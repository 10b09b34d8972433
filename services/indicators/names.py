"""The named inputs a district formula may read (`services.indicators.expr`).

Scalars are one school's totals of a year (the «Вся школа» progression row, else the sum of its
levels). Tables are the results rows a formula sums with `sum(table.field where …)`; `columns`
are what a `where` condition may test.
"""

from __future__ import annotations

from dataclasses import dataclass

SCALARS: dict[str, str] = {
    "pupils": "обучающихся",
    "repeaters": "оставлены на повторное обучение",
    "conditionally_promoted": "переведены условно",
    "graduates_9": "выпускники 9 кл.",
    "certificates_9": "аттестаты 9 кл.",
    "graduates_11": "выпускники 11 кл.",
    "certificates_11": "аттестаты 11 кл.",
    "medals": "награждены медалью «За особые успехи в учении»",
    "gia9_admitted": "допущены к ГИА-9",
    "gia9_no_fail": "сдали все экзамены ГИА-9 без «2» (без пересдач)",
    "gia11_admitted": "допущены к ГИА-11",
    "medal_claimants": "претендовали на медаль",
    "badge_claimants": "претендовали на знак «За особые успехи в учении»",
    "badge_recipients": "награждены знаком «За особые успехи в учении»",
}


@dataclass(frozen=True, slots=True)
class TableSpec:
    title: str
    fields: dict[str, str]  # summable counts: name -> Russian title
    columns: dict[str, str]  # what a `where` condition may test: name -> Russian title


TABLES: dict[str, TableSpec] = {
    "vpr": TableSpec(
        "ВПР",
        {
            "participants": "участников",
            "n2": "«2»",
            "n3": "«3»",
            "n4": "«4»",
            "n5": "«5»",
            "lowered": "понизили отметку",
            "confirmed": "подтвердили отметку",
            "raised": "повысили отметку",
        },
        {"grade": "класс (4–11)", "class": "буква класса", "subject": "предмет"},
    ),
    "gia": TableSpec(
        "ГИА",
        {
            "participants": "участников",
            "below_min": "ниже минимума или «2»",
            "high_scorers": "80–100 баллов",
        },
        {"exam": "экзамен (ОГЭ, ЕГЭ, ГВЭ)", "subject": "предмет"},
    ),
    "assessment": TableSpec(
        "Успеваемость и качество знаний",
        {
            "pupils": "обучающихся",
            "achieved": "успевают (без «2»)",
            "quality": "на «4» и «5»",
        },
        {
            "period": "период (year, term1…term4)",
            "grade": "класс (1–11)",
            "class": "буква класса",
            "subject": "предмет",
        },
    ),
}


def input_title(name: str) -> str:
    """«выпускники 9 кл. (graduates_9)», or «vpr.confirmed — ВПР: подтвердили отметку»."""
    if name in SCALARS:
        return f"{SCALARS[name]} ({name})"
    table, _, field = name.partition(".")
    spec = TABLES.get(table)
    if spec is not None and field in spec.fields:
        return f"{spec.title}: {spec.fields[field]} ({name})"
    return name


def known_names_text() -> str:
    """The known inputs, for an error message about an unknown one."""
    tables = "; ".join(f"sum({t}.поле): {', '.join(s.fields)}" for t, s in TABLES.items())
    return f"Известные имена: {', '.join(SCALARS)}; таблицы — {tables}"


def reference_lines() -> list[str]:
    """One line per input and table field, for the formula editor's help."""
    lines = [f"{name} — {title}" for name, title in SCALARS.items()]
    for table, spec in TABLES.items():
        fields = ", ".join(f"{f} ({t})" for f, t in spec.fields.items())
        columns = ", ".join(f"{c} ({t})" for c, t in spec.columns.items())
        lines.append(
            f"sum({table}.поле where условие) — {spec.title}: {fields}; условие: {columns}"
        )
    return lines
