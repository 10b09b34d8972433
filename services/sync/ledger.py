"""The import log, the quarantine and the trusted peers of the merge engine (DESIGN §6, §7)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from models import AppState, ImportLog, ImportOutcome, Peer, QuarantineEntry, SyncState
from services.core.db import Database
from services.core.errors import NotFound
from services.packages.types import SiteCard, VerifiedPackage
from services.site.profile import ROLE_KEY, SITE_KEY
from services.sync.checks import RunState
from services.sync.report import ImportLogRead, ImportReport, QuarantineRead, Verdict
from services.sync.trust import pinned_cards, trust_card


def split_reason(stored: str) -> tuple[str, str]:
    """A quarantine entry's stored reason → (the Russian reason, the sender's name)."""
    reason, _, meta = stored.rpartition("\n")
    try:
        return reason, str(json.loads(meta).get("sender_name", ""))
    except ValueError:
        return stored, ""


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
        state = RunState(own.value if own else None, role.value if role else None)
        for peer in s.exec(select(Peer)).all():
            state.peers.setdefault(peer.site_id, []).append(peer)
        query = select(ImportLog.package_sha256, ImportLog.sender_id, ImportLog.seq).where(
            ImportLog.outcome == ImportOutcome.APPLIED
        )
        for sha, sender, seq in s.exec(query).all():
            state.applied.add(sha)
            state.applied_seqs.add((sender, seq))
        state.states = {st.peer_site_id: st for st in s.exec(select(SyncState)).all()}
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
        s.add(self.log_row(rep, pkg.file_sha256, ImportOutcome.APPLIED))

    def log_row(self, rep: ImportReport, sha: str, outcome: ImportOutcome) -> ImportLog:
        row = ImportLog(
            package_sha256=sha,
            package_id=rep.package_id,
            sender_id=rep.sender_id,
            seq=rep.seq,
            outcome=outcome,
            report="{}",
            created_at=rep.created_at or _now(),
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
        s.add(self.log_row(rep, pkg.file_sha256, outcome))

    @staticmethod
    def _quarantine_row(pkg: VerifiedPackage, rep: ImportReport) -> QuarantineEntry:
        card = pkg.manifest.sender_card
        meta = {"code": rep.code, "sender_name": card.name if card else ""}
        return QuarantineEntry(
            package_sha256=pkg.file_sha256,
            sender_id=pkg.manifest.sender_id,
            fingerprint=pkg.signer_fingerprint,
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
            out = []
            for q in rows:
                reason, name = split_reason(q.reason)
                out.append(
                    QuarantineRead(
                        q.id, q.created_at, q.sender_id, name, q.fingerprint, reason, q.released
                    )
                )
            return out

    def import_log(self) -> list[ImportLogRead]:
        """Every import attempt, newest first, with its report."""
        with self._db.session() as s:
            rows = s.exec(select(ImportLog).order_by(col(ImportLog.created_at).desc())).all()
            return [self._log_read(r) for r in rows]

    def log_entry(self, log_id: str) -> ImportLogRead:
        with self._db.session() as s:
            row = s.get(ImportLog, log_id)
            if row is None:
                raise NotFound(f"Запись журнала импорта «{log_id}» не найдена.")
            return self._log_read(row)

    @staticmethod
    def _log_read(r: ImportLog) -> ImportLogRead:
        try:
            rep = ImportReport.from_dict(json.loads(r.report))
        except (ValueError, TypeError):
            rep = ImportReport(file="", verdict=Verdict(r.outcome.value))
        rep.log_id = r.id
        return ImportLogRead(
            r.id, r.created_at, r.package_sha256, r.sender_id, r.seq, r.outcome.value, rep
        )

    def trust(self, card: SiteCard) -> None:
        """Trust a confirmed card (`trust.trust_card` decides what changes)."""
        with self._db.session(stamp=False) as s:
            trust_card(s, card)

    def waiting_from(self, sender_id: str) -> list[tuple[str, str, bytes]]:
        with self._db.session() as s:
            rows = s.exec(
                select(QuarantineEntry).where(
                    QuarantineEntry.sender_id == sender_id,
                    col(QuarantineEntry.released).is_(False),
                    col(QuarantineEntry.reason).contains('"code": "unknown-key"'),
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
