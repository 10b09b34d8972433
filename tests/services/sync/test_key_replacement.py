"""One key per school at a time: a new key of an enrolled school, its replacement, a second
installation with the same code, and package numbers that survive a restored backup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from models import AppState, Peer, PeerStatus, Role, Teacher
from services.app import Services, build_services
from services.core.config import AppPaths
from services.core.errors import Invalid
from services.exchange.service import SEQ_KEY
from services.packages.keys import normalize_fingerprint
from tests.conftest import RESOURCES, memory_copy
from tests.services.pair_support import Pair, make_pair

NEW_KEY = "новый ключ уже подтверждённой школы: переустановка программы или подделка"


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    (tmp_path / "pair").mkdir()
    p = make_pair(template_db, tmp_path / "pair")
    yield p
    p.close()


def _new_computer(pair: Pair, tmp_path: Path) -> Services:
    """The school's database restored on a new computer: the same site id, a new key."""
    return build_services(pair.school.db, AppPaths(RESOURCES, tmp_path / "new-pc"))


def _keys(district: Services, site_id: str) -> list[tuple[str, PeerStatus, int | None]]:
    with district.db.session(stamp=False) as s:
        rows = s.exec(select(Peer).where(Peer.site_id == site_id)).all()
        return sorted((p.key_id, p.status, p.accept_up_to_seq) for p in rows)


def _teachers(services: Services) -> list[tuple[str, str]]:
    with services.db.session(stamp=False) as s:
        return sorted((t.id, t.full_name) for t in s.exec(select(Teacher)).all())


def _hidden(fingerprint: str, text: str) -> bool:
    return normalize_fingerprint(fingerprint) not in normalize_fingerprint(text)


def test_a_new_key_of_an_enrolled_school_waits_with_its_own_reason(
    pair: Pair, tmp_path: Path
) -> None:
    new_pc = _new_computer(pair, tmp_path)
    new_fp = new_pc.exchange.own_card().fingerprint
    before = _teachers(pair.district)
    [rep] = pair.district.sync.import_files([new_pc.exchange.export(pair.out).path], dry_run=False)
    assert (rep.verdict, rep.code) == ("quarantined", "quarantined-new-key")
    assert NEW_KEY in rep.reason.lower() and "«Заменить ключ школы…»" in rep.reason
    assert _hidden(new_fp, rep.reason) and rep.fingerprint == ""
    [entry] = pair.district.sync.quarantine()
    assert entry.code == "quarantined-new-key" and _hidden(new_fp, entry.reason)
    assert entry.trusted_fingerprint == pair.school.exchange.own_card().fingerprint
    assert _teachers(pair.district) == before


def test_plain_enroll_of_a_new_key_is_refused_and_names_replace_key(
    pair: Pair, tmp_path: Path
) -> None:
    new_pc = _new_computer(pair, tmp_path)
    new = new_pc.exchange.own_card()
    old = pair.school.exchange.own_card()
    package = new_pc.exchange.export(pair.out).path
    with pytest.raises(Invalid, match="--replace-key") as info:
        pair.district.sync.enroll(package, new.fingerprint)
    assert _hidden(new.fingerprint, str(info.value))
    with pytest.raises(Invalid, match="--replace-key"):
        pair.district.sync.enroll_card(new, new.fingerprint)
    assert _keys(pair.district, new.site_id) == [(old.key_id, PeerStatus.TRUSTED, None)]


def test_replacing_the_key_revokes_the_old_one_after_its_last_package(
    pair: Pair, tmp_path: Path
) -> None:
    old = pair.school.exchange.own_card()
    new_pc = _new_computer(pair, tmp_path)
    new = new_pc.exchange.own_card()
    package = new_pc.exchange.export(pair.out).path
    pair.district.sync.import_files([package], dry_run=False)  # waits in quarantine
    [entry] = pair.district.sync.quarantine()
    with pytest.raises(Invalid, match="не совпадает") as info:
        pair.district.sync.enroll_quarantined(entry.id, old.fingerprint, replace_key=True)
    assert _hidden(new.fingerprint, str(info.value))
    enrolled = pair.district.sync.enroll_quarantined(entry.id, new.fingerprint, replace_key=True)
    assert enrolled.report is not None and enrolled.report.verdict == "applied"
    assert enrolled.report.seq == 2  # the site's sequence goes on under the new key
    assert _keys(pair.district, old.site_id) == sorted(
        [(old.key_id, PeerStatus.REVOKED, 1), (new.key_id, PeerStatus.TRUSTED, None)]
    )
    # the old computer's next package (№ 3, the old key) is refused
    [late] = pair.district.sync.import_files([pair.school_package()], dry_run=False)
    assert (late.verdict, late.code) == ("refused", "revoked")


def test_a_fresh_init_with_an_enrolled_code_is_another_installation(
    pair: Pair, template_db: Path, tmp_path: Path
) -> None:
    code = pair.school.site.profile().site.code
    data = tmp_path / "second"
    data.mkdir()
    second = build_services(memory_copy(template_db), AppPaths(RESOURCES, data))
    second.site.initialize(Role.SCHOOL, "МОУ Лодейнинская СОШ", code)
    second.exchange.trust_district_card(pair.district.exchange.own_card())
    second.demo.fill()
    before = _teachers(pair.district)
    [rep] = pair.district.sync.import_files([second.exchange.export(pair.out).path], dry_run=False)
    assert (rep.verdict, rep.code) == ("quarantined", "quarantined-second-install")
    assert f"ещё одна установка с кодом {code}" in rep.reason.lower()
    assert _hidden(second.exchange.own_card().fingerprint, rep.reason)
    assert _teachers(pair.district) == before
    second.db.close()


def test_restoring_an_older_database_never_reuses_a_package_number(pair: Pair) -> None:
    assert pair.school.exchange.export(pair.out).seq == 2  # № 1 went with the enrollment
    with pair.school.db.session(stamp=False) as s:  # a backup taken after № 1, restored
        s.merge(AppState(key=SEQ_KEY, value="1"))
    assert pair.school.exchange.export(pair.out).seq == 3


def test_restoring_an_older_district_database_never_reuses_a_bulletin_number(pair: Pair) -> None:
    [first] = pair.district.bulletin.export_bulletins(pair.out)
    with pair.district.db.session(stamp=False) as s:
        rows = s.exec(select(AppState).where(col(AppState.key).startswith("bulletin."))).all()
        assert rows
        for row in rows:
            s.delete(row)
    [second] = pair.district.bulletin.export_bulletins(pair.out)
    assert second.seq == first.seq + 1
