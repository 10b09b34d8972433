"""Enrollment: trust a signer whose fingerprint a person confirmed, then import what waited.

The trust itself is the policy's (`trust.trust_card`, through `Ledger.trust`); this module checks
what the person typed and the card's kind, and releases the sender's packages from quarantine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from models import AppState, Role
from services.core.db import Database
from services.core.errors import AppError, Invalid
from services.packages.types import SiteCard, VerifiedPackage
from services.site.profile import ROLE_KEY
from services.sync.ledger import Ledger
from services.sync.report import ImportReport, Verdict
from services.sync.trust import confirms

log = logging.getLogger(__name__)

ImportPackage = Callable[..., ImportReport]  # `SyncService.import_package`


@dataclass(frozen=True, slots=True)
class Enrolled:
    """What an enrollment imported: the package it came with, and what waited in quarantine."""

    report: ImportReport | None  # the enrolling package (None: imported before, or a card)
    released: list[ImportReport]  # packages of the sender that waited in quarantine

    @property
    def reports(self) -> list[ImportReport]:
        """Every report, the released ones first (they were imported first)."""
        return [*self.released, *([self.report] if self.report is not None else [])]


class Enrollment:
    """Confirms a signer's fingerprint, trusts it and imports its waiting packages."""

    def __init__(
        self,
        db: Database,
        ledger: Ledger,
        reader_arguments: Callable[[], dict[str, Any]],
        import_package: ImportPackage,
    ) -> None:
        self._db = db
        self._ledger = ledger
        self._reader_arguments = reader_arguments
        self._import_package = import_package

    def enroll(
        self, path: Path, confirm_fingerprint: str, *, replace_key: bool = False
    ) -> Enrolled:
        from services.packages.format import read_package_file

        pkg: VerifiedPackage = read_package_file(path, **self._reader_arguments())
        return self.enroll_package(
            pkg, confirm_fingerprint, file=str(path), replace_key=replace_key
        )

    def enroll_quarantined(
        self, entry_id: str, confirm_fingerprint: str, *, replace_key: bool = False
    ) -> Enrolled:
        pkg = self._read_bytes(self._ledger.raw(entry_id))
        file = f"из карантина {entry_id[:8]}"
        return self.enroll_package(pkg, confirm_fingerprint, file=file, replace_key=replace_key)

    def enroll_package(
        self,
        pkg: VerifiedPackage,
        confirm_fingerprint: str,
        *,
        file: str = "",
        replace_key: bool = False,
    ) -> Enrolled:
        """Trust the card a package carries when the typed fingerprint matches, then import.

        A wrong fingerprint raises `Invalid` and trusts nothing; so does a new key of a site
        whose key is trusted, unless `replace_key` (the old key is then revoked up to its last
        package received).
        """
        if pkg.manifest.successor is not None and pkg.signer_known:
            return self._confirm_successor(pkg, confirm_fingerprint, file)
        card = pkg.manifest.sender_card
        if card is None:
            raise Invalid(
                "В пакете нет карточки отправителя: подтвердить его ключ по этому пакету нельзя. "
                "Попросите школу прислать её первый пакет (с карточкой)."
            )
        if card.site_id != pkg.manifest.sender_id or card.key_id != pkg.manifest.key_id:
            raise Invalid(
                "Карточка в пакете не принадлежит его отправителю. Ничего не подтверждено."
            )
        self._confirm(card, confirm_fingerprint, pkg.signer_fingerprint, replace_key)
        released = self._release_waiting(card.site_id, skip_sha=pkg.file_sha256)
        if not pkg.payload_read:  # read while its signer was unknown: now read it in full
            pkg = self._read_bytes(pkg.raw)
        rep = self._import_package(replace(pkg, signer_known=True), dry_run=False, file=file)
        return Enrolled(None if rep.verdict is Verdict.ALREADY else rep, released)

    def _confirm_successor(self, pkg: VerifiedPackage, typed: str, file: str) -> Enrolled:
        """The district's bulletin № N, signed by its trusted key, introduces a new key.

        The person types the new fingerprint the district reads out (never shown here). Then
        the new card is trusted, the old key is revoked after № N, and the bulletin applied.
        """
        m = pkg.manifest
        card = m.successor
        assert card is not None
        if not confirms(typed, card.fingerprint):
            raise Invalid(
                "Введённый отпечаток не совпадает с новым ключом управления. Ничего не "
                "изменено: рассылка не загружена, прежний ключ управления остаётся. Попросите "
                "управление прочитать отпечаток нового ключа ещё раз и введите его заново."
            )
        self._check_role(card)
        self._ledger.trust(card, up_to=m.seq)
        released = self._release_waiting(card.site_id, skip_sha=pkg.file_sha256)
        if not pkg.payload_read:
            pkg = self._read_bytes(pkg.raw)
        rep = self._import_package(pkg, dry_run=False, file=file)
        return Enrolled(None if rep.verdict is Verdict.ALREADY else rep, released)

    def enroll_card(
        self, card: SiteCard, confirm_fingerprint: str, *, replace_key: bool = False
    ) -> list[ImportReport]:
        self._confirm(card, confirm_fingerprint, card.fingerprint, replace_key)
        return self._release_waiting(card.site_id, skip_sha="")

    def _read_bytes(self, data: bytes) -> VerifiedPackage:
        from services.packages.format import read_package

        pkg: VerifiedPackage = read_package(data, **self._reader_arguments())
        return pkg

    def _confirm(self, card: SiteCard, typed_text: str, shown: str, replace_key: bool) -> None:
        # Never the fingerprint itself: it is what the school reads out, not what we show.
        if not confirms(typed_text, card.fingerprint, shown):
            raise Invalid(
                "Введённый отпечаток не совпадает с ключом отправителя. Ничего не подтверждено. "
                "Попросите отправителя прочитать отпечаток ещё раз (из окна программы или с "
                "сопроводительного листа) и введите его заново."
            )
        self._check_role(card)
        if not replace_key and (old := self._ledger.replaced_by(card)) is not None:
            raise Invalid(
                f"У «{old.name or card.name}» уже есть подтверждённый ключ, а этот подписан "
                "новым: переустановка программы или подделка. Ничего не подтверждено. Если "
                "отправитель подтвердил по телефону, что программа переустановлена, замените "
                "ключ: в окне «Импорт пакетов» на вкладке «Карантин» кнопкой «Заменить ключ "
                'школы…» или командой «python main.py enroll ФАЙЛ --confirm "…" --replace-key». '
                "Старый ключ будет отозван после последнего полученного от него пакета."
            )
        self._ledger.trust(card)

    def _check_role(self, card: SiteCard) -> None:
        with self._db.session() as s:
            role = s.get(AppState, ROLE_KEY)
        wanted = Role.SCHOOL if role is not None and role.value == Role.DISTRICT else Role.DISTRICT
        if card.role != wanted:
            raise Invalid(
                "Эта карточка принадлежит организации другого вида "
                f"({'школе' if card.role == Role.SCHOOL else 'управлению'}); здесь её "
                "подтвердить нельзя. Ничего не подтверждено."
            )

    def _release_waiting(self, site_id: str, *, skip_sha: str) -> list[ImportReport]:
        reports = []
        for entry_id, sha, raw in self._ledger.waiting_from(site_id):
            if raw and sha != skip_sha:
                try:
                    other = self._read_bytes(raw)
                except AppError as exc:
                    log.warning("quarantined package no longer readable: %s", exc)
                    continue
                file = f"из карантина {entry_id[:8]}"
                reports.append(self._import_package(other, dry_run=False, file=file))
            self._ledger.release(entry_id)
        return reports
