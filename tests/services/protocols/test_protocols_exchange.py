"""Protocols travel: a school's in its package, the district's in its bulletin (DESIGN §6)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from services.core.db import known_revisions
from services.sync.merge import package_schema
from tests.services.pair_support import Pair, make_pair
from tests.services.protocols.seed004 import seed_protocol


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


def test_a_school_protocol_reaches_the_district_whole(pair: Pair) -> None:
    pid = pair.school.protocols.save(seed_protocol()).protocol_id
    sent = pair.school.protocols.document(pid)
    [report] = pair.district.sync.import_files([pair.school_package()], dry_run=False)
    assert report.verdict == "applied", report.reason
    assert {t: c.new for t, c in report.counts.items() if t.startswith("protocol")} == {
        "protocol": 1,
        "protocol_agenda_item": 3,
        "protocol_decision": 15,
    }
    [row] = [r for r in pair.district.protocols.protocols() if r.id == pid]
    assert (row.own, row.organisation, row.decisions) == (False, "МОУ Лодейнинская СОШ", 15)
    got = pair.district.protocols.document(pid)
    assert (got.protocol, got.agenda, got.decisions) == (sent.protocol, sent.agenda, sent.decisions)
    assert not got.own
    with pytest.raises(Exception, match="другой организации"):
        pair.district.protocols.save(seed_protocol(), pid)


def test_a_deleted_protocol_is_deleted_at_the_district_too(pair: Pair) -> None:
    pid = pair.school.protocols.save(seed_protocol()).protocol_id
    pair.district.sync.import_files([pair.school_package()], dry_run=False)
    pair.school.protocols.delete(pid)
    [report] = pair.district.sync.import_files([pair.school_package()], dry_run=False)
    assert report.verdict == "applied", report.reason
    assert pid not in {r.id for r in pair.district.protocols.protocols()}


def test_the_district_protocol_reaches_the_school_in_the_bulletin(pair: Pair) -> None:
    values = replace(seed_protocol(), number="5", kind="совещания директоров")
    pair.district.protocols.save(values)
    [bulletin] = pair.send_bulletins()
    [report] = pair.school.sync.import_files([bulletin], dry_run=False)
    assert report.verdict == "applied", report.reason
    rows = [r for r in pair.school.protocols.protocols() if not r.own]
    assert [(r.number, r.kind, r.organisation) for r in rows] == [
        ("5", "совещания директоров", "Управление образования Кольского района")
    ]
    assert [r.own for r in pair.school.protocols.protocols()].count(True) == 1  # the demo's


def test_a_program_without_protocols_refuses_the_package_and_changes_nothing(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A district on 0005 (before protocols) gets the «update Опора» refusal for a newer package."""
    pair.school.protocols.save(seed_protocol())
    package = pair.school_package()
    known = known_revisions()
    assert package_schema() == "0009"  # later revisions added only local tables
    older = known[: known.index("0006")]
    for module in ("services.sync.engine", "services.sync.read"):
        monkeypatch.setattr(f"{module}.known_revisions", lambda: list(older))
    before = pair.district.protocols.protocols()
    [report] = pair.district.sync.import_files([package], dry_run=False)
    assert report.verdict == "refused" and report.code == "newer-schema"
    assert "Обновите Опору" in report.reason
    assert pair.district.protocols.protocols() == before
