"""The contract between the package reader/writer and the merge engine.

`services.packages.format` turns a `.opora` file into a `VerifiedPackage` (or raises
`PackageError`); `services.sync` merges a `VerifiedPackage`. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from services.core.errors import AppError

# Format 2 (model v2): the records are of schema 0005 or newer. A reader of format 1 (the
# program before it) checks the manifest's "counts" against the tables it knows *before* the
# format version, so format 2 lists there only those tables (`FORMAT_1_TABLES`) and the others
# under "more_counts": the old reader then stops at the version with «Пакет создан в более новом
# формате. Обновите Опору» instead of calling the package damaged.
FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)
FORMAT_1_TABLES = frozenset(
    {"site", "school_status", "catalogue_version", "threshold", "roadmap", "roadmap_section",
     "roadmap_item", "self_audit", "audit_answer", "risk_assessment", "teacher",
     "development_plan", "professional_deficit", "development_activity", "vpr_result",
     "gia_result", "progression", "indicator_target", "district_comment"}
)  # fmt: skip


class PackageKind(StrEnum):
    SCHOOL_REPORT = "school-report"
    DISTRICT_BULLETIN = "district-bulletin"


class PackageError(AppError):
    """A package was refused; the message says what happened and what to do, in Russian.

    `code` is a stable machine-readable reason for `--json` output and tests
    (e.g. "bad-signature", "member-names", "too-large", "truncated", "wrong-recipient").
    """

    def __init__(self, code: str, message: str, *, details: str = "") -> None:
        super().__init__(message, details=details)
        self.code = code


@dataclass(frozen=True, slots=True)
class SiteCard:
    """The public card of a site (DESIGN §6)."""

    site_id: str
    role: str
    name: str
    code: str
    signing_key: str  # minisign public key, base64 of b"Ed" + key id + 32-byte key
    key_id: str  # 16 hex digits, as minisign prints it
    age_recipient: str  # "age1..."
    fingerprint: str  # e.g. "AB12 CD34 EF56 7890", for reading aloud


@dataclass(frozen=True, slots=True)
class Manifest:
    format_version: int
    package_id: str
    kind: PackageKind
    sender_id: str
    key_id: str
    recipient_id: str
    seq: int
    prev: str  # SHA-256 hex of the sender's previous package file, "" for the first
    app_version: str
    schema: str  # alembic revision of the sender
    created_at: datetime
    hlc: str
    counts: dict[str, int]  # records per table
    payload_size: int  # decompressed JSON Lines size in bytes
    compressed_size: int
    payload_sha256: str  # of the payload member as stored in the ZIP
    encryption: dict[str, Any]
    sender_card: SiteCard | None = None
    # A new card of the sender, introduced by this package (signed by its current key, and by
    # the new key: `services.packages.rotation`); the receiver confirms it by phone.
    successor: SiteCard | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """One row of a payload: its table name and its fields as plain JSON values."""

    table: str
    row: dict[str, Any]


@dataclass(frozen=True, slots=True)
class VerifiedPackage:
    """A package whose signature, hashes, caps and decryption all checked out."""

    manifest: Manifest
    records: tuple[Record, ...]
    file_sha256: str
    file_size: int
    signer_fingerprint: str
    signer_known: bool  # False: signed by the card it carries, key not yet trusted here
    raw: bytes = field(repr=False, default=b"")  # the whole file, kept for quarantine
    payload_read: bool = True  # False: records not read (the file was imported already)
