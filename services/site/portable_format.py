"""The file of «Резервная копия на флешку»: a stored zip inside an age file with a passphrase.

The zip holds ``manifest.json`` (format, version, site id, organisation, created at, app version
and the SHA-256 of every other member), ``opora.sqlite3`` (a backup-API copy of the database) and
``keys/<name>`` (the files of the keys folder). Reading checks all of it before anything is
written, so a damaged file, a wrong passphrase or a newer format changes nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime

from pyrage import DecryptError, EncryptError
from pyrage import passphrase as age_passphrase

from services.core.errors import Invalid, NewerDatabase

FORMAT = "opora-portable"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "opora.sqlite3"
KEYS_PREFIX = "keys/"
MIN_PASSPHRASE = 8
MAX_FILE = 2 * 1024**3  # a school's database is tens of megabytes; this covers any real one
MAX_KEY_FILE = 65_536
MAX_MEMBERS = 32
AGE_MAGIC = b"age-encryption.org/v1\n"
# The header age writes for a passphrase: one scrypt stanza, then the MAC line.
_AGE_HEADER = re.compile(
    rb"^age-encryption\.org/v1\n-> scrypt [A-Za-z0-9+/]{22} \d{1,2}\n[A-Za-z0-9+/]{43}\n"
    rb"--- [A-Za-z0-9+/]{43}\n"
)
_KEY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
# pyrage reports a header it cannot unwrap (the passphrase) with this text; anything else
# comes from the payload, which only damage explains.
_WRONG_KEY_TEXT = "Decryption failed"


@dataclass(frozen=True, slots=True)
class Manifest:
    site_id: str
    organisation: str
    created_at: datetime
    app_version: str


@dataclass(frozen=True, slots=True)
class PortableContents:
    manifest: Manifest
    database: bytes
    keys: dict[str, bytes]


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise Invalid(
            f"Парольная фраза слишком короткая: нужно не меньше {MIN_PASSPHRASE} символов. "
            "Придумайте фразу из нескольких слов и запишите её отдельно от флешки."
        )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pack(manifest: Manifest, database: bytes, keys: dict[str, bytes], passphrase: str) -> bytes:
    """The encrypted file: a stored zip (the database hardly compresses after age) in age."""
    check_passphrase(passphrase)
    members = {DATABASE: database, **{KEYS_PREFIX + n: d for n, d in sorted(keys.items())}}
    head = {
        "format": FORMAT,
        "version": VERSION,
        "site_id": manifest.site_id,
        "organisation": manifest.organisation,
        "created_at": manifest.created_at.isoformat(timespec="seconds"),
        "app_version": manifest.app_version,
        "files": {name: _sha(data) for name, data in members.items()},
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(MANIFEST, json.dumps(head, ensure_ascii=False, indent=2))
        for name, data in members.items():
            zf.writestr(name, data)
    try:
        return bytes(age_passphrase.encrypt(buf.getvalue(), passphrase))
    except EncryptError as exc:
        raise Invalid(f"Не удалось зашифровать копию: {exc}.") from exc


def _damaged(name: str, why: str) -> Invalid:
    return Invalid(
        f"Файл «{name}» повреждён ({why}): восстановить из него нельзя. Ничего не изменено. "
        "Если есть другая копия на флешке, выберите её."
    )


def decrypt(data: bytes, passphrase: str, name: str) -> bytes:
    """The zip inside; a wrong passphrase and a damaged file each get their own message."""
    if not data.startswith(AGE_MAGIC):
        raise Invalid(
            f"Файл «{name}» — не резервная копия Опоры для флешки. Выберите файл, "
            "сохранённый командой «Резервная копия на флешку». Ничего не изменено."
        )
    if not _AGE_HEADER.match(data):
        raise _damaged(name, "испорчен заголовок")
    try:
        return bytes(age_passphrase.decrypt(data, passphrase))
    except DecryptError as exc:
        if str(exc) == _WRONG_KEY_TEXT:
            raise Invalid(
                "Неверная парольная фраза: файл не расшифровывается. Проверьте раскладку "
                "клавиатуры и Caps Lock и введите фразу ещё раз. Ничего не изменено."
            ) from exc
        raise _damaged(name, "содержимое не расшифровывается до конца") from exc


def unpack(data: bytes, passphrase: str, name: str) -> PortableContents:
    """Decrypt and check every part of a portable backup; nothing is written."""
    plain = decrypt(data, passphrase, name)
    try:
        with zipfile.ZipFile(io.BytesIO(plain)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_FILE:
                raise _damaged(name, "слишком много частей")
            members = {i.filename: zf.read(i) for i in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _damaged(name, "архив внутри не читается") from exc
    head = _read_manifest(members.pop(MANIFEST, None), name)
    files = head["files"]
    assert isinstance(files, dict)  # _read_manifest checked it
    if set(files) != set(members) or DATABASE not in members:
        raise _damaged(name, "не хватает частей или есть лишние")
    for member, data_ in members.items():
        if _sha(data_) != files[member]:
            raise _damaged(name, f"контрольная сумма «{member}» не совпадает")
    keys = {m[len(KEYS_PREFIX) :]: d for m, d in members.items() if m.startswith(KEYS_PREFIX)}
    if any(not _KEY_NAME.match(k) or len(d) > MAX_KEY_FILE for k, d in keys.items()):
        raise _damaged(name, "недопустимый файл ключей")
    if len(keys) + 1 != len(members):
        raise _damaged(name, "лишние части")
    return PortableContents(_manifest_of(head, name), members[DATABASE], keys)


def _read_manifest(raw: bytes | None, name: str) -> dict[str, object]:
    if raw is None:
        raise _damaged(name, "нет описания копии")
    try:
        head = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _damaged(name, "описание копии не читается") from exc
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise _damaged(name, "описание копии не от Опоры")
    version = head.get("version")
    if not isinstance(version, int):
        raise _damaged(name, "нет версии формата")
    if version > VERSION:
        raise NewerDatabase(
            f"Файл «{name}» сделан более новой версией Опоры (формат {version}, эта программа "
            f"знает формат {VERSION}). Установите новую версию Опоры и восстановите данные в "
            "ней. Ничего не изменено."
        )
    files = head.get("files")
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise _damaged(name, "нет списка частей")
    return head


def _manifest_of(head: dict[str, object], name: str) -> Manifest:
    fields = ("site_id", "organisation", "created_at", "app_version")
    if not all(isinstance(head.get(f), str) for f in fields):
        raise _damaged(name, "описание копии неполное")
    try:
        created = datetime.fromisoformat(str(head["created_at"]))
    except ValueError as exc:
        raise _damaged(name, "неверная дата в описании") from exc
    return Manifest(
        str(head["site_id"]), str(head["organisation"]), created, str(head["app_version"])
    )
