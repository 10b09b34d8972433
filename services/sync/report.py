"""The import report of one package (DESIGN §7) and the read models of the import log."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import PurePath
from typing import Any


class SeqStatus(StrEnum):
    """Where a package stands in its sender's sequence (DESIGN §7); the values are the CLI's."""

    UNCHECKED = ""  # the package was stopped before its number was looked at
    NEW = "new"
    ALREADY = "already"
    GAP = "gap"
    OUT_OF_ORDER = "out-of-order"
    FORK = "fork"


class Verdict(StrEnum):
    """What became of a package; the values are the `--json` output's and the log's."""

    APPLIED = "applied"
    DRY_RUN = "dry-run"
    ALREADY = "already"
    QUARANTINED = "quarantined"
    REFUSED = "refused"


class Code(StrEnum):
    """The outcome of one package, one stable machine-readable code (`--json`, the import log).

    Outside checks read these and never the Russian text; the README lists them.
    """

    APPLIED = "applied"  # merged (a dry run: it would be; its verdict says "dry-run")
    ALREADY = "already"  # these exact bytes were imported before: nothing changed
    QUARANTINED_UNKNOWN_KEY = "quarantined-unknown-key"  # a sender whose key is not confirmed
    QUARANTINED_NEW_KEY = "quarantined-new-key"  # a new key of a school already confirmed
    QUARANTINED_SECOND_INSTALL = "quarantined-second-install"  # another site, an enrolled code
    # quarantined: a bulletin of the district introduces its new key; a person confirms it
    DISTRICT_KEY_CHANGE = "district-key-change"
    FORK = "fork"  # quarantined: the same № from the same sender with other contents
    REVOKED = "revoked"  # signed by a revoked key, after the № still accepted from it
    UNKNOWN_SENDER = "unknown-sender"  # refused: an unknown key and no card to confirm it by
    SIGNATURE = "signature"  # missing, malformed, legacy or not matching the signed parts
    DAMAGED = "damaged"  # truncated, sizes or hashes that do not match, unreadable parts
    NOT_A_PACKAGE = "not-a-package"  # not an archive, or an archive that is not a package
    DANGEROUS = "dangerous"  # foreign, linked or directory members inside a package
    TOO_LARGE = "too-large"
    WRONG_RECIPIENT = "wrong-recipient"  # addressed or encrypted to another site
    WRONG_KIND = "wrong-kind"  # a bulletin at a district, a school's report at a school
    NEWER_SCHEMA = "newer-schema"  # written by a newer Опора (schema or package format)
    SCOPE = "scope"  # rows the sender may not write
    RECORD = "record"  # a record with invalid values
    NOT_SET_UP = "not-set-up"  # this installation has no site yet
    UNREADABLE = "unreadable"  # the file is missing or cannot be read
    STORAGE = "storage"  # the database refused the write (disk full, access): nothing kept
    VERIFIED = "verified"  # `verify` only: signed by a trusted key, every check passed


# The package reader's precise reasons (`PackageError.code`, kept as the report's `detail`)
# and the outcome each one is.
PACKAGE_CODES: dict[str, Code] = {
    "empty": Code.DAMAGED,
    "too-large": Code.TOO_LARGE,
    "not-a-package": Code.NOT_A_PACKAGE,
    "truncated": Code.DAMAGED,
    "member-names": Code.DANGEROUS,
    "foreign-archive": Code.NOT_A_PACKAGE,
    "missing-part": Code.DAMAGED,
    "no-signature": Code.SIGNATURE,
    "member-size": Code.DAMAGED,
    "bad-signature-format": Code.SIGNATURE,
    "legacy-signature": Code.SIGNATURE,
    "bad-signature": Code.SIGNATURE,
    "unknown-signer": Code.UNKNOWN_SENDER,
    "signer-mismatch": Code.SIGNATURE,
    "comment-mismatch": Code.SIGNATURE,
    "bad-manifest": Code.DAMAGED,
    "format-version": Code.NEWER_SCHEMA,
    "wrong-recipient": Code.WRONG_RECIPIENT,
    "payload-size": Code.DAMAGED,
    "payload-hash": Code.DAMAGED,
    "wrong-key": Code.WRONG_RECIPIENT,
    "bad-record": Code.DAMAGED,
    "counts": Code.DAMAGED,
    "bad-successor": Code.SIGNATURE,
    "not-found": Code.UNREADABLE,
    "unreadable": Code.UNREADABLE,
}


def package_code(detail: str) -> Code:
    """The outcome of a package the reader refused with `detail` (`PackageError.code`)."""
    return PACKAGE_CODES.get(detail, Code.DAMAGED)


COUNT_KINDS = ("new", "updated", "unchanged", "older", "deleted")

SEQ_TEXT: dict[str, str] = {
    SeqStatus.NEW: "очередной",
    SeqStatus.ALREADY: "уже импортирован",
    SeqStatus.GAP: "с пропуском",
    SeqStatus.OUT_OF_ORDER: "не по порядку",
    SeqStatus.FORK: "расхождение (форк)",
    SeqStatus.UNCHECKED: "—",
}
VERDICT_TEXT: dict[str, str] = {
    Verdict.APPLIED: "принят",
    Verdict.DRY_RUN: "пробный прогон, ничего не записано",
    Verdict.ALREADY: "уже импортирован, ничего не изменено",
    Verdict.QUARANTINED: "отложен в карантин",
    Verdict.REFUSED: "отклонён",
}
KIND_TEXT = {
    "new": "новых",
    "updated": "обновлено",
    "unchanged": "без изменений",
    "older": "устаревших (пропущено)",
    "deleted": "удалено",
}


@dataclass(slots=True)
class TableCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged + self.older + self.deleted

    def add(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)

    def to_dict(self) -> dict[str, int]:
        """`dataclasses.asdict` of it, without its recursive deep copy (a dict per table)."""
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "older": self.older,
            "deleted": self.deleted,
        }


@dataclass(slots=True)
class ImportReport:
    """What happened to one package file; also what the preview shows."""

    file: str
    sender_id: str = ""
    sender_name: str = ""
    fingerprint: str = ""
    signature: str = ""  # "trusted" / "unknown-key" / "" (not read)
    package_id: str = ""
    kind: str = ""
    seq: int | None = None
    schema: str = ""
    app_version: str = ""  # the Опора version that wrote the package (its manifest's)
    seq_status: SeqStatus = SeqStatus.UNCHECKED
    verdict: Verdict = Verdict.REFUSED
    reason: str = ""
    code: str = ""  # a `Code`; an older log entry may hold a code of an earlier version
    detail: str = ""  # the precise reason behind `code` (e.g. the reader's "truncated")
    counts: dict[str, TableCounts] = field(default_factory=dict)
    manifest_counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    log_id: str = ""
    created_at: datetime | None = None

    @property
    def refused(self) -> bool:
        return self.verdict is Verdict.REFUSED

    def totals(self) -> TableCounts:
        out = TableCounts()
        for c in self.counts.values():
            for k in COUNT_KINDS:
                setattr(out, k, getattr(out, k) + getattr(c, k))
        return out

    def counts_add_up(self) -> bool:
        """The invariant of DESIGN §7: per table, the counts equal the manifest's counts."""
        tables = {t for t, n in self.manifest_counts.items() if n} | set(self.counts)
        return all(
            (self.counts.get(t) or TableCounts()).total == self.manifest_counts.get(t, 0)
            for t in tables
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON values (what `dataclasses.asdict` gives, without its deep copy)."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["counts"] = {t: c.to_dict() for t, c in self.counts.items()}
        data["manifest_counts"] = dict(self.manifest_counts)
        data["warnings"] = list(self.warnings)
        data["created_at"] = self.created_at.isoformat() if self.created_at else None
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        d = dict(data)
        d["counts"] = {t: TableCounts(**c) for t, c in (d.get("counts") or {}).items()}
        created = d.get("created_at")
        d["created_at"] = datetime.fromisoformat(created) if created else None
        d["seq_status"] = SeqStatus(d.get("seq_status") or "")
        d["verdict"] = Verdict(d.get("verdict") or Verdict.REFUSED)
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})

    def details(self) -> str:
        """What the log list shows beside its date, sender, № and outcome columns.

        The file's name (not its folder), the sequence note, the counts and the reason: the
        full `summary` repeated the sender's legal name and the path, so one entry filled the
        log's visible rows at 1024 × 768.
        """
        parts = [PurePath(self.file).name] if self.file else []
        if note := self._seq_note():
            parts.append(note)
        if counts := self._counts_text():
            parts.append(counts)
        if reason := self._reason():
            parts.append(reason)
        return "; ".join(parts)

    def summary(self) -> str:
        """One Russian line for the command line and the school's exchange screen."""
        who = self.sender_name or self.sender_id or "неизвестный отправитель"
        head = f"{self.file}: {VERDICT_TEXT.get(self.verdict, self.verdict)}"
        if self.seq is not None:
            head += f" — {who}, пакет № {self.seq}"
            if note := self._seq_note():
                head += f" ({note})"
        if counts := self._counts_text():
            head += f"; {counts}"
        if reason := self._reason():
            head += f". {reason}"
        return head

    def _seq_note(self) -> str:
        """The sequence check's word on a numbered package, when it has one to say."""
        if self.seq is None or self.seq_status in (SeqStatus.UNCHECKED, SeqStatus.ALREADY):
            return ""
        return SEQ_TEXT[self.seq_status]

    def _counts_text(self) -> str:
        if not self.counts:
            return ""
        t = self.totals()
        return (
            f"новых {t.new}, обновлено {t.updated}, без изменений {t.unchanged}, "
            f"устаревших {t.older}, удалено {t.deleted}"
        )

    def _reason(self) -> str:
        """The reason, except for «already imported» (its verdict says it all)."""
        return self.reason if self.verdict is not Verdict.ALREADY else ""


def version_text(app_version: str, schema: str) -> str:
    """«1.2.0, схема 0008» — the Опора that wrote a package; «—» when not known.

    Entries logged before the version was recorded have only the schema.
    """
    if app_version and schema:
        return f"{app_version}, схема {schema}"
    if schema:
        return f"схема {schema} (версия не записана)"
    return app_version or "—"


@dataclass(frozen=True, slots=True)
class ImportLogRead:
    id: str
    created_at: datetime
    package_sha256: str
    sender_id: str
    seq: int | None
    outcome: str
    report: ImportReport
    actor: str = ""  # the staff login that imported it; "" before it was recorded
    app_version: str = ""  # of the Опора that wrote the package ("" when never read or logged)
    schema: str = ""
    short_name: str = ""  # the sender's short name known here now ("" when it has none)

    @property
    def sender_text(self) -> str:
        """The sender for a list: its short name, else the name it sent, else its id."""
        return self.short_name or self.report.sender_name or self.sender_id

    @property
    def version_text(self) -> str:
        return version_text(self.app_version, self.schema)


@dataclass(frozen=True, slots=True)
class QuarantineRead:
    """A package waiting in quarantine; the fingerprint of a key not trusted is never shown."""

    id: str
    created_at: datetime
    sender_id: str
    sender_name: str
    reason: str
    released: bool
    code: str = ""  # why it waits (a `Code`): an unknown key, a new key of a school, a fork
    trusted_fingerprint: str = ""  # the school's key trusted now (shown when replacing it)
