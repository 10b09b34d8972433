"""The fused validator/binder of the import refuses exactly what `validate_record` refuses.

For every syncable table and every column, a list of hostile and ordinary JSON values goes
through both paths: `validate_record` followed by the column types' bind processors (what the
engine did before, and what SQLAlchemy stores), and `TablePlan.bind` (twice: the second time
from its cache of accepted dates). Both must refuse with the same message or give the same
statement parameters.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from typing import Any

import pytest
from sqlalchemy.dialects import sqlite
from sqlmodel import select

from models import DevelopmentPlan, Roadmap, RoadmapItem, Teacher
from services.app import Services
from services.packages.types import Record
from services.sync.bind import plan_for
from services.sync.rows import MAX_TEXT, TABLES, RowInvalid, validate_record
from tests.bench.region import _defaults, school_records
from tests.services.sync_support import hlc, own_id, package, trust

SCHOOL = "11111111-1111-4111-8111-111111111111"
NESTED: Any = "x"
for _ in range(50):
    NESTED = {"a": [NESTED]}

HOSTILE: list[Any] = [
    None, True, False, 0, 1, -1, 7, 2**63, -(2**63), 2**63 - 1, 10**30, 1.5, -0.0, 1e15, 1e16,
    float("nan"), float("inf"), "", "x", "Ж" * 37, "Ж" * 300, "x" * (MAX_TEXT + 1), "десять",
    "2025-09-01", "2024-02-30", "2024-13-45", "0999-01-01", "3024-01-01", "1900-01-01",
    "2100-12-31", "2101-01-01", "2025-W01-1", "20250901", "2025-9-1 ", " 2025-09-01",
    hlc(1), "1760000000000.00000.", "176000000000.00000.dev", "1760000000000.0000.dev",
    "１７６００００００００００.00000.dev", "1760000000000.00000.dev.with.dots",
    "١٧٦٠٠٠٠٠٠٠٠٠٠.00000.dev", "²²²²²²²²²²²²².00000.dev", "вчера", "x" * 65,
    "school", "SCHOOL", "district", "planned", "PLANNED", "done", "ge", "GE", "Школа",
    ["список"], {"a": 1}, NESTED, [], {},
]  # fmt: skip


def _text_caps() -> list[int]:
    """Every distinct length cap of the synced text columns (each is tried at and above it)."""
    caps = {MAX_TEXT}
    for spec in TABLES.values():
        caps |= {getattr(c.type, "length", None) or MAX_TEXT for c in spec.table.columns}
    return sorted(caps)


HOSTILE += [ch * n for cap in _text_caps() for n in (cap, cap + 1) for ch in ("я", "7")]


def _sqlite_value(value: Any) -> Any:
    """What sqlite3 stores for a Python value bound by SQLAlchemy (dates via the ISO adapter)."""
    return value.isoformat() if isinstance(value, date) else value


def _old_params(rec: Record) -> list[Any]:
    """The engine's previous path: validate_record, then each column type's bind processor."""
    spec = TABLES[rec.table]
    row = validate_record(rec)
    out = []
    for name in spec.columns:
        value = row[name]
        proc = spec.table.c[name].type.bind_processor(sqlite.dialect())
        if proc is not None and value is not None:
            value = proc(value)
        out.append(_sqlite_value(value))
    return out


def _outcome(fn: Any, rec: Record) -> tuple[str, Any]:
    try:
        return "ok", fn(rec)
    except RowInvalid as exc:
        return "refused", str(exc)


def _valid_rows() -> dict[str, dict[str, Any]]:
    """One valid row per table: the benchmark region's school records, defaults for the rest."""
    rows: dict[str, dict[str, Any]] = {}
    for rec in school_records(SCHOOL, "МОУ СОШ № 1", "44444444-4444-4444-8444-444444444444", 1):
        rows.setdefault(rec.table, rec.row)
    for table in TABLES:
        if table not in rows:
            row = {**_defaults(table), "id": "r1", "owner": SCHOOL, "hlc": hlc(1)}
            # a table the region does not generate (protocols): its required references get an
            # id, as a real record would carry
            for name in TABLES[table].columns:
                if row.get(name) is None and name not in TABLES[table].nullable:
                    row[name] = "r0"
            rows[table] = row
    # a staffing row belongs to a roadmap (the generator's school has one)
    rows["programme_staff"]["roadmap_id"] = rows["roadmap"]["id"]
    return rows


VALID = _valid_rows()


def test_every_sample_row_is_valid() -> None:
    assert set(VALID) == set(TABLES)
    for table, row in VALID.items():
        validate_record(Record(table, row))


@pytest.mark.parametrize("table", sorted(VALID))
def test_fused_binder_equals_validate_then_bind(table: str) -> None:
    base = VALID[table]
    plan = plan_for(table)
    assert _outcome(lambda r: plan.bind(r.row), Record(table, base)) == _outcome(
        _old_params, Record(table, base)
    )
    checked = 0
    for column in TABLES[table].columns:
        for value in HOSTILE:
            rec = Record(table, {**base, column: value})
            old = _outcome(_old_params, rec)
            new = _outcome(lambda r: plan.bind(r.row), rec)
            assert new == old, (column, repr(value)[:80])
            again = _outcome(lambda r: plan.bind(r.row), rec)  # accepted dates: now cached
            assert again == old, (column, repr(value)[:80])
            generic = _outcome(lambda r: plan.bind_generic(r.row), rec)
            assert generic == old, (column, repr(value)[:80])
            checked += 1
    assert checked == len(TABLES[table].columns) * len(HOSTILE)


@pytest.mark.parametrize(
    "row",
    [
        "not a dict",
        ["id", "owner"],
        {"id": "a"},
        {**VALID["teacher"], "extra_field": 1},
        {k: v for k, v in VALID["teacher"].items() if k != "hlc"},
        OrderedDict(VALID["teacher"]),
        OrderedDict({**VALID["teacher"], "full_name": 5}),
    ],
)
def test_record_shapes_match(row: Any) -> None:
    rec = Record("teacher", row)
    assert _outcome(lambda r: plan_for("teacher").bind(r.row), rec) == _outcome(_old_params, rec)


@pytest.mark.parametrize("table", ["no_such_table", "peer", "import_log", 42, None])
def test_unknown_tables_refused_like_validate_record(table: Any) -> None:
    with pytest.raises(RowInvalid) as new:
        plan_for(table)
    with pytest.raises(RowInvalid) as old:
        validate_record(Record(table, {}))
    assert str(new.value) == str(old.value)


def test_imported_rows_read_back_through_the_orm_as_written(district: Services) -> None:
    """Enums, dates, booleans and floats written by the fast path load as the models expect."""
    trust(district, SCHOOL)
    records = school_records(SCHOOL, "МОУ СОШ № 1", own_id(district), 1)
    rep = district.sync.import_package(package(SCHOOL, own_id(district), 1, records), dry_run=False)
    assert rep.verdict == "applied", rep.reason
    sent = {(r.table, r.row["id"]): r.row for r in records}
    with district.db.session() as s:
        for model in (Roadmap, RoadmapItem, Teacher, DevelopmentPlan):
            loaded = s.exec(select(model)).all()
            assert loaded
            for obj in loaded:
                row = sent[(model.__tablename__, obj.id)]
                assert obj.model_dump(mode="json") == row


def test_the_date_cache_is_bounded_and_holds_only_accepted_dates() -> None:
    import services.sync.bind as bind

    plan = plan_for("roadmap_item")
    dates = [c for c in TABLES["roadmap_item"].columns if c.endswith("_date")]
    column = dates[0]
    undated = {**VALID["roadmap_item"], **dict.fromkeys(dates)}  # only the dates tried below
    bind._ISO_DATES.clear()
    for value in ("2024-02-30", "2101-01-01", "2025-W01-1", "2025-09-01"):
        _outcome(lambda r: plan.bind(r.row), Record("roadmap_item", {**undated, column: value}))
    assert bind._ISO_DATES == {"2025-W01-1": "2024-12-30", "2025-09-01": "2025-09-01"}
    for day in range(bind.MAX_CACHED_DATES + 50):
        text = date.fromordinal(date(2000, 1, 1).toordinal() + day).isoformat()
        plan.bind({**undated, column: text})
    assert len(bind._ISO_DATES) == bind.MAX_CACHED_DATES
