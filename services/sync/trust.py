"""One trust policy: trusting a card, revoking keys, and the signer check at import (DESIGN §6, §7).

Every path that trusts or revokes a key decides here: a school loading its district's card, the
district enrolling a school (by card, package or quarantine entry), the district revoking a
school's keys, the package reader pinning a card, and the engine checking a package's signer.
The decisions are pure functions over a site's peer rows; `trust_card` and `revoke_keys` write
them in the caller's session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlmodel import Session, select

from models import Peer, PeerStatus, Role, SyncState
from services.core.errors import Invalid
from services.packages.keys import normalize_fingerprint
from services.packages.types import SiteCard


def confirms(typed: str, *shown: str) -> bool:
    """Whether what a person typed (read out by phone) is every fingerprint shown to them.

    Fingerprints are confirmed by the person, never printed by the program in answer to a wrong
    one (DESIGN §7); `normalize_fingerprint` forgives spaces, case and look-alike characters.
    """
    entered = normalize_fingerprint(typed)
    return bool(entered) and all(entered == normalize_fingerprint(fp) for fp in shown)


class Standing(StrEnum):
    """How a package's signing key stands with this site."""

    TRUSTED = "trusted"
    REVOKED = "revoked"  # revoked, and the package is past the number still accepted
    UNKNOWN = "unknown"  # not confirmed (yet)


@dataclass(frozen=True, slots=True)
class KeyStanding:
    standing: Standing
    limit: int | None = None  # a revoked key: its packages up to this № are still accepted


def key_standing(peers: Iterable[Peer], key_id: str, seq: int) -> KeyStanding:
    """How package № `seq` signed by `key_id` stands against its sender's peer rows.

    A trusted row of the key wins over a revoked one: the policy never writes both, but earlier
    versions did when a card was loaded twice (the trusted row being the later decision), and a
    school with such rows must not refuse every bulletin of its district.
    """
    same = [p for p in peers if p.key_id == key_id]
    if any(p.status == PeerStatus.TRUSTED for p in same):
        return KeyStanding(Standing.TRUSTED)
    revoked = [p for p in same if p.status == PeerStatus.REVOKED]
    if not revoked:
        return KeyStanding(Standing.UNKNOWN)
    limit = revoked[0].accept_up_to_seq
    if limit is None or seq > limit:
        return KeyStanding(Standing.REVOKED, limit)
    return KeyStanding(Standing.TRUSTED, limit)


@dataclass(frozen=True, slots=True)
class Stranger:
    """What a key not trusted here is to the sites this one knows."""

    new_key: bool  # its site has a trusted key already: a reinstall, or a forgery
    same_code: Peer | None  # another site, trusted, with the code this one's card claims


def stranger(peers: Mapping[str, Sequence[Peer]], site_id: str, key_id: str, code: str) -> Stranger:
    """How a package from `site_id` signed by the untrusted `key_id` relates to known sites.

    One trusted key per site (DESIGN §7): a second one is never trusted silently; neither is
    another installation that took the code of an enrolled school (it is another site).
    """
    own = peers.get(site_id, ())
    if any(p.status == PeerStatus.TRUSTED and p.key_id != key_id for p in own):
        return Stranger(True, None)
    if code.strip():
        for other_site, rows in peers.items():
            for p in rows:
                if other_site != site_id and p.status == PeerStatus.TRUSTED and p.code == code:
                    return Stranger(False, p)
    return Stranger(False, None)


def introduces(peers: Iterable[Peer], successor: SiteCard | None) -> bool:
    """Whether a package's `successor` card is a key still to confirm (not trusted here yet)."""
    if successor is None:
        return False
    return not any(p.key_id == successor.key_id and p.status == PeerStatus.TRUSTED for p in peers)


def other_trusted_key(peers: Iterable[Peer], card: SiteCard) -> Peer | None:
    """The site's trusted key other than the card's, which trusting the card would replace."""
    return next(
        (p for p in peers if p.status == PeerStatus.TRUSTED and p.key_id != card.key_id), None
    )


def pinned(peer: Peer) -> bool:
    """Whether the package reader checks signatures against this peer's card.

    A revoked key with an "accepted up to № N" limit stays pinned: its older packages are read,
    and `key_standing` refuses the ones after N.
    """
    return peer.status == PeerStatus.TRUSTED or (
        peer.status == PeerStatus.REVOKED and peer.accept_up_to_seq is not None
    )


def pinned_cards(peers: Iterable[Peer]) -> dict[str, SiteCard]:
    """Key id → the card the reader pins for it (the first pinned peer of each key)."""
    cards: dict[str, SiteCard] = {}
    for peer in peers:
        if peer.key_id not in cards and pinned(peer):
            cards[peer.key_id] = peer_card(peer)
    return cards


def peer_card(peer: Peer) -> SiteCard:
    return SiteCard(
        site_id=peer.site_id,
        role=peer.role.value,
        name=peer.name,
        code=peer.code,
        signing_key=peer.signing_key,
        key_id=peer.key_id,
        age_recipient=peer.age_recipient,
        fingerprint=peer.fingerprint,
    )


@dataclass(frozen=True, slots=True)
class TrustPlan:
    """What trusting a card changes: nothing, one row of its key, and the keys it replaces."""

    row: Peer | None  # this key's row made (or kept) trusted; None: a new row is added
    replaced: tuple[Peer, ...]  # other trusted keys of the same site (or role), to revoke
    unchanged: bool  # the card is trusted already, exactly as it is: nothing to write


def plan_trust(peers: Sequence[Peer], card: SiteCard) -> TrustPlan:
    """Trusting `card` against the peer rows it may replace (its site's, or its role's).

    The same card trusted twice changes nothing; a revoked key cannot be trusted again; a new
    key replaces the site's trusted key (one trusted key per site, DESIGN §7).
    """
    same = [p for p in peers if p.key_id == card.key_id]
    trusted = next((p for p in same if p.status == PeerStatus.TRUSTED), None)
    if trusted is None and any(p.status == PeerStatus.REVOKED for p in same):
        raise Invalid("Этот ключ отправителя был отозван; подтвердить его нельзя.")
    row = trusted or next(iter(same), None)
    replaced = tuple(p for p in peers if p.status == PeerStatus.TRUSTED and p.key_id != card.key_id)
    unchanged = (
        trusted is not None
        and not replaced
        and (trusted.name, trusted.code) == (card.name, card.code)
    )
    return TrustPlan(row, replaced, unchanged)


def plan_revoke(peers: Sequence[Peer], up_to: int | None) -> list[Peer]:
    """The keys a revocation revokes: every key of the site not revoked already."""
    if up_to is not None and up_to < 0:
        raise Invalid("Номер пакета не может быть отрицательным.")
    active = [p for p in peers if p.status != PeerStatus.REVOKED]
    if not active:
        raise Invalid("У этой школы нет действующего ключа — отзывать нечего.")
    return active


def _now() -> datetime:
    return datetime.now(UTC)


def rivals(s: Session, card: SiteCard, role: Role) -> Sequence[Peer]:
    """The peer rows a card may replace.

    A school follows one district, whatever its site id; the district keeps one key per school.
    """
    if role is Role.DISTRICT:
        return s.exec(select(Peer).where(Peer.role == Role.DISTRICT)).all()
    return s.exec(select(Peer).where(Peer.site_id == card.site_id)).all()


def trust_card(s: Session, card: SiteCard, *, up_to: int | None = None) -> bool:
    """Trust `card` in session `s` (see `plan_trust`); False when nothing had to change.

    A replaced key is revoked up to the last package received from its site, so the packages
    it signed before stay accepted and none after; `up_to` names that last number instead (a
    district's bulletin № N signed by the old key introduced the new one: N is still accepted).
    """
    try:
        role = Role(card.role)
    except ValueError as exc:
        raise Invalid("Карточка отправителя повреждена (неизвестная роль).") from exc
    plan = plan_trust(rivals(s, card, role), card)
    if plan.unchanged:
        return False
    for old in plan.replaced:
        state = s.get(SyncState, old.site_id)
        last = up_to if up_to is not None else state.last_seq if state else 0
        old.status, old.accept_up_to_seq = PeerStatus.REVOKED, last
        s.add(old)
    peer = plan.row
    if peer is None:
        peer = Peer(
            site_id=card.site_id,
            role=role,
            signing_key=card.signing_key,
            key_id=card.key_id,
            age_recipient=card.age_recipient,
            fingerprint=card.fingerprint,
            added_at=_now(),
        )
    peer.name, peer.code = card.name, card.code
    if peer.status != PeerStatus.TRUSTED:
        peer.status, peer.confirmed_at = PeerStatus.TRUSTED, _now()
    s.add(peer)
    return True


def revoke_keys(s: Session, peers: Sequence[Peer], up_to: int | None) -> int:
    """Revoke every active key among `peers`; packages after № `up_to` are refused."""
    active = plan_revoke(peers, up_to)
    for p in active:
        p.status, p.accept_up_to_seq = PeerStatus.REVOKED, up_to
        s.add(p)
    return len(active)
