"""The import log, the quarantine and the trusted peers of the merge engine (DESIGN §6, §7)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from models import (
    AppState,
    ImportLog,
    ImportOutcome,
    Peer,
    PeerStatus,
    QuarantineEntry,
    Role,
    Site,
    SyncState,
)
from services.core.actor import current_actor
from services.core.db import Database
from services.core.errors import NotFound
from services.packages.types import SiteCard, VerifiedPackage
from services.site.profile import ROLE_KEY, SITE_KEY
from services.sync.checks import RunState
from services.sync.report import Code, ImportLogRead, ImportReport, QuarantineRead, Verdict
from services.sync.trust import other_trusted_key, peer_card, pinned_cards, rivals, trust_card

# The codes of quarantine entries that wait for a person to confirm a key ("unknown-key": the
# code earlier versions stored for all of them).
WAITING_FOR_KEY = (
    Code.QUARANTINED_UNKNOWN_KEY,
    Code.QUARANTINED_NEW_KEY,
    Code.QUARANTINED_SECOND_INSTALL,
    Code.DISTRICT_KEY_CHANGE,
    "unknown-key",
)


def split_reason(stored: str) -> tuple[str, str]:
    """A quarantine entry's stored reason → (the Russian reason, the sender's name)."""
    reason, _, meta = split_meta(stored)
    return reason, str(meta.get("sender_name", ""))


def split_meta(stored: str) -> tuple[str, str, dict[str, object]]:
    """A quarantine entry's stored reason → (the Russian reason, its code, all its metadata)."""
    reason, _, meta = stored.rpartition("\n")
    try:
        data = json.loads(meta)
    except ValueError:
        return stored, "", {}
    if not isinstance(data, dict):
        return stored, "", {}
    return reason, str(data.get("code", "")), data


def _now() -> datetime:
    return datetime.now(UTC)


class Ledger:
    """Bookkeeping of imports: log rows, quarantine entries, peers and their trust."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def trusted_card(self, key_id: str) -> SiteCard | None:
        """The card the package reader pins for this key id (`trust.pinned`), if any."""
        with self._db.session() as s:
            peers = s.exec(select(Peer).where(Peer.key_id == key_id)).all()
            return pinned_cards(peers).get(key_id)

    def applied_shas(self) -> set[str]:
        """The SHA-256 of every package file applied here."""
        with self._db.session(stamp=False) as s:
            query = select(ImportLog.package_sha256).where(
                ImportLog.outcome == ImportOutcome.APPLIED
            )
            return set(s.exec(query).all())

    def trusted_cards(self) -> dict[str, SiteCard]:
        """`trusted_card` for every key id at once."""
        with self._db.session() as s:
            return pinned_cards(s.exec(select(Peer)).all())

    # -- the engine --------------------------------------------------------------------

    @staticmethod
    def load_state(s: Session) -> RunState:
        """What the checks of a run consult, read in the run's own transaction `s`."""
        own, role = s.get(AppState, SITE_KEY), s.get(AppState, ROLE_KEY)
        state = Ledger.load_peers(s)
        state.own, state.role = own.value if own else None, role.value if role else None
        query = select(ImportLog.package_sha256, ImportLog.sender_id, ImportLog.seq).where(
            ImportLog.outcome == ImportOutcome.APPLIED
        )
        for sha, sender, seq in s.exec(query).all():
            state.applied.add(sha)
            state.applied_seqs.add((sender, seq))
        state.states = {st.peer_site_id: st for st in s.exec(select(SyncState)).all()}
        return state

    @staticmethod
    def load_peers(s: Session) -> RunState:
        """A run state with only the peers filled in (what the signer checks consult)."""
        state = RunState()
        for peer in s.exec(select(Peer)).all():
            state.peers.setdefault(peer.site_id, []).append(peer)
        return state

    def record_applied(
        self, s: Session, state: RunState, pkg: VerifiedPackage, rep: ImportReport
    ) -> None:
        """Sequence state and log row of a merged package, in the run's session and state.

        They decide how the run's later packages are seen ("already imported", gaps, forks),
        so a dry run writes them too (its transaction is rolled back).
        """
        m = pkg.manifest
        seen = state.states.get(m.sender_id)
        if seen is None:
            seen = state.states[m.sender_id] = SyncState(
                peer_site_id=m.sender_id, updated_at=_now()
            )
            s.add(seen)
        if m.seq > seen.last_seq:
            seen.last_seq, seen.last_hash = m.seq, pkg.file_sha256
        seen.updated_at = _now()
        state.applied.add(pkg.file_sha256)
        state.applied_seqs.add((m.sender_id, m.seq))
        s.add(self.log_row(rep, pkg.file_sha256, ImportOutcome.APPLIED, current_actor(s)))

    def log_row(self, rep: ImportReport, sha: str, outcome: ImportOutcome, actor: str) -> ImportLog:
        """The log entry of one import attempt by staff login `actor` (`current_actor`)."""
        row = ImportLog(
            actor=actor,
            package_sha256=sha,
            package_id=rep.package_id,
            sender_id=rep.sender_id,
            seq=rep.seq,
            outcome=outcome,
            report="{}",
            created_at=rep.created_at or _now(),
            app_version=rep.app_version[:40],
            schema_revision=rep.schema[:20],
        )
        rep.log_id = row.id
        row.report = rep.to_json()
        return row

    def record_stop(self, s: Session, pkg: VerifiedPackage, rep: ImportReport) -> None:
        """Log a package the engine stopped; keep it in quarantine if it waits there.

        Written in the import's own session `s`, so that it commits (or not) with the import.
        """
        outcome = ImportOutcome.REFUSED
        if rep.verdict is Verdict.QUARANTINED:
            outcome = ImportOutcome.QUARANTINED
            waiting = s.exec(
                select(QuarantineEntry).where(
                    QuarantineEntry.package_sha256 == pkg.file_sha256,
                    col(QuarantineEntry.released).is_(False),
                )
            ).first()
            if waiting is None:
                s.add(self._quarantine_row(pkg, rep))
        s.add(self.log_row(rep, pkg.file_sha256, outcome, current_actor(s)))

    @staticmethod
    def _quarantine_row(pkg: VerifiedPackage, rep: ImportReport) -> QuarantineEntry:
        card = pkg.manifest.sender_card
        meta = {"code": rep.code, "sender_name": card.name if card else ""}
        return QuarantineEntry(
            package_sha256=pkg.file_sha256,
            sender_id=pkg.manifest.sender_id,
            fingerprint="",  # a key not trusted: its fingerprint is typed, never shown
            reason=f"{rep.reason}\n{json.dumps(meta, ensure_ascii=False)}"[:2000],
            raw=pkg.raw,
            created_at=_now(),
        )

    def quarantine(self) -> list[QuarantineRead]:
        """Packages waiting in quarantine (released ones included, marked), newest first."""
        with self._db.session() as s:
            rows = s.exec(
                select(QuarantineEntry).order_by(col(QuarantineEntry.created_at).desc())
            ).all()
            trusted = {
                p.site_id: p.fingerprint
                for p in s.exec(select(Peer).where(Peer.status == PeerStatus.TRUSTED)).all()
            }
            out = []
            for q in rows:
                reason, code, meta = split_meta(q.reason)
                name = str(meta.get("sender_name", ""))
                out.append(
                    QuarantineRead(
                        q.id, q.created_at, q.sender_id, name, reason, q.released, code,
                        trusted.get(q.sender_id, ""),
                    )
                )  # fmt: skip
            return out

    def import_log(self) -> list[ImportLogRead]:
        """Every import attempt, newest first, with its report."""
        with self._db.session() as s:
            rows = s.exec(select(ImportLog).order_by(col(ImportLog.created_at).desc())).all()
            # the list names a school as «Школы» does; its report keeps the name it was sent with
            short = {i: n for i, n in s.exec(select(Site.id, Site.short_name)) if n}
            return [self._log_read(r, short.get(r.sender_id, "")) for r in rows]

    def log_entry(self, log_id: str) -> ImportLogRead:
        with self._db.session() as s:
            row = s.get(ImportLog, log_id)
            if row is None:
                raise NotFound(f"Запись журнала импорта «{log_id}» не найдена.")
            return self._log_read(row)

    @staticmethod
    def _log_read(r: ImportLog, short_name: str = "") -> ImportLogRead:
        try:
            rep = ImportReport.from_dict(json.loads(r.report))
        except (ValueError, TypeError):
            rep = ImportReport(file="", verdict=Verdict(r.outcome.value))
        rep.log_id = r.id
        return ImportLogRead(
            r.id, r.created_at, r.package_sha256, r.sender_id, r.seq, r.outcome.value, rep,
            actor=r.actor, app_version=r.app_version, schema=r.schema_revision,
            short_name=short_name,
        )  # fmt: skip

    def trust(self, card: SiteCard, *, up_to: int | None = None) -> None:
        """Trust a confirmed card (`trust.trust_card` decides what changes)."""
        with self._db.session(stamp=False) as s:
            trust_card(s, card, up_to=up_to)

    def replaced_by(self, card: SiteCard) -> SiteCard | None:
        """The trusted key of the card's site (or role) that trusting the card would revoke."""
        try:
            role = Role(card.role)
        except ValueError:
            return None
        with self._db.session(stamp=False) as s:
            old = other_trusted_key(rivals(s, card, role), card)
            return peer_card(old) if old is not None else None

    def waiting_from(self, sender_id: str) -> list[tuple[str, str, bytes]]:
        """Entries of `sender_id` waiting for its key to be confirmed: (id, SHA-256, file)."""
        waiting = [
            col(QuarantineEntry.reason).contains(f'"code": "{code}"') for code in WAITING_FOR_KEY
        ]
        with self._db.session() as s:
            rows = s.exec(
                select(QuarantineEntry).where(
                    QuarantineEntry.sender_id == sender_id,
                    col(QuarantineEntry.released).is_(False),
                    or_(*waiting),
                )
            ).all()
            return [(q.id, q.package_sha256, q.raw) for q in rows]

    def raw(self, entry_id: str) -> bytes:
        with self._db.session(stamp=False) as s:
            q = s.get(QuarantineEntry, entry_id)
            if q is None or not q.raw:
                raise NotFound("Пакет в карантине не найден (возможно, его уже приняли).")
            return bytes(q.raw)

    def release(self, entry_id: str) -> None:
        with self._db.session(stamp=False) as s:
            q = s.get(QuarantineEntry, entry_id)
            if q is not None:
                q.released = True
                s.add(q)
