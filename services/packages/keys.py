"""This site's keys and cards (DESIGN §6).

Each site has an Ed25519 signing key (minisign-compatible) and an age X25519 identity. The private
keys live in `keys_dir` with 0600 permissions and never leave it. The public **card** carries the
site's identity, both public keys and a fingerprint of 16 characters in four groups that people
read to each other by phone to confirm a card (it covers the site id and both keys, so a card
with a swapped encryption key has another fingerprint).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import asdict
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyrage import x25519
from sqlmodel import Session

from services.core.errors import Invalid, StorageError
from services.packages import minisign
from services.packages.types import SiteCard
from services.site.profile import SiteProfile

SIGNING_FILE = "signing.key"
AGE_FILE = "age.key"
# The keys a district replaced (`services.packages.rotation`): the old signing key still signs
# the bulletin that introduces the new one, and the old age identity still opens the packages
# schools encrypted to it before they confirmed the new key.
RETIRED_PREFIX = "retired-"
# The last package number used per sequence, beside the keys and outside the database: a
# restored backup (an older database) then never reuses a number, whichever key signs next.
NUMBERS_FILE = "package-numbers.json"
CARD_FORMAT = "opora-card"
MAX_CARD_FILE = 16_384
# Crockford's base32: no I, L, O, U — nothing to mishear or misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def fingerprint_of(signing_key_b64: str, age_recipient: str = "", site_id: str = "") -> str:
    """«7K2M 9QXD 4TWA R8C1»: 80 bits of SHA-256 over the card's identity and keys."""
    material = "\n".join(("opora-card-v1", site_id, signing_key_b64.strip(), age_recipient))
    digest = int.from_bytes(hashlib.sha256(material.encode("utf-8")).digest()[:10], "big")
    chars = [ALPHABET[(digest >> (5 * n)) & 31] for n in range(15, -1, -1)]
    text = "".join(chars)
    return " ".join(text[i : i + 4] for i in range(0, 16, 4))


def normalize_fingerprint(text: str) -> str:
    """What a person typed, compared as the card prints it.

    Spaces, dashes, case and the look-alikes O/0 and I/L/1 are forgiven.
    """
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    return " ".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def new_signing_key() -> str:
    """A fresh minisign-style signing key file: base64 of a random key id and an Ed25519 seed."""
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    return base64.b64encode(secrets.token_bytes(8) + seed).decode("ascii") + "\n"


def new_age_identity() -> str:
    return str(x25519.Identity.generate()) + "\n"


def write_private(path: Path, text: str) -> None:
    """Create a private key file with 0600 permissions, atomically, never overwriting."""
    write_private_bytes(path, text.encode("ascii"))


def write_private_bytes(path: Path, data: bytes) -> None:
    """`write_private` for bytes (a sealed key)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.link(tmp, path)  # fails if the key appeared meanwhile: never replace an existing key
    tmp.unlink()


class KeyStore:
    """The private keys of this installation."""

    def __init__(self, keys_dir: Path, *, prefix: str = "") -> None:
        self._dir = Path(keys_dir)
        self._prefix = prefix  # RETIRED_PREFIX: the replaced keys kept in the same folder
        self._signing: Ed25519PrivateKey | None = None
        self._key_id = b""
        self._age: x25519.Identity | None = None

    @property
    def directory(self) -> Path:
        return self._dir

    @property
    def signing_path(self) -> Path:
        return self._dir / (self._prefix + SIGNING_FILE)

    @property
    def age_path(self) -> Path:
        return self._dir / (self._prefix + AGE_FILE)

    @property
    def exists(self) -> bool:
        return self.signing_path.is_file() and self.age_path.is_file()

    @property
    def in_files(self) -> bool:
        """The keys are the data directory's files (another process may read them there)."""
        return True

    @property
    def locked(self) -> bool:
        """The keys wait for a passphrase before they sign or decrypt (`key_source`)."""
        return False

    def unlock(self, passphrase: str) -> None:
        """Files need no passphrase: nothing to open."""

    def require_unlocked(self) -> None:
        """Refuse before any work (a reserved number, a transaction) if the keys are locked."""

    def require_vault(self) -> None:
        """Refuse what only keys sealed with a passphrase have (`passphrase`)."""
        from services.packages.vault import NO_VAULT

        raise Invalid(NO_VAULT)

    def change_passphrase(self, old: str, new: str) -> None:
        self.require_vault()

    def replace_lost(self, new: str) -> None:
        self.require_vault()

    def retired(self) -> KeyStore | None:
        """The keys this site replaced last (a district's key change), if it has any."""
        old = KeyStore(self._dir, prefix=RETIRED_PREFIX)
        return old if not self._prefix and old.exists else None

    def ensure(self) -> None:
        """Generate both keys once; later calls only load them."""
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            self._dir.chmod(0o700)
            if not self.signing_path.exists():
                write_private(self.signing_path, new_signing_key())
            if not self.age_path.exists():
                write_private(self.age_path, new_age_identity())
        except OSError as exc:
            raise StorageError(
                f"Не удалось создать ключи в {self._dir}: {exc.strerror or exc}. "
                "Проверьте, что папка данных доступна для записи."
            ) from exc

    def reload(self) -> None:
        """Forget the loaded keys (the folder was replaced by a restore); read them on next use."""
        self._signing, self._key_id, self._age = None, b"", None

    def _load(self) -> None:
        if self._signing is not None:
            return
        if not self.exists:
            raise Invalid(
                "Ключи этой установки не найдены. Выполните «python main.py init» "
                "или восстановите папку keys из резервной копии."
            )
        try:
            raw = base64.b64decode(self.signing_path.read_text("ascii").strip())
            self._key_id, seed = raw[:8], raw[8:]
            self._signing = Ed25519PrivateKey.from_private_bytes(seed)
            self._age = x25519.Identity.from_str(self.age_path.read_text("ascii").strip())
        except (OSError, ValueError) as exc:
            raise StorageError(
                f"Ключи в папке {self._dir} повреждены. Восстановите папку keys из резервной "
                "копии; без неё пакеты этой установки не будут приняты."
            ) from exc

    def next_number(self, sequence: str, stored: int, session: Session | None = None) -> int:
        """Reserve the next package number of `sequence`: one past the database's and ours.

        `stored` is the last number the database remembers; the file here remembers every
        number handed out, even by a database since replaced by an older backup. The file is
        written (and synced) before the number is used, so a crash can skip a number but never
        hand it out twice. `session` is the caller's transaction (the vault keeps the numbers
        there); the files do not need it.
        """
        numbers = self.numbers()
        seq = max(stored, numbers.get(sequence, 0)) + 1
        numbers[sequence] = seq
        path = self._dir / NUMBERS_FILE
        tmp = path.with_name(path.name + ".tmp")
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            tmp.unlink(missing_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # as the keys
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(numbers, fh, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            tmp.replace(path)
        except OSError as exc:
            raise StorageError(
                f"Не удалось записать номер пакета в {self._dir}: {exc.strerror or exc}. "
                "Проверьте, что папка данных доступна для записи."
            ) from exc
        return seq

    def numbers(self) -> dict[str, int]:
        """The last package number used per sequence, as the file beside the keys has it."""
        try:
            data = json.loads((self._dir / NUMBERS_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise StorageError(
                f"Файл номеров пакетов в папке {self._dir} повреждён ({NUMBERS_FILE}). "
                "Восстановите папку keys из резервной копии или удалите этот файл, если "
                "уверены, что номера в базе данных последние."
            ) from exc
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, int) and v >= 0}

    def public_key(self) -> minisign.PublicKey:
        self._load()
        assert self._signing is not None
        return minisign.public_key_of(self._signing, self._key_id)

    @property
    def age_identity(self) -> x25519.Identity:
        self._load()
        assert self._age is not None
        return self._age

    @property
    def age_identities(self) -> list[x25519.Identity]:
        """This site's age identity first, then every one it replaced (`RETIRED_PREFIX`).

        A school goes on encrypting to the district's old recipient until it confirms the new
        key; the district must still open those packages.
        """
        found = [self.age_identity]
        for path in sorted(self._dir.glob(f"{RETIRED_PREFIX}*{AGE_FILE}")):
            try:
                found.append(x25519.Identity.from_str(path.read_text("ascii").strip()))
            except (OSError, ValueError):  # a damaged old key opens nothing; the current may
                continue
        return found

    @property
    def age_recipient(self) -> str:
        return str(self.age_identity.to_public())

    def sign(self, message: bytes, trusted_comment: str) -> str:
        self._load()
        assert self._signing is not None
        return minisign.sign(message, self._signing, self._key_id, trusted_comment)

    def card(self, site: SiteProfile) -> SiteCard:
        pk = self.public_key()
        signing = pk.to_base64()
        return SiteCard(
            site_id=site.site.id,
            role=site.role.value,
            name=site.site.full_name,
            code=site.site.code,
            signing_key=signing,
            key_id=pk.key_id_hex,
            age_recipient=self.age_recipient,
            fingerprint=fingerprint_of(signing, self.age_recipient, site.site.id),
        )


def card_to_json(card: SiteCard) -> dict[str, object]:
    return {"format": CARD_FORMAT, "version": 1, **asdict(card)}


def card_from_json(data: object) -> SiteCard:
    """Validate a card (from a file or a manifest); its fingerprint is recomputed, never trusted."""
    if not isinstance(data, dict):
        raise Invalid("Это не карточка Опоры.")
    fields = ("site_id", "role", "name", "code", "signing_key", "key_id", "age_recipient")
    if not all(isinstance(data.get(f), str) for f in fields):
        raise Invalid("Карточка неполная или повреждена: попросите прислать её заново.")
    values = {f: str(data[f]) for f in fields}
    if values["role"] not in ("school", "district") or len(values["name"]) > 500:
        raise Invalid("Карточка повреждена: попросите прислать её заново.")
    try:
        pk = minisign.PublicKey.from_base64(values["signing_key"])
        x25519.Recipient.from_str(values["age_recipient"])
    except Exception as exc:  # pyrage raises its own error types for bad recipients
        raise Invalid("Ключи в карточке повреждены: попросите прислать её заново.") from exc
    if pk.key_id_hex != values["key_id"]:
        raise Invalid("Карточка повреждена: номер ключа не совпадает с ключом.")
    fingerprint = fingerprint_of(values["signing_key"], values["age_recipient"], values["site_id"])
    return SiteCard(**values, fingerprint=fingerprint)


def write_card(path: Path, card: SiteCard) -> None:
    text = json.dumps(card_to_json(card), ensure_ascii=False, indent=2, sort_keys=True)
    tmp = Path(path).with_name(Path(path).name + ".part")
    try:
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"Не удалось записать карточку {path}: {exc.strerror or exc}.") from exc


def read_card(path: Path) -> SiteCard:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_CARD_FILE:
            raise Invalid(f"Файл {path.name} слишком большой для карточки Опоры.")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise Invalid(f"Файл карточки {path} не найден.") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid(
            f"Файл {path.name} — не карточка Опоры. Попросите управление образования прислать "
            "файл карточки (.card) ещё раз."
        ) from exc
    if not isinstance(data, dict) or data.get("format") != CARD_FORMAT:
        raise Invalid(f"Файл {path.name} — не карточка Опоры.")
    return card_from_json(data)
