"""`group_by_section`: the one rule that orders a roadmap's items under their sections."""

from __future__ import annotations

from services.roadmap import RoadmapItemRead, SectionGroup, SectionRead, group_by_section


def _section(sid: str, title: str) -> SectionRead:
    return SectionRead(id=sid, roadmap_id="r", title=title)


def _item(iid: str, section_id: str | None) -> RoadmapItemRead:
    return RoadmapItemRead(id=iid, owner="o", roadmap_id="r", section_id=section_id, title=iid)


def _shape(groups: list[SectionGroup]) -> list[tuple[int, str | None, list[str]]]:
    return [
        (g.number, g.section.title if g.section else None, [i.id for i in g.items]) for g in groups
    ]


def test_loose_items_first_then_sections_numbered_in_the_given_order() -> None:
    sections = [_section("b", "Кадры"), _section("a", "Методика")]
    items = [_item("1", "a"), _item("2", None), _item("3", "b"), _item("4", "a")]
    assert _shape(group_by_section(sections, items)) == [
        (0, None, ["2"]),
        (1, "Кадры", ["3"]),
        (2, "Методика", ["1", "4"]),
    ]


def test_empty_sections_stay_and_no_loose_group_without_loose_items() -> None:
    sections = [_section("a", "Методика"), _section("b", "Кадры")]
    assert _shape(group_by_section(sections, [_item("1", "b")])) == [
        (1, "Методика", []),
        (2, "Кадры", ["1"]),
    ]
    assert group_by_section([], []) == []


def test_an_item_of_an_unknown_section_is_kept_with_the_loose_items() -> None:
    # Its section was deleted on another computer while the item was added here.
    groups = group_by_section([_section("a", "Методика")], [_item("1", "gone"), _item("2", "a")])
    assert _shape(groups) == [(0, None, ["1"]), (1, "Методика", ["2"])]
    assert sorted(i.id for g in groups for i in g.items) == ["1", "2"]
