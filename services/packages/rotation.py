"""A site replaces its own keys: the files, and the signed introduction of the new card.

Only a district changes its keys this way (a school that reinstalls simply gets new keys, and the
district confirms them by phone). The district cannot tell its schools by phone alone: each
school's next bulletin is signed by the old key, which the school trusts, and carries the new
card as its `successor`, signed by the new key too, so the school knows the district holds the
new secret. The school still confirms the new fingerprint by phone before it trusts it.

Files in the keys folder: the old pair is kept as `retired-signing.key` / `retired-age.key`
(one earlier pair still, under its key id); `key-change.json` names both keys and the schools
whose next bulletin is to introduce the new one. Nothing here touches the database; package
numbers are per site (`KeyStore.next_number`), so the new key continues them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.core.errors import Invalid, StorageError
from services.packages import minisign
from services.packages.keys import (
    AGE_FILE,
    RETIRED_PREFIX,
    SIGNING_FILE,
    KeyStore,
    card_from_json,
    card_to_json,
    new_age_identity,
    new_signing_key,
    write_private,
)
from services.packages.types import SiteCard

CHANGE_FILE = "key-change.json"
NEW_PREFIX = "new-"
STATEMENT = "opora-key-change"


@dataclass(frozen=True, slots=True)
class KeyChange:
    """The last change of this site's keys."""

    old_key_id: str
    new_key_id: str
    pending: tuple[str, ...]  # site ids of the schools whose next bulletin introduces the new key


def read_change(keys_dir: Path) -> KeyChange | None:
    try:
        data = json.loads((Path(keys_dir) / CHANGE_FILE).read_text(encoding="utf-8"))
        return KeyChange(
            str(data["old_key_id"]), str(data["new_key_id"]), tuple(map(str, data["pending"]))
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StorageError(
            f"Файл смены ключа в папке {keys_dir} повреждён ({CHANGE_FILE}). Восстановите "
            "папку keys из резервной копии."
        ) from exc


def write_change(keys_dir: Path, change: KeyChange) -> None:
    """Replace `key-change.json` atomically (written and synced before it is renamed)."""
    path = Path(keys_dir) / CHANGE_FILE
    tmp = path.with_name(path.name + ".tmp")
    data = {"old_key_id": change.old_key_id, "new_key_id": change.new_key_id,
            "pending": list(change.pending)}  # fmt: skip
    try:
        tmp.unlink(missing_ok=True)
        write_private(tmp, json.dumps(data, sort_keys=True) + "\n")
        tmp.replace(path)
    except OSError as exc:
        raise StorageError(
            f"Не удалось записать {path}: {exc.strerror or exc}. Проверьте, что папка данных "
            "доступна для записи."
        ) from exc


def rotate_keys(keys: KeyStore, pending: Iterable[str]) -> KeyChange:
    """Make a new signing key and age identity; keep the current pair as the retired one.

    An earlier retired pair is kept under its key id (its age identity may still open an old
    package). The new keys are written in full before they take the current names, so a
    crash leaves either the old keys in place or both pairs on disk.
    """
    keys.ensure()
    folder = keys.directory
    old_id = keys.public_key().key_id_hex
    try:
        if (earlier := keys.retired()) is not None:
            kid = earlier.public_key().key_id_hex
            earlier.signing_path.replace(folder / f"{RETIRED_PREFIX}{kid}-{SIGNING_FILE}")
            earlier.age_path.replace(folder / f"{RETIRED_PREFIX}{kid}-{AGE_FILE}")
        fresh = KeyStore(folder, prefix=NEW_PREFIX)
        for path in (fresh.signing_path, fresh.age_path):
            path.unlink(missing_ok=True)
        write_private(fresh.signing_path, new_signing_key())
        write_private(fresh.age_path, new_age_identity())
        for path, name in ((keys.signing_path, SIGNING_FILE), (keys.age_path, AGE_FILE)):
            write_private(folder / (RETIRED_PREFIX + name), path.read_text("ascii"))
        change = KeyChange(old_id, fresh.public_key().key_id_hex, tuple(sorted(set(pending))))
        write_change(folder, change)
        fresh.signing_path.replace(keys.signing_path)
        fresh.age_path.replace(keys.age_path)
    except OSError as exc:
        raise StorageError(
            f"Не удалось заменить ключи в {folder}: {exc.strerror or exc}. Проверьте, что "
            "папка данных доступна для записи; старый ключ остался в папке keys."
        ) from exc
    keys.reload()
    return change


# -- the introduction carried by a bulletin ------------------------------------------------


def _statement(card: SiteCard, old_key_id: str) -> bytes:
    doc = {"format": STATEMENT, "old_key_id": old_key_id, "card": card_to_json(card)}
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _comment(card: SiteCard, old_key_id: str) -> str:
    return f"{STATEMENT} sender={card.site_id} old={old_key_id} new={card.key_id}"


def introduction(new_keys: KeyStore, card: SiteCard, old_key_id: str) -> dict[str, Any]:
    """The manifest's `successor`: the new card, signed by the new key over the old key's id."""
    signature = new_keys.sign(_statement(card, old_key_id), _comment(card, old_key_id))
    return {"card": card_to_json(card), "signature": signature}


def successor_of(doc: object, signer: SiteCard) -> SiteCard:
    """The new card a manifest signed by `signer` introduces; `Invalid` if it is not genuine.

    The card must be the same site's and role's, with another key, and signed by that key over
    the signer's key id: only the holder of the new secret can have written it.
    """
    if not isinstance(doc, dict) or set(doc) != {"card", "signature"}:
        raise Invalid("successor shape")
    card = card_from_json(doc["card"])
    if (card.site_id, card.role) != (signer.site_id, signer.role):
        raise Invalid("successor of another site")
    if card.key_id == signer.key_id:
        raise Invalid("successor with the same key")
    text = doc["signature"]
    if not isinstance(text, str) or len(text) > minisign.MAX_SIGNATURE_FILE:
        raise Invalid("successor signature")
    try:
        signature = minisign.parse(text.encode("utf-8"))
        key = minisign.PublicKey.from_base64(card.signing_key)
        comment = minisign.verify(_statement(card, signer.key_id), signature, key)
    except minisign.SignatureError as exc:
        raise Invalid("successor signature") from exc
    if comment != _comment(card, signer.key_id):
        raise Invalid("successor comment")
    return card
