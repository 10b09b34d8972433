"""`import_files` on real files: an applied file is recognised without reading its payload."""

from __future__ import annotations

from pathlib import Path

import pytest

import services.package as package_module
from tests.services.package_support import Pair, make_pair
from tests.services.sync_support import dump


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Pair:
    pair = make_pair(template_db, tmp_path / "sites")
    pair.school.demo.fill()
    return pair


def _no_payload(*_args: object) -> bytes:
    raise AssertionError("the payload of an applied file must not be decrypted again")


def test_an_applied_file_is_already_imported_without_decrypting_it(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = pair.export(tmp_path)
    card = pair.school.exchange.own_card()
    first = pair.district.sync.enroll(path, card.fingerprint)
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
    monkeypatch.setattr(pair.district.sync._ledger, "applied", lambda _sha: True)
    (rep,) = pair.district.sync.import_files([second], dry_run=False)
    assert rep.verdict == "applied", rep.reason
    assert rep.seq == 2 and rep.counts_add_up() and sum(rep.manifest_counts.values()) > 100
