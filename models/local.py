"""Local bookkeeping of one installation: never synced, never versioned (DESIGN §4)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from models.base import Role, new_id


class AppState(SQLModel, table=True):
    """Key/value settings of this installation (own site id, role, device id, last HLC...)."""

    __tablename__ = "app_state"

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(default="", max_length=4000)


class PeerStatus(StrEnum):
    PENDING = "pending"
    TRUSTED = "trusted"
    REVOKED = "revoked"


class Peer(SQLModel, table=True):
    """Another site whose card we know: its pinned public keys and our trust in them."""

    __tablename__ = "peer"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    site_id: str = Field(index=True, max_length=36)
    role: Role
    name: str = Field(default="", max_length=500)
    code: str = Field(default="", max_length=40)
    signing_key: str = Field(max_length=200, description="minisign public key (base64 line)")
    key_id: str = Field(max_length=16)
    age_recipient: str = Field(max_length=200)
    fingerprint: str = Field(max_length=40)
    status: PeerStatus = PeerStatus.PENDING
    accept_up_to_seq: int | None = None
    added_at: datetime
    confirmed_at: datetime | None = None


class ExportLog(SQLModel, table=True):
    """One package this site wrote."""

    __tablename__ = "export_log"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    package_id: str = Field(max_length=36)
    recipient_id: str = Field(max_length=36)
    seq: int
    sha256: str = Field(default="", max_length=64)
    path: str = Field(default="", max_length=1000)
    created_at: datetime
    record_count: int = 0
    completed: bool = False
    actor: str = Field(default="", max_length=200)  # the staff login that sent it


class ImportOutcome(StrEnum):
    APPLIED = "applied"
    ALREADY = "already"
    QUARANTINED = "quarantined"
    REFUSED = "refused"


class ImportLog(SQLModel, table=True):
    """One package this site imported (or refused), with its report as JSON."""

    __tablename__ = "import_log"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    package_sha256: str = Field(index=True, max_length=64)
    package_id: str = Field(default="", max_length=36)
    sender_id: str = Field(default="", max_length=36)
    seq: int | None = None
    outcome: ImportOutcome
    report: str = Field(default="{}")
    created_at: datetime
    actor: str = Field(default="", max_length=200)  # the staff login that imported it
    # the manifest's program version and schema ("" when the package was not read that far)
    app_version: str = Field(default="", max_length=40)
    schema_revision: str = Field(default="", max_length=20)


class QuarantineEntry(SQLModel, table=True):
    """A package kept aside: unknown key, fork, or revoked key."""

    __tablename__ = "quarantine"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    package_sha256: str = Field(index=True, max_length=64)
    sender_id: str = Field(default="", max_length=36)
    fingerprint: str = Field(default="", max_length=40)
    reason: str = Field(max_length=2000)
    raw: bytes
    created_at: datetime
    released: bool = False


class Conflict(SQLModel, table=True):
    """Both versions of a row when a merge had to choose (kept for inspection)."""

    __tablename__ = "conflict"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    table_name: str = Field(max_length=60)
    row_id: str = Field(max_length=36)
    local_version: str
    incoming_version: str
    created_at: datetime


class SyncState(SQLModel, table=True):
    """Per peer: the highest seq and the hash of the newest package received from it."""

    __tablename__ = "sync_state"

    peer_site_id: str = Field(primary_key=True, max_length=36)
    last_seq: int = 0
    last_hash: str = Field(default="", max_length=64)
    updated_at: datetime


class KeyVault(SQLModel, table=True):
    """One private key of this site sealed with the staff's passphrase (age scrypt mode).

    Used where the workspace is shared (DESIGN §6): the plaintext key never reaches a disk.
    The signing row also keeps the last package number used per sequence.
    """

    __tablename__ = "key_vault"

    purpose: str = Field(primary_key=True, max_length=20)  # "signing" | "age"
    key_id: str = Field(max_length=64)
    public: str = Field(max_length=200)  # minisign public key (base64) or age recipient
    secret: bytes  # the private key, age-encrypted with the passphrase
    numbers: str = Field(default="{}", max_length=4000)  # JSON: sequence → last number
    created_at: datetime
    created_by: str = Field(default="", max_length=200)
    changed_at: datetime
    changed_by: str = Field(default="", max_length=200)


class RowActor(SQLModel, table=True):
    """Which staff login wrote a synced row here (comments, statuses): who did what.

    Kept beside the synced tables rather than in them: a login is personal data the schools
    do not need, and a column of a synced table would travel in every package.
    """

    __tablename__ = "row_actor"

    table_name: str = Field(primary_key=True, max_length=60)
    row_id: str = Field(primary_key=True, max_length=36)
    created_by: str = Field(default="", max_length=200)
    changed_by: str = Field(default="", max_length=200)
    changed_at: datetime
