"""Writing and reading `.opora` packages (DESIGN §6). Nothing here touches the database.

Layout: a ZIP with exactly `manifest.json` (canonical JSON), `manifest.json.minisig` (prehashed
minisign signature whose trusted comment repeats package id, sender, seq and schema) and
`payload` = age(gzip(JSON Lines)), stored uncompressed. The payload's first line repeats package
id, sender and seq; every other line is `{"table": …, "row": {…}}`.

Reading never extracts to disk and trusts nothing before the signature: file size cap, exact
members, size caps, signature with the pinned key (or, for an unknown sender, with the card the
package carries — then `signer_known` is False and the merge engine quarantines it), then the
payload read with a cap equal to its signed size, its SHA-256, decryption, decompression capped
at the signed size, and strict parsing of each line. Every refusal is a `PackageError` with a
stable code and a Russian message saying what happened and what to do.
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
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyrage
from pyrage import x25519

from models import SYNC_TABLES
from services.packages import minisign
from services.packages.keys import KeyStore, card_from_json, card_to_json
from services.packages.types import (
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
MAX_FILE = 64 * 1024 * 1024
MAX_MANIFEST = 64 * 1024
MAX_SIGNATURE = minisign.MAX_SIGNATURE_FILE
MAX_PAYLOAD = 256 * 1024 * 1024  # decompressed JSON Lines
MAX_LINE = 1024 * 1024
TABLE_NAMES = frozenset(str(m.__tablename__) for m in SYNC_TABLES)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# The types json.loads produces besides dict and list: a row of only these has no nested value.
_SCALARS = frozenset({str, int, float, bool, type(None)})
_DECODER = json.JSONDecoder()  # json.loads(text) without its per-call type dispatch
_SCAN: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]
_RECORD_KEYS = frozenset({"table", "row"})

MESSAGES = {
    "empty": "Файл пустой. Скопируйте пакет ещё раз с флешки или попросите отправить заново.",
    "too-large": "Файл слишком большой для пакета Опоры. Проверьте, что выбран нужный файл.",
    "not-a-package": "Это не пакет Опоры (файл не является архивом пакета). Выберите файл .opora.",
    "truncated": "Пакет повреждён или записан не полностью (например, флешку вынули раньше "
    "времени). Попросите отправителя выгрузить пакет заново.",
    "member-names": "Пакет содержит посторонние или опасные файлы и не будет открыт. Попросите "
    "отправителя выгрузить пакет заново в Опоре.",
    "member-size": "Части пакета больше допустимого размера — пакет повреждён или подделан.",
    "bad-signature-format": "Подпись пакета повреждена. Попросите отправителя выгрузить пакет "
    "заново.",
    "legacy-signature": "Пакет подписан устаревшим способом, который Опора не принимает. "
    "Попросите отправителя выгрузить пакет в текущей версии Опоры.",
    "bad-signature": "Подпись не сходится: пакет изменён после подписания или повреждён. "
    "Не используйте этот файл; попросите отправителя выгрузить пакет заново.",
    "unknown-signer": "Пакет подписан неизвестным ключом и не содержит карточки отправителя.",
    "signer-mismatch": "Пакет подписан ключом другой организации, чем указана в нём. Такой пакет "
    "не принимается; сообщите об этом отправителю.",
    "comment-mismatch": "Подписанная отметка пакета не совпадает с его описанием — пакет "
    "подделан или повреждён.",
    "bad-manifest": "Описание пакета повреждено. Попросите отправителя выгрузить пакет заново.",
    "format-version": "Пакет создан в более новом формате. Обновите Опору и повторите.",
    "wrong-recipient": "Пакет предназначен другой организации, а не этой. Проверьте, что "
    "получили пакет от своей школы или своего управления.",
    "payload-size": "Размер данных пакета не совпадает с подписанным — пакет повреждён или "
    "подделан.",
    "payload-hash": "Данные пакета изменены или повреждены (контрольная сумма не сходится). "
    "Попросите отправителя выгрузить пакет заново.",
    "wrong-key": "Пакет зашифрован не для этой установки Опоры, расшифровать его нельзя. "
    "Проверьте, что школа загрузила карточку именно вашего управления.",
    "bad-record": "Данные пакета имеют неверный формат — пакет повреждён или создан не Опорой.",
    "counts": "Число записей в пакете не совпадает с подписанным описанием — пакет повреждён.",
}


def refuse(code: str, details: str = "") -> PackageError:
    return PackageError(code, MESSAGES[code], details=details)


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def trusted_comment(package_id: str, sender_id: str, seq: int, schema: str) -> str:
    return f"opora package={package_id} sender={sender_id} seq={seq} schema={schema}"


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
) -> bytes:
    """The bytes of a signed package encrypted to the recipient and to the sender itself."""
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
        "counts": dict(sorted(counts.items())),
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
            code = "signer-mismatch" if exc.code == "wrong-key" else "bad-signature"
            raise refuse(code) from exc
        manifest = _manifest(doc, comment, card)
        if manifest.sender_id != own_site_id and manifest.recipient_id != own_site_id:
            raise refuse("wrong-recipient")
        stored = _payload_bytes(zf, infos[PAYLOAD], manifest)
    skip = skip_payload is not None and skip_payload(file_sha256)
    records = () if skip else _records(_open_payload(stored, manifest, keys), manifest)
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


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if not data.startswith(b"PK\x03\x04"):
        raise refuse("not-a-package")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise refuse("truncated") from exc


def _members(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    names = [i.filename for i in infos]
    for info in infos:
        mode = info.external_attr >> 16
        if info.is_dir() or stat.S_ISLNK(mode) or info.filename not in MEMBERS:
            raise refuse("member-names", f"member {info.filename!r}")
    if len(names) != len(set(names)) or sorted(names) != sorted(MEMBERS):
        raise refuse("member-names", f"members {names!r}")
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
    carried = doc.get("sender_card")
    if carried is None:
        raise refuse("unknown-signer")
    try:
        card = card_from_json(carried)
    except Exception as exc:  # any defect of the carried card
        raise refuse("bad-manifest") from exc
    return card, False


def _manifest(doc: dict[str, Any], comment: str, card: SiteCard) -> Manifest:
    try:
        m = Manifest(
            format_version=_int(doc["format_version"]),
            package_id=_str(doc["package_id"], 64),
            kind=PackageKind(doc["kind"]),
            sender_id=_str(doc["sender_id"], 36),
            key_id=_str(doc["key_id"], 16),
            recipient_id=_str(doc["recipient_id"], 36),
            seq=_int(doc["seq"]),
            prev=_str(doc["prev"], 64),
            app_version=_str(doc["app_version"], 40),
            schema=_str(doc["schema"], 40),
            created_at=datetime.fromisoformat(_str(doc["created_at"], 40)),
            hlc=_str(doc["hlc"], 64),
            counts=_counts(doc["counts"]),
            payload_size=_int(doc["payload_size"]),
            compressed_size=_int(doc["compressed_size"]),
            payload_sha256=_str(doc["payload_sha256"], 64),
            encryption=dict(doc["encryption"]),
            sender_card=card_from_json(doc["sender_card"]) if "sender_card" in doc else None,
        )
        stored = _int(m.encryption["stored_size"])
    except (KeyError, TypeError, ValueError) as exc:
        raise refuse("bad-manifest", str(exc)) from exc
    if m.format_version != FORMAT_VERSION:
        raise refuse("format-version")
    if comment != trusted_comment(m.package_id, m.sender_id, m.seq, m.schema):
        raise refuse("comment-mismatch")
    if m.sender_id != card.site_id or m.key_id != card.key_id:
        raise refuse("signer-mismatch")
    if m.payload_size > MAX_PAYLOAD or stored > MAX_FILE or m.seq < 1:
        raise refuse("member-size")
    return m


def _str(value: Any, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError("text field")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**53:
        raise ValueError("integer field")
    return value


def _counts(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or not set(value) <= TABLE_NAMES:
        raise ValueError("counts")
    return {str(k): _int(v) for k, v in value.items()}


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


def _open_payload(stored: bytes, m: Manifest, keys: KeyStore) -> bytes:
    try:
        packed = pyrage.decrypt(stored, [keys.age_identity])
    except pyrage.DecryptError as exc:
        raise refuse("wrong-key") from exc
    if len(packed) != m.compressed_size:
        raise refuse("payload-size")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        plain = inflater.decompress(packed, m.payload_size + 1)
    except zlib.error as exc:
        raise refuse("bad-record") from exc
    if len(plain) != m.payload_size or inflater.unconsumed_tail or not inflater.eof:
        raise refuse("payload-size")
    return plain


def _records(plain: bytes, m: Manifest) -> tuple[Record, ...]:
    lines = plain.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        raise refuse("bad-record")
    header = _line(lines[0])
    if header != {"package_id": m.package_id, "sender": m.sender_id, "seq": m.seq}:
        raise refuse("bad-record", "payload header does not repeat the manifest")
    records: list[Record] = []
    counts: dict[str, int] = {}
    for raw in lines[1:]:
        doc = _line(raw)
        table, row = doc.get("table"), doc.get("row")
        if (
            doc.keys() != _RECORD_KEYS
            or not isinstance(table, str)
            or table not in TABLE_NAMES
            or not isinstance(row, dict)
        ):
            raise refuse("bad-record", "record shape")
        if not _SCALARS.issuperset(map(type, row.values())):  # json gives no other types
            raise refuse("bad-record", "nested value")
        records.append(Record(table, row))
        counts[table] = counts.get(table, 0) + 1
    if counts != {k: v for k, v in m.counts.items() if v}:
        raise refuse("counts")
    return tuple(records)


def _line(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_LINE:
        raise refuse("bad-record", "line too long")
    try:
        text = raw.decode("utf-8")
        if text[:1] == "{":  # the usual line: one object, nothing around it
            doc, end = _SCAN(text, 0)  # raises what `decode` would raise here
            if end != len(text):
                doc = _DECODER.decode(text)
        else:
            doc = _DECODER.decode(text)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise refuse("bad-record") from exc
    if not isinstance(doc, dict):
        raise refuse("bad-record")
    return doc
