"""The district's bulletin: one signed package per school, encrypted to that school (DESIGN §6).

A bulletin carries what the district owns and the school should see: the district's own card row,
thresholds and catalogue versions, the municipal roadmap (for information), and — of the rows
concerning schools — only that school's status (curator, flags) and the comments on its rows.
Tombstones travel too, so a comment deleted at the district disappears at the school. Each school
has its own sequence of bulletins (seq 1, 2, … per recipient), so the school's merge engine sees
gaps and repeats exactly as the district does for school packages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from models import ExportLog, Peer, PeerStatus, Role, Site
from services.core.db import Database
from services.core.errors import Invalid
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
from services.packages.types import PackageKind, Record, SiteCard
from services.site.profile import SiteService, own_site_id
from services.sync.merge import package_schema

PER_SCHOOL_TABLES = {"school_status", "district_comment"}


@dataclass(frozen=True, slots=True)
class BulletinResult:
    school_id: str
    school: str
    path: Path
    seq: int
    sha256: str
    records: int
    comments: int

    def line(self) -> str:
        name = self.school if "«" in self.school else f"«{self.school}»"
        return (
            f"{name}: рассылка № {self.seq} сохранена — {self.path.name} "
            f"(записей {self.records}, комментариев {self.comments})"
        )


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
        sender = self._keys.card(profile)
        results = []
        for n, school in enumerate(schools):
            check_cancelled(progress)
            progress.report(n, len(schools), f"Рассылка: {school.name}")
            results.append(self._write_one(out, sender, school))
        progress.report(len(schools), len(schools), "Рассылка сформирована")
        return results

    def _write_one(self, out: Path, sender: SiteCard, school: SiteCard) -> BulletinResult:
        seq, prev, records, stamp = self._reserve(out, school)
        code = "".join(ch for ch in school.code if ch.isalnum()) or school.site_id[:8]
        path = out / f"opora-bulletin-{code}-{seq:05d}.opora"
        data = write_package(
            keys=self._keys, sender=sender, recipient=school,
            kind=PackageKind.DISTRICT_BULLETIN, seq=seq, prev=prev, schema=package_schema(),
            hlc=stamp, app_version=self._version, records=records, include_card=True,
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
        comments = sum(1 for r in records if r.table == "district_comment")
        return BulletinResult(
            school.site_id, self.name_of(school), path, seq, sha, len(records), comments
        )

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
                )
            )  # fmt: skip
            stamp = self._db.clock.now()
        return seq, prev, records, stamp

    def history(self) -> list[tuple[datetime, str, int, str, bool]]:
        """(created, school, seq, file, completed) of every bulletin, newest first."""
        with self._db.session(stamp=False) as s:
            names = short_names(s)
            rows = s.exec(select(ExportLog).order_by(col(ExportLog.created_at).desc())).all()
            return [
                (r.created_at, names.get(r.recipient_id, r.recipient_id), r.seq, r.path,
                 r.completed)
                for r in rows
            ]  # fmt: skip
