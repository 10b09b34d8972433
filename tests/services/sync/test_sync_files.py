"""`import_files` on real files: an applied file is recognised without reading its payload."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

import services.packages.format as package_module
from models import Peer, PeerStatus, Role
from services.app import Services, open_services
from services.core.config import AppPaths
from tests.bench.region import build_region
from tests.conftest import RESOURCES
from tests.services.package_support import Pair, make_pair
from tests.services.sync_support import card, dump


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Pair:
    pair = make_pair(template_db, tmp_path / "sites")
    pair.school.demo.fill()
    return pair


class _Everything:
    def __contains__(self, _item: object) -> bool:
        return True


def _no_payload(*_args: object) -> bytes:
    raise AssertionError("the payload of an applied file must not be decrypted again")


def test_an_applied_file_is_already_imported_without_decrypting_it(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = pair.export(tmp_path)
    card = pair.school.exchange.own_card()
    first = pair.district.sync.enroll(path, card.fingerprint).report
    assert first is not None and first.verdict == "applied", first
    before = dump(pair.district.db)
    monkeypatch.setattr(package_module, "_open_payload", _no_payload)
    for dry_run in (True, False):
        (rep,) = pair.district.sync.import_files([path], dry_run=dry_run)
        assert (rep.verdict, rep.code, rep.seq_status) == ("already", "already", "already")
        assert rep.package_id == first.package_id and rep.sender_id == first.sender_id
    assert dump(pair.district.db) == before


def test_another_copy_of_an_applied_package_is_read_in_full(pair: Pair, tmp_path: Path) -> None:
    """Different bytes, same seq: not "already" but a fork (the payload was read and merged)."""
    path = pair.export(tmp_path)
    pair.district.sync.enroll(path, pair.school.exchange.own_card().fingerprint)
    data = bytearray(path.read_bytes())
    data[-40] ^= 0xFF  # the central directory: a different file, not the applied one
    forged = tmp_path / "forged.opora"
    forged.write_bytes(bytes(data))
    (rep,) = pair.district.sync.import_files([forged], dry_run=False)
    assert (rep.verdict, rep.code) == ("quarantined", "fork")


def test_a_file_wrongly_taken_for_applied_is_read_in_full_and_merged(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the quick check says "applied" but the engine does not agree, nothing is skipped."""
    first = pair.export(tmp_path / "a")
    second = pair.export(tmp_path / "b")
    pair.district.sync.enroll(first, pair.school.exchange.own_card().fingerprint)
    monkeypatch.setattr(pair.district.sync._ledger, "applied_shas", lambda: _Everything())
    (rep,) = pair.district.sync.import_files([second], dry_run=False)
    assert rep.verdict == "applied", rep.reason
    assert rep.seq == 2 and rep.counts_add_up() and sum(rep.manifest_counts.values()) > 100


def test_import_files_leaves_the_imported_rows_in_the_database_file(tmp_path: Path) -> None:
    """The import ends with a checkpoint: the main file alone (log ignored) has the rows."""
    region = build_region(tmp_path, 2, enroll=True)
    services = open_services(AppPaths(RESOURCES, region.district_dir))
    try:
        reports = services.sync.import_files(region.packages, dry_run=False)
        assert [r.verdict for r in reports] == ["applied", "applied"]
        db_file = region.district_dir / "opora.sqlite3"
        assert (region.district_dir / "opora.sqlite3-wal").exists()  # still open: log kept
        uri = f"{db_file.as_uri()}?mode=ro&immutable=1"  # reads the main file only
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            (count,) = conn.execute("SELECT count(*) FROM roadmap_item").fetchone()
            (check,) = conn.execute("PRAGMA integrity_check").fetchone()
        assert count == sum(r.counts["roadmap_item"].new for r in reports) > 0
        assert check == "ok"
    finally:
        services.db.close()


def test_a_dry_run_or_nothing_applied_needs_no_checkpoint(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(pair.district.sync, "_checkpoint", lambda: calls.append(1))
    path = pair.export(tmp_path)
    pair.district.sync.import_files([path], dry_run=False)  # unknown key: quarantined
    pair.district.sync.import_files([path], dry_run=True)
    assert calls == []
    pair.district.sync.enroll(path, pair.school.exchange.own_card().fingerprint)
    pair.district.sync.import_files([pair.export(tmp_path)], dry_run=False)
    assert calls == [1]


def test_trusted_cards_at_once_equal_the_per_key_lookup(district: Services) -> None:
    cases = [
        ("A", PeerStatus.TRUSTED, None),
        ("B", PeerStatus.REVOKED, 5),
        ("C", PeerStatus.REVOKED, None),
        ("D", PeerStatus.PENDING, None),
        ("E", PeerStatus.REVOKED, None),
        ("E", PeerStatus.TRUSTED, None),  # a second peer with the same key id
        ("F", PeerStatus.PENDING, None),
        ("F", PeerStatus.REVOKED, 2),
    ]
    with district.db.session() as s:
        for n, (letter, status, up_to) in enumerate(cases):
            c = card(f"{n:08d}-1111-4111-8111-111111111111", key_id=letter * 16)
            s.add(Peer(site_id=c.site_id, role=Role.SCHOOL, name=f"Школа {n}", code=c.code,
                       signing_key=c.signing_key, key_id=c.key_id, age_recipient=c.age_recipient,
                       fingerprint=c.fingerprint, status=status, accept_up_to_seq=up_to,
                       added_at=datetime.now(UTC)))  # fmt: skip
    ledger = district.sync._ledger
    at_once = ledger.trusted_cards()
    one_by_one = {k * 16: ledger.trusted_card(k * 16) for k in "ABCDEFG"}
    assert at_once == {k: v for k, v in one_by_one.items() if v is not None}
    assert set(at_once) == {"A" * 16, "B" * 16, "E" * 16, "F" * 16}
