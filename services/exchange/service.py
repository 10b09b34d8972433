"""Exchange with the district (school side) and package checks (DESIGN §6).

`export` writes the school's whole partition as one signed, encrypted package: the next `seq` is
committed *before* the file is written (so a crash can skip a number but never reuse one), the
file is written to a temporary name, fsynced and renamed, and the export history records it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from models import SYNC_TABLES, AppState, ExportLog, Peer, PeerStatus, Role
from services.core.actor import current_actor
from services.core.db import Database
from services.core.errors import Invalid, StorageError
from services.packages.format import read_package_file, write_package
from services.packages.keys import KeyStore
from services.packages.types import PackageKind, Record, SiteCard, VerifiedPackage
from services.site.profile import SiteService, own_site_id
from services.sync.merge import package_schema
from services.sync.trust import confirms, pinned_cards, trust_card
from services.sync.trust import peer_card as peer_card  # the district's bulletin uses it

SEQ_KEY = "export.seq"
EXPORT_HLC_KEY = "export.hlc"


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    seq: int
    sha256: str
    size: int
    fingerprint: str
    counts: dict[str, int]
    recipient: str


@dataclass(frozen=True, slots=True)
class ExportEntry:
    created_at: datetime
    seq: int
    path: str
    sha256: str
    records: int
    completed: bool


def partition_records(s: Session, owner: str) -> list[Record]:
    """Every row `owner` owns, tombstones included, in dependency order."""
    records: list[Record] = []
    for model in SYNC_TABLES:
        rows = s.exec(select(model).where(model.owner == owner).order_by(col(model.id))).all()
        records += [Record(str(model.__tablename__), r.model_dump(mode="json")) for r in rows]
    return records


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not supported everywhere (e.g. some Windows file systems)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(out: Path, data: bytes) -> None:
    """Temporary file in the same folder, fsync, rename: never a half file under `out`."""
    tmp = out.with_name(f".{out.name}.part")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(out)
        _fsync_dir(out.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(
            f"Не удалось записать пакет {out}: {exc.strerror or exc}. Проверьте, что флешка "
            "вставлена и на ней есть место, и повторите выгрузку."
        ) from exc


def reserve_seq(s: Session, key: str, keys: KeyStore) -> int:
    """The next number of a package sequence, stored under `key` in the caller's transaction.

    Committed before the package is written, so a crash can skip a number but never reuse one;
    kept beside the keys too (`KeyStore.next_number`), so restoring an older backup does not
    either. Per site, not per key: a new key continues the sequence.
    """
    state = s.get(AppState, key)
    seq = keys.next_number(key, int(state.value) if state else 0, s)
    s.merge(AppState(key=key, value=str(seq)))
    return seq


def previous_sha(s: Session, recipient_id: str | None = None) -> str:
    """`prev` of the next package: the hash of the newest completed one (to that recipient)."""
    stmt = select(ExportLog).where(col(ExportLog.completed).is_(True))
    if recipient_id is not None:
        stmt = stmt.where(ExportLog.recipient_id == recipient_id)
    last = s.exec(stmt.order_by(col(ExportLog.seq).desc())).first()
    return last.sha256 if last else ""


class ExchangeService:
    def __init__(self, db: Database, site: SiteService, keys: KeyStore, app_version: str) -> None:
        self._db = db
        self._site = site
        self._keys = keys
        self._version = app_version

    # -- cards ---------------------------------------------------------------------------

    def own_card(self) -> SiteCard:
        self._keys.ensure()
        return self._keys.card(self._site.profile())

    def district_card(self) -> SiteCard | None:
        with self._db.session(stamp=False) as s:
            peer = s.exec(
                select(Peer).where(Peer.role == Role.DISTRICT, Peer.status == PeerStatus.TRUSTED)
            ).first()
            return peer_card(peer) if peer else None

    def trust_district_card(self, card: SiteCard, confirm_fingerprint: str | None = None) -> None:
        """Pin the district's card at a school (after the person confirmed its fingerprint).

        `trust.trust_card` decides: the same card loaded again changes nothing.
        """
        if self._site.profile().role is not Role.SCHOOL:
            raise Invalid("Карточку управления загружает школа.")
        if card.role != Role.DISTRICT.value:
            raise Invalid("Это карточка школы, а нужна карточка управления образования.")
        if confirm_fingerprint is not None and not confirms(confirm_fingerprint, card.fingerprint):
            raise Invalid("Отпечаток не совпадает с карточкой. Карточка не загружена.")
        with self._db.session(stamp=False) as s:
            trust_card(s, card)
            s.flush()
            self._set_parent(s, card.site_id)

    @staticmethod
    def _set_parent(s: Session, district_id: str) -> None:
        from models import Site

        own = s.get(Site, own_site_id(s))
        if own is not None and own.parent_id != district_id:
            own.parent_id = district_id  # a synced change; stamped by the next stamped session

    # -- export --------------------------------------------------------------------------

    def export(self, out: Path) -> ExportResult:
        """Write this school's package into `out` (a file, or a folder to name it in)."""
        profile = self._site.profile()
        if profile.role is not Role.SCHOOL:
            raise Invalid("Управление образования выгружает рассылку школам (export в папку).")
        recipient = self.district_card()
        if recipient is None:
            raise Invalid(
                "Сначала загрузите карточку управления образования: «Обмен с управлением» → "
                "«Карточка управления» или init --district-card ФАЙЛ."
            )
        sender = self.own_card()
        self._keys.require_unlocked()  # before a number is reserved
        out = Path(out)
        seq, prev, records, stamp = self._reserve(out)
        if out.is_dir():
            out = out / f"opora-{profile.site.code or 'school'}-{seq:05d}.opora"
        data = write_package(
            keys=self._keys, sender=sender, recipient=recipient,
            kind=PackageKind.SCHOOL_REPORT, seq=seq, prev=prev, schema=package_schema(),
            hlc=stamp, app_version=self._version, records=records, include_card=True,
        )  # fmt: skip
        write_atomically(out, data)
        sha = hashlib.sha256(data).hexdigest()
        with self._db.session(stamp=False) as s:
            log = s.exec(select(ExportLog).where(ExportLog.seq == seq)).one()
            log.completed, log.sha256, log.path = True, sha, str(out)
            s.merge(AppState(key=EXPORT_HLC_KEY, value=stamp))
        counts: dict[str, int] = {}
        for rec in records:
            counts[rec.table] = counts.get(rec.table, 0) + 1
        return ExportResult(out, seq, sha, len(data), sender.fingerprint, counts, recipient.name)

    def _reserve(self, out: Path) -> tuple[int, str, list[Record], str]:
        """Commit the next seq (and an unfinished history line) before anything is written."""
        folder = out if out.is_dir() else out.parent
        if not folder.is_dir():
            raise Invalid(f"Папка {folder} не найдена. Выберите существующую папку или флешку.")
        with self._db.session(stamp=False) as s:
            seq = reserve_seq(s, SEQ_KEY, self._keys)
            prev = previous_sha(s)
            records = partition_records(s, own_site_id(s))
            stamp = self._db.clock.now()
            district = self.district_card()
            s.add(
                ExportLog(
                    package_id="", recipient_id=district.site_id if district else "",
                    seq=seq, path=str(out), created_at=datetime.now(UTC),
                    record_count=len(records), actor=current_actor(s),
                )
            )  # fmt: skip
        return seq, prev, records, stamp

    def history(self) -> list[ExportEntry]:
        with self._db.session(stamp=False) as s:
            rows = s.exec(select(ExportLog).order_by(col(ExportLog.seq).desc())).all()
            return [
                ExportEntry(r.created_at, r.seq, r.path, r.sha256, r.record_count, r.completed)
                for r in rows
            ]

    def changed_since_export(self) -> bool:
        """Whether this site changed anything after its last completed export."""
        with self._db.session(stamp=False) as s:
            mark = s.get(AppState, EXPORT_HLC_KEY)
            owner = own_site_id(s)
            for model in SYNC_TABLES:
                if mark is None and model.__tablename__ == "site":
                    # a new school's own profile is not news: it travels with the first
                    # package anyway, and an empty school has nothing to send yet
                    continue
                query = select(model.id).where(model.owner == owner)
                if mark is not None:
                    query = query.where(model.hlc > mark.value)
                if s.exec(query.limit(1)).first() is not None:
                    return True
        return False

    # -- checking --------------------------------------------------------------------------

    def verify(self, path: Path) -> VerifiedPackage:
        """Check a package without importing it (any package addressed to or sent by us)."""
        self._keys.ensure()
        with self._db.session(stamp=False) as s:
            own = own_site_id(s)
            trusted = pinned_cards(
                s.exec(select(Peer).where(Peer.status == PeerStatus.TRUSTED)).all()
            )
        own_card = self.own_card()
        trusted[own_card.key_id] = own_card
        if (retired := self._keys.retired()) is not None:  # the bulletins introducing our key
            old_card = retired.card(self._site.profile())
            trusted[old_card.key_id] = old_card
        return read_package_file(path, keys=self._keys, own_site_id=own, lookup_signer=trusted.get)
