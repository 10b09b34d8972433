"""The key vault: a shared workspace's private keys, sealed with the staff's passphrase (DESIGN §6).

On a shared server the district's signing key and age identity live in the workspace database,
each encrypted with age's passphrase mode (scrypt). Staff unlock them once per session; the
plaintext keys are held in memory only and never written to a disk. The signing row also keeps
the last package number used per sequence: the number is reserved in the same transaction as
the export's bookkeeping, and a key change continues it.

The vault is engine-neutral (one SQLModel table, `models.KeyVault`); an `app_state` setting
(`KEYS_SETTING` = `VAULT`) tells the program to take its keys from here rather than from the
files of the data directory (`services.packages.key_source`).
"""

from __future__ import annotations

import base64
import getpass
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyrage import passphrase as age_passphrase
from pyrage import x25519
from sqlmodel import Session, select

from models import AppState, KeyVault
from services.core.db import Database, fsync_dir
from services.core.errors import Conflict, Invalid, NotFound, StorageError
from services.packages import minisign
from services.packages.keys import KeyStore, new_age_identity, new_signing_key, write_private_bytes

SIGNING = "signing"
AGE = "age"
KEYS_SETTING = "keys"  # app_state key: where this site's private keys live
VAULT = "vault"
MIN_PASSPHRASE = 12

WRONG_PASSPHRASE = (
    "Неверная парольная фраза: ключи не открыты, ничего не изменено. Проверьте раскладку "
    "клавиатуры и Caps Lock и введите фразу ещё раз."
)
NO_VAULT = (
    "Ключи этой установки хранятся в файлах папки данных (папка keys), а не в общей базе: "
    "парольной фразы у них нет, менять нечего."
)


class WrongPassphrase(Invalid):
    """The passphrase does not open the vault; nothing was changed."""

    def __init__(self) -> None:
        super().__init__(WRONG_PASSPHRASE)


@dataclass(frozen=True, slots=True)
class Unlocked:
    """The keys of the vault, opened: in memory only."""

    key_id: bytes
    signing: Ed25519PrivateKey
    age: x25519.Identity


def check_new_passphrase(text: str) -> str:
    """A new passphrase must be long enough to resist guessing against a stolen database."""
    if len(text) < MIN_PASSPHRASE:
        raise Invalid(
            f"Парольная фраза слишком короткая: нужно не меньше {MIN_PASSPHRASE} символов. "
            "Возьмите несколько слов, которые легко запомнить, например «зелёный трамвай "
            "едет в Тулу»."
        )
    return text


def current_login() -> str:
    """Who changes the vault, for its record (the workspace may name its own login instead)."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some services): record none
        return ""


def uses_vault(db: Database) -> bool:
    with db.session(stamp=False) as s:
        setting = s.get(AppState, KEYS_SETTING)
    return setting is not None and setting.value == VAULT


# -- sealing -------------------------------------------------------------------------------


def _encrypt(text: str, passphrase: str) -> bytes:
    sealed: bytes = age_passphrase.encrypt(text.encode("ascii"), passphrase)
    return sealed


def _decrypt(blob: bytes, passphrase: str) -> str:
    try:
        opened: bytes = age_passphrase.decrypt(blob, passphrase)
        return opened.decode("ascii")
    except pyrage.DecryptError as exc:
        raise WrongPassphrase() from exc


def _parse(signing_text: str, age_text: str) -> Unlocked:
    """The key objects of two key texts (the formats of the data directory's key files)."""
    try:
        raw = base64.b64decode(signing_text.strip(), validate=True)
        if len(raw) != 40:
            raise ValueError("signing key length")
        identity = x25519.Identity.from_str(age_text.strip())
        return Unlocked(raw[:8], Ed25519PrivateKey.from_private_bytes(raw[8:]), identity)
    except Exception as exc:  # pyrage raises its own error types for a bad identity
        raise StorageError(
            "Ключи повреждены: их нельзя поместить в хранилище. Восстановите папку keys из "
            "резервной копии."
        ) from exc


def seal(
    db: Database,
    signing_text: str,
    age_text: str,
    passphrase: str,
    *,
    login: str | None = None,
    numbers: dict[str, int] | None = None,
) -> None:
    """Put both keys into the empty vault and make the site use it, in one transaction."""
    check_new_passphrase(passphrase)
    _refuse_a_second_seal(db)  # before the slow sealing; checked again in the transaction
    keys = _parse(signing_text, age_text)
    public = minisign.public_key_of(keys.signing, keys.key_id)
    sealed_signing = _encrypt(signing_text.strip(), passphrase)
    sealed_age = _encrypt(age_text.strip(), passphrase)
    who, now = current_login() if login is None else login, datetime.now(UTC)
    with db.session(stamp=False) as s:
        _refuse_a_second_seal(db, s)
        rows = (
            (SIGNING, public.key_id_hex, public.to_base64(), sealed_signing),
            (AGE, public.key_id_hex, str(keys.age.to_public()), sealed_age),
        )
        for purpose, key_id, pub, secret in rows:
            s.add(
                KeyVault(
                    purpose=purpose, key_id=key_id, public=pub, secret=secret,
                    numbers=json.dumps(numbers or {}, sort_keys=True) if purpose == SIGNING
                    else "{}",
                    created_at=now, created_by=who, changed_at=now, changed_by=who,
                )
            )  # fmt: skip
        s.merge(AppState(key=KEYS_SETTING, value=VAULT))


def _refuse_a_second_seal(db: Database, s: Session | None = None) -> None:
    if s is None:
        with db.session(stamp=False) as own:
            return _refuse_a_second_seal(db, own)
    if s.exec(select(KeyVault)).first() is not None:
        raise Conflict("Ключи уже помещены в хранилище общей базы; второй раз не нужно.")
    return None


def seal_new_keys(db: Database, passphrase: str, *, login: str | None = None) -> None:
    """New keys made in memory and sealed at once (a district set up on a server)."""
    seal(db, new_signing_key(), new_age_identity(), passphrase, login=login)


def seal_files(
    db: Database, keys_dir: Path, passphrase: str, *, login: str | None = None, remove: bool = True
) -> None:
    """Seal the data directory's key files (and package numbers) into the vault.

    With `remove` the plaintext files go once the vault holds the keys: from then on the keys
    exist only sealed (keep the data directory's backup until the passphrase is proven).
    """
    files = KeyStore(keys_dir)
    if not files.exists:
        raise NotFound(
            f"Ключи не найдены в папке {keys_dir}: нечего помещать в хранилище. Выполните "
            "«python main.py init» или восстановите папку keys из резервной копии."
        )
    try:
        signing_text = files.signing_path.read_text("ascii")
        age_text = files.age_path.read_text("ascii")
    except (OSError, ValueError) as exc:
        raise StorageError(f"Не удалось прочитать ключи в папке {keys_dir}: {exc}.") from exc
    seal(db, signing_text, age_text, passphrase, login=login, numbers=files.numbers())
    if remove:
        for path in (files.signing_path, files.age_path):
            path.unlink(missing_ok=True)
        fsync_dir(keys_dir)


def seal_leftovers(keys_dir: Path, passphrase: str) -> list[Path]:
    """Encrypt every other private key file of `keys_dir` with the passphrase; drop the plain.

    These are the keys a district replaced (`RETIRED_PREFIX`): the vault holds one pair only,
    yet an old age identity may still open a package a school sent before the change. Kept as
    age passphrase files (`*.key.age`, the same phrase), they can be opened by hand with
    `age -d` when needed; no plaintext key stays on the client's disk.
    """
    sealed: list[Path] = []
    for path in sorted(keys_dir.glob("*.key")):
        target = path.with_name(path.name + ".age")
        target.unlink(missing_ok=True)  # a copy left by an interrupted run: sealed anew
        write_private_bytes(target, _encrypt(path.read_text("ascii").strip(), passphrase))
        path.unlink()
        sealed.append(target)
    if sealed:
        fsync_dir(keys_dir)
    return sealed


def open_leftover(path: Path, passphrase: str) -> str:
    """The key text of a file `seal_leftovers` wrote (for a person recovering an old package)."""
    return _decrypt(path.read_bytes(), passphrase)


# -- using -----------------------------------------------------------------------------------


def _rows(s: Session) -> tuple[KeyVault, KeyVault]:
    signing, age = s.get(KeyVault, SIGNING), s.get(KeyVault, AGE)
    if signing is None or age is None:
        raise NotFound(
            "В общей базе нет ключей управления. Попросите администратора выполнить "
            "«python main.py init … --database … --from-local» на компьютере, где хранятся "
            "ключи управления."
        )
    return signing, age


def publics(db: Database) -> tuple[str, str]:
    """(minisign public key, age recipient): readable without the passphrase."""
    with db.session(stamp=False) as s:
        signing, age = _rows(s)
        return signing.public, age.public


def unlock(db: Database, passphrase: str) -> Unlocked:
    """Open both keys; `WrongPassphrase` if the phrase does not open them."""
    with db.session(stamp=False) as s:
        signing, age = _rows(s)
        blobs = (signing.secret, age.secret)
    return _parse(_decrypt(blobs[0], passphrase), _decrypt(blobs[1], passphrase))


def change_passphrase(
    db: Database,
    old: str,
    new: str,
    *,
    login: str | None = None,
    encrypt: Callable[[str, str], bytes] = _encrypt,
) -> None:
    """Seal both keys with `new` in one transaction: both change, or neither does."""
    check_new_passphrase(new)
    who = current_login() if login is None else login
    with db.session(stamp=False) as s:
        rows = _rows(s)
        texts = [_decrypt(row.secret, old) for row in rows]
        now = datetime.now(UTC)
        for row, text in zip(rows, texts, strict=True):
            row.secret = encrypt(text, new)
            row.changed_at, row.changed_by = now, who
            s.add(row)


def replace_lost(db: Database, new: str, *, login: str | None = None) -> None:
    """New keys in place of those a lost passphrase locked for good, in one transaction.

    The package numbers stay (they are not secret), so the new key continues them. Nothing
    signed or encrypted with the old keys can be used any more: schools confirm the new card
    by phone (`enroll КАРТОЧКА --confirm … --replace-key`) and send their packages again.
    """
    check_new_passphrase(new)
    signing_text, age_text = new_signing_key(), new_age_identity()
    keys = _parse(signing_text, age_text)
    public = minisign.public_key_of(keys.signing, keys.key_id)
    fresh = {
        SIGNING: (public.to_base64(), _encrypt(signing_text.strip(), new)),
        AGE: (str(keys.age.to_public()), _encrypt(age_text.strip(), new)),
    }
    who, now = current_login() if login is None else login, datetime.now(UTC)
    with db.session(stamp=False) as s:
        for row in _rows(s):
            row.public, row.secret = fresh[row.purpose]
            row.key_id, row.changed_at, row.changed_by = public.key_id_hex, now, who
            s.add(row)


def reserve_number(s: Session, sequence: str, stored: int) -> int:
    """The next number of `sequence`, one past the database's and the vault's, in `s`."""
    row = s.exec(select(KeyVault).where(KeyVault.purpose == SIGNING).with_for_update()).first()
    if row is None:
        _rows(s)  # raises the message
        raise AssertionError("unreachable")
    try:
        numbers = {str(k): int(v) for k, v in json.loads(row.numbers or "{}").items()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise StorageError("Номера пакетов в хранилище ключей повреждены.") from exc
    seq = max(stored, numbers.get(sequence, 0)) + 1
    numbers[sequence] = seq
    row.numbers = json.dumps(numbers, sort_keys=True)
    s.add(row)
    return seq
