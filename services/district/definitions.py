"""The district's own indicators: a formula each, edited in «Шаблоны и пороги».

An `IndicatorDefinition` row is district-owned and synced: the next bulletin carries it (and a
deletion, as a tombstone) to every school, whose catalogue then lists it after the shipped
indicators (`services.indicators.catalogue.catalogue`), so the school computes it with the same
code as the district. Thresholds and targets name it by its code, as for any indicator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import stable_id
from models.catalogue import IndicatorDefinition, Threshold
from services.core.errors import Conflict, Invalid, NotFound
from services.indicators.catalogue import IndicatorDef
from services.indicators.evaluate import evaluate, sample_inputs
from services.indicators.expr import FormulaError, parse
from services.site.profile import own_site_id

CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")
BETTER_TITLES = {"higher": "чем выше, тем лучше", "lower": "чем ниже, тем лучше"}


@dataclass(frozen=True, slots=True)
class DefinitionDraft:
    """What the district enters for one indicator of its own."""

    code: str
    name: str
    formula: str
    unit: str = "%"
    better: str = "higher"
    note: str = ""


@dataclass(frozen=True, slots=True)
class DefinitionItem:
    code: str
    name: str
    formula: str
    unit: str
    better: str
    note: str

    @property
    def better_title(self) -> str:
        return BETTER_TITLES.get(self.better, self.better)


def list_definitions(s: Session) -> list[DefinitionItem]:
    stmt = select(IndicatorDefinition).where(col(IndicatorDefinition.deleted).is_(False))
    return [_item(r) for r in sorted(s.exec(stmt), key=lambda r: r.code)]


def save_definition(
    s: Session, draft: DefinitionDraft, shipped: list[IndicatorDef], old_code: str = ""
) -> DefinitionItem:
    """Add an indicator (`old_code` empty) or change one; a new code moves the row.

    `Invalid` names what is wrong: the code, the name, or the formula with its position.
    """
    d = check_definition(draft, {x.code for x in shipped if not x.custom})
    row = s.get(IndicatorDefinition, stable_id("indicator", d.code))
    if d.code != old_code and row is not None and not row.deleted:
        raise Conflict(f"Показатель с кодом {d.code} уже есть: выберите другой код.")
    if old_code and old_code != d.code:
        _tombstone(s, old_code)
        _rename_thresholds(s, old_code, d.code)
    if row is None:
        row = IndicatorDefinition(
            id=stable_id("indicator", d.code),
            owner=own_site_id(s),
            code=d.code,
            name="",
            formula="",
        )
    for name in ("name", "formula", "unit", "better", "note"):
        if getattr(row, name) != getattr(d, name):
            setattr(row, name, getattr(d, name))
    row.deleted = False
    s.add(row)
    s.flush()
    return _item(row)


def delete_definition(s: Session, code: str) -> None:
    """Remove an indicator (a tombstone, so the deletion reaches the schools too)."""
    _tombstone(s, code)


def check_definition(draft: DefinitionDraft, taken: set[str]) -> DefinitionDraft:
    """The draft with its text trimmed; `Invalid` (in Russian) for the first problem found."""
    code = draft.code.strip().upper()
    if not code:
        raise Invalid("Укажите код показателя: латинские заглавные буквы, цифры и «_» (MUN_GIA9).")
    if not CODE.match(code):
        raise Invalid(
            f"Код «{draft.code}» не подходит: латинские заглавные буквы, цифры и «_», "
            "от 2 до 40 знаков, первой — буква (например MUN_GIA9)."
        )
    if code in taken:
        raise Invalid(f"Код {code} занят показателем из справочника Опоры: выберите другой.")
    name = draft.name.strip()
    if not name or len(name) > 300:
        raise Invalid("Укажите название показателя (до 300 знаков).")
    unit = draft.unit.strip()
    if len(unit) > 20:
        raise Invalid("Единица измерения длиннее 20 знаков.")
    if draft.better not in BETTER_TITLES:
        raise Invalid("Укажите, какое значение лучше: выше или ниже.")
    if len(draft.note) > 1000:
        raise Invalid("Пояснение длиннее 1000 знаков: сократите его.")
    formula = draft.formula.strip()
    node = parse(formula)  # FormulaError is an Invalid: position and reason
    trial = evaluate(node, sample_inputs())
    if trial.error:
        raise FormulaError(f"Формула не вычисляется: {trial.error}.")
    return DefinitionDraft(code, name, formula, unit, draft.better, draft.note.strip())


def _tombstone(s: Session, code: str) -> None:
    row = s.get(IndicatorDefinition, stable_id("indicator", code))
    if row is None or row.deleted:
        raise NotFound(f"Показатель {code} не найден: возможно, он уже удалён. Обновите список.")
    row.deleted = True
    s.add(row)


def _rename_thresholds(s: Session, old: str, new: str) -> None:
    """Thresholds of a renamed indicator follow it (schools' targets keep the old code)."""
    stmt = select(Threshold).where(
        Threshold.indicator_code == old, col(Threshold.deleted).is_(False)
    )
    for t in s.exec(stmt):
        t.deleted = True
        s.add(t)
        tid = stable_id("threshold", new, t.year)
        moved = s.get(Threshold, tid) or Threshold(
            id=tid, owner=t.owner, year=t.year, indicator_code=new, comparison=t.comparison, value=0
        )
        moved.comparison, moved.value, moved.note = t.comparison, t.value, t.note
        moved.is_example, moved.deleted = t.is_example, False
        s.add(moved)


def _item(row: IndicatorDefinition) -> DefinitionItem:
    return DefinitionItem(row.code, row.name, row.formula, row.unit, row.better, row.note)


__all__ = ["DefinitionDraft", "DefinitionItem", "FormulaError"]
