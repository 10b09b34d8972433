"""A signed package from an enrolled school changes only that school's own rows (DESIGN §7).

School B's key is real and trusted; what it forges passes every container check. Each attack
is refused as a whole, with nothing changed at the district, whatever order packages arrive in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from models import RoadmapItem, RoadmapOccurrence, SelfAudit, stable_id
from models.roadmap import occurrence_id
from services.app import Services
from services.roadmap.fields import ItemFields
from services.roadmap.queries import RoadmapItemRead
from services.sync.report import ImportReport
from tests.services.forge_support import World, foreign_rows, make_world, record
from tests.services.sync_support import synced

HONEST = ("a1", "a2", "b1")


@pytest.fixture(scope="module")
def world(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(template_db, tmp_path_factory.mktemp("trust"))


def _edit_a_measure(a: Services) -> str:
    """The school reworded an anti-risk measure and moved it to another factor."""
    with a.db.session() as s:
        item = s.exec(select(RoadmapItem).where(RoadmapItem.risk_factor_code != None)).first()  # noqa: E711
        assert item is not None
        fields = ItemFields.of(RoadmapItemRead.model_validate(item))
    a.roadmap.update_item(
        item.id, fields.changed(title="Семинар (своими словами)", risk_factor_code="R01")
    )
    return item.id


@pytest.fixture(scope="module")
def files(world: World) -> dict[str, Path]:
    a, b = world.a, world.b
    out = {"a1": world.honest(a, "a1"), "b1": world.honest(b, "b1")}
    _edit_a_measure(a)
    out["a2"] = world.honest(a, "a2")
    district = world.district()
    theirs = foreign_rows(district, world.district_id)
    district.db.close()
    mine = foreign_rows(a, world.a_id)
    b_id, a_id = world.b_id, world.a_id
    items = [
        record(
            "roadmap_item",
            b_id,
            roadmap_id=mine["roadmap"],
            section_id=mine["roadmap_section"],
            title=f"Мероприятие {n}",
        )
        for n in range(20)
    ]
    done = [
        record(
            "roadmap_occurrence",
            b_id,
            occurrence_id(i.row["id"], None),
            item_id=i.row["id"],
            roadmap_id=mine["roadmap"],
            end_date=None,
            seq=0,
            status="done",
        )
        for i in items
    ]
    out["cross"] = world.forge("cross", [*world.partition(b), *items, *done])
    flags = {"is_low_results": True, "is_500plus": True, "notes": "Подставной П. П."}
    status = record("school_status", b_id, stable_id("status", a_id), school_id=a_id, **flags)
    out["status"] = world.forge("status", [*world.partition(b), status])
    threshold = record("threshold", b_id, stable_id("threshold", "VPR_FAIL", 2025),
                       indicator_code="VPR_FAIL", year=2025, value=99.0)  # fmt: skip
    out["threshold"] = world.forge("threshold", [*world.partition(b), threshold])
    years = [x.year for x in world.rows_of(a, SelfAudit)]
    squat = [record("self_audit", b_id, stable_id("audit", a_id, y), year=y) for y in years]
    out["squat"] = world.forge("squat", [*world.partition(b), *squat])
    municipal = record("roadmap_section", b_id, roadmap_id=theirs["roadmap"], title="Чужой раздел")
    out["municipal"] = world.forge("municipal", [*world.partition(b), municipal])
    return out


def _import(district: Services, path: Path) -> ImportReport:
    return district.sync.import_files([path], dry_run=False)[0]


def _refused(rep: ImportReport) -> None:
    assert rep.verdict == "refused" and rep.code == "scope", rep.reason
    assert "Нарушение границ данных" in rep.reason
    assert not any("Данные приняты" in w for w in rep.warnings) and not rep.counts


def _items_of(district: Services, roadmap_id: str) -> list[tuple[str, str]]:
    with district.db.session() as s:
        rows = s.exec(
            select(RoadmapOccurrence).where(RoadmapOccurrence.roadmap_id == roadmap_id)
        ).all()
        return sorted((r.owner, str(r.status)) for r in rows)


def test_items_added_to_another_schools_roadmap_are_refused(
    world: World, files: dict[str, Path]
) -> None:
    district = world.district()
    assert _import(district, files["a1"]).verdict == "applied"
    roadmap = foreign_rows(world.a, world.a_id)["roadmap"]
    before, items = synced(district.db), _items_of(district, roadmap)
    rep = _import(district, files["cross"])
    _refused(rep)
    assert "«Мероприятия дорожных карт», поле roadmap_id" in rep.reason
    assert synced(district.db) == before and _items_of(district, roadmap) == items
    _refused(_import(district, files["municipal"]))  # nor into the district's own roadmap
    assert synced(district.db) == before


@pytest.mark.parametrize(
    ("name", "title"), [("status", "Статус школы"), ("threshold", "Пороговые")]
)
def test_a_school_cannot_send_district_tables(
    world: World, files: dict[str, Path], name: str, title: str
) -> None:
    district = world.district()
    before = synced(district.db)
    rep = _import(district, files[name])
    _refused(rep)
    assert f"таблица «{title}" in rep.reason and "только управлением" in rep.reason
    assert synced(district.db) == before


def test_a_squatted_self_audit_id_does_not_lock_out_its_owner(
    world: World, files: dict[str, Path]
) -> None:
    district = world.district()
    _refused(_import(district, files["squat"]))
    assert _import(district, files["a1"]).verdict == "applied"
    with district.db.session() as s:
        owners = {x.owner for x in s.exec(select(SelfAudit)).all()}
    assert owners == {world.a_id}


def test_an_edited_anti_risk_measure_keeps_its_id_and_is_accepted(
    world: World, files: dict[str, Path]
) -> None:
    district = world.district()
    assert [r.verdict for r in district.sync.import_files([files["a1"], files["a2"]], dry_run=False)] == ["applied", "applied"]  # fmt: skip  # noqa: E501
    with district.db.session() as s:
        titles = {i.title for i in s.exec(select(RoadmapItem)).all()}
    assert "Семинар (своими словами)" in titles


_reference: dict[tuple[str, ...], object] = {}


def _honest_only(world: World, files: dict[str, Path], names: tuple[str, ...]) -> object:
    if names not in _reference:
        district = world.district()
        for name in names:
            assert _import(district, files[name]).verdict == "applied"
        _reference[names] = synced(district.db)
        district.db.close()
    return _reference[names]


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(order=st.permutations(["a1", "a2", "b1", "cross", "status", "threshold", "squat"]),
       keep=st.lists(st.booleans(), min_size=7, max_size=7))  # fmt: skip
def test_any_order_of_honest_and_forged_packages(
    world: World, files: dict[str, Path], order: list[str], keep: list[bool]
) -> None:
    chosen = [n for n, k in zip(order, keep, strict=True) if k]
    district = world.district()
    try:
        for name in chosen:
            rep = _import(district, files[name])
            if name in HONEST:
                assert rep.verdict == "applied", (name, rep.reason)
            else:  # a reference to a row not stored yet is refused as missing instead
                assert rep.verdict == "refused" and rep.code in ("scope", "record"), rep.reason
        honest = tuple(n for n in HONEST if n in chosen)
        assert synced(district.db) == _honest_only(world, files, honest)
    finally:
        district.db.close()


def test_a_package_refused_at_the_merge_never_says_the_data_was_accepted(
    world: World, files: dict[str, Path]
) -> None:
    """B sends A's own roadmap row (a random id, so only the merge sees whose it is), with a
    clock far ahead: the clock warning says «Данные приняты», which must not reach the report."""
    district = world.district()
    assert _import(district, files["a1"]).verdict == "applied"
    roadmap = foreign_rows(world.a, world.a_id)["roadmap"]
    taken = record("roadmap", world.b_id, roadmap, title="Чужая", period_start="2025-09-01")
    before = synced(district.db)
    rep = _import(district, world.forge("taken", [*world.partition(world.b), taken]))
    _refused(rep)
    assert synced(district.db) == before
