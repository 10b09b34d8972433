"""The district's bulletin: one signed package per school, encrypted to that school (DESIGN §6).

A bulletin carries what the district owns and the school should see: the district's own card row,
thresholds and catalogue versions, the municipal roadmap (for information), and — of the rows
concerning schools — only that school's status (flags), its curators and the comments on its
rows.
Tombstones travel too, so a comment deleted at the district disappears at the school. Each school
has its own sequence of bulletins (seq 1, 2, … per recipient), so the school's merge engine sees
gaps and repeats exactly as the district does for school packages.

After the district changed its key (`key_change`), a school's next bulletin is signed by the old
key, which the school trusts, and introduces the new card (`packages.rotation`); later ones are
signed by the new key. The numbers go on either way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from models import ExportLog, Peer, PeerStatus, Role, Site
from services.core.actor import current_actor
from services.core.db import Database
from services.core.errors import Invalid, StorageError
from services.core.notify import BULLETIN, announce
from services.core.progress import NullProgress, Progress, check_cancelled
from services.exchange.service import (
    partition_records,
    peer_card,
    previous_sha,
    reserve_seq,
    write_atomically,
)
from services.packages.format import write_package
from services.packages.keys import KeyStore
from services.packages.rotation import KeyChange, introduction, read_change, write_change
from services.packages.types import PackageKind, Record, SiteCard
from services.site.profile import SiteProfile, SiteService, own_site_id
from services.sync.merge import package_schema

PER_SCHOOL_TABLES = {"school_status", "school_curator", "district_comment"}


@dataclass(frozen=True, slots=True)
class BulletinResult:
    school_id: str
    school: str
    path: Path
    seq: int
    sha256: str
    records: int
    comments: int
    introduces_key: bool = False  # signed by the old key, it introduces the district's new one

    def line(self) -> str:
        name = self.school if "«" in self.school else f"«{self.school}»"
        text = (
            f"{name}: рассылка № {self.seq} сохранена — {self.path.name} "
            f"(записей {self.records}, комментариев {self.comments})"
        )
        return text + (" — сообщает школе новый ключ управления" if self.introduces_key else "")


@dataclass(frozen=True, slots=True)
class _Signer:
    """Who signs a bulletin: the current key, or the old one introducing it (`successor`)."""

    keys: KeyStore
    card: SiteCard
    successor: dict[str, object] | None = None


def bulletin_records(s: Session, district_id: str, school_id: str) -> list[Record]:
    """The district's partition, with the per-school rows of this school only."""
    return [
        rec
        for rec in partition_records(s, district_id)
        if rec.table not in PER_SCHOOL_TABLES or rec.row.get("school_id") == school_id
    ]


def short_names(s: Session) -> dict[str, str]:
    """Site id → the short name (else the full name) of every organisation known here."""
    names = {p.site_id: p.name for p in s.exec(select(Peer))}
    for site in s.exec(select(Site)):
        names[site.id] = site.short_name or site.full_name
    return names


def _seq_key(school_id: str) -> str:
    return f"bulletin.seq.{school_id}"


class BulletinService:
    def __init__(self, db: Database, site: SiteService, keys: KeyStore, app_version: str) -> None:
        self._db = db
        self._site = site
        self._keys = keys
        self._version = app_version
        self._names: dict[str, str] = {}

    def recipients(self) -> list[SiteCard]:
        """Schools with a confirmed key, by name."""
        with self._db.session(stamp=False) as s:
            peers = s.exec(
                select(Peer).where(Peer.role == Role.SCHOOL, Peer.status == PeerStatus.TRUSTED)
            ).all()
            newest: dict[str, Peer] = {}
            for p in peers:
                if p.site_id not in newest or p.added_at > newest[p.site_id].added_at:
                    newest[p.site_id] = p
            self._names = short_names(s)
        return sorted((peer_card(p) for p in newest.values()), key=lambda c: c.name.casefold())

    def name_of(self, card: SiteCard) -> str:
        """The school's short name for people (its card carries the full one)."""
        return self._names.get(card.site_id, card.name)

    def export_bulletins(self, out: Path, progress: Progress | None = None) -> list[BulletinResult]:
        """Write one bulletin per school with a confirmed key into the folder `out`."""
        progress = progress or NullProgress()
        profile = self._site.profile()
        if profile.role is not Role.DISTRICT:
            raise Invalid("Рассылку школам формирует управление образования.")
        out = Path(out)
        if not out.is_dir():
            raise Invalid(f"Папка {out} не найдена. Выберите существующую папку или флешку.")
        schools = self.recipients()
        if not schools:
            raise Invalid(
                "Ни одна школа ещё не подтверждена: рассылать некому. Импортируйте пакеты школ "
                "и подтвердите их ключи на экране «Импорт пакетов»."
            )
        self._keys.ensure()
        self._keys.require_unlocked()  # before a number is reserved
        current = _Signer(self._keys, self._keys.card(profile))
        change = read_change(self._keys.directory)
        introducer = self._introducer(profile, current.card, change)
        results = []
        for n, school in enumerate(schools):
            check_cancelled(progress)
            progress.report(n, len(schools), f"Рассылка: {school.name}")
            if change is not None and introducer is not None and school.site_id in change.pending:
                results.append(self._write_one(out, introducer, school))
                change = self._introduced(change, school.site_id)
            else:
                results.append(self._write_one(out, current, school))
        progress.report(len(schools), len(schools), "Рассылка сформирована")
        return results

    def _introducer(
        self, profile: SiteProfile, new: SiteCard, change: KeyChange | None
    ) -> _Signer | None:
        """The old key, to sign the bulletins that introduce the new one; None when none waits."""
        if change is None or not change.pending:
            return None
        old = self._keys.retired()
        if old is None or old.public_key().key_id_hex != change.old_key_id:
            raise StorageError(
                "Смена ключа управления не завершена: прежний ключ не найден в папке keys. "
                "Восстановите папку keys из резервной копии на флешке."
            )
        if new.key_id != change.new_key_id:
            raise StorageError(
                "Ключ управления в папке keys не тот, что был создан при смене ключа. "
                "Восстановите папку keys из резервной копии на флешке."
            )
        card = old.card(profile)
        return _Signer(old, card, introduction(self._keys, new, card.key_id))

    def _introduced(self, change: KeyChange, school_id: str) -> KeyChange:
        """The school's introducing bulletin is written: its later ones use the new key."""
        pending = tuple(i for i in change.pending if i != school_id)
        change = KeyChange(change.old_key_id, change.new_key_id, pending)
        write_change(self._keys.directory, change)
        return change

    def _write_one(self, out: Path, signer: _Signer, school: SiteCard) -> BulletinResult:
        seq, prev, records, stamp = self._reserve(out, school)
        code = "".join(ch for ch in school.code if ch.isalnum()) or school.site_id[:8]
        path = out / f"opora-bulletin-{code}-{seq:05d}.opora"
        data = write_package(
            keys=signer.keys, sender=signer.card, recipient=school,
            kind=PackageKind.DISTRICT_BULLETIN, seq=seq, prev=prev, schema=package_schema(),
            hlc=stamp, app_version=self._version, records=records, include_card=True,
            successor=signer.successor,
        )  # fmt: skip
        write_atomically(path, data)
        sha = hashlib.sha256(data).hexdigest()
        with self._db.session(stamp=False) as s:
            log = s.exec(
                select(ExportLog).where(
                    ExportLog.recipient_id == school.site_id, ExportLog.seq == seq
                )
            ).one()
            log.completed, log.sha256, log.path = True, sha, str(path)
            announce(s, BULLETIN, [school.site_id])
        comments = sum(1 for r in records if r.table == "district_comment")
        return BulletinResult(
            school.site_id, self.name_of(school), path, seq, sha, len(records), comments,
            introduces_key=signer.successor is not None,
        )  # fmt: skip

    def _reserve(self, out: Path, school: SiteCard) -> tuple[int, str, list[Record], str]:
        """Commit this school's next bulletin seq before anything is written (never reused)."""
        with self._db.session(stamp=False) as s:
            seq = reserve_seq(s, _seq_key(school.site_id), self._keys)
            prev = previous_sha(s, school.site_id)
            records = bulletin_records(s, own_site_id(s), school.site_id)
            s.add(
                ExportLog(
                    package_id="", recipient_id=school.site_id, seq=seq, path=str(out),
                    created_at=datetime.now(UTC), record_count=len(records),
                    actor=current_actor(s),
                )
            )  # fmt: skip
            stamp = self._db.clock.now()
        return seq, prev, records, stamp

    def history(self) -> list[tuple[datetime, str, int, str, bool, str]]:
        """(created, school, seq, file, completed, who sent it) of every bulletin, newest first."""
        with self._db.session(stamp=False) as s:
            names = short_names(s)
            rows = s.exec(select(ExportLog).order_by(col(ExportLog.created_at).desc())).all()
            return [
                (r.created_at, names.get(r.recipient_id, r.recipient_id), r.seq, r.path,
                 r.completed, r.actor)
                for r in rows
            ]  # fmt: skip
