"""A run of `import_files` is one transaction; a refused package writes nothing to it (DESIGN §7).

The preview of several files reports exactly what their apply reports; a storage error or a
cancel anywhere in the run keeps none of it; a refused package in the middle leaves the others.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

import services.sync.engine as sync_module
from models import Teacher
from services.core.errors import Cancelled
from services.sync import merge as sync_merge
from services.sync.report import ImportReport, SeqStatus, TableCounts, Verdict
from tests.services.package_support import Pair, make_pair
from tests.services.sync_support import dump


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Pair:
    pair = make_pair(template_db, tmp_path / "sites")
    pair.school.demo.fill()
    card = pair.school.exchange.own_card()
    pair.district.sync.enroll_card(card, card.fingerprint)
    return pair


def _two_packages(pair: Pair, folder: Path) -> list[Path]:
    """The school's first package, then a second one that changes one of its teachers."""
    first = pair.export(folder / "1")
    with pair.school.db.session() as s:
        t = s.exec(select(Teacher).order_by(Teacher.full_name)).first()
        assert t is not None
        t.full_name += " (после курсов)"
    return [first, pair.export(folder / "2")]


def _outcome(rep: ImportReport) -> tuple[Any, ...]:
    counts = {t: (c.new, c.updated, c.unchanged, c.older, c.deleted) for t, c in rep.counts.items()}
    return rep.seq, rep.seq_status, rep.code, counts


def test_a_preview_of_several_files_reports_what_their_apply_reports(
    pair: Pair, tmp_path: Path
) -> None:
    files = _two_packages(pair, tmp_path)
    before = dump(pair.district.db)
    preview = pair.district.sync.import_files(files, dry_run=True)
    assert dump(pair.district.db) == before
    applied = pair.district.sync.import_files(files, dry_run=False)
    assert [r.verdict for r in preview] == ["dry-run", "dry-run"]
    assert [r.verdict for r in applied] == ["applied", "applied"]
    assert [_outcome(r) for r in preview] == [_outcome(r) for r in applied]
    # The second file is previewed after the first, as it is applied: in order, one update.
    assert preview[1].seq_status == "new"
    assert preview[1].counts["teacher"].updated == 1


def test_a_refused_package_in_the_middle_leaves_the_others(pair: Pair, tmp_path: Path) -> None:
    first, second = _two_packages(pair, tmp_path)
    damaged = tmp_path / "damaged.opora"
    damaged.write_bytes(b"PK\x03\x04 not a package")
    reports = pair.district.sync.import_files([first, damaged, second], dry_run=False)
    assert [r.verdict for r in reports] == ["applied", "refused", "applied"]
    log = pair.district.sync.import_log()
    assert sorted(e.outcome for e in log) == ["applied", "applied", "refused"]


def _full_disk_at_call(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    real = sync_merge.merge_rows
    calls = []

    def merge_rows(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == n:
            raise sqlite3.OperationalError("database or disk is full")
        return real(*args)

    monkeypatch.setattr(sync_module, "merge_rows", merge_rows)


def test_a_full_disk_in_a_run_keeps_none_of_its_packages(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _two_packages(pair, tmp_path)
    before = dump(pair.district.db, bookkeeping=False)
    _full_disk_at_call(2, monkeypatch)
    reports = pair.district.sync.import_files(
        [*files, tmp_path / "not reached.opora"], dry_run=False
    )
    assert dump(pair.district.db, bookkeeping=False) == before
    assert [(r.verdict, r.code) for r in reports] == [("refused", "storage")] * 3
    assert all("не хватает места" in r.reason and not r.counts for r in reports)
    # Each file's refusal is logged after the rollback; the first is no longer "applied".
    assert [e.outcome for e in pair.district.sync.import_log()] == ["refused"] * 3
    monkeypatch.undo()
    again = pair.district.sync.import_files(files, dry_run=False)
    assert [r.verdict for r in again] == ["applied", "applied"]


def test_cancelling_a_run_keeps_none_of_its_packages(pair: Pair, tmp_path: Path) -> None:
    files = _two_packages(pair, tmp_path)
    before = dump(pair.district.db)

    class CancelAfterFirst:
        started = 0

        def report(self, done: int, total: int, text: str = "") -> None:
            self.started += 1

        def cancelled(self) -> bool:  # asked before each file: stop before the second
            return self.started >= 1

    with pytest.raises(Cancelled):
        pair.district.sync.import_files(files, dry_run=False, progress=CancelAfterFirst())
    assert dump(pair.district.db) == before  # the first file had been merged, and is undone


def test_a_report_as_json_is_asdict_and_reads_back() -> None:
    rep = ImportReport(file="a.opora", seq=3, seq_status=SeqStatus.GAP, verdict=Verdict.APPLIED)
    rep.counts = {"teacher": TableCounts(new=2, updated=1), "site": TableCounts(unchanged=1)}
    rep.manifest_counts = {"teacher": 3, "site": 1}
    rep.warnings = ["Часы компьютера отправителя спешат (год 2040)."]
    rep.created_at = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    expected = {**asdict(rep), "created_at": "2026-11-23T12:00:00+00:00"}
    assert rep.to_dict() == expected
    assert ImportReport.from_dict(json.loads(rep.to_json())) == rep
    # The enums are written as their plain strings: the `--json` output is a contract.
    assert '"seq_status": "gap"' in rep.to_json() and '"verdict": "applied"' in rep.to_json()
    back = ImportReport.from_dict(json.loads(rep.to_json()))
    assert back.verdict is Verdict.APPLIED and back.seq_status is SeqStatus.GAP
    blank = ImportReport.from_dict(json.loads(ImportReport(file="b").to_json()))
    assert blank.seq_status is SeqStatus.UNCHECKED and blank.verdict is Verdict.REFUSED
    data = rep.to_dict()
    data["counts"]["teacher"]["new"] = 99  # a copy: the report itself is not changed
    data["warnings"].append("x")
    assert rep.counts["teacher"].new == 2 and len(rep.warnings) == 1


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_same_file_twice_in_one_run_is_already_imported_the_second_time(
    pair: Pair, tmp_path: Path, dry_run: bool
) -> None:
    first, second = _two_packages(pair, tmp_path)
    copy = tmp_path / "copy.opora"
    copy.write_bytes(first.read_bytes())
    reports = pair.district.sync.import_files([first, second, copy], dry_run=dry_run)
    verdict = "dry-run" if dry_run else "applied"
    assert [r.verdict for r in reports] == [verdict, verdict, "already"]
    assert [r.seq_status for r in reports] == ["new", "new", "already"]
    assert not reports[2].counts


def test_rows_a_run_found_not_stored_are_inserted_without_an_upsert(
    pair: Pair, tmp_path: Path
) -> None:
    """New rows take a plain INSERT (an upsert wrote them half as fast); a newer one the upsert.

    An unchanged row is not written at all.
    """
    first, second = _two_packages(pair, tmp_path)
    statements: list[str] = []
    with closing(pair.district.db.engine.raw_connection()) as raw:  # the one in-memory connection
        conn = raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        conn.set_trace_callback(statements.append)
        try:
            reports = pair.district.sync.import_files([first, second], dry_run=False)
        finally:
            conn.set_trace_callback(None)
    assert [r.verdict for r in reports] == ["applied", "applied"]
    teachers = [s for s in statements if s.startswith('INSERT INTO "teacher"')]
    plain = [s for s in teachers if "ON CONFLICT" not in s]
    upserts = [s for s in teachers if "ON CONFLICT" in s]
    assert len(plain) == reports[0].counts["teacher"].new > 1
    assert len(upserts) == reports[1].counts["teacher"].updated == 1
    assert "(после курсов)" in upserts[0]


def test_a_run_merges_without_cyclic_gc_and_gives_it_back_after(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Collections during a large run cost ≈ 5 % of it; after the run (even a failed one) the
    collector runs again as before."""
    import gc

    first = pair.export(tmp_path / "1")
    seen: list[bool] = []
    real = sync_merge.merge_rows

    def merge_rows(*args: Any) -> Any:
        seen.append(gc.isenabled())
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sync_module, "merge_rows", merge_rows)
    assert gc.isenabled()
    reports = pair.district.sync.import_files([first], dry_run=False)
    assert seen == [False] and gc.isenabled()
    assert reports[0].verdict == "refused"
    monkeypatch.setattr(sync_module, "merge_rows", real)
    assert pair.district.sync.import_files([first], dry_run=False)[0].verdict == "applied"
    assert gc.isenabled()
