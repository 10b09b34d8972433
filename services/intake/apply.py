"""Storing a previewed roadmap: exactly the preview's sections and items, in one transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, replace
from datetime import date
from typing import TYPE_CHECKING

from models.roadmap import ItemStatus
from services.core.errors import Invalid
from services.core.formatting import plural
from services.documents.spreadsheets import ImportMode
from services.intake.common import warnings_text
from services.intake.period import ExistingRoadmap, PeriodSource, span_text
from services.intake.preview import ItemDraft, RoadmapPreview, render
from services.roadmap.headings import SectionSpec, nest_headings
from services.roadmap.importing import Heading
from services.roadmap.service import ItemFields

if TYPE_CHECKING:
    from services.app import Services


def apply_roadmap(
    services: Services, preview: RoadmapPreview, mode: ImportMode, on: date | None = None
) -> str:
    """Write the preview into the current roadmap; returns the summary with every warning.

    A copy of the database is made first (the day's first, then «перед загрузкой Excel»), as
    for every command that changes data: a replace moves the old items to the «Корзина».
    """
    if services.db.db_path is not None:
        services.backups.before_change("before-xlsx")
    today = on or date.today()
    current = services.roadmap.current(today)
    if mode is ImportMode.ASK and current and services.roadmap.items(current.id):
        raise Invalid(
            "Дорожная карта уже заполнена. Укажите, что сделать с файлом: --append (добавить "
            "мероприятия к имеющимся) или --replace (заменить; прежние мероприятия попадут "
            "в «Корзину»)."
        )
    blocks = _blocks(preview)
    # The preview's period becomes the roadmap's (the preview said so when it differs). A
    # preview made without knowing the roadmap (`existing`) leaves an existing period alone.
    chosen = preview.period_source
    unsure = chosen is PeriodSource.DEFAULT and preview.existing is None and current is not None
    period = None if unsure else preview.period
    named = chosen in (PeriodSource.TITLE, PeriodSource.USER)
    title = next((t for t in preview.detected.title_lines if named and t), "")
    _, added = services.roadmap.import_items(
        blocks, replace=mode is ImportMode.REPLACE, on=today, period=period, title=title[:300]
    )
    lines = [
        f"Загружено в дорожную карту: {plural(added, 'мероприятие', 'мероприятия', 'мероприятий')}"
        f" в {plural(_stored_sections(blocks), 'разделе', 'разделах', 'разделах')}."
    ]
    kept = (current.period_start, current.period_end) if current else preview.period
    if unsure and kept != preview.period:
        lines.append(
            f"Сроки прочитаны в периоде дорожной карты ({span_text(kept)}), а не в показанном "
            f"учебном году ({span_text(preview.period)})."
        )
    lines += warnings_text(preview.warnings)
    return "\n".join(lines)


def existing_roadmap(services: Services, on: date | None = None) -> ExistingRoadmap | None:
    """The roadmap an import goes into (its period, its number of items), None when none yet."""
    current = services.roadmap.current(on or date.today())
    if current is None:
        return None
    count = len(services.roadmap.items(current.id))
    return ExistingRoadmap((current.period_start, current.period_end), count)


def _blocks(preview: RoadmapPreview) -> list[tuple[Heading, list[ItemFields]]]:
    """The items under the sections their headings describe, nested by their numbering.

    One block per section in plan order (the items outside any section first); a heading that
    only holds a task («(Создать …)») adds it to its section instead of making another one.
    """
    held = Counter(item.section for item in preview.items)
    specs, index_of = nest_headings(
        preview.section_titles, [held[t] for t in preview.section_titles]
    )
    _nest_as_previewed(preview, specs, index_of)
    section_of = {t: index_of[n] for n, t in reversed(list(enumerate(preview.section_titles)))}
    loose: list[ItemFields] = []
    per_section: list[list[ItemFields]] = [[] for _spec in specs]
    for item in preview.items:
        if item.section_at is not None and item.section_at < len(index_of):
            at: int | None = index_of[item.section_at]  # by position: titles may repeat
        else:
            at = section_of.get(item.section) if item.section else None
        (loose if at is None else per_section[at]).append(_fields(item.fields))
    blocks: list[tuple[Heading, list[ItemFields]]] = [(None, loose)] if loose else []
    shift = len(blocks)
    for spec, values in zip(specs, per_section, strict=True):
        parent = spec.parent + shift if spec.parent is not None else None
        blocks.append((replace(spec, parent=parent), values))
    return blocks


def _nest_as_previewed(
    preview: RoadmapPreview, specs: list[SectionSpec], index_of: list[int]
) -> None:
    """Each section's parent is the one the preview showed, so apply stores what the user saw.

    The preview's outline read the numbering («I.» › «1.» › «1.1», «Раздел» › «Задача»).
    """
    if len(preview.sections) != len(index_of):
        return
    made: set[int] = set()
    for n, section in enumerate(preview.sections):
        at = index_of[n]
        if at in made:  # a heading that only held a task, merged into its section
            continue
        made.add(at)
        parent = index_of[section.parent] if section.parent is not None else None
        if parent is not None and parent >= at:
            parent = specs[at].parent  # never a parent after its child
        # the number the preview showed («Раздел 1», «1.1») is kept even where the title did
        # not carry it
        number = section.number.rstrip(".") or specs[at].number
        specs[at] = replace(specs[at], parent=parent, number=number)


def _stored_sections(blocks: list[tuple[Heading, list[ItemFields]]]) -> int:
    return sum(1 for heading, _values in blocks if heading)


def _fields(draft: ItemDraft) -> ItemFields:
    return ItemFields(**(asdict(draft) | {"status": ItemStatus(draft.status)}))


__all__ = ["apply_roadmap", "existing_roadmap", "render"]
