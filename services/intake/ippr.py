"""A teacher's ИППР activities typed as a Word or Excel table: what an import stores.

`preview_ippr` runs read → detect → map (the one pipeline, `Shape` IPPR) and turns each row into
the `ActivityDraft` that will be stored. Its deficit is the «Дефицит / задача» cell, else the
section row above it («1. Предметные дефициты»); each distinct one becomes a deficit of the plan
with its area read from its words (`values.json`), or «Методические» and a warning.

Deadlines are read by the roadmap's parser inside the plan's period (the user's, `--period`, else
the title's, «на 2025/2026 учебный год», else the school year). Every activity keeps the deadline's
wording (`deadline_text`); one the parser does not understand gets no dates and is flagged «срок не
распознан», its title left as the plan words it. The form (курсы ПК, семинар, …) comes from the
«Форма» column, or from the title's words (`resources/intake/ippr/values.json`); when neither
names one, the activity is stored as «Самообразование» and the warning names it.
No data model here: `--dry-run` starts fast.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from services.core.errors import Invalid
from services.core.formatting import plural
from services.intake.common import (
    below_warnings,
    column_warnings,
    columns_text,
    head,
    records,
    skipped_text,
    warnings_text,
)
from services.intake.detect import Detected, detect
from services.intake.period import ChosenPeriod, PeriodSource, choose_period
from services.intake.preview import understood_text
from services.intake.readers import read_tables
from services.intake.shapes import IPPR
from services.intake.vocabulary import Vocabulary
from services.roadmap.deadlines import Deadline, parse_deadline

VALUES = "values.json"
DEFAULT_FORM = "self_education"
DEFAULT_AREA = "methodical"
WORDING = 500  # `DevelopmentActivityBase.deadline_text`
# `models.staff.ActivityStatus` values by the words a plan marks them with.
STATUS_WORDS = {
    "": "planned",
    "запланировано": "planned",
    "не выполнено": "planned",
    "выполняется": "in_progress",
    "в работе": "in_progress",
    "в процессе": "in_progress",
    "выполнено": "done",
    "выполнен": "done",
    "да": "done",
    "+": "done",
    "пройдено": "done",
    "отменено": "cancelled",
}
_HOURS = re.compile(r"(\d{1,4}(?:[.,]\d+)?)\s*(?:ч\.?|час\w*|ак\.\s*ч\.?)?")


@dataclass(frozen=True, slots=True)
class ActivityDraft:
    """An activity as stored: the attributes of `DevelopmentActivityBase` but the plan."""

    title: str
    form: str  # a `models.staff.ActivityForm` value
    provider: str = ""
    hours: float | None = None
    start_date: date | None = None
    end_date: date | None = None
    deadline_text: str = ""  # the wording, whitespace collapsed: dates or not
    expected_result: str = ""
    report_form: str = ""
    status: str = "planned"
    certificate_number: str = ""


@dataclass(slots=True)
class IpprItem:
    fields: ActivityDraft
    deadline_text: str
    deadline: Deadline
    form_from: str  # «столбец», «по названию», «не указана»
    deficit: str = ""  # the deficit it addresses (a key of `IpprPreview.deficits`)


@dataclass(slots=True)
class IpprPreview:
    source: str
    detected: Detected
    chosen: ChosenPeriod
    items: list[IpprItem]
    warnings: list[str] = field(default_factory=list)
    deficits: dict[str, str] = field(default_factory=dict)  # text → `DeficitArea` value
    words: Path = Path()  # the vocabulary's directory (`values.json`): a re-read needs it

    @property
    def period(self) -> tuple[date, date]:
        return self.chosen.period

    @property
    def period_from_title(self) -> bool:
        return self.chosen.source is PeriodSource.TITLE

    @property
    def not_understood(self) -> list[IpprItem]:
        return [i for i in self.items if not i.deadline.understood]


def preview_ippr(
    path: Path,
    vocabulary: Vocabulary,
    *,
    overrides: dict[str, str] | None = None,
    pick: str | None = None,
    period: tuple[date, date] | None = None,
    today: date | None = None,
) -> IpprPreview:
    """What importing `path` as one teacher's ИППР activities stores; raises `Invalid`.

    `vocabulary` is `load_vocabulary(paths.intake_dir / "ippr")`.
    """
    detected = detect(
        read_tables(Path(path)), vocabulary, overrides=overrides, pick=pick, shape=IPPR
    )
    if not any(c.field == "title" for c in detected.columns):
        raise Invalid(
            "Ни один столбец не назначен мероприятием. Укажите столбец с мероприятиями: "
            '--map "#N=title" (в окне загрузки — поле «Мероприятие»).'
        )
    chosen = choose_period(detected.title_lines, given=period, today=today)
    return _build(IpprPreview(Path(path).name, detected, chosen, [], words=vocabulary.directory))


def ippr_with_period(preview: IpprPreview, period: tuple[date, date] | None) -> IpprPreview:
    """The same table read in another period (None: the one found without the user's).

    Re-reads the deadlines only, not the file: the preview dialog calls it as the user edits
    the period's dates.
    """
    if period is None and preview.chosen.source is not PeriodSource.USER:
        return preview  # already read in the period found
    chosen = choose_period(preview.detected.title_lines, given=period)
    return _build(IpprPreview(preview.source, preview.detected, chosen, [], words=preview.words))


def _build(preview: IpprPreview) -> IpprPreview:
    detected, chosen = preview.detected, preview.chosen
    forms, areas = _values(preview.words, "forms"), _values(preview.words, "areas")
    for section, values in records(detected):
        item = _item(values, chosen.period, forms, preview.warnings)
        if item is not None:
            item.deficit = " ".join((values.get("deficit") or section).split())[:2000]
            preview.items.append(item)
            if item.deficit and item.deficit not in preview.deficits:
                preview.deficits[item.deficit] = form_of(item.deficit, areas) or ""
    preview.warnings[:0] = column_warnings(detected)
    _default_warnings(preview)
    preview.deficits = {t: a or DEFAULT_AREA for t, a in preview.deficits.items()}
    preview.warnings += below_warnings(detected)
    if not preview.items:
        raise Invalid(f"В таблице «{detected.label}» под заголовком нет ни одного мероприятия.")
    return preview


def _default_warnings(preview: IpprPreview) -> None:
    """Name the activities stored with a default form and the deficits with a default area."""
    defaulted = [i.fields.title[:60] for i in preview.items if i.form_from == "не указана"]
    if defaulted:
        preview.warnings.append(
            f"Форма не указана и не понята по названию ({len(defaulted)}) — записано "
            "«Самообразование», исправьте в карточке мероприятия: "
            + "; ".join(f"«{t}»" for t in defaulted)
        )
    guessed = [text for text, area in preview.deficits.items() if not area]
    if guessed:
        preview.warnings.append(
            f"Область дефицита не понята ({len(guessed)}) — записано «Методические», исправьте "
            "в карточке дефицита: " + "; ".join(f"«{t[:60]}»" for t in guessed)
        )


@lru_cache(maxsize=8)
def _values(directory: Path, kind: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    try:
        data = json.loads((directory / VALUES).read_text(encoding="utf-8"))[kind]
        return tuple((str(k), tuple(str(w) for w in v)) for k, v in data.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return ()  # no words: nothing is understood, and the warnings say so


def form_of(text: str, forms: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The form (or area) a cell names, by the starts of its words."""
    low = " " + " ".join(re.findall(r"[а-яёa-z-]+", text.lower().replace("ё", "е"))) + " "
    for name, stems in forms:
        if any(f" {stem}" in low for stem in stems):
            return name
    return None


def _item(
    values: dict[str, str],
    period: tuple[date, date],
    forms: tuple[tuple[str, tuple[str, ...]], ...],
    warnings: list[str],
) -> IpprItem | None:
    title = " ".join(values.get("title", "").split())
    if not title:
        rest = "; ".join(v for v in values.values() if v)
        if rest and not re.fullmatch(r"[\d.;\s]*", rest):
            warnings.append(f"Строка без мероприятия не загружена: «{rest[:100]}».")
        return None
    form_text = values.get("form", "")
    form, how = form_of(form_text, forms), "столбец"
    if form is None:
        form, how = form_of(title, forms), "по названию"
        if form_text:
            warnings.append(f"«{title[:60]}»: форма «{form_text}» не распознана.")
    if form is None:
        form, how = DEFAULT_FORM, "не указана"
    text = values.get("deadline", "")
    deadline = parse_deadline(text, *period)
    wording = " ".join(text.split())
    if len(wording) > WORDING:
        warnings.append(f"«{title[:60]}»: срок длиннее {WORDING} знаков — сохранено начало: "
                        f"«{wording[:60]}…».")  # fmt: skip
    draft = ActivityDraft(
        title=title[:1000],
        form=form,
        provider=values.get("provider", "")[:500],
        hours=_hours(title, values.get("hours", ""), warnings),
        start_date=deadline.start if deadline.understood else None,
        end_date=deadline.end if deadline.understood else None,
        deadline_text=wording[:WORDING],
        expected_result=values.get("result", "")[:2000],
        report_form=values.get("report_form", "")[:1000],
        status=_status(title, values.get("status", ""), warnings),
        certificate_number=values.get("certificate", "")[:100],
    )
    if not deadline.understood:
        warnings.append(f"Срок не распознан: «{wording}» («{title[:60]}») — мероприятие будет "
                        "сохранено без дат, со сроком как в файле.")  # fmt: skip
    return IpprItem(draft, text, deadline, how)


def _hours(title: str, text: str, warnings: list[str]) -> float | None:
    text = text.strip().lower()
    if text in ("", "-", "—"):
        return None
    match = _HOURS.fullmatch(text)
    if match:
        return float(match.group(1).replace(",", "."))
    warnings.append(f"«{title[:60]}»: часы «{text}» не распознаны — не заполнены.")
    return None


def _status(title: str, text: str, warnings: list[str]) -> str:
    status = STATUS_WORDS.get(text.strip().lower())
    if status is None:
        warnings.append(f"«{title[:60]}»: отметка «{text.strip()}» не распознана — статус "
                        "«Запланировано».")  # fmt: skip
        return "planned"
    return status


def _d(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def render_ippr(preview: IpprPreview, rows: int = 10, teacher: str = "") -> str:
    """The preview as text: mapping, ignored columns, first rows, deadlines, counts."""
    from services.staff.queries import AREA_TITLES, FORM_TITLES

    areas = {a.value: title for a, title in AREA_TITLES.items()}  # stored value → Russian
    forms = {f.value: title for f, title in FORM_TITLES.items()}
    d = preview.detected
    out = head(preview.source, d)
    if teacher:
        out.append(f"Педагог: {teacher}.")
    start, end = preview.period
    out.append(f"Период плана: {_d(start)} – {_d(end)} ({preview.chosen.source_text()}).")
    out += columns_text(d)
    if preview.deficits:
        out.append(f"Дефициты ({len(preview.deficits)}; будут добавлены в план, если их нет):")
        out += [
            f"  {text[:80]} → {areas.get(value, value)}" for text, value in preview.deficits.items()
        ]
    out.append(f"Первые строки (из {len(preview.items)}):")
    for item in preview.items[:rows]:
        f = item.fields
        wording = item.deadline_text.replace("\n", " ") or "—"
        kind = forms.get(f.form, f.form)
        out.append(f"  {f.title[:70]} | {kind} ({item.form_from}) | {wording} → "
                   f"{understood_text(item.deadline)} | {f.report_form[:40]}")  # fmt: skip
    out += skipped_text(d)
    out.append(
        f"Итого: {plural(len(preview.items), 'мероприятие', 'мероприятия', 'мероприятий')}, "
        f"срок не распознан: {len(preview.not_understood)}."
    )
    out += warnings_text(preview.warnings)
    return "\n".join(out)
