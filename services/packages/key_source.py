"""The one place that answers «give me this site's signing key and age identity» (DESIGN §6).

Schools and districts on one computer keep their keys in the data directory's files
(`KeyStore`, unchanged). A shared workspace keeps them in the key vault (`vault`): the site's
`app_state` says so, and `VaultKeyStore` then serves the same calls from the vault, once a
staff member has unlocked it for the session. Its public parts (the card) need no passphrase;
signing and decrypting do, and refuse with a Russian message until the keys are unlocked.
"""

from __future__ import annotations

import threading
from pathlib import Path

from pyrage import x25519
from sqlmodel import Session

from services.core.db import Database
from services.core.errors import Invalid
from services.packages import minisign, vault
from services.packages.keys import KeyStore

LOCKED = (
    "Ключи управления хранятся в общей базе и зашифрованы парольной фразой. Введите её: "
    "в окне программы — когда она спросит, в командной строке — в ответ на запрос или в "
    "файле, названном в переменной OPORA_PASSPHRASE_FILE."
)


class KeysLocked(Invalid):
    """A signature or a decryption needs the vault's keys, and nobody unlocked them yet."""

    def __init__(self) -> None:
        super().__init__(LOCKED)


def open_key_store(db: Database, keys_dir: Path) -> KeyStore:
    """This site's keys: the vault when the site says so, else the data directory's files."""
    return VaultKeyStore(db, keys_dir) if vault.uses_vault(db) else KeyStore(keys_dir)


class VaultKeyStore(KeyStore):
    """The keys of a shared workspace: sealed in the database, opened in memory per session."""

    def __init__(self, db: Database, keys_dir: Path) -> None:
        super().__init__(keys_dir)
        self._db = db
        self._guard = threading.Lock()  # the GUI unlocks in a task while screens may read

    @property
    def exists(self) -> bool:
        try:
            vault.publics(self._db)
        except Invalid:
            return False
        return True

    @property
    def in_files(self) -> bool:
        return False

    @property
    def locked(self) -> bool:
        return self._signing is None

    def unlock(self, passphrase: str) -> None:
        """Open the keys for this session; `vault.WrongPassphrase` leaves them locked."""
        opened = vault.unlock(self._db, passphrase)
        with self._guard:
            self._key_id, self._signing, self._age = opened.key_id, opened.signing, opened.age

    def require_vault(self) -> None:
        """The keys are in the vault: nothing to refuse."""

    def require_unlocked(self) -> None:
        self._load()

    def change_passphrase(self, old: str, new: str) -> None:
        vault.change_passphrase(self._db, old, new)

    def replace_lost(self, new: str) -> None:
        """New keys sealed with `new`; this session uses them at once."""
        vault.replace_lost(self._db, new)
        self.unlock(new)

    def ensure(self) -> None:
        vault.publics(self._db)  # a vault without keys says what to do; keys are never made here

    def reload(self) -> None:
        """Keys sealed in the database do not change under us: stay unlocked."""

    def retired(self) -> KeyStore | None:
        return None

    def _load(self) -> None:
        if self._signing is None:
            raise KeysLocked()

    def next_number(self, sequence: str, stored: int, session: Session | None = None) -> int:
        if session is None:
            raise ValueError("the vault reserves numbers in the caller's transaction")
        return vault.reserve_number(session, sequence, stored)

    def numbers(self) -> dict[str, int]:
        return {}

    def public_key(self) -> minisign.PublicKey:
        signing, _ = vault.publics(self._db)
        return minisign.PublicKey.from_base64(signing)

    @property
    def age_recipient(self) -> str:
        return vault.publics(self._db)[1]

    @property
    def age_identities(self) -> list[x25519.Identity]:
        return [self.age_identity]
