"""The trust policy's decisions as pure functions over peer rows (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models import Peer, PeerStatus, Role
from services.core.errors import Invalid
from services.sync.trust import (
    KeyStanding,
    Standing,
    confirms,
    key_standing,
    pinned,
    pinned_cards,
    plan_revoke,
    plan_trust,
)
from tests.services.sync_support import card

SITE = "11111111-1111-4111-8111-111111111111"


def peer(key: str, status: PeerStatus, up_to: int | None = None, name: str = "МОУ СОШ № 1") -> Peer:
    c = card(SITE, name=name, key_id=key * 16)
    return Peer(site_id=SITE, role=Role.SCHOOL, name=c.name, code=c.code,
                signing_key=c.signing_key, key_id=c.key_id, age_recipient=c.age_recipient,
                fingerprint=c.fingerprint, status=status, accept_up_to_seq=up_to,
                added_at=datetime.now(UTC))  # fmt: skip


T, R, P = PeerStatus.TRUSTED, PeerStatus.REVOKED, PeerStatus.PENDING


@pytest.mark.parametrize(
    ("rows", "seq", "expected"),
    [
        ([], 1, KeyStanding(Standing.UNKNOWN)),
        ([peer("A", P)], 1, KeyStanding(Standing.UNKNOWN)),
        ([peer("A", T)], 7, KeyStanding(Standing.TRUSTED)),
        ([peer("B", T)], 1, KeyStanding(Standing.UNKNOWN)),  # another key of the site
        ([peer("A", R)], 1, KeyStanding(Standing.REVOKED, None)),
        ([peer("A", R, 3)], 3, KeyStanding(Standing.TRUSTED, 3)),
        ([peer("A", R, 3)], 4, KeyStanding(Standing.REVOKED, 3)),
        ([peer("A", R, 0)], 1, KeyStanding(Standing.REVOKED, 0)),
        ([peer("A", R), peer("A", T)], 9, KeyStanding(Standing.TRUSTED)),  # an old double load
    ],
)
def test_key_standing(rows: list[Peer], seq: int, expected: KeyStanding) -> None:
    assert key_standing(rows, "A" * 16, seq) == expected


def test_pinned_keys_are_trusted_ones_and_revoked_ones_with_a_limit() -> None:
    rows = [peer("A", T), peer("B", R, 5), peer("C", R), peer("D", P), peer("E", R, 0)]
    assert [pinned(p) for p in rows] == [True, True, False, False, True]
    assert set(pinned_cards(rows)) == {"A" * 16, "B" * 16, "E" * 16}


def test_the_same_card_again_changes_nothing() -> None:
    rows = [peer("A", T)]
    plan = plan_trust(rows, card(SITE, key_id="A" * 16))
    assert plan.unchanged and plan.row is rows[0] and plan.replaced == ()


def test_the_same_key_with_a_new_name_only_renames() -> None:
    rows = [peer("A", T)]
    plan = plan_trust(rows, card(SITE, name="МОУ СОШ № 2", key_id="A" * 16))
    assert not plan.unchanged and plan.row is rows[0] and plan.replaced == ()


def test_a_new_key_replaces_the_trusted_one_and_keeps_pending_rows() -> None:
    rows = [peer("A", T), peer("B", P), peer("C", R, 2)]
    plan = plan_trust(rows, card(SITE, key_id="B" * 16))
    assert plan.row is rows[1] and plan.replaced == (rows[0],) and not plan.unchanged
    fresh = plan_trust(rows, card(SITE, key_id="D" * 16))
    assert fresh.row is None and fresh.replaced == (rows[0],)


def test_a_revoked_key_is_not_trusted_again() -> None:
    with pytest.raises(Invalid, match="отозван"):
        plan_trust([peer("A", R, 4)], card(SITE, key_id="A" * 16))


def test_revoking_takes_every_active_key_and_refuses_when_none() -> None:
    rows = [peer("A", T), peer("B", P), peer("C", R, 1)]
    assert plan_revoke(rows, 3) == rows[:2]
    with pytest.raises(Invalid, match="отзывать нечего"):
        plan_revoke([rows[2]], 3)
    with pytest.raises(Invalid, match="отрицательным"):
        plan_revoke(rows, -1)


def test_a_fingerprint_is_confirmed_when_typed_as_every_one_shown() -> None:
    assert confirms("ab12-cd34 ef56 789o", "AB12 CD34 EF56 7890", "AB12CD34EF567890")
    assert not confirms("AB12 CD34 EF56 7890", "AB12 CD34 EF56 7890", "FFFF FFFF FFFF FFFF")
    assert not confirms("   ", "")
