"""The district's thresholds per year and the catalogue versions it publishes.

A threshold flags a school when `indicator comparison value` holds (see `indicators.ThresholdRead`);
there is at most one per year and indicator key (a code, or «code|subject» for a per-subject ВПР
indicator). Thresholds and published catalogue versions are district-owned syncable rows: the
bulletin carries them to the schools, so saving a row here is publishing it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import stable_id
from models.catalogue import Comparison, Threshold
from services.core.db import Database
from services.core.errors import ChangedByOther, Invalid, NotFound
from services.core.notify import DEFINITION, THRESHOLD, announce
from services.core.stamped import stamped_update
from services.district.catalogues import CatalogueEntry, CataloguePublisher
from services.district.definitions import (
    DefinitionDraft,
    DefinitionItem,
    delete_definition,
    list_definitions,
    save_definition,
)
from services.district.demo import EXAMPLE_THRESHOLDS
from services.indicators.catalogue import IndicatorDef, catalogue
from services.indicators.compute import SUBJECT_SEPARATOR
from services.indicators.units import value_bounds
from services.site.profile import own_site_id

MIN_YEAR, MAX_YEAR = 2000, 2100
NOTE_MAX = 500
KEY_MAX = 60
SIGNS: dict[Comparison, str] = {
    Comparison.GT: ">",
    Comparison.GE: "≥",
    Comparison.LT: "<",
    Comparison.LE: "≤",
}

__all__ = ["SIGNS", "CatalogueEntry", "ThresholdDraft", "ThresholdItem", "ThresholdService"]


@dataclass(frozen=True, slots=True)
class ThresholdDraft:
    """What the user enters for one threshold."""

    year: int
    indicator_code: str  # a catalogue code, or «code|subject» for a per-subject indicator
    comparison: Comparison | str
    value: float
    note: str = ""
    # The version of the year's threshold for this indicator the editor saw: its stamp, "" for
    # none; None saves without the check. A colleague's save since then is `ChangedByOther`.
    expected: str | None = None


@dataclass(frozen=True, slots=True)
class ThresholdItem:
    """One threshold as listed: the row with its indicator's name and unit."""

    id: str
    year: int
    indicator_code: str
    comparison: Comparison
    value: float
    note: str
    is_example: bool
    name: str  # the indicator's name («…: subject» for a per-subject key)
    unit: str
    better: str  # "higher" | "lower"
    hlc: str = ""  # the version as read

    @property
    def condition(self) -> str:
        """«> 25 %» — the condition under which a school is flagged."""
        number = f"{self.value:g}".replace(".", ",")
        return f"{SIGNS[self.comparison]} {number} {self.unit}".strip()


class ThresholdService:
    """Thresholds of the district (per year) and publishing of the shipped catalogues."""

    def __init__(self, db: Database, catalogues_dir: Path) -> None:
        self._db = db
        self._catalogues_dir = catalogues_dir
        self._publisher = CataloguePublisher(db, catalogues_dir)

    # -- reading -------------------------------------------------------------------------------

    def indicators(self) -> list[IndicatorDef]:
        """The indicators a threshold may be set for (the catalogue in force), in order."""
        with self._db.session() as s:
            return catalogue(s, self._catalogues_dir)

    def years(self) -> list[int]:
        """Years that have at least one threshold, ascending."""
        with self._db.session() as s:
            stmt = select(Threshold.year).where(col(Threshold.deleted).is_(False)).distinct()
            return sorted(int(y) for y in s.exec(stmt))

    def for_year(self, year: int) -> list[ThresholdItem]:
        """The thresholds of `year`, in catalogue order (subjects alphabetically after)."""
        with self._db.session() as s:
            defs = catalogue(s, self._catalogues_dir)
            return _sorted_items(_live(s, year), defs)

    def inherited(self, year: int) -> list[ThresholdItem]:
        """Thresholds of earlier years still in force in `year` (no own row for that indicator).

        A year without its own threshold uses the latest earlier one (`applicable_threshold`).
        """
        with self._db.session() as s:
            defs = catalogue(s, self._catalogues_dir)
            stmt = select(Threshold).where(Threshold.year < year, col(Threshold.deleted).is_(False))
            own = {t.indicator_code for t in _live(s, year)}
            latest: dict[str, Threshold] = {}
            for t in s.exec(stmt.order_by(col(Threshold.year))):
                if t.indicator_code not in own:
                    latest[t.indicator_code] = t
            return _sorted_items(latest.values(), defs)

    # -- changing ------------------------------------------------------------------------------

    def save(self, draft: ThresholdDraft) -> ThresholdItem:
        """Add or replace the threshold of draft's year and indicator; clears «пример»."""
        if draft.expected is not None:
            return self._save_checked(draft, draft.expected)
        with self._db.session() as s:
            defs = catalogue(s, self._catalogues_dir)
            d, key, comparison, value, note = _checked(draft, defs)
            row = _row_for(s, draft.year, key)
            row.comparison = comparison
            row.value = value
            row.note = note
            row.is_example = False
            row.deleted = False
            s.add(row)
            s.flush()
            announce(s, THRESHOLD)
            return _item(row, d, key)

    def _save_checked(self, draft: ThresholdDraft, expected: str) -> ThresholdItem:
        """`save` over exactly the version the editor saw (`ChangedByOther` otherwise).

        A new row's insert, or the one `UPDATE … WHERE id AND hlc`, decides atomically, in a
        session of its own: the colleague's version it then shows is read fresh, not the row
        as this save had read it.
        """
        with self._db.session(stamp=False) as s:
            d, key, comparison, value, note = _checked(draft, catalogue(s, self._catalogues_dir))
            row = _row_for(s, draft.year, key)
            stored = inspect(row).persistent
            seen = row.hlc if stored and row.deleted and not expected else expected
        values = {"comparison": comparison, "value": value, "note": note,
                  "is_example": False, "deleted": False}  # fmt: skip
        try:
            with self._db.session() as s:
                if not stored and not expected:
                    row.sqlmodel_update(values)
                    s.add(row)
                    s.flush()  # a colleague's insert of the same id fails here
                    announce(s, THRESHOLD)
                    return _item(row, d, key)
                if stored and stamped_update(self._db, s, Threshold, row.id, seen, values):
                    announce(s, THRESHOLD)
                    saved = s.get(Threshold, row.id, populate_existing=True)
                    assert saved is not None
                    return _item(saved, d, key)
                theirs = _live_item(s, draft.year, key, d)
        except IntegrityError:
            with self._db.session() as s:
                theirs = _live_item(s, draft.year, key, d)
        raise _threshold_changed(theirs, draft, d)

    def delete(self, threshold_id: str) -> None:
        """Remove a threshold (a tombstone, so the removal reaches the schools too)."""
        with self._db.session() as s:
            row = s.get(Threshold, threshold_id)
            if row is None or row.deleted:
                raise NotFound("Порог не найден: возможно, он уже удалён. Обновите список.")
            row.deleted = True
            s.add(row)
            announce(s, THRESHOLD)

    def copy_previous_year(self, year: int) -> int:
        """Copy the thresholds of `year − 1` into `year` where `year` has none for that indicator.

        Idempotent; returns how many were added. `Invalid` when the previous year has none.
        """
        _check_year(year)
        with self._db.session() as s:
            source = _live(s, year - 1)
            if not source:
                raise Invalid(
                    f"За {year - 1} год порогов нет — копировать нечего. "
                    "Добавьте пороги вручную или заполните примеры."
                )
            present = {t.indicator_code for t in _live(s, year)}
            added = 0
            for t in source:
                if t.indicator_code in present:
                    continue
                row = _row_for(s, year, t.indicator_code)
                row.comparison, row.value, row.note = t.comparison, t.value, t.note
                row.is_example, row.deleted = t.is_example, False
                s.add(row)
                added += 1
            announce(s, THRESHOLD)
            return added

    def fill_examples(self, year: int) -> int:
        """Add the example thresholds (marked «пример») for indicators `year` has none for.

        The same defaults as the district demo; idempotent; returns how many were added.
        """
        _check_year(year)
        with self._db.session() as s:
            known = {d.code for d in catalogue(s, self._catalogues_dir)}
            present = {t.indicator_code for t in _live(s, year)}
            added = 0
            for code, comparison, value, note in EXAMPLE_THRESHOLDS:
                if code in present or code not in known:
                    continue
                row = _row_for(s, year, code)
                row.comparison, row.value, row.note = comparison, value, note
                row.is_example, row.deleted = True, False
                s.add(row)
                added += 1
            announce(s, THRESHOLD)
            return added

    # -- the district's own indicators -------------------------------------------------------

    def definitions(self) -> list[DefinitionItem]:
        """The indicators the district defined by formula, by code."""
        with self._db.session() as s:
            return list_definitions(s)

    def save_definition(self, draft: DefinitionDraft, old_code: str = "") -> DefinitionItem:
        """Add (or, with `old_code`, change) an indicator of the district's own; `Invalid`."""
        with self._db.session() as s:
            saved = save_definition(s, draft, catalogue(s, self._catalogues_dir), old_code)
            announce(s, DEFINITION)
            return saved

    def delete_definition(self, code: str) -> None:
        with self._db.session() as s:
            delete_definition(s, code)
            announce(s, DEFINITION)

    # -- catalogues ----------------------------------------------------------------------------

    def catalogues(self) -> list[CatalogueEntry]:
        """The shipped catalogue versions, each with whether it is published."""
        return self._publisher.entries()

    def publish(self, kind: str, version: int) -> bool:
        """Publish a shipped catalogue version; False when it was already published as is."""
        return self._publisher.publish(kind, version)


# -- helpers -----------------------------------------------------------------------------------


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(f"Год {year} вне допустимого диапазона {MIN_YEAR}–{MAX_YEAR}.")


def _live(s: Session, year: int) -> list[Threshold]:
    stmt = select(Threshold).where(Threshold.year == year, col(Threshold.deleted).is_(False))
    return list(s.exec(stmt))


def _split(key: str) -> tuple[str, str | None]:
    code, sep, subject = key.partition(SUBJECT_SEPARATOR)
    return code, (subject if sep else None)


def _checked(
    draft: ThresholdDraft, defs: Iterable[IndicatorDef]
) -> tuple[IndicatorDef, str, Comparison, float, str]:
    """Validate a draft; `Invalid` naming the problem, in Russian."""
    _check_year(draft.year)
    code, subject = _split(draft.indicator_code.strip())
    d = next((x for x in defs if x.code == code), None)
    if d is None:
        raise Invalid(
            f"Показатель «{code}» неизвестен: выберите показатель из справочника показателей."
        )
    key = code
    if subject is not None:
        subject = subject.strip()
        if not d.per_subject:
            raise Invalid(f"Показатель «{d.name}» не считается по отдельным предметам.")
        if not subject:
            raise Invalid("Укажите предмет или оставьте порог для показателя в целом.")
        key = f"{code}{SUBJECT_SEPARATOR}{subject}"
        if len(key) > KEY_MAX:
            raise Invalid("Название предмета слишком длинное: сократите его.")
    try:
        comparison = Comparison(draft.comparison)
    except ValueError:
        allowed = ", ".join(c.value for c in Comparison)
        raise Invalid(f"Условие «{draft.comparison}» неизвестно: допустимы {allowed}.") from None
    value = float(draft.value)
    bounds = value_bounds(d.unit)
    if not math.isfinite(value) or not bounds.low <= value <= bounds.high:
        raise Invalid(
            f"Значение порога «{d.name}» должно быть от {bounds.low:g} до {bounds.high:g} "
            f"{d.unit}".rstrip()
            + f", а указано {value:g}."
        )
    if bounds.whole and not value.is_integer():
        shown = f"{value:g}".replace(".", ",")
        raise Invalid(
            f"Порог «{d.name}» считается в целых ({d.unit}): укажите целое число, а не {shown}."
        )
    note = draft.note.strip()
    if len(note) > NOTE_MAX:
        raise Invalid(f"Пояснение длиннее {NOTE_MAX} знаков: сократите его.")
    return d, key, comparison, value, note


def _row_for(s: Session, year: int, key: str) -> Threshold:
    """The live row of (year, key) whatever its id; else its tombstone or a new row."""
    stmt = select(Threshold).where(
        Threshold.year == year,
        Threshold.indicator_code == key,
        col(Threshold.deleted).is_(False),
    )
    live = s.exec(stmt).first()
    if live is not None:
        return live
    tid = stable_id("threshold", key, year)
    old = s.get(Threshold, tid)
    if old is not None:
        return old
    return Threshold(
        id=tid,
        owner=own_site_id(s),
        year=year,
        indicator_code=key,
        comparison=Comparison.GT,
        value=0.0,
    )


def _live_item(s: Session, year: int, key: str, d: IndicatorDef) -> ThresholdItem | None:
    """The threshold of (year, key) as stored now, None when there is none."""
    stmt = select(Threshold).where(
        Threshold.year == year,
        Threshold.indicator_code == key,
        col(Threshold.deleted).is_(False),
    )
    row = s.exec(stmt).first()
    return _item(row, d, key) if row is not None else None


def _threshold_changed(
    theirs: ThresholdItem | None, draft: ThresholdDraft, d: IndicatorDef
) -> ChangedByOther:
    what = f"порог «{theirs.name if theirs else d.name}» на {draft.year} год"
    number = f"{float(draft.value):g}".replace(".", ",")
    sign = SIGNS.get(Comparison(draft.comparison), str(draft.comparison))
    yours = f"{sign} {number} {d.unit}".strip() + (f"; {draft.note.strip()}" if draft.note else "")
    if theirs is None:
        return ChangedByOther(what, "порог удалён", yours, "")
    note = f"; {theirs.note}" if theirs.note else ""
    return ChangedByOther(what, theirs.condition + note, yours, theirs.hlc)


def _item(row: Threshold, d: IndicatorDef | None, key: str) -> ThresholdItem:
    _code, subject = _split(key)
    name = d.name if d is not None else key
    if subject is not None:
        name = f"{name}: {subject}"
    return ThresholdItem(
        id=row.id,
        year=row.year,
        indicator_code=key,
        comparison=Comparison(row.comparison),
        value=row.value,
        note=row.note,
        is_example=row.is_example,
        name=name,
        unit=d.unit if d is not None else "",
        better=d.better if d is not None else "higher",
        hlc=row.hlc,
    )


def _sorted_items(rows: Iterable[Threshold], defs: list[IndicatorDef]) -> list[ThresholdItem]:
    order = {d.code: i for i, d in enumerate(defs)}
    by_code = {d.code: d for d in defs}

    def key(row: Threshold) -> tuple[int, str, str]:
        code, subject = _split(row.indicator_code)
        return order.get(code, len(order)), subject or "", row.indicator_code

    return [
        _item(r, by_code.get(_split(r.indicator_code)[0]), r.indicator_code)
        for r in sorted(rows, key=key)
    ]
