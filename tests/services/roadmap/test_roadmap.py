"""Roadmap services: editing, the «Корзина», execution %, overdue items, entry points."""

from __future__ import annotations

from datetime import date

import pytest

from models import Role
from models.roadmap import ItemStatus, Roadmap, RoadmapBase, RoadmapItem
from services.app import Services
from services.core.errors import Invalid, NotFound
from services.roadmap.demo import RoadmapDemo
from services.roadmap.queries import ItemDraft, append_items, execution_ratio, overdue_items
from services.roadmap.service import ItemFields
from services.site.profile import own_site_id

YEAR = RoadmapBase(
    title="Дорожная карта", period_start=date(2025, 9, 1), period_end=date(2026, 8, 31)
)


def _roadmap(school: Services) -> str:
    return school.roadmap.save_roadmap(YEAR)


def test_items_get_numbers_and_dates_from_their_wording(school: Services) -> None:
    rid = _roadmap(school)
    sec = school.roadmap.add_section(rid, "Организационно-методическая деятельность")
    a = school.roadmap.add_item(rid, sec, ItemFields("Разработка плана", "Декабрь"))
    b = school.roadmap.add_item(rid, sec, ItemFields("Анализ ВПР", "Февраль-март"))
    c = school.roadmap.add_item(rid, sec, ItemFields("Что-то", "по согласованию"))
    items = {i.id: i for i in school.roadmap.items(rid)}
    assert [items[x].number for x in (a, b, c)] == ["1.1.", "1.2.", "1.3."]
    assert (items[a].start_date, items[a].end_date) == (date(2025, 12, 1), date(2025, 12, 31))
    assert items[b].end_date == date(2026, 3, 31)
    assert not items[c].deadline_understood
    assert (items[c].start_date, items[c].end_date) == (None, None)  # unreadable: no due date


def test_an_unread_deadline_is_left_out_of_execution_and_overdue(school: Services) -> None:
    """Not understood is not «due at the end of the period»: no figure counts the item."""
    rid = _roadmap(school)
    sec = school.roadmap.add_section(rid, "Раздел")
    school.roadmap.add_item(rid, sec, ItemFields("Понятный", "Октябрь"))
    unread = school.roadmap.add_item(rid, sec, ItemFields("Непонятный", "по согласованию"))
    after_period = date(2026, 9, 15)
    ex = school.roadmap.execution(rid, after_period)
    assert (ex.overall.numerator, ex.overall.denominator, ex.overdue) == (0, 1, 1)
    with school.db.session() as s:
        owner = own_site_id(s)
        assert [i.title for i in overdue_items(s, owner, after_period)] == ["Понятный"]
        ratio = execution_ratio(s, owner, after_period)
        assert (ratio.numerator, ratio.denominator) == (0, 1)
    school.roadmap.set_status([unread], ItemStatus.DONE, date(2026, 1, 10))
    ex = school.roadmap.execution(rid, after_period)
    assert (ex.overall.numerator, ex.overall.denominator) == (0, 1)


def test_editing_the_wording_or_the_period_rederives_the_dates(school: Services) -> None:
    rid = _roadmap(school)
    iid = school.roadmap.add_item(rid, None, ItemFields("Мероприятие", "Май"))
    item = school.roadmap.items(rid)[0]
    school.roadmap.update_item(iid, ItemFields.of(item).changed(deadline_text="Октябрь"))
    assert school.roadmap.items(rid)[0].end_date == date(2025, 10, 31)
    school.roadmap.save_roadmap(
        YEAR.model_copy(update={"period_start": date(2026, 9, 1), "period_end": date(2027, 8, 31)}),
        rid,
    )
    assert school.roadmap.items(rid)[0].end_date == date(2026, 10, 31)


def test_validation_refuses_in_russian_and_changes_nothing(school: Services) -> None:
    rid = _roadmap(school)
    with pytest.raises(Invalid, match="Укажите название"):
        school.roadmap.add_item(rid, None, ItemFields("   "))
    with pytest.raises(Invalid, match="Конец периода"):
        school.roadmap.save_roadmap(YEAR.model_copy(update={"period_end": date(2020, 1, 1)}), rid)
    assert school.roadmap.items(rid) == []


def test_move_bulk_status_delete_and_restore(school: Services) -> None:
    rid = _roadmap(school)
    ids = [school.roadmap.add_item(rid, None, ItemFields(f"М{n}", "Октябрь")) for n in range(3)]
    school.roadmap.move_item(ids[2], -2)
    assert [i.title for i in school.roadmap.items(rid)] == ["М2", "М0", "М1"]
    assert school.roadmap.set_status(ids[:2], ItemStatus.DONE) == 2
    done = [i for i in school.roadmap.items(rid) if i.status is ItemStatus.DONE]
    assert all(i.completion_date == date.today() for i in done)
    school.roadmap.delete_items([ids[0]])
    assert [i.title for i in school.roadmap.trash(rid)] == ["М0"]
    assert len(school.roadmap.items(rid)) == 2
    school.roadmap.restore_items([ids[0]])
    assert school.roadmap.trash(rid) == []
    assert len(school.roadmap.items(rid)) == 3


def test_deleting_a_section_tombstones_its_items_and_undo_brings_them_back(
    school: Services,
) -> None:
    rid = _roadmap(school)
    sec = school.roadmap.add_section(rid, "Раздел")
    school.roadmap.add_item(rid, sec, ItemFields("М", "Октябрь"))
    removed = school.roadmap.delete_section(sec)
    assert school.roadmap.items(rid) == [] and school.roadmap.sections(rid) == []
    with school.db.session(stamp=False) as s:  # tombstones, never hard deletes
        assert s.get(RoadmapItem, removed[0]) is not None
    school.roadmap.restore_section(sec, removed)
    assert [i.title for i in school.roadmap.items(rid)] == ["М"]


def test_execution_per_section_and_overall(school: Services) -> None:
    rid = _roadmap(school)
    s1 = school.roadmap.add_section(rid, "Первый")
    s2 = school.roadmap.add_section(rid, "Второй")
    due = [school.roadmap.add_item(rid, s1, ItemFields(f"д{n}", "Октябрь")) for n in range(3)]
    later = school.roadmap.add_item(rid, s2, ItemFields("позже", "Июнь"))
    cancelled = school.roadmap.add_item(rid, s2, ItemFields("отменено", "Октябрь"))
    school.roadmap.set_status(due[:2], ItemStatus.DONE, date(2025, 10, 20))
    school.roadmap.set_status([cancelled], ItemStatus.CANCELLED)
    ex = school.roadmap.execution(rid, date(2025, 11, 15))
    assert (ex.overall.numerator, ex.overall.denominator) == (2, 3)
    assert ex.overdue == 1
    by_title = {x.title: x for x in ex.sections}
    assert by_title["Первый"].ratio.value == pytest.approx(200 / 3)
    assert by_title["Второй"].ratio.value is None  # nothing due there yet: «нет данных»
    school.roadmap.set_status([later], ItemStatus.DONE, date(2025, 11, 1))  # done early
    ex = school.roadmap.execution(rid, date(2025, 11, 15))
    assert (ex.overall.numerator, ex.overall.denominator) == (3, 4)


def test_rows_of_another_organisation_cannot_be_edited(school: Services) -> None:
    with school.db.session() as s:
        other = Roadmap(
            owner="other-site",
            title="Чужая",
            period_start=YEAR.period_start,
            period_end=YEAR.period_end,
        )
        s.add(other)
        s.flush()
        s.add(RoadmapItem(id="x1", owner="other-site", roadmap_id=other.id, title="Чужое"))
    with pytest.raises(Invalid, match="другой организации"):
        school.roadmap.set_status(["x1"], ItemStatus.DONE)
    with pytest.raises(NotFound):
        school.roadmap.update_item("missing", ItemFields("М"))


def test_interface_functions_for_other_areas(school: Services) -> None:
    on = date(2025, 12, 10)
    drafts = [
        ItemDraft("d-1", "Антирисковая мера 1", "Декабрь", risk_factor_code="R01"),
        ItemDraft("d-2", "Антирисковая мера 2", "Ноябрь", risk_factor_code="R02"),
    ]
    with school.db.session() as s:
        owner = own_site_id(s)
        assert execution_ratio(s, owner, on).value is None  # no roadmap: «нет данных»
        assert append_items(s, owner, "Антирисковые меры", drafts, on) == 2
    with school.db.session() as s:
        assert append_items(s, owner, "антирисковые меры", drafts, on) == 0  # idempotent
    rid = school.roadmap.current(on)
    assert rid is not None and rid.period_start == date(2025, 9, 1)
    school.roadmap.delete_items(["d-1"])
    with school.db.session() as s:
        assert append_items(s, owner, "Антирисковые меры", drafts, on) == 0  # deleted stays
        late = overdue_items(s, owner, on)
        assert [i.title for i in late] == ["Антирисковая мера 2"]
        assert late[0].risk_factor_code == "R02"
        ratio = execution_ratio(s, owner, on)
        assert (ratio.numerator, ratio.denominator) == (0, 1)
    assert [x.title for x in school.roadmap.sections(rid.id)] == ["Антирисковые меры"]


@pytest.mark.parametrize("role", [Role.SCHOOL, Role.DISTRICT])
def test_demo_is_a_live_current_roadmap(services: Services, role: Role) -> None:
    services.site.initialize(role, "Организация", "12345")
    today = date(2026, 11, 23)
    RoadmapDemo(services.db, services.paths.resources_dir).fill_demo(role, today)
    current = services.roadmap.current(today)
    assert current is not None
    items = services.roadmap.items(current.id)
    assert len(items) >= 14
    assert all(i.deadline_understood for i in items)
    ex = services.roadmap.execution(current.id, today)
    assert ex.overall.value is not None and 0 < ex.overall.value < 100
    statuses = {i.status for i in items}
    assert {ItemStatus.DONE, ItemStatus.PLANNED} <= statuses
