"""The preview: exactly what an import will store, and everything it will not (named).

`preview_roadmap` runs read → detect → map and turns each row into the `ItemDraft` that will be
stored, with each deadline as understood inside the period (the title's, when it names one).
`render` is the text the command line prints for `--dry-run` and after an import.

Nothing here imports the data model: `import-xlsx --dry-run` must not pay for loading SQLAlchemy
(about a second of start-up); `apply` turns each draft into the roadmap's `ItemFields`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from services.core.formatting import plural
from services.intake.common import (
    below_warnings,
    column_warnings,
    columns_text,
    head,
    skipped_text,
    warnings_text,
)
from services.intake.detect import Detected, detect
from services.intake.outline import Section
from services.intake.period import (
    ChosenPeriod,
    ExistingRoadmap,
    PeriodSource,
    choose_period,
    mismatch_text,
    span_text,
)
from services.intake.readers import read_tables
from services.intake.vocabulary import ITEM_ATTRIBUTES, Vocabulary
from services.roadmap.deadlines import Deadline, parse_deadline
from services.roadmap.recurrence import Planned, planned_periods

# The values of `models.roadmap.ItemStatus` by the words a plan marks them with (the status
# titles of the roadmap screen among them; a test keeps the two in step).
STATUS_WORDS = {
    "": "planned",
    "запланировано": "planned",
    "не выполнено": "planned",
    "выполняется": "in_progress",
    "в работе": "in_progress",
    "выполнено": "done",
    "да": "done",
    "выполнено частично": "partial",
    "перенесено": "postponed",
    "отменено": "cancelled",
}


@dataclass(frozen=True, slots=True)
class ItemDraft:
    """An item as it will be stored: the attributes of `ItemFields`, the status as its value."""

    title: str
    deadline_text: str = ""
    responsible: str = ""
    participants: str = ""
    expected_result: str = ""
    report_form: str = ""
    number: str = ""
    risk_factor_code: str | None = None
    status: str = "planned"
    completion_date: date | None = None
    evidence: str = ""
    comment: str = ""

    def changed(self, **changes: object) -> ItemDraft:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(slots=True)
class PreviewItem:
    section: str
    fields: ItemDraft
    deadline: Deadline
    section_at: int | None = None  # its section's index in `RoadmapPreview.sections`
    # the occurrences apply will store (one per year of «ежегодно», one per dated event, …)
    planned: tuple[Planned, ...] = ()


@dataclass(frozen=True, slots=True)
class PreviewSection:
    """A section as found: its number as written («I.», «1.1», «Раздел 2») and its depth.

    `level` counts from 1; `parent` is the index of the enclosing section in
    `RoadmapPreview.sections` (None at the top level).
    """

    title: str
    number: str = ""
    level: int = 1
    parent: int | None = None


@dataclass(slots=True)
class RoadmapPreview:
    source: str
    detected: Detected
    period: tuple[date, date]
    period_source: PeriodSource
    items: list[PreviewItem]
    section_titles: list[str]
    warnings: list[str] = field(default_factory=list)
    sections: list[PreviewSection] = field(default_factory=list)
    period_title: str = ""  # the title line that names the period
    existing: ExistingRoadmap | None = None  # the roadmap the import goes into

    @property
    def not_understood(self) -> list[PreviewItem]:
        return [i for i in self.items if not i.deadline.understood]

    @property
    def period_from_title(self) -> bool:
        return self.period_source is PeriodSource.TITLE

    @property
    def chosen(self) -> ChosenPeriod:
        return ChosenPeriod(self.period, self.period_source, self.period_title)


def preview_roadmap(
    path: Path,
    vocabulary: Vocabulary,
    *,
    overrides: dict[str, str] | None = None,
    pick: str | None = None,
    period: tuple[date, date] | None = None,
    existing: ExistingRoadmap | None = None,
    today: date | None = None,
) -> RoadmapPreview:
    """What importing `path` stores; raises `Invalid` when there is no table of measures.

    `vocabulary` is `load_vocabulary(paths.intake_dir)`: the header wordings it recognises.
    `period` is the user's; without it the title's, `existing`'s or the current school year
    (`services.intake.period`). `existing` is the roadmap the import goes into.
    """
    detected = detect(read_tables(Path(path)), vocabulary, overrides=overrides, pick=pick)
    chosen = choose_period(detected.title_lines, given=period, existing=existing, today=today)
    return _build(Path(path).name, detected, chosen, existing)


def with_period(preview: RoadmapPreview, period: tuple[date, date] | None) -> RoadmapPreview:
    """The same table read in another period (None: the one found without the user's).

    Re-reads the deadlines only, not the file: the preview dialog calls it as the user edits
    the period's dates.
    """
    lines = preview.detected.title_lines
    chosen = choose_period(lines, given=period, existing=preview.existing)
    if period is None and preview.period_source is PeriodSource.DEFAULT:
        chosen = preview.chosen  # the school year of the day the preview was made
    return _build(preview.source, preview.detected, chosen, preview.existing)


def _build(
    source: str, detected: Detected, chosen: ChosenPeriod, existing: ExistingRoadmap | None
) -> RoadmapPreview:
    period = chosen.period
    preview = RoadmapPreview(
        source, detected, period, chosen.source, [], [], period_title=chosen.title,
        existing=existing,
    )  # fmt: skip
    by_field = {c.field: c.index for c in detected.columns if c.field}
    if "title" not in by_field:  # only a reassignment leaves it out: every item would be nameless
        from services.core.errors import Invalid

        raise Invalid(
            "Ни один столбец не назначен мероприятием. Укажите столбец с мероприятиями: "
            '--map "#N=title" (в окне загрузки — поле «Мероприятие»).'
        )
    at: int | None = None
    for section in detected.sections:
        if section.title:
            at = _add_section(preview, section)
        for cells in section.rows:
            values = {name: _at(cells, col) for name, col in by_field.items()}
            item = _item(section.title, values, period, preview.warnings)
            item.section_at = at
            preview.items.append(item)
    mismatch = mismatch_text(chosen, existing)
    if mismatch:
        preview.warnings.insert(0, mismatch)
    _warn(preview)
    return preview


def _add_section(preview: RoadmapPreview, section: Section) -> int:
    """Append `section`; its parent is the nearest earlier section of a lower level."""
    parent = next(
        (n for n in range(len(preview.sections) - 1, -1, -1)
         if preview.sections[n].level < section.level),
        None,
    )  # fmt: skip
    level = preview.sections[parent].level + 1 if parent is not None else 1
    preview.sections.append(PreviewSection(section.title, section.number, level, parent))
    preview.section_titles.append(section.title)
    return len(preview.sections) - 1


def _at(cells: list[str], col: int) -> str:
    return cells[col].strip() if col < len(cells) else ""


def _item(
    section: str, values: dict[str, str], period: tuple[date, date], warnings: list[str]
) -> PreviewItem:
    deadline_text = values.get("deadline", "")
    if not deadline_text and (values.get("start") or values.get("end")):
        deadline_text = " – ".join(v for v in (values.get("start"), values.get("end")) if v)
    title = values.get("title", "")
    if not title:
        title = "(без названия)"
        warnings.append(f"Строка без мероприятия (№ «{values.get('number', '')}», срок "
                        f"«{deadline_text}») загружена с названием «{title}».")  # fmt: skip
    status = STATUS_WORDS.get(values.get("status", "").strip().lower())
    comment = values.get("comment", "")
    if status is None:
        warnings.append(f"«{title[:60]}»: отметка «{values['status']}» не распознана — "
                        "статус «Запланировано», отметка сохранена в комментарии.")  # fmt: skip
        comment = f"{comment}\nОтметка: {values['status']}".strip()
        status = "planned"
    attrs: dict[str, object] = {"title": title[:2000], "deadline_text": deadline_text[:300]}
    for name, attr in ITEM_ATTRIBUTES.items():
        if attr and attr not in attrs and name not in ("status", "completion_date", "comment"):
            attrs[attr] = values.get(name, "")
    attrs["number"] = str(attrs.get("number", ""))[:20]
    attrs["risk_factor_code"] = attrs.get("risk_factor_code") or None
    fields_ = ItemDraft(**attrs, status=status, comment=comment)  # type: ignore[arg-type]
    completion = _date(values.get("completion_date", ""))
    if completion is not None and completion <= date.today():
        fields_ = fields_.changed(completion_date=completion)
    elif values.get("completion_date"):
        warnings.append(f"«{title[:60]}»: дата выполнения «{values['completion_date']}» не "
                        "распознана — сохранена в комментарии.")  # fmt: skip
        fields_ = fields_.changed(
            comment=f"{comment}\nДата выполнения: {values['completion_date']}".strip()
        )
    planned = planned_periods(deadline_text, *period).periods
    return PreviewItem(section, fields_, parse_deadline(deadline_text, *period), planned=planned)


def _date(text: str) -> date | None:
    import re

    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*г\.?)?", text.strip())
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None
    except ValueError:
        return None


def _warn(preview: RoadmapPreview) -> None:
    d = preview.detected
    warnings = preview.warnings
    warnings += column_warnings(d, frozenset({"start", "end"}))
    for item in preview.not_understood:
        warnings.append(
            f"Срок не распознан: «{item.fields.deadline_text}» "
            f"(«{item.fields.title[:60]}») — сохранится текстом, без даты."
        )
    for item in preview.items:
        if len(item.planned) > 1:
            warnings.append(
                f"Несколько сроков: «{item.fields.deadline_text}» («{item.fields.title[:60]}») — "
                f"сохранится {planned_text(item.planned)}, у каждого своя отметка."
            )
    warnings += below_warnings(d)
    if not preview.items:
        from services.core.errors import Invalid

        raise Invalid(f"В таблице «{d.label}» под заголовком нет ни одного мероприятия.")


def _d(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def render(preview: RoadmapPreview, rows: int = 10) -> str:
    """The preview as text: mapping, ignored columns, sections, first rows, deadlines, counts."""
    d = preview.detected
    out = head(preview.source, d)
    out.append(f"Период карты: {span_text(preview.period)} ({preview.chosen.source_text()}).")
    out += columns_text(d)
    out.append(f"Разделы ({len(preview.sections)}):")
    out += section_lines(preview.sections)
    out.append(f"Первые строки (из {len(preview.items)}):")
    for item in preview.items[:rows]:
        f = item.fields
        wording = f.deadline_text.replace("\n", " ") or "—"
        out.append(
            f"  {f.number or '—'} | {f.title[:70]} | {wording} → "
            f"{understood_text(item.deadline, item.planned)}"
            f" | {f.responsible[:40]}"
        )
    out += skipped_text(d)
    out.append(
        f"Итого: {plural(len(preview.items), 'мероприятие', 'мероприятия', 'мероприятий')}, "
        f"{plural(len(preview.section_titles), 'раздел', 'раздела', 'разделов')}, "
        f"срок не распознан: "
        f"{len(preview.not_understood)}."
    )
    out += warnings_text(preview.warnings)
    return "\n".join(out)


def section_lines(sections: list[PreviewSection], indent: str = "  ") -> list[str]:
    """Each section on its line, its number first, indented by its depth."""
    return [f"{indent * s.level}{f'{s.number} ' if s.number else ''}{s.title}" for s in sections]


def understood_text(deadline: Deadline, planned: tuple[Planned, ...] = ()) -> str:
    """A deadline as the program understood it, as the preview prints it."""
    if not deadline.understood:
        return "срок не распознан"
    if deadline.end is None:
        return "срок не указан"  # no due date: left out of execution and overdue figures
    if len(planned) > 1:
        return planned_text(planned)
    if deadline.start and deadline.start != deadline.end:
        return f"{_d(deadline.start)}–{_d(deadline.end)}"
    return _d(deadline.end)


def planned_text(planned: tuple[Planned, ...], shown: int = 3) -> str:
    """«8 сроков: декабрь 2021, май 2022, декабрь 2022, …» — the occurrences apply will store."""
    names = [p.label or (_d(p.end) if p.end else "без даты") for p in planned]
    more = ", …" if len(names) > shown else ""
    count = plural(len(names), "срок", "срока", "сроков")
    return f"{count}: {', '.join(names[:shown])}{more}"
