"""`import-xlsx results FILE`: Опора's results template and ФИС ОКО reports (DOMAIN §3.1).

The whole workbook is read and checked first; every problem is reported with its sheet, row and
column, and nothing is written unless the file is clean. Rows get deterministic ids, so importing
the same file again changes nothing. Hidden sheets are not read (the summary says so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.core.errors import Invalid
from services.core.progress import Progress
from services.documents.spreadsheets import ImportMode, XlsxImporter, XlsxRejected, register
from services.documents.xlsx import LISTS_SHEET, damage_guard, open_workbook
from services.results.assessment_reader import read_assessment
from services.results.fisoko import Grid, Header, find_header, load_grids
from services.results.readers import (
    VPR_FIELDS,
    Located,
    Reading,
    VprKey,
    read_gia,
    read_objectivity,
    read_progression,
    read_vpr_stats,
)
from services.results.rules import (
    FIELD_TITLES,
    AssessmentEntry,
    GiaEntry,
    Problems,
    ProgressionEntry,
    VprEntry,
    check_assessment,
    check_gia,
    check_progression,
    check_vpr,
)
from services.results.service import ResultsBatch
from services.results.xlsx import HELP_SHEET, INDICATORS_SHEET

if TYPE_CHECKING:
    from services.app import Services

# -- the whole workbook ------------------------------------------------------------------------

READERS: tuple[tuple[tuple[str, ...], Callable[[Grid, Header, Reading], None]], ...] = (
    (("group", "participants"), read_objectivity),
    (VPR_FIELDS, read_vpr_stats),
    (("exam", "subject", "participants"), read_gia),
    (("grade", "subject", "pupils", "achieved", "quality"), read_assessment),
    (("level", "pupils"), read_progression),
)


QUIET_SHEETS = frozenset({HELP_SHEET, INDICATORS_SHEET})  # ours, with nothing to import


def read_workbook(path: Path, progress: Progress) -> Reading:
    """Every results table of the workbook, with located errors (nothing is written)."""
    with damage_guard(path):
        grids, hidden = load_grids(open_workbook(path))
    reading = Reading()
    hidden = [h for h in hidden if h != LISTS_SHEET]
    if hidden:
        names = ", ".join(f"«{h}»" for h in hidden)
        reading.notes.append(f"Скрытые листы не читались: {names}.")
    for n, grid in enumerate(grids, start=1):
        progress.report(n, len(grids) + 1, f"Чтение листа «{grid.title}»…")
        for required, reader in READERS:
            header = find_header(grid, required)
            if header is not None:
                reader(grid, header, reading)
                break
        else:
            if grid.title in QUIET_SHEETS:
                continue
            reading.notes.append(f"Лист «{grid.title}» пропущен: в нём нет таблицы результатов.")
    return reading


def keep_objectivity(reading: Reading, existing: Callable[[VprKey], VprEntry | None]) -> None:
    """A statistics report carries no journal comparison: keep the one already stored."""
    for key in reading.without_objectivity:
        stored = existing(key)
        located = reading.vpr[key]
        if stored is None or stored.confirmed is None:
            continue
        if stored.participants == located.entry.participants:
            entry = replace(
                located.entry,
                lowered=stored.lowered,
                confirmed=stored.confirmed,
                raised=stored.raised,
            )
            reading.vpr[key] = Located(entry, located.sheet, located.row, located.titles)


def merge_objectivity(reading: Reading, existing: Callable[[VprKey], VprEntry | None]) -> None:
    """Put each «Сравнение с журналом» into its «Статистика по отметкам» row."""
    for obj in reading.objectivity:
        located = reading.vpr.get(obj.key)
        base = located.entry if located is not None else existing(obj.key)
        if base is None:
            reading.error(
                obj.sheet,
                obj.row,
                "—",
                f"нет статистики по отметкам: {obj.key[3]}, "
                f"{obj.key[1]} класс, {obj.key[0]} год — загрузите её вместе с этим "
                "отчётом",
            )
            continue
        if base.participants != obj.total:
            reading.error(
                obj.sheet,
                obj.row,
                "—",
                f"«Всего» ({obj.total}) не совпадает с числом "
                f"участников в статистике по отметкам ({base.participants})",
            )
            continue
        entry = replace(base, lowered=obj.lowered, confirmed=obj.confirmed, raised=obj.raised)
        where = located or Located(entry, obj.sheet, obj.row, {})
        reading.vpr[obj.key] = Located(entry, where.sheet, where.row, where.titles)


def validate(reading: Reading) -> ResultsBatch:
    """Run the consistency rules on every entry; located errors go to `reading.errors`."""
    batch = ResultsBatch()
    checks: list[tuple[list[Located], Callable[[Any], Problems], list[Any]]] = [
        (list(reading.vpr.values()), check_vpr, batch.vpr),
        (reading.gia, check_gia, batch.gia),
        (reading.progression, check_progression, batch.progression),
        (reading.assessment, check_assessment, batch.assessment),
    ]
    for located, check, out in checks:
        seen: set[Any] = set()
        for loc in located:
            for name, message in check(loc.entry):
                title = loc.titles.get(name) or FIELD_TITLES.get(name, name)
                reading.error(loc.sheet, loc.row, title, message)
            key = _natural_key(loc.entry)
            if key in seen:
                reading.error(loc.sheet, loc.row, "—", "строка повторяет одну из строк выше")
            seen.add(key)
            out.append(loc.entry)
    return batch


def _natural_key(entry: Any) -> tuple[Any, ...]:
    if isinstance(entry, GiaEntry):
        return (entry.year, entry.exam, entry.subject)
    if isinstance(entry, ProgressionEntry):
        return (entry.year, entry.level)
    if isinstance(entry, AssessmentEntry):
        return (entry.year, entry.period, entry.grade, entry.class_label, entry.subject)
    return (entry.year, entry.grade, entry.class_label, entry.subject)


def run_import(services: Services, path: Path, mode: ImportMode, progress: Progress) -> str:
    reading = read_workbook(path, progress)
    known: dict[int, list[VprEntry]] = {}

    def existing(key: VprKey) -> VprEntry | None:
        rows = known.setdefault(key[0], services.results.vpr(key[0]))
        return next((e for e in rows if (e.year, e.grade, e.class_label, e.subject) == key), None)

    keep_objectivity(reading, existing)
    merge_objectivity(reading, existing)
    batch = validate(reading)
    if reading.errors:
        reading.errors.sort(key=lambda e: (e.sheet, e.row))
        raise XlsxRejected(reading.errors)
    if batch.is_empty():
        raise Invalid(
            f"В книге {path.name} не найдено таблиц результатов. Возьмите шаблон Опоры "
            "(«Документы» → «Шаблон для ввода результатов») или отчёт ФИС ОКО «Статистика по "
            "отметкам» / «Сравнение отметок с отметками по журналу». " + " ".join(reading.notes)
        )
    login_note = _claim_login(services, reading)
    counts = services.results.apply_batch(batch, replace=mode is ImportMode.REPLACE)
    progress.report(1, 1, "Готово")
    lines = [
        f"Импорт результатов из {path.name}: ВПР — {len(batch.vpr)}, ГИА — {len(batch.gia)}, "
        f"переводы и выпуск — {len(batch.progression)}, итоги года по классам — "
        f"{len(batch.assessment)} строк; {counts.text()}.",
        *reading.notes,
    ]
    if login_note:
        lines.append(login_note)
    return "\n".join(lines)


def _claim_login(services: Services, reading: Reading) -> str | None:
    """A report of another school is refused; the first report's login is stored (said so)."""
    if len(reading.logins) > 1:
        raise Invalid(
            "В книге отчёты разных школ (логины ФИС ОКО: "
            + ", ".join(sorted(reading.logins))
            + "). Загрузите отчёты своей школы."
        )
    return services.site.claim_fisoko_login(next(iter(reading.logins))) if reading.logins else None


register(XlsxImporter("results", "Результаты (шаблон Опоры или отчёт ФИС ОКО)", run_import))
