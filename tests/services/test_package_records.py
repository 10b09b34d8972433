"""The package reader's record checks (shape, nested values) on real signed, encrypted packages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from services.db import head_revision
from services.package import write_package
from services.package_types import PackageError, PackageKind, Record
from tests.services.package_support import Pair, make_pair
from tests.services.sync_support import teacher


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Pair:
    return make_pair(template_db, tmp_path / "sites")


def _read(pair: Pair, records: list[Record], tmp_path: Path) -> tuple[Record, ...]:
    data = write_package(
        keys=pair.school.keys,
        sender=pair.school.exchange.own_card(),
        recipient=pair.district.exchange.own_card(),
        kind=PackageKind.SCHOOL_REPORT,
        seq=1,
        prev="",
        schema=head_revision(),
        hlc=records[-1].row["hlc"],
        app_version="1.0",
        records=records,
        include_card=True,
    )
    path = tmp_path / "p.opora"
    path.write_bytes(data)
    return pair.district.exchange.verify(path).records


def test_scalar_values_of_every_json_type_are_read_as_written(pair: Pair, tmp_path: Path) -> None:
    owner = pair.school.site.profile().site.id
    rec = teacher("t1", owner, 1, mentor_id=None, experience_years=12)
    odd = Record("teacher", {**rec.row, "full_name": "", "deleted": True, "x": 1.5})
    assert _read(pair, [rec, odd], tmp_path) == (rec, odd)


@pytest.mark.parametrize(
    "value", [{"a": 1}, ["список"], [], {}, [[["deep"]]], {"a": {"b": {"c": None}}}]
)
def test_a_nested_value_refuses_the_package(pair: Pair, tmp_path: Path, value: Any) -> None:
    owner = pair.school.site.profile().site.id
    good = teacher("t1", owner, 1)
    bad = Record("teacher", {**teacher("t2", owner, 1).row, "notes": value})
    with pytest.raises(PackageError) as info:
        _read(pair, [good, bad], tmp_path)
    assert info.value.code == "bad-record"
