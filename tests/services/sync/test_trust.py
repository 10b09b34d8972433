"""The one trust policy through real installations: loading a card twice, replacing a key."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import select

from models import Peer, PeerStatus, Role
from services.app import Services
from services.core.errors import Invalid
from tests.services.pair_support import Pair, make_pair


@pytest.fixture
def pair(template_db: Path, tmp_path: Path) -> Iterator[Pair]:
    p = make_pair(template_db, tmp_path)
    yield p
    p.close()


def _district_peers(school: Services) -> list[tuple[str, PeerStatus, int | None]]:
    with school.db.session(stamp=False) as s:
        rows = s.exec(select(Peer).where(Peer.role == Role.DISTRICT)).all()
        return sorted((p.key_id, p.status, p.accept_up_to_seq) for p in rows)


def _bulletin_verdict(pair: Pair) -> tuple[str, str]:
    [path] = pair.send_bulletins()
    [rep] = pair.school.sync.import_files([path], dry_run=False)
    return rep.verdict, rep.code


def test_loading_the_same_district_card_twice_changes_nothing(pair: Pair) -> None:
    card = pair.district.exchange.own_card()
    before = _district_peers(pair.school)
    assert _bulletin_verdict(pair) == ("applied", "applied")
    pair.school.exchange.trust_district_card(card, card.fingerprint)  # «Карточка управления»
    assert _district_peers(pair.school) == before == [(card.key_id, PeerStatus.TRUSTED, None)]
    assert _bulletin_verdict(pair) == ("applied", "applied")


def test_enrolling_the_district_card_at_the_school_is_the_same_trust(pair: Pair) -> None:
    card = pair.district.exchange.own_card()
    before = _district_peers(pair.school)
    assert pair.school.sync.enroll_card(card, card.fingerprint) == []
    assert _district_peers(pair.school) == before
    assert _bulletin_verdict(pair) == ("applied", "applied")


def test_a_school_hit_by_a_double_load_accepts_bulletins_again(pair: Pair) -> None:
    """Earlier versions wrote a revoked row and a later trusted row of the same key."""
    card = pair.district.exchange.own_card()
    with pair.school.db.session(stamp=False) as s:
        [peer] = s.exec(select(Peer).where(Peer.role == Role.DISTRICT)).all()
        s.add(Peer(**{**peer.model_dump(), "id": "old-row", "status": PeerStatus.REVOKED}))
    assert (card.key_id, PeerStatus.REVOKED, None) in _district_peers(pair.school)
    assert _bulletin_verdict(pair) == ("applied", "applied")


def test_a_new_district_key_replaces_the_old_one_up_to_its_last_bulletin(
    pair: Pair, tmp_path: Path
) -> None:
    old = pair.district.exchange.own_card()
    assert _bulletin_verdict(pair) == ("applied", "applied")
    new = replace(old, key_id="N" * 16, fingerprint="NNNN NNNN NNNN NNNN")
    pair.school.exchange.trust_district_card(new)
    assert _district_peers(pair.school) == sorted(
        [(old.key_id, PeerStatus.REVOKED, 1), (new.key_id, PeerStatus.TRUSTED, None)]
    )
    with pytest.raises(Invalid, match="отозван"):
        pair.school.exchange.trust_district_card(old)  # a revoked key is not trusted again
    assert _bulletin_verdict(pair) == ("refused", "revoked")  # the old key's № 2


def test_enrolling_a_new_key_of_a_school_revokes_its_old_key(pair: Pair) -> None:
    school = pair.school.exchange.own_card()
    new = replace(school, key_id="M" * 16, fingerprint="MMMM MMMM MMMM MMMM")
    with pytest.raises(Invalid, match="--replace-key"):  # never two trusted keys for one site
        pair.district.sync.enroll_card(new, new.fingerprint)
    pair.district.sync.enroll_card(new, new.fingerprint, replace_key=True)
    with pair.district.db.session(stamp=False) as s:
        rows = s.exec(select(Peer).where(Peer.site_id == school.site_id)).all()
        got = sorted((p.key_id, p.status, p.accept_up_to_seq) for p in rows)
    assert got == sorted(
        [(school.key_id, PeerStatus.REVOKED, 1), (new.key_id, PeerStatus.TRUSTED, None)]
    )
    [rep] = pair.district.sync.import_files([pair.school_package()], dry_run=False)
    assert (rep.verdict, rep.code) == ("refused", "revoked")
