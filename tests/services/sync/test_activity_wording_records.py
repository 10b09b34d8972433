"""Schema 0009 (an ИППР activity's deadline wording): a 0008 school's package reads here, a
program of 0008 refuses ours as newer."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from models.staff import ActivityForm, DevelopmentActivity, DevelopmentPlan
from services.app import Services
from services.core import db as core_db
from services.packages.types import Record
from services.sync.rows import row_to_json
from tests.services.sync_support import dump, hlc, own_id, package, site_row, teacher, trust

SCHOOL = "11111111-1111-4111-8111-111111111111"


def _records(worded: bool) -> list[Record]:
    plan = DevelopmentPlan(
        id="p1", owner=SCHOOL, hlc=hlc(1), teacher_id="t1",
        period_start=date(2024, 9, 1), period_end=date(2025, 8, 31),
    )  # fmt: skip
    activity = row_to_json(
        DevelopmentActivity(
            id="a1", owner=SCHOOL, hlc=hlc(1), plan_id="p1", form=ActivityForm.COURSE,
            title="Курсы ПК", deadline_text="по графику ИРО",
        )
    )  # fmt: skip
    if not worded:  # as a program of schema 0008 writes it
        del activity["deadline_text"]
    return [
        site_row(SCHOOL, 1),
        teacher("t1", SCHOOL, 1),
        Record("development_plan", row_to_json(plan)),
        Record("development_activity", activity),
    ]


def test_a_0008_schools_activities_are_read_with_an_empty_wording(district: Services) -> None:
    trust(district, SCHOOL)
    pkg = package(SCHOOL, own_id(district), 1, _records(worded=False), schema="0008")
    rep = district.sync.import_package(pkg, dry_run=False)
    assert rep.verdict == "applied", rep.reason
    assert any("более старой версией" in w for w in rep.warnings)
    with district.db.session(stamp=False) as s:
        row = s.exec(select(DevelopmentActivity)).one()
        assert (row.title, row.deadline_text) == ("Курсы ПК", "")


def test_a_program_of_schema_0008_refuses_a_0009_package_and_changes_nothing(
    district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    trust(district, SCHOOL)
    known = core_db.SCHEMA_REVISIONS
    monkeypatch.setattr(core_db, "SCHEMA_REVISIONS", known[: known.index("0008") + 1])
    before = dump(district.db)
    pkg = package(SCHOOL, own_id(district), 1, _records(worded=True), schema="0009")
    rep = district.sync.import_package(pkg, dry_run=False)
    assert rep.verdict == "refused" and "Обновите Опору" in rep.reason and "«0009»" in rep.reason
    assert dump(district.db) == before
