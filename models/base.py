"""Fields and helpers shared by every syncable table (DESIGN §4)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

# Namespace of the deterministic ids ("one per X" rows); never change it.
OPORA_NAMESPACE = uuid.UUID("6f1c1a3e-8a52-4c1e-9a43-0e6c2d2b7f11")


def new_id() -> str:
    """Return a fresh random row id."""
    return str(uuid.uuid4())


def stable_id(*parts: object) -> str:
    """Return the deterministic UUIDv5 of a natural key, e.g. (audit_id, criterion_code)."""
    key = "\x1f".join(str(p) for p in parts)
    return str(uuid.uuid5(OPORA_NAMESPACE, key))


class Role(StrEnum):
    """Which kind of organisation this installation belongs to."""

    SCHOOL = "school"
    DISTRICT = "district"


class SyncFields(SQLModel):
    """Columns every syncable row carries: identity, owner partition, version, tombstone.

    `owner` is the site id that alone may change the row; `hlc` is the hybrid logical clock
    of the last change (sortable text); `deleted` marks a tombstone, which is an ordinary version.
    """

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    owner: str = Field(index=True, max_length=36)
    hlc: str = Field(default="", max_length=64)
    deleted: bool = Field(default=False)


def covering_index(name: str, *columns: str) -> Index:
    """`ix_<name>` on `columns`: a lookup key first, then every column a set-based read needs.

    The district dashboard aggregates every school's rows at once; reading them from a narrow
    index instead of the wide table rows is what keeps it within its time (tests/bench). The
    leading column also serves the foreign-key lookups a single-column index would.
    """
    return Index(f"ix_{name}", *columns)
