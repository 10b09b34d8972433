"""Occurrences: a recurring or multi-date item has one status per planned date (model v2)."""

from __future__ import annotations

from datetime import date

from models.roadmap import ItemStatus, RoadmapBase
from services.app import Services
from services.roadmap.fields import OccurrenceFields
from services.roadmap.service import ItemFields

PROGRAMME = RoadmapBase(
    title="Программа на 2021–2024 годы",
    period_start=date(2021, 1, 1),
    period_end=date(2024, 12, 31),
)
SEMINARS = (
    "<p>Февраль 2022</p> <p>Март 2022</p> <p>Март 2022</p> <p>Апрель 2022</p> <p>Март 2022</p>"
)


def _item(school: Services, wording: str, roadmap: RoadmapBase = PROGRAMME) -> tuple[str, str]:
    rid = school.roadmap.save_roadmap(roadmap)
    item_id = school.roadmap.add_item(rid, None, ItemFields("Мероприятие", wording))
    return rid, item_id


def _occurrences(school: Services, rid: str) -> list[tuple[str, date | None, date | None]]:
    (item,) = school.roadmap.items(rid)
    return [(o.label, o.start_date, o.end_date) for o in item.occurrences]


def test_august_every_year_is_one_occurrence_per_year_each_with_its_own_status(
    school: Services,
) -> None:
    rid, _ = _item(school, "Август ежегодно")
    assert _occurrences(school, rid) == [
        (f"август {y}", date(y, 8, 1), date(y, 8, 31)) for y in (2021, 2022, 2023, 2024)
    ]
    (item,) = school.roadmap.items(rid)
    first = item.occurrences[0]
    assert school.roadmap.set_occurrence_status([first.id], ItemStatus.DONE, date(2021, 8, 20))
    (item,) = school.roadmap.items(rid)
    assert [o.status for o in item.occurrences] == [ItemStatus.DONE] + [ItemStatus.PLANNED] * 3
    # on 1 March 2023 two Augusts were due: one done, one overdue
    ex = school.roadmap.execution(rid, date(2023, 3, 1))
    assert (ex.overall.numerator, ex.overall.denominator, ex.overdue) == (1, 2, 1)


def test_april_2020_then_every_year_is_each_april_not_one_range_to_the_end(
    school: Services,
) -> None:
    period = RoadmapBase(title="План", period_start=date(2020, 1, 1), period_end=date(2027, 12, 31))
    rid, _ = _item(school, "Апрель 2020 г., далее – ежегодно", period)
    spans = [(start, end) for _label, start, end in _occurrences(school, rid)]
    assert spans == [(date(y, 4, 1), date(y, 4, 30)) for y in range(2020, 2028)]


def test_five_seminars_in_their_months_are_five_occurrences(school: Services) -> None:
    calendar = RoadmapBase(
        title="План", period_start=date(2022, 1, 1), period_end=date(2022, 12, 31)
    )
    rid, _ = _item(school, SEMINARS, calendar)
    ends = [end for _label, _start, end in _occurrences(school, rid)]
    assert ends == [date(2022, 2, 28), *[date(2022, 3, 31)] * 3, date(2022, 4, 30)]
    (item,) = school.roadmap.items(rid)
    assert len({o.id for o in item.occurrences}) == 5


def test_twice_a_year_quarterly_and_monthly(school: Services) -> None:
    year = RoadmapBase(title="План", period_start=date(2021, 9, 1), period_end=date(2022, 8, 31))
    rid = school.roadmap.save_roadmap(year)
    for wording in ("2 раза в год", "ежеквартально", "ежемесячно", "Февраль, июль"):
        school.roadmap.add_item(rid, None, ItemFields(wording, wording))
    ends = {i.title: [o.end_date for o in i.occurrences] for i in school.roadmap.items(rid)}
    assert ends["2 раза в год"] == [date(2021, 12, 31), date(2022, 5, 31)]
    assert [d.month for d in ends["ежеквартально"] if d] == [9, 12, 3, 6]
    assert len(ends["ежемесячно"]) == 12
    assert ends["Февраль, июль"] == [date(2022, 2, 28), date(2022, 7, 31)]


def test_an_unread_wording_has_one_undated_occurrence_left_out_of_the_figures(
    school: Services,
) -> None:
    rid, item_id = _item(school, "по согласованию с министерством")
    (item,) = school.roadmap.items(rid)
    assert not item.deadline_understood
    assert [(o.start_date, o.end_date) for o in item.occurrences] == [(None, None)]
    school.roadmap.set_status([item_id], ItemStatus.DONE, date(2022, 1, 10))
    ex = school.roadmap.execution(rid, date(2025, 1, 1))
    assert (ex.overall.denominator, ex.overdue) == (0, 0)


def test_a_period_change_keeps_recorded_occurrences_outside_it(school: Services) -> None:
    rid, _ = _item(school, "Август ежегодно")
    (item,) = school.roadmap.items(rid)
    aug21, aug22, aug23, aug24 = item.occurrences
    school.roadmap.update_occurrence(
        aug21.id, OccurrenceFields(ItemStatus.DONE, date(2021, 8, 30), "Справка", "")
    )
    school.roadmap.update_occurrence(aug23.id, OccurrenceFields(comment="перенесли на сентябрь"))
    shorter = PROGRAMME.model_copy(update={"period_start": date(2022, 1, 1),
                                           "period_end": date(2022, 12, 31)})  # fmt: skip
    school.roadmap.save_roadmap(shorter, rid)
    (item,) = school.roadmap.items(rid)
    kept = {o.id: o for o in item.occurrences}
    assert set(kept) == {aug21.id, aug22.id, aug23.id}  # 2024: nothing recorded, dropped
    assert not kept[aug22.id].outside_period
    assert kept[aug21.id].outside_period and kept[aug21.id].evidence == "Справка"
    assert kept[aug23.id].outside_period and kept[aug23.id].comment == "перенесли на сентябрь"
    # the period back: the same rows, the flag gone, the dropped year back as planned
    school.roadmap.save_roadmap(PROGRAMME, rid)
    (item,) = school.roadmap.items(rid)
    assert [o.id for o in item.occurrences] == [aug21.id, aug22.id, aug23.id, aug24.id]
    assert not any(o.outside_period for o in item.occurrences)
    assert item.occurrences[0].status is ItemStatus.DONE


def test_a_one_off_item_whose_deadline_moves_keeps_what_was_recorded(school: Services) -> None:
    rid, item_id = _item(school, "Март 2022")
    school.roadmap.set_status([item_id], ItemStatus.DONE, date(2022, 3, 20))
    (item,) = school.roadmap.items(rid)
    school.roadmap.update_item(item_id, ItemFields.of(item).changed(deadline_text="Апрель 2022"))
    (item,) = school.roadmap.items(rid)
    (occ,) = item.occurrences
    assert (occ.end_date, occ.status, occ.completion_date) == (
        date(2022, 4, 30),
        ItemStatus.DONE,
        date(2022, 3, 20),
    )


def test_occurrence_edits_undo_with_the_fields_read_before(school: Services) -> None:
    rid, _ = _item(school, "2 раза в год")
    (item,) = school.roadmap.items(rid)
    target = item.occurrences[1]
    before = OccurrenceFields.of(target)
    school.roadmap.update_occurrence(
        target.id, before.changed(status=ItemStatus.PARTIAL, evidence="Протокол № 3")
    )
    assert school.roadmap.occurrence(target.id).evidence == "Протокол № 3"
    school.roadmap.update_occurrence(target.id, before)
    assert OccurrenceFields.of(school.roadmap.occurrence(target.id)) == before


def test_deleting_an_item_takes_its_occurrences_out_of_the_counts(school: Services) -> None:
    rid, item_id = _item(school, "Август ежегодно")
    school.roadmap.delete_items([item_id])
    assert school.roadmap.execution(rid, date(2025, 1, 1)).overall.denominator == 0
    school.roadmap.restore_items([item_id])
    (item,) = school.roadmap.items(rid)
    assert len(item.occurrences) == 4
    assert school.roadmap.execution(rid, date(2025, 1, 1)).overall.denominator == 4


def test_nested_sections_come_in_plan_order_with_their_level(school: Services) -> None:
    rid = school.roadmap.save_roadmap(PROGRAMME)
    top = school.roadmap.add_section(rid, "Механизмы", number="I", task="(создать систему)")
    sub = school.roadmap.add_section(rid, "Система оценки", parent_id=top, number="1")
    other = school.roadmap.add_section(rid, "Кадры", number="II")
    item = school.roadmap.add_item(rid, sub, ItemFields("Мониторинг", "2 раза в год"))
    sections = school.roadmap.sections(rid)
    assert [(x.id, x.level, x.number) for x in sections] == [
        (top, 1, "I"),
        (sub, 2, "1"),
        (other, 1, "II"),
    ]
    assert sections[0].task == "(создать систему)"
    assert next(i for i in school.roadmap.items(rid) if i.id == item).number == "1.1."
    removed = school.roadmap.delete_section(top)
    assert [x.id for x in school.roadmap.sections(rid)] == [other]
    assert school.roadmap.items(rid) == []
    school.roadmap.restore_section(top, removed)
    assert [x.id for x in school.roadmap.sections(rid)] == [top, sub, other]
    assert [i.id for i in school.roadmap.items(rid)] == [item]
