"""The ownership table (DESIGN §7): complete, and each rule refuses what it should."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models import SYNC_TABLES, Role, new_id, stable_id
from services.sync.ownership import OWNERSHIP, Points
from services.sync.ownership_checks import (
    OwnershipViolation,
    _derive,
    check_package,
    check_writer,
)

A = str(uuid.uuid4())  # school A
B = str(uuid.uuid4())  # school B, the sender of the forged rows


def test_every_synced_table_and_every_id_column_is_declared() -> None:
    assert {m.__tablename__ for m in SYNC_TABLES} == set(OWNERSHIP)
    for model in SYNC_TABLES:
        table = model.__table__  # type: ignore[attr-defined]
        rule = OWNERSHIP[table.name]
        declared = {r.column for r in rule.references} | set(rule.free)
        id_like = {c.name for c in table.columns if c.name.endswith("_id") or c.foreign_keys}
        assert id_like == declared, table.name
        for ref in rule.references:
            targets = {fk.column.table.name for fk in table.columns[ref.column].foreign_keys}
            assert not targets or targets == {ref.table}, (table.name, ref.column)


def test_school_owned_references_point_only_at_own_rows() -> None:
    for rule in OWNERSHIP.values():
        if rule.writer.value != "district":
            assert all(r.points is Points.OWN for r in rule.references), rule.table


@pytest.mark.parametrize(
    "table", ["school_status", "threshold", "district_comment", "catalogue_version"]
)
def test_a_school_may_not_send_district_tables(table: str) -> None:
    with pytest.raises(OwnershipViolation, match="только управлением"):
        check_writer(table, Role.SCHOOL)
    check_writer(table, Role.DISTRICT)


def test_the_district_may_not_send_school_tables() -> None:
    with pytest.raises(OwnershipViolation, match="только школой"):
        check_writer("self_audit", Role.DISTRICT)


def _rows(table: str, **row: object) -> dict[str, tuple[list[str], list[list[object]]]]:
    names = list(row)
    return {table: (names, [[row[n] for n in names]])}


def _nobody(_table: str, _ids: object) -> dict[str, str]:
    return {}


def test_a_derived_id_of_another_school_is_refused() -> None:
    squatted = stable_id("audit", A, 2025)  # A's self-audit of 2025, sent first by B
    with pytest.raises(OwnershipViolation, match="другая организация"):
        check_package(_rows("self_audit", id=squatted, year=2025), B, Role.SCHOOL, _nobody)
    own = stable_id("audit", B, 2025)
    check_package(_rows("self_audit", id=own, year=2025), B, Role.SCHOOL, _nobody)


def test_results_ids_are_recomputed_from_the_sender() -> None:
    key = {"year": 2025, "grade": 5, "class_label": "5А", "subject": "Математика"}
    forged = stable_id("vpr", A, 2025, 5, "5А", "Математика")
    with pytest.raises(OwnershipViolation):
        check_package(_rows("vpr_result", id=forged, **key), B, Role.SCHOOL, _nobody)
    honest = stable_id("vpr", B, 2025, 5, "5А", "Математика")
    check_package(_rows("vpr_result", id=honest, **key), B, Role.SCHOOL, _nobody)


def test_a_random_table_refuses_a_derived_looking_id() -> None:
    with pytest.raises(OwnershipViolation):
        check_package(
            _rows("teacher", id=stable_id("x", A), mentor_id=None), B, Role.SCHOOL, _nobody
        )
    check_package(_rows("teacher", id=new_id(), mentor_id=None), B, Role.SCHOOL, _nobody)


def test_an_anti_risk_measure_id_must_come_from_the_senders_own_audit() -> None:
    audit = stable_id("audit", B, 2025)
    item = {
        "roadmap_id": new_id(),
        "section_id": None,
        "risk_factor_code": "R01",
        "title": "Семинар",
    }
    rows: dict[str, tuple[list[str], list[list[object]]]] = {
        "self_audit": (["id", "year"], [[audit, 2025]]),
        "roadmap": (["id"], [[item["roadmap_id"]]]),
        "roadmap_item": (
            ["id", *item],
            [[stable_id("audit-measure", audit, "R01", "Семинар"), *item.values()]],
        ),
    }
    check_package(rows, B, Role.SCHOOL, _nobody)
    foreign_audit = stable_id("audit", A, 2025)
    rows["roadmap_item"][1][0][0] = stable_id("audit-measure", foreign_audit, "R01", "Семинар")
    with pytest.raises(OwnershipViolation):
        check_package(rows, B, Role.SCHOOL, _nobody)


def test_a_reference_to_another_schools_row_is_refused() -> None:
    a_roadmap = new_id()

    def stored(table: str, ids: object) -> dict[str, str]:
        return {a_roadmap: A} if table == "roadmap" else {}

    rows = _rows("roadmap_section", id=new_id(), roadmap_id=a_roadmap, parent_id=None)
    with pytest.raises(OwnershipViolation, match="ссылка на запись другой организации"):
        check_package(rows, B, Role.SCHOOL, stored)
    own = _rows("roadmap_section", id=new_id(), roadmap_id=a_roadmap, parent_id=None)
    check_package(own, A, Role.SCHOOL, stored)


def test_a_site_sends_only_its_own_row() -> None:
    check_package(_rows("site", id=B, parent_id=None), B, Role.SCHOOL, _nobody)
    with pytest.raises(OwnershipViolation):
        check_package(_rows("site", id=A, parent_id=None), B, Role.SCHOOL, _nobody)


def test_enum_columns_enter_a_recipe_by_value_as_the_district_made_the_id() -> None:
    # the import binds an enum as its name; `catalogues.publish` derived the id from its value
    cid = stable_id("catalogue", "risk_factors", 1)
    rows = _rows("catalogue_version", id=cid, kind="RISK_FACTORS", version=1)
    check_package(rows, A, Role.DISTRICT, _nobody)


def test_an_anti_risk_measure_the_school_reworded_keeps_its_id() -> None:
    audit = stable_id("audit", B, 2025)
    made = stable_id("audit-measure", audit, "R02", "Семинар")  # as `create_measures` made it
    item = {"roadmap_id": new_id(), "section_id": None, "risk_factor_code": "R01", "title": "Своё"}
    rows: dict[str, tuple[list[str], list[list[object]]]] = {
        "self_audit": (["id", "year"], [[audit, 2025]]),
        "roadmap": (["id"], [[item["roadmap_id"]]]),
        "roadmap_item": (["id", *item], [[made, *item.values()]]),
    }
    check_package(rows, B, Role.SCHOOL, _nobody, measures={("R02", "Семинар")})
    with pytest.raises(OwnershipViolation):
        check_package(rows, B, Role.SCHOOL, _nobody, measures={("R03", "Другое")})


def test_ids_that_no_recipe_derives_count_as_random() -> None:
    for rid in ("t1", new_id(), str(uuid.uuid1())):
        check_package(_rows("teacher", id=rid, mentor_id=None), B, Role.SCHOOL, _nobody)


def test_a_school_cannot_present_its_own_row_as_a_district() -> None:
    with pytest.raises(OwnershipViolation, match="другой вид"):
        check_package(_rows("site", id=B, parent_id=None, role="DISTRICT"), B, Role.SCHOOL, _nobody)
    check_package(_rows("site", id=B, parent_id=None, role="SCHOOL"), B, Role.SCHOOL, _nobody)


@given(st.lists(st.one_of(st.text(max_size=30), st.integers(), st.none()), max_size=5))
def test_the_fast_derivation_is_stable_id(parts: list[object]) -> None:
    assert _derive("p", *parts) == stable_id("p", *parts)
