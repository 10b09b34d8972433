"""The import log, quarantine and enrollment commands of `SyncService` (a mixin of the engine).

They read the ledger (`ledger.py`) or hand over to the enrollment (`enroll.py`); the engine
module keeps only the import run itself.
"""

from __future__ import annotations

from pathlib import Path

from services.core.db import Database
from services.packages.types import SiteCard, VerifiedPackage
from services.sync import checks
from services.sync.enroll import Enrolled, Enrollment
from services.sync.ledger import Ledger
from services.sync.report import Code, ImportLogRead, ImportReport, QuarantineRead


class PeerCommands:
    """What `SyncService` offers besides importing: the log, quarantine and enrollment."""

    _db: Database
    _ledger: Ledger
    _enrollment: Enrollment

    # -- import log and quarantine -------------------------------------------------------

    def quarantine(self) -> list[QuarantineRead]:
        """Packages kept in quarantine, newest first (released ones are marked)."""
        return self._ledger.quarantine()

    def import_log(self) -> list[ImportLogRead]:
        """Every import attempt, newest first, with its report."""
        return self._ledger.import_log()

    def log_entry(self, log_id: str) -> ImportLogRead:
        """One entry of the import log (NotFound for an unknown id)."""
        return self._ledger.log_entry(log_id)

    def trusted_card(self, key_id: str) -> SiteCard | None:
        """The pinned card of a trusted peer with this key id (for the package reader)."""
        return self._ledger.trusted_card(key_id)

    # -- enrollment (`enroll.py`) ------------------------------------------------------------

    def enroll(
        self, path: Path, confirm_fingerprint: str, *, replace_key: bool = False
    ) -> Enrolled:
        """Trust the signer of `path` if the fingerprint matches, then import what waited.

        A new key of a site whose key is trusted needs `replace_key` (see `enroll.py`).
        """
        return self._enrollment.enroll(path, confirm_fingerprint, replace_key=replace_key)

    def enroll_quarantined(
        self, entry_id: str, confirm_fingerprint: str, *, replace_key: bool = False
    ) -> Enrolled:
        """Trust the signer of a package waiting in quarantine (typed fingerprint), import it."""
        return self._enrollment.enroll_quarantined(
            entry_id, confirm_fingerprint, replace_key=replace_key
        )

    def enroll_package(
        self,
        pkg: VerifiedPackage,
        confirm_fingerprint: str,
        *,
        file: str = "",
        replace_key: bool = False,
    ) -> Enrolled:
        """Trust the card `pkg` carries (typed fingerprint), import what waited, then `pkg`."""
        return self._enrollment.enroll_package(
            pkg, confirm_fingerprint, file=file, replace_key=replace_key
        )

    def enroll_card(
        self, card: SiteCard, confirm_fingerprint: str, *, replace_key: bool = False
    ) -> list[ImportReport]:
        """Trust a site from its card file; import what waited from it in quarantine."""
        return self._enrollment.enroll_card(card, confirm_fingerprint, replace_key=replace_key)

    def unconfirmed_code(self, pkg: VerifiedPackage) -> Code:
        """What an import would quarantine `pkg` as, its signer not trusted here (`verify`)."""
        with self._db.session(stamp=False) as s:
            state = Ledger.load_peers(s)
        return Code(checks.quarantine_stranger(state, pkg).code)
