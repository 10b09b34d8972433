"""Writing and reading `.opora` packages (DESIGN §6). Nothing here touches the database.

Layout: a ZIP with exactly `manifest.json` (canonical JSON), `manifest.json.minisig` (prehashed
minisign signature whose trusted comment repeats package id, sender, seq and schema) and
`payload` = age(gzip(JSON Lines)), stored uncompressed. The payload's first line repeats package
id, sender and seq; every other line is `{"table": …, "row": {…}}`.

Reading never extracts to disk and trusts nothing before the signature: file size cap, exact
members, size caps, signature with the pinned key (or, for an unknown sender, with the card the
package carries — then `signer_known` is False, the payload is not even decrypted, and the merge
engine quarantines it), then the payload read with a cap equal to its signed size, its SHA-256,
decryption, decompression a chunk at a time within the signed size (itself capped), and strict
parsing of each line as it comes (`services.packages.parsing`). Every refusal
is a `PackageError` with a stable code and a Russian message saying what happened and what to do.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import stat
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyrage
from pyrage import x25519

from services.packages import minisign
from services.packages.keys import KeyStore, card_from_json, card_to_json
from services.packages.parsing import (
    MAX_FILE,
    MAX_LINE,
    MAX_MANIFEST,
    MAX_SIGNATURE,
    MESSAGES,
    parse_manifest,
    parse_records,
    refuse,
    trusted_comment,
)
from services.packages.types import (
    FORMAT_1_TABLES,
    FORMAT_VERSION,
    Manifest,
    PackageError,
    PackageKind,
    Record,
    SiteCard,
    VerifiedPackage,
)

MANIFEST, SIGNATURE, PAYLOAD = "manifest.json", "manifest.json.minisig", "payload"
MEMBERS = (MANIFEST, SIGNATURE, PAYLOAD)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


# -- writing ---------------------------------------------------------------------------------


def write_package(
    *,
    keys: KeyStore,
    sender: SiteCard,
    recipient: SiteCard,
    kind: PackageKind,
    seq: int,
    prev: str,
    schema: str,
    hlc: str,
    app_version: str,
    records: Sequence[Record],
    include_card: bool,
    created_at: datetime | None = None,
    successor: dict[str, Any] | None = None,
) -> bytes:
    """The bytes of a signed package encrypted to the recipient and to the sender itself.

    `successor` (`rotation.introduction`) introduces the sender's new card to the recipient.
    """
    package_id = uuid.uuid4().hex
    header = {"package_id": package_id, "sender": sender.site_id, "seq": seq}
    lines = [canonical_json(header)]
    counts: dict[str, int] = {}
    for rec in records:
        lines.append(canonical_json({"table": rec.table, "row": rec.row}))
        counts[rec.table] = counts.get(rec.table, 0) + 1
    plain = b"\n".join(lines) + b"\n"
    packed = gzip.compress(plain, compresslevel=9, mtime=0)
    recipients = [x25519.Recipient.from_str(recipient.age_recipient)]
    if sender.age_recipient != recipient.age_recipient:
        recipients.append(x25519.Recipient.from_str(sender.age_recipient))
    sealed = pyrage.encrypt(packed, recipients)
    manifest: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "package_id": package_id,
        "kind": kind.value,
        "sender_id": sender.site_id,
        "key_id": sender.key_id,
        "recipient_id": recipient.site_id,
        "seq": seq,
        "prev": prev,
        "app_version": app_version,
        "schema": schema,
        "created_at": (created_at or datetime.now(UTC)).isoformat(timespec="seconds"),
        "hlc": hlc,
        "counts": {t: n for t, n in sorted(counts.items()) if t in FORMAT_1_TABLES},
        "more_counts": {t: n for t, n in sorted(counts.items()) if t not in FORMAT_1_TABLES},
        "payload_size": len(plain),
        "compressed_size": len(packed),
        "payload_sha256": hashlib.sha256(sealed).hexdigest(),
        "encryption": {
            "scheme": "age-x25519",
            "recipients": [str(r) for r in recipients],
            "stored_size": len(sealed),
        },
    }
    if include_card:
        manifest["sender_card"] = card_to_json(sender)
    if successor is not None:
        manifest["successor"] = successor
    body = canonical_json(manifest)
    signature = keys.sign(body, trusted_comment(package_id, sender.site_id, seq, schema))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data, method in (
            (MANIFEST, body, zipfile.ZIP_DEFLATED),
            (SIGNATURE, signature.encode("utf-8"), zipfile.ZIP_DEFLATED),
            (PAYLOAD, sealed, zipfile.ZIP_STORED),
        ):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out.getvalue()


# -- reading ---------------------------------------------------------------------------------

Lookup = Callable[[str], SiteCard | None]


def read_package_file(path: Path, **kwargs: Any) -> VerifiedPackage:
    """Read a package file (size-capped before reading) and verify it; see `read_package`."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise refuse("too-large")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise PackageError("not-found", f"Файл {path} не найден. Проверьте путь.") from exc
    except IsADirectoryError as exc:
        raise PackageError("not-found", f"{path} — это папка, а не файл пакета.") from exc
    except OSError as exc:
        raise PackageError(
            "unreadable", f"Не удалось прочитать {path}: {exc.strerror or exc}."
        ) from exc
    return read_package(data, **kwargs)


def read_package(
    data: bytes,
    *,
    keys: KeyStore,
    own_site_id: str,
    lookup_signer: Lookup,
    skip_payload: Callable[[str], bool] | None = None,
) -> VerifiedPackage:
    """Verify a package in memory; raise `PackageError` on the first problem found.

    `skip_payload(file_sha256)` returning True (the merge engine: "these exact bytes were
    imported already") skips decrypting and parsing the payload once the container, signature,
    manifest and payload hash are verified; the package then has no records and
    `payload_read=False`.
    """
    if not data:
        raise refuse("empty")
    if len(data) > MAX_FILE:
        raise refuse("too-large")
    file_sha256 = hashlib.sha256(data).hexdigest()
    zf = _open_zip(data)
    with zf:
        infos = _members(zf)
        manifest_raw = _read_member(zf, infos[MANIFEST], MAX_MANIFEST)
        sig_raw = _read_member(zf, infos[SIGNATURE], MAX_SIGNATURE)
        try:
            signature = minisign.parse(sig_raw)
        except minisign.SignatureError as exc:
            raise refuse(exc.code if exc.code in MESSAGES else "bad-signature-format") from exc
        doc = _json_object(manifest_raw)
        card, known = _signer(doc, signature, lookup_signer)
        try:
            comment = minisign.verify(
                manifest_raw, signature, minisign.PublicKey.from_base64(card.signing_key)
            )
        except minisign.SignatureError as exc:
            # Another key id in the signature than the card's: a damaged signature as much as
            # another signer, and it does not verify either way.
            raise refuse("bad-signature") from exc
        manifest = parse_manifest(doc, comment, card)
        if manifest.sender_id != own_site_id and manifest.recipient_id != own_site_id:
            raise refuse("wrong-recipient")
        stored = _payload_bytes(zf, infos[PAYLOAD], manifest)
    # Before its sender is trusted, a package is read no further than its manifest and signature:
    # the merge engine quarantines it, and reads it in full once a person confirms the key.
    skip = not known or (skip_payload is not None and skip_payload(file_sha256))
    records = () if skip else parse_records(_open_payload(stored, manifest, keys), manifest)
    return VerifiedPackage(
        manifest=manifest,
        records=records,
        file_sha256=file_sha256,
        file_size=len(data),
        signer_fingerprint=card.fingerprint,
        signer_known=known,
        raw=data,
        payload_read=not skip,
    )


def claimed_sender(path: Path) -> str | None:
    """The sender id a package file's manifest claims, unverified; None when it cannot tell.

    For ordering the import's per-sender locks only: nothing is trusted or decided by it.
    """
    if path.stat().st_size > MAX_FILE:
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            info = _members(zf)[MANIFEST]
            sender = _json_object(_read_member(zf, info, MAX_MANIFEST)).get("sender_id")
    except PackageError:
        return None
    return sender if isinstance(sender, str) and 0 < len(sender) <= 36 else None


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if not data.startswith(b"PK\x03\x04"):
        raise refuse("not-a-package")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise refuse("truncated") from exc


def _members(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The three members, each once; every other archive is refused for what it is.

    Links and folders are dangerous wherever they are; an archive without a manifest is not a
    package at all (a stray .zip or document); a package without its signature is unsigned.
    """
    infos = zf.infolist()
    names = [i.filename for i in infos]
    for info in infos:
        if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16):
            raise refuse("member-names", f"member {info.filename!r}")
    if MANIFEST not in names:
        raise refuse("foreign-archive", f"members {names[:10]!r}")
    if any(name not in MEMBERS for name in names) or len(names) != len(set(names)):
        raise refuse("member-names", f"members {names!r}")
    if SIGNATURE not in names:
        raise refuse("no-signature")
    if PAYLOAD not in names:
        raise refuse("missing-part", "no payload")
    return {i.filename: i for i in infos}


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    if info.file_size > cap or info.compress_size > cap:
        raise refuse("member-size", info.filename)
    try:
        with zf.open(info) as fh:
            data = fh.read(cap + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise refuse("truncated") from exc
    if len(data) > cap:
        raise refuse("member-size", info.filename)
    return data


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise refuse("bad-manifest") from exc
    if not isinstance(doc, dict):
        raise refuse("bad-manifest")
    return doc


def _signer(
    doc: dict[str, Any], signature: minisign.Signature, lookup: Lookup
) -> tuple[SiteCard, bool]:
    """The card to check the signature with: the pinned one, else the one carried."""
    key_id = f"{int.from_bytes(signature.key_id, 'little'):016X}"
    pinned = lookup(key_id)
    if pinned is not None:
        return pinned, True
    # The key the manifest names, if pinned: a signature whose key id was damaged is then
    # checked against it (and refused as a bad signature), not taken for an unknown sender.
    stated = doc.get("key_id")
    pinned = lookup(stated) if isinstance(stated, str) else None
    if pinned is not None:
        return pinned, True
    carried = doc.get("sender_card")
    if carried is None:
        raise refuse("unknown-signer")
    try:
        card = card_from_json(carried)
    except Exception as exc:  # any defect of the carried card
        raise refuse("bad-manifest") from exc
    return card, False


def _payload_bytes(zf: zipfile.ZipFile, info: zipfile.ZipInfo, m: Manifest) -> bytes:
    declared = int(m.encryption["stored_size"])
    if info.file_size != declared:
        raise refuse("payload-size", f"zip header {info.file_size} != signed {declared}")
    stored = _read_member(zf, info, declared)
    if len(stored) != declared:
        raise refuse("payload-size")
    if hashlib.sha256(stored).hexdigest() != m.payload_sha256:
        raise refuse("payload-hash")
    return stored


CHUNK = 1024 * 1024  # decompressed bytes per step of reading a payload


def _open_payload(stored: bytes, m: Manifest, keys: KeyStore) -> Iterator[bytes]:
    """The payload's lines, decompressed a chunk at a time within the signed size."""
    try:
        packed = pyrage.decrypt(stored, keys.age_identities)
    except pyrage.DecryptError as exc:
        raise refuse("wrong-key") from exc
    if len(packed) != m.compressed_size:
        raise refuse("payload-size")
    return _lines(packed, m.payload_size)


def _lines(packed: bytes, size: int) -> Iterator[bytes]:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    total, tail, data = 0, b"", packed
    while data:
        try:
            piece = inflater.decompress(data, min(CHUNK, size - total + 1))
        except zlib.error as exc:
            raise refuse("bad-record") from exc
        if not piece and inflater.unconsumed_tail == data:  # no progress: damaged stream
            raise refuse("payload-size")
        data = inflater.unconsumed_tail
        total += len(piece)
        if total > size:
            raise refuse("payload-size")
        lines = (tail + piece).split(b"\n")
        tail = lines.pop()
        if len(tail) > MAX_LINE:
            raise refuse("bad-record", "line too long")
        yield from lines
    if total != size or not inflater.eof or inflater.unused_data:
        raise refuse("payload-size")
    if tail:
        yield tail
