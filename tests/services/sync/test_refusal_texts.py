"""A refused package says only that it was refused, and it uses up nothing at the district."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models import SyncState
from services.app import Services
from services.packages.types import Record
from tests.services.sync_support import own_id, package, site_row, teacher, trust

SCHOOL = "22222222-2222-4222-8222-222222222222"
OTHER = "33333333-3333-4333-8333-333333333333"


@pytest.fixture
def dist(district: Services) -> Services:
    trust(district, SCHOOL)
    trust(district, OTHER)
    return district


def test_a_refused_package_with_a_clock_far_off_never_says_the_data_was_taken(
    dist: Services,
) -> None:
    me = own_id(dist)
    dist.sync.import_package(package(OTHER, me, 1, [teacher("x", OTHER, 1)]), dry_run=False)
    ahead = {**teacher("a", SCHOOL, 1).row, "hlc": "2220000000000.00000.devX"}  # the year 2040
    recs = [site_row(SCHOOL, 1), Record("teacher", ahead), teacher("x", SCHOOL, 5, "Захват")]
    for dry_run in (True, False):
        rep = dist.sync.import_package(package(SCHOOL, me, 1, recs), dry_run=dry_run)
        assert (rep.verdict, rep.code) == ("refused", "scope")
        assert rep.warnings == [] and "приняты" not in rep.summary()


def test_a_refused_package_does_not_use_up_its_number(dist: Services) -> None:
    me = own_id(dist)
    forged = package(SCHOOL, me, 1, [site_row(SCHOOL, 1), teacher("b", OTHER, 1)])
    assert dist.sync.import_package(forged, dry_run=False).code == "scope"
    with dist.db.session(stamp=False) as s:
        assert s.exec(select(SyncState)).all() == []
    honest = package(SCHOOL, me, 1, [site_row(SCHOOL, 1), teacher("a", SCHOOL, 1)])
    rep = dist.sync.import_package(honest, dry_run=False)
    assert (rep.verdict, rep.seq_status, rep.code) == ("applied", "new", "applied")
