"""Helpers of the merge-engine tests: verified packages built directly, without crypto."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from models import SYNC_TABLES, Peer, PeerStatus, Role, Site, Teacher
from services.app import Services
from services.core.db import Database, head_revision
from services.packages.types import Manifest, PackageKind, Record, SiteCard, VerifiedPackage
from services.site.profile import own_site_id
from services.sync.rows import row_to_json

BASE_MS = 1_760_000_000_000  # 2025-10-09


def hlc(step: int, node: str = "dev1") -> str:
    """A stamp `step` seconds after BASE_MS on device `node`."""
    return f"{BASE_MS + step * 1000:013d}.00000.{node}"


def card(site_id: str, name: str = "МОУ СОШ № 1", key_id: str = "") -> SiteCard:
    kid = key_id or hashlib.sha256(site_id.encode()).hexdigest()[:16].upper()
    fp = " ".join(kid[i : i + 4] for i in range(0, 16, 4))
    return SiteCard(site_id, "school", name, "5105", "RWQ" + kid, kid, "age1" + kid.lower(), fp)


def site_row(school_id: str, step: int, name: str = "МОУ СОШ № 1", node: str = "dev1") -> Record:
    row = Site(
        id=school_id,
        owner=school_id,
        hlc=hlc(step, node),
        role=Role.SCHOOL,
        full_name=name,
        short_name=name,
        code="5105",
    )
    return Record("site", row_to_json(row))


def teacher(
    tid: str,
    owner: str,
    step: int,
    name: str = "Иванова А. А.",
    *,
    deleted: bool = False,
    node: str = "dev1",
    **extra: Any,
) -> Record:
    row = Teacher(
        id=tid, owner=owner, hlc=hlc(step, node), full_name=name, deleted=deleted, **extra
    )
    return Record("teacher", row_to_json(row))


def package(
    sender: str,
    recipient: str,
    seq: int,
    records: list[Record],
    *,
    known: bool = True,
    schema: str = "",
    kind: PackageKind = PackageKind.SCHOOL_REPORT,
    salt: str = "",
    counts: dict[str, int] | None = None,
    with_card: bool = True,
) -> VerifiedPackage:
    body = json.dumps([[r.table, r.row] for r in records], sort_keys=True, default=str)
    sha = hashlib.sha256(f"{sender}|{seq}|{salt}|{body}".encode()).hexdigest()
    if counts is None:
        counts = {}
        for r in records:
            counts[r.table] = counts.get(r.table, 0) + 1
    c = card(sender)
    m = Manifest(
        format_version=1,
        package_id=sha[:32],
        kind=kind,
        sender_id=sender,
        key_id=c.key_id,
        recipient_id=recipient,
        seq=seq,
        prev="",
        app_version="1.0",
        schema=schema or head_revision(),
        created_at=datetime.now(UTC),
        hlc=hlc(seq),
        counts=counts,
        payload_size=len(body),
        compressed_size=len(body),
        payload_sha256=sha,
        encryption={},
        sender_card=c if with_card else None,
    )
    return VerifiedPackage(m, tuple(records), sha, len(body), c.fingerprint, known, body.encode())


def trust(services: Services, school_id: str) -> SiteCard:
    c = card(school_id)
    with services.db.session() as s:
        s.add(
            Peer(
                site_id=school_id,
                role=Role.SCHOOL,
                name=c.name,
                signing_key=c.signing_key,
                key_id=c.key_id,
                age_recipient=c.age_recipient,
                fingerprint=c.fingerprint,
                status=PeerStatus.TRUSTED,
                added_at=datetime.now(UTC),
            )
        )
    return c


def own_id(services: Services) -> str:
    with services.db.session() as s:
        return own_site_id(s)


def dump(db: Database, *, bookkeeping: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the synced tables (and sync state, peers), sorted: compare before/after."""
    names: list[str] = [t.__table__.name for t in SYNC_TABLES]  # type: ignore[attr-defined]
    if bookkeeping:
        names += ["sync_state", "peer"]
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for name in names:
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def synced(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    return dump(db, bookkeeping=False)
