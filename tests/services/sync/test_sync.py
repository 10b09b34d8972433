"""The merge engine on verified packages: LWW, counts, dry run, sequence, quarantine, enroll."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from models import ImportLog, Peer, PeerStatus, QuarantineEntry, SyncState, Teacher, new_id
from services.app import Services
from services.core.db import known_revisions
from services.core.errors import Invalid
from services.packages.types import Record
from services.sync.merge import RECORD_MIGRATIONS, _identity, package_schema
from tests.conftest import BOTH_ENGINES
from tests.services.sync_support import dump, own_id, package, site_row, teacher, trust

pytestmark = BOTH_ENGINES

SCHOOL = "11111111-1111-4111-8111-111111111111"


@pytest.fixture
def dist(district: Services) -> Services:
    trust(district, SCHOOL)
    return district


def first_package(dist: Services, seq: int = 1, step: int = 1) -> list:  # type: ignore[type-arg]
    return [site_row(SCHOOL, step), teacher("t1", SCHOOL, step), teacher("t2", SCHOOL, step)]


def names(dist: Services) -> dict[str, tuple[str, bool]]:
    with dist.db.session() as s:
        return {t.id: (t.full_name, t.deleted) for t in s.exec(select(Teacher)).all()}


def test_apply_new_package_counts_add_up_and_logs(dist: Services) -> None:
    pkg = package(SCHOOL, own_id(dist), 1, first_package(dist))
    rep = dist.sync.import_package(pkg, dry_run=False)
    assert rep.verdict == "applied", rep.reason
    assert rep.seq_status == "new"
    assert rep.counts["teacher"].new == 2 and rep.counts["site"].new == 1
    assert rep.counts_add_up()
    assert names(dist) == {"t1": ("Иванова А. А.", False), "t2": ("Иванова А. А.", False)}
    with dist.db.session() as s:
        state = s.get(SyncState, SCHOOL)
        assert state is not None and state.last_seq == 1 and state.last_hash == pkg.file_sha256
        logs = s.exec(select(ImportLog)).all()
        assert [entry.outcome for entry in logs] == ["applied"]
        assert json.loads(logs[0].report)["counts"]["teacher"]["new"] == 2
    assert dist.sync.import_log()[0].report.counts["teacher"].new == 2


def test_dry_run_reports_the_same_and_writes_nothing(dist: Services) -> None:
    base = package(SCHOOL, own_id(dist), 1, first_package(dist))
    dist.sync.import_package(base, dry_run=False)
    recs = [
        teacher("t1", SCHOOL, 5, "Петрова"),
        teacher("t2", SCHOOL, 1),
        teacher("t3", SCHOOL, 5, deleted=True),
        teacher("t4", SCHOOL, 6),
    ]
    pkg = package(SCHOOL, own_id(dist), 2, recs)
    before = dump(dist.db)
    logs_before = len(dist.sync.import_log())
    preview = dist.sync.import_package(pkg, dry_run=True)
    assert preview.verdict == "dry-run"
    assert dump(dist.db) == before
    assert len(dist.sync.import_log()) == logs_before
    real = dist.sync.import_package(pkg, dry_run=False)
    assert real.verdict == "applied"
    assert real.to_dict()["counts"] == preview.to_dict()["counts"]
    t = real.counts["teacher"]
    assert (t.new, t.updated, t.unchanged, t.older, t.deleted) == (1, 1, 1, 0, 1)
    assert real.counts_add_up()


def test_last_writer_wins_and_device_tie_break(dist: Services) -> None:
    me = own_id(dist)
    dist.sync.import_package(
        package(SCHOOL, me, 1, [teacher("t1", SCHOOL, 10, "A")]), dry_run=False
    )
    older = dist.sync.import_package(
        package(SCHOOL, me, 2, [teacher("t1", SCHOOL, 9, "B")]), dry_run=False
    )
    assert older.counts["teacher"].older == 1 and names(dist)["t1"][0] == "A"
    tie = dist.sync.import_package(
        package(SCHOOL, me, 3, [teacher("t1", SCHOOL, 10, "C", node="dev2")]), dry_run=False
    )
    assert tie.counts["teacher"].updated == 1 and names(dist)["t1"][0] == "C"
    lower = dist.sync.import_package(
        package(SCHOOL, me, 4, [teacher("t1", SCHOOL, 10, "D", node="dev0")]), dry_run=False
    )
    assert lower.counts["teacher"].older == 1 and names(dist)["t1"][0] == "C"


def test_sequence_statuses(dist: Services) -> None:
    me = own_id(dist)
    r1 = dist.sync.import_package(package(SCHOOL, me, 1, [teacher("a", SCHOOL, 1)]), dry_run=False)
    r3 = dist.sync.import_package(package(SCHOOL, me, 3, [teacher("a", SCHOOL, 3)]), dry_run=False)
    r2 = dist.sync.import_package(package(SCHOOL, me, 2, [teacher("a", SCHOOL, 2)]), dry_run=False)
    assert (r1.seq_status, r3.seq_status, r2.seq_status) == ("new", "gap", "out-of-order")
    assert r2.verdict == "applied" and r2.counts["teacher"].older == 1
    with dist.db.session() as s:
        state = s.get(SyncState, SCHOOL)
        assert state is not None and state.last_seq == 3


def test_fork_is_quarantined(dist: Services) -> None:
    me = own_id(dist)
    dist.sync.import_package(package(SCHOOL, me, 1, [teacher("a", SCHOOL, 1)]), dry_run=False)
    before = dump(dist.db)
    fork = package(SCHOOL, me, 1, [teacher("a", SCHOOL, 7, "Другая")], salt="x")
    rep = dist.sync.import_package(fork, dry_run=False)
    assert (rep.verdict, rep.seq_status, rep.code) == ("quarantined", "fork", "fork")
    assert dump(dist.db) == before
    q = dist.sync.quarantine()
    assert len(q) == 1 and "форк" not in q[0].reason and "другим содержимым" in q[0].reason


def test_unknown_key_waits_then_enroll(district: Services) -> None:
    me = own_id(district)
    pkg = package(SCHOOL, me, 1, [site_row(SCHOOL, 1), teacher("a", SCHOOL, 1)], known=False)
    before = dump(district.db)
    rep = district.sync.import_package(pkg, dry_run=False)
    assert (rep.verdict, rep.code) == ("quarantined", "quarantined-unknown-key")
    assert pkg.signer_fingerprint not in rep.reason and rep.fingerprint == ""
    assert dump(district.db) == before
    again = district.sync.import_package(pkg, dry_run=False)
    assert again.verdict == "quarantined"
    with district.db.session() as s:
        assert len(s.exec(select(QuarantineEntry)).all()) == 1
    with pytest.raises(Invalid, match="не совпадает"):
        district.sync.enroll_package(pkg, "AAAA BBBB CCCC DDDD")
    assert dump(district.db) == before
    enrolled = district.sync.enroll_package(pkg, pkg.signer_fingerprint.lower().replace(" ", "-"))
    done = enrolled.report
    assert done is not None and done.verdict == "applied" and enrolled.released == []
    assert names(district) == {"a": ("Иванова А. А.", False)}
    with district.db.session() as s:
        peer = s.exec(select(Peer)).one()
        assert peer.status == PeerStatus.TRUSTED and peer.site_id == SCHOOL
        assert all(q.released for q in s.exec(select(QuarantineEntry)).all())


def test_schema_newer_refused_older_migrated(dist: Services) -> None:
    me = own_id(dist)
    newer = package(SCHOOL, me, 1, [teacher("a", SCHOOL, 1)], schema="9999")
    rep = dist.sync.import_package(newer, dry_run=False)
    assert rep.verdict == "refused" and "1.0" in rep.reason and "Обновите" in rep.reason
    older = package(SCHOOL, me, 1, [teacher("a", SCHOOL, 1)], schema="0004")
    rep2 = dist.sync.import_package(older, dry_run=False)
    # 0004 → 0005 split roadmap items: the package is converted, and the report says so
    assert rep2.verdict == "applied" and any("старой" in w for w in rep2.warnings)
    assert names(dist)["a"][0] == "Иванова А. А."


def test_an_older_schema_whose_records_changed_is_converted_and_said(
    dist: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if revision 0003 had changed records: a 0002 package is upgraded in memory first."""

    def rename(rec: Record) -> tuple[Record, ...]:
        return (Record(rec.table, {**rec.row, "full_name": rec.row["full_name"] + " (0003)"}),)

    monkeypatch.setitem(RECORD_MIGRATIONS, "0002", rename)
    assert package_schema(("0001", "0002", "0003")) == "0003"
    older = package(SCHOOL, own_id(dist), 1, [teacher("a", SCHOOL, 1, "Петров")], schema="0002")
    rep = dist.sync.import_package(older, dry_run=False)
    assert rep.verdict == "applied" and any("старой" in w for w in rep.warnings)
    assert names(dist)["a"] == ("Петров (0003)", False)


def test_packages_are_written_at_the_newest_revision_that_changed_records() -> None:
    """0002 (local tables), 0003 and 0004 (indexes) changed no record: a program still at 0001
    read what 0004 wrote. 0005 moved item statuses to occurrences, 0006–0008 added synced tables
    and 0009 a synced column; the revisions after it added only local tables (the key vault, …),
    so packages carry 0009. Every revision but the newest has its record step."""
    known = known_revisions()
    assert set(RECORD_MIGRATIONS) == set(known[:-1])
    assert package_schema() == "0009" and RECORD_MIGRATIONS["0009"] is _identity
    changed = known[known.index("0004") : known.index("0009")]
    assert all(RECORD_MIGRATIONS[rev] is not _identity for rev in changed)
    assert package_schema(("0001", "0002", "0003", "0004")) == "0001"


def test_missing_parent_row_refuses_package(dist: Services) -> None:
    me = own_id(dist)
    orphan = teacher("a", SCHOOL, 1, mentor_id=new_id())
    before = dump(dist.db)
    rep = dist.sync.import_package(package(SCHOOL, me, 1, [orphan]), dry_run=False)
    assert rep.verdict == "refused" and rep.code == "record"
    assert dump(dist.db) == before


def test_counts_mismatch_refused(dist: Services) -> None:
    pkg = package(SCHOOL, own_id(dist), 1, [teacher("a", SCHOOL, 1)], counts={"teacher": 2})
    rep = dist.sync.import_package(pkg, dry_run=False)
    assert (rep.verdict, rep.code, rep.detail) == ("refused", "damaged", "counts")


def test_a_mentee_listed_before_the_mentor_is_written(dist: Services) -> None:
    """PostgreSQL checks a foreign key per statement, SQLite at the commit: a row referencing
    a row of its own table later in the package is written on both (`merge.parents_first`)."""
    recs = [
        site_row(SCHOOL, 1),
        teacher("t3", SCHOOL, 1, "Сидорова", mentor_id="t2"),
        teacher("t2", SCHOOL, 1, "Петрова", mentor_id="t1"),
        teacher("t1", SCHOOL, 1),
    ]
    rep = dist.sync.import_package(package(SCHOOL, own_id(dist), 1, recs), dry_run=False)
    assert rep.verdict == "applied", rep.reason
    with dist.db.session() as s:
        mentors = {t.id: t.mentor_id for t in s.exec(select(Teacher)).all()}
    assert mentors == {"t1": None, "t2": "t1", "t3": "t2"}
