"""A district with two enrolled schools, and packages an enrolled school forges with its real key.

School A is a demo school; school B is the attacker: its key is real and trusted, so everything
it signs passes the container checks, and only the ownership rules (DESIGN §7) can stop it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import select

from models import SYNC_TABLES, Role, Site, SyncFields, new_id, stable_id
from services.app import Services, build_services
from services.core.config import AppPaths
from services.exchange.service import partition_records
from services.packages.format import write_package
from services.packages.types import PackageKind, Record, SiteCard
from services.roadmap.queries import ensure_roadmap, ensure_section
from services.sync.merge import package_schema
from services.sync.rows import TABLES
from tests.conftest import RESOURCES, memory_copy

STAMP = "1900000000000.00000.forger"  # newer than anything the demo writes: it would win


@dataclass
class World:
    """The district's state right after set-up (a database file) and the schools' packages."""

    root: Path
    district_db: Path
    district_paths: AppPaths
    a: Services
    b: Services
    a_id: str
    b_id: str
    district_id: str
    cards: list[SiteCard]
    seq: dict[str, int] = field(default_factory=dict)

    def district(self) -> Services:
        """A fresh copy of the district, both schools' keys confirmed, nothing imported."""
        services = build_services(memory_copy(self.district_db), self.district_paths)
        for c in self.cards:
            services.sync.enroll_card(c, c.fingerprint)
        return services

    def honest(self, school: Services, name: str) -> Path:
        folder = self.root / name
        folder.mkdir()
        return school.exchange.export(folder).path

    def forge(self, name: str, records: list[Record], sender: Services | None = None) -> Path:
        """A package of `records` signed and encrypted by school B's own, trusted key."""
        sender = sender or self.b
        card = sender.keys.card(sender.site.profile())
        district = sender.exchange.district_card()
        assert district is not None
        self.seq[card.site_id] = seq = self.seq.get(card.site_id, 1000) + 1
        data = write_package(
            keys=sender.keys, sender=card, recipient=district,
            kind=PackageKind.SCHOOL_REPORT, seq=seq, prev="", schema=package_schema(),
            hlc=STAMP, app_version="1.0", records=records, include_card=True,
        )  # fmt: skip
        path = self.root / "forged" / f"{name}.opora"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return path

    def partition(self, school: Services) -> list[Record]:
        with school.db.session() as s:
            return partition_records(s, self.b_id if school is self.b else self.a_id)

    def rows_of(self, school: Services, model: type[SyncFields]) -> list[Any]:
        with school.db.session() as s:
            return list(s.exec(select(model).where(model.owner != "")).all())


def _site(template: Path, root: Path, role: Role, name: str, code: str) -> Services:
    data = root / code
    data.mkdir(parents=True)
    services = build_services(memory_copy(template), AppPaths(RESOURCES, data))
    services.site.initialize(role, name, code)
    services.exchange.own_card()
    return services


def make_world(template: Path, root: Path) -> World:
    district = _site(template, root, Role.DISTRICT, "Управление образования", "5105000001")
    with district.db.session() as s:  # the district's own roadmap: a row a school must not touch
        own = s.exec(select(Site)).one().id
        ensure_section(s, ensure_roadmap(s, own, date(2025, 9, 1)), "Муниципальный раздел")
    a = _site(template, root, Role.SCHOOL, "МОУ Лодейнинская СОШ", "5105010002")
    b = _site(template, root, Role.SCHOOL, "МОУ Урагубская СОШ", "5105010006")
    for school in (a, b):
        school.exchange.trust_district_card(district.exchange.own_card())
    a.demo.fill()
    snapshot = root / "district.sqlite3"
    with (
        closing(district.db.engine.raw_connection()) as raw,
        closing(sqlite3.connect(snapshot)) as f,
    ):
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        source.backup(f)
    district.db.close()
    cards = [a.exchange.own_card(), b.exchange.own_card()]
    return World(
        root, snapshot, AppPaths(RESOURCES, root / "5105000001"), a, b,
        cards[0].site_id, cards[1].site_id, own, cards,
    )  # fmt: skip


# -- rows built from the model: valid in every column, owned by the sender -------------------


def default_row(
    table: str, *, number: int = 2025, text: str = "x", every_reference: bool = False
) -> dict[str, Any]:
    """A row of `table` that passes validation: every column a plain value of its type.

    References are None where they may be (`every_reference`: all of them, for a caller that
    fills them in itself); other columns get `number`, `text`, False, 1.0 or a date.
    """
    row: dict[str, Any] = {}
    for col in TABLES[table].table.columns:
        t = col.type
        enum_class = getattr(t, "enum_class", None)
        py = getattr(t, "python_type", None) if enum_class is None else None
        reference = bool(col.foreign_keys) or col.name.endswith("_id")
        if reference and (col.nullable or (every_reference and col.foreign_keys)):
            row[col.name] = None
        elif enum_class is not None:
            row[col.name] = next(iter(enum_class)).value
        elif py is bool:
            row[col.name] = False
        elif py is int:
            row[col.name] = number
        elif py is float:
            row[col.name] = 1.0
        elif py is date:
            row[col.name] = "2025-09-01"
        else:
            row[col.name] = text
    return row


TABLE_MODELS: dict[str, type[SyncFields]] = {m.__tablename__: m for m in SYNC_TABLES}  # type: ignore[misc]


def record(table: str, owner: str, rid: str | None = None, **fields: Any) -> Record:
    row = default_row(table) | fields
    row |= {"id": rid or new_id(), "owner": owner, "hlc": STAMP, "deleted": False}
    return Record(table, row)


def foreign_rows(services: Services, owner: str) -> dict[str, str]:
    """table → the id of one row `owner` owns there, read at `services`."""
    out: dict[str, str] = {}
    with services.db.session() as s:
        for table, model in TABLE_MODELS.items():
            row = s.exec(select(model).where(model.owner == owner)).first()
            if row is not None:
                out[table] = row.id
    return out


def own_audit(owner: str, year: int = 2025) -> Record:
    return record("self_audit", owner, stable_id("audit", owner, year), year=year)
