"""«Сменить ключ управления»: the district replaces its signing key and age identity.

The keys are replaced at once (`packages.rotation.rotate_keys`): the district's card, its
fingerprint on the screen and every later bulletin are the new key's. The schools trusted at
that moment learn it from their next bulletin, which is signed by the old key and introduces the
new card (`bulletin.BulletinService`); each school confirms the new fingerprint by phone before
its data is applied. Package numbers are per site and simply continue.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import Role
from services.core.db import Database
from services.core.errors import Invalid
from services.district.bulletin import BulletinService
from services.packages.keys import KeyStore
from services.packages.rotation import read_change, rotate_keys
from services.site.backup import BackupService
from services.site.profile import SiteService


@dataclass(frozen=True, slots=True)
class KeyState:
    """What the district's screen shows about its own key."""

    fingerprint: str  # the current key's: the one the methodist reads out to schools
    waiting: tuple[str, ...]  # schools whose next bulletin introduces the new key, by name


@dataclass(frozen=True, slots=True)
class KeyRotated:
    old_fingerprint: str
    fingerprint: str
    waiting: tuple[str, ...]  # schools to be told in their next bulletin, by name


class DistrictKeyService:
    def __init__(
        self,
        db: Database,
        site: SiteService,
        keys: KeyStore,
        backups: BackupService,
        bulletin: BulletinService,
    ) -> None:
        self._db = db
        self._site = site
        self._keys = keys
        self._backups = backups
        self._bulletin = bulletin

    def state(self) -> KeyState:
        self._keys.ensure()
        card = self._keys.card(self._site.profile())
        return KeyState(card.fingerprint, self._waiting())

    def _waiting(self) -> tuple[str, ...]:
        """Trusted schools that still wait for the bulletin introducing the current key."""
        change = read_change(self._keys.directory)
        if change is None or not change.pending:
            return ()
        names = {c.site_id: self._bulletin.name_of(c) for c in self._bulletin.recipients()}
        return tuple(sorted((names[i] for i in change.pending if i in names), key=str.casefold))

    def rotate(self) -> KeyRotated:
        """Replace the district's keys; back up first. Schools learn it from their next bulletin.

        Refused while a school trusted now has not yet received the bulletin introducing the
        previous change: a second change would leave it with no key it could follow.
        """
        profile = self._site.profile()
        if profile.role is not Role.DISTRICT:
            raise Invalid(
                "Сменить ключ этой командой может только управление образования. Школе при "
                "переустановке программы управление подтверждает новый ключ по телефону."
            )
        if not self._keys.in_files:
            raise Invalid(
                "Ключи управления хранятся в общей базе; смена ключа для неё в этой версии не "
                "выполняется. Парольную фразу ключей меняет команда «python main.py passphrase»."
            )
        if waiting := self._waiting():
            raise Invalid(
                "Предыдущая смена ключа ещё не сообщена школам: "
                + ", ".join(f"«{n}»" for n in waiting)
                + ". Сначала сформируйте для них рассылку (экран «Рассылка школам» или "
                "«python main.py export --out ПАПКА»), затем меняйте ключ снова."
            )
        self._keys.ensure()
        old = self._keys.card(profile).fingerprint
        if self._db.db_path is not None:
            self._backups.before_change("before-key-change")
        schools = self._bulletin.recipients()
        rotate_keys(self._keys, (c.site_id for c in schools))
        new = self._keys.card(profile).fingerprint
        return KeyRotated(old, new, tuple(self._bulletin.name_of(c) for c in schools))
