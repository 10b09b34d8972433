"""Strict reading of a package's signed parts: the manifest and the payload's JSON Lines.

Every refusal is a `PackageError` with a stable code and a Russian message saying what happened
and what to do (`MESSAGES`); the size caps bound what the reader in `format` accepts at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from models import SYNC_TABLES
from services.core.errors import AppError
from services.packages import minisign
from services.packages.keys import card_from_json
from services.packages.rotation import successor_of
from services.packages.types import (
    READABLE_FORMATS,
    Manifest,
    PackageError,
    PackageKind,
    Record,
    SiteCard,
)

MAX_FILE = 64 * 1024 * 1024
MAX_MANIFEST = 64 * 1024
MAX_SIGNATURE = minisign.MAX_SIGNATURE_FILE
# Decompressed JSON Lines, at most, whatever a manifest declares. A school's package is a few MB
# (the benchmark's ≈ 1,100 rows are 0.6 MB); a payload is read line by line, never held whole.
MAX_PAYLOAD = 64 * 1024 * 1024
MAX_LINE = 1024 * 1024
TABLE_NAMES = frozenset(str(m.__tablename__) for m in SYNC_TABLES)
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
    "foreign-archive": "Это не пакет Опоры: архив не содержит описания пакета (возможно, выбран "
    "другой файл .zip или документ). Выберите файл .opora, выгруженный в Опоре.",
    "no-signature": "Пакет не подписан: в нём нет файла подписи. Такой пакет не принимается; "
    "попросите отправителя выгрузить пакет заново в Опоре.",
    "missing-part": "В пакете не хватает данных — он повреждён или записан не полностью. "
    "Попросите отправителя выгрузить пакет заново.",
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
    "bad-successor": "Пакет сообщает о новом ключе отправителя, но новый ключ не подтверждает "
    "этого своей подписью — пакет подделан или повреждён. Он не принят; сообщите об этом "
    "отправителю по телефону.",
}


def refuse(code: str, details: str = "") -> PackageError:
    return PackageError(code, MESSAGES[code], details=details)


def trusted_comment(package_id: str, sender_id: str, seq: int, schema: str) -> str:
    return f"opora package={package_id} sender={sender_id} seq={seq} schema={schema}"


def parse_manifest(doc: dict[str, Any], comment: str, card: SiteCard) -> Manifest:
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
            counts=_all_counts(doc),
            payload_size=_int(doc["payload_size"]),
            compressed_size=_int(doc["compressed_size"]),
            payload_sha256=_str(doc["payload_sha256"], 64),
            encryption=dict(doc["encryption"]),
            sender_card=card_from_json(doc["sender_card"]) if "sender_card" in doc else None,
        )
        stored = _int(m.encryption["stored_size"])
    except (KeyError, TypeError, ValueError) as exc:
        raise refuse("bad-manifest", str(exc)) from exc
    if m.format_version not in READABLE_FORMATS:
        raise refuse("format-version")
    if comment != trusted_comment(m.package_id, m.sender_id, m.seq, m.schema):
        raise refuse("comment-mismatch")
    if m.sender_id != card.site_id or m.key_id != card.key_id:
        raise refuse("signer-mismatch")
    if m.payload_size > MAX_PAYLOAD or stored > MAX_FILE or m.seq < 1:
        raise refuse("member-size")
    if "successor" in doc:  # only a district introduces its new key (`rotation`)
        try:
            if m.kind != PackageKind.DISTRICT_BULLETIN:
                raise AppError("a successor outside a bulletin")
            m = replace(m, successor=successor_of(doc["successor"], card))
        except AppError as exc:
            raise refuse("bad-successor", str(exc)) from exc
    return m


def _str(value: Any, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError("text field")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**53:
        raise ValueError("integer field")
    return value


def _all_counts(doc: dict[str, Any]) -> dict[str, int]:
    """The manifest's counts: "counts", and "more_counts" for the tables format 1 lacks."""
    counts, more = _counts(doc["counts"]), _counts(doc.get("more_counts", {}))
    if set(counts) & set(more):
        raise ValueError("counts")
    return counts | more


def _counts(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or not set(value) <= TABLE_NAMES:
        raise ValueError("counts")
    return {str(k): _int(v) for k, v in value.items()}


def parse_records(plain: bytes | Iterable[bytes], m: Manifest) -> tuple[Record, ...]:
    """The records of a payload, given whole or as its lines in order (a streamed payload).

    A line that breaks a rule stops the reading there, so a hostile payload is never held in
    full; nor are more records of a table than the signed manifest declares.
    """
    if isinstance(plain, bytes):
        lines: Iterable[bytes] = plain.split(b"\n")
        if plain.endswith(b"\n"):
            lines = plain[:-1].split(b"\n")
    else:
        lines = plain
    it = iter(lines)
    first = next(it, b"")
    if not first:
        raise refuse("bad-record")
    header = _line(first)
    if header != {"package_id": m.package_id, "sender": m.sender_id, "seq": m.seq}:
        raise refuse("bad-record", "payload header does not repeat the manifest")
    records: list[Record] = []
    counts: dict[str, int] = {}
    declared = m.counts
    for raw in it:
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
        n = counts[table] = counts.get(table, 0) + 1
        if n > declared.get(table, 0):
            raise refuse("counts")
    if counts != {k: v for k, v in declared.items() if v}:
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
