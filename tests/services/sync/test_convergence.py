"""Property: any delivery order, with duplicates and drops, converges to the in-order state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import Role
from services.app import Services, build_services
from services.core.config import AppPaths
from services.packages.types import Record, VerifiedPackage
from tests.conftest import RESOURCES, memory_copy
from tests.services.sync_support import dump, own_id, package, site_row, synced, teacher, trust

SCHOOLS = ("aaaaaaaa-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000002")
ROWS = 4

# One edit: (school index, row index, action) with action "edit:<name>" or "delete".
edits = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.integers(0, ROWS - 1),
        st.one_of(st.sampled_from(["delete"]), st.text("АБВГД", min_size=1, max_size=3)),
        st.booleans(),  # export a package after this edit
    ),
    min_size=1,
    max_size=25,
)


def histories(ops: list[tuple[int, int, str, bool]]) -> list[tuple[str, int, list[Record]]]:
    """Play the edits at both schools; every export is a full snapshot of its partition."""
    state: list[dict[str, tuple[str, bool, int]]] = [{}, {}]
    seqs = [0, 0]
    packages: list[tuple[str, int, list[Record]]] = []
    for step, (si, ri, action, export) in enumerate(ops, start=1):
        rid = f"{si}-{ri}"
        old = state[si].get(rid)
        if action == "delete":
            state[si][rid] = (old[0] if old else "—", True, step)
        else:
            state[si][rid] = (action, False, step)
        if export or step == len(ops):
            for sj in (si,) if export else (0, 1):
                seqs[sj] += 1
                school = SCHOOLS[sj]
                recs = [site_row(school, 1, node=f"n{sj}")] + [
                    teacher(r, school, st_, name, deleted=dl, node=f"n{sj}")
                    for r, (name, dl, st_) in sorted(state[sj].items())
                ]
                packages.append((school, seqs[sj], recs))
    return packages


def fresh(template: Path, data: Path) -> Services:
    services = build_services(memory_copy(template), AppPaths(RESOURCES, data))
    services.site.initialize(Role.DISTRICT, "Управление образования района", "5105000001")
    for school in SCHOOLS:
        trust(services, school)
    return services


def deliver(services: Services, items: list[tuple[str, int, list[Record]]]) -> list[Any]:
    me = own_id(services)
    out = []
    for school, seq, recs in items:
        pkg: VerifiedPackage = package(school, me, seq, recs)
        rep = services.sync.import_package(pkg, dry_run=False)
        assert rep.verdict in ("applied", "already"), rep.reason
        assert rep.verdict == "already" or rep.counts_add_up()
        out.append(rep)
    return out


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("conv")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=edits, data=st.data())
def test_random_delivery_converges(
    ops: list[tuple[int, int, str, bool]], data: st.DataObject, template_db: Path, data_dir: Path
) -> None:
    packages = histories(ops)
    delivered = data.draw(
        st.lists(st.sampled_from(range(len(packages))), min_size=1, max_size=2 * len(packages)),
        label="delivery",
    )
    in_order = fresh(template_db, data_dir)
    deliver(in_order, [packages[i] for i in sorted(set(delivered))])
    shuffled = fresh(template_db, data_dir)
    deliver(shuffled, [packages[i] for i in delivered])
    assert synced(shuffled.db)["teacher"] == synced(in_order.db)["teacher"]
    school_sites = [r for r in synced(in_order.db)["site"] if set(r) & set(SCHOOLS)]
    assert school_sites == [r for r in synced(shuffled.db)["site"] if set(r) & set(SCHOOLS)]
    assert school_sites
    before = dump(shuffled.db)
    again = deliver(shuffled, [packages[i] for i in delivered])
    assert all(r.verdict == "already" for r in again)
    assert dump(shuffled.db) == before
    in_order.db.close()
    shuffled.db.close()
