"""The merge engine: import packages with preview, report, quarantine and enrollment (DESIGN §7).

`SyncService.import_package` is the core: it takes a `VerifiedPackage` (pure data) and runs the
same code for a dry run (rolled back) and an apply (one transaction, committed). The file-level
entry points read `.opora` files through `services.packages.format` and then call it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, select

from models import ImportLog, ImportOutcome, Peer, PeerStatus, Role, SyncState
from models.local import AppState
from services.core.config import AppPaths
from services.core.db import HLC_KEY, Database, known_revisions
from services.core.errors import AppError, Invalid, NotFound
from services.core.hlc import MAX_FORWARD_DRIFT_MS, Stamp, wall_clock_ms
from services.core.progress import NullProgress, Progress, check_cancelled
from services.packages.keys import KeyStore, normalize_fingerprint
from services.packages.types import PackageError, PackageKind, SiteCard, VerifiedPackage
from services.site.backup import BackupService
from services.site.profile import ROLE_KEY, SITE_KEY
from services.sync.bind import Rows
from services.sync.ledger import Ledger
from services.sync.merge import ScopeViolation, begin_import, max_stamp, merge_rows, records_change
from services.sync.read import Prepared, ReaderSetup, prepare_package, read_file, read_files
from services.sync.report import ImportLogRead, ImportReport, QuarantineRead
from services.sync.rows import RowInvalid

log = logging.getLogger(__name__)

YEAR_2010_MS = 1262304000000


class _Stop(Exception):
    """Ends the engine early with a finished report (refused, quarantined, already)."""

    def __init__(self, verdict: str, reason: str, code: str = "") -> None:
        super().__init__(reason)
        self.verdict, self.reason, self.code = verdict, reason, code


class _DryRun(Exception):
    """Raised at the end of a dry run so the session rolls everything back."""


class _NeedPayload(Exception):
    """A package read without its payload turned out not to be imported already."""


@dataclass(slots=True)
class _Run:
    """A run of imports: the session of its one transaction, and what the run did so far."""

    session: Session
    dry_run: bool
    backed_up: bool = False
    shas: dict[int, str] = field(default_factory=dict)  # id(report) → SHA-256 of its file
    observed: bool = False  # an applied package moved the clock: store it before the commit
    # What the checks of every package consult, read once when the run starts and kept up to
    # date by the run itself: its transaction holds the database, so nobody else changes them.
    # The run's log rows and sequence states are written when it commits, in one flush.
    own: str | None = None  # this site's id and role
    role: str | None = None
    peers: dict[str, list[Peer]] = field(default_factory=dict)  # site id → its peer rows
    applied: set[str] = field(default_factory=set)  # SHA-256 of every package applied here
    applied_seqs: set[tuple[str, int | None]] = field(default_factory=set)  # (sender, seq)
    states: dict[str, SyncState] = field(default_factory=dict)  # sender → sequence state

    def load(self) -> None:
        s = self.session
        own, role = s.get(AppState, SITE_KEY), s.get(AppState, ROLE_KEY)
        self.own = own.value if own is not None else None
        self.role = role.value if role is not None else None
        for peer in s.exec(select(Peer)).all():
            self.peers.setdefault(peer.site_id, []).append(peer)
        query = select(ImportLog.package_sha256, ImportLog.sender_id, ImportLog.seq).where(
            ImportLog.outcome == ImportOutcome.APPLIED
        )
        for sha, sender, seq in s.exec(query).all():
            self.applied.add(sha)
            self.applied_seqs.add((sender, seq))
        self.states = {state.peer_site_id: state for state in s.exec(select(SyncState)).all()}


class _RunFailed(Exception):
    """A storage error rolled the whole run back; `report` is the package it happened in."""

    def __init__(
        self, stop: _Stop, report: ImportReport | None, shas: dict[int, str] | None
    ) -> None:
        super().__init__(stop.reason)
        self.stop, self.report, self.shas = stop, report, shas or {}


def _row_refusal(exc: ValueError) -> _Stop:
    if isinstance(exc, ScopeViolation):
        return _Stop("refused", f"Нарушение границ данных: {exc}. Пакет не принят.", "scope")
    return _Stop("refused", f"Неверная запись в пакете: {exc}. Пакет не принят.", "record")


def _storage_refusal(exc: SQLAlchemyError | sqlite3.Error) -> _Stop:
    cause = str(getattr(exc, "orig", exc))[:200]
    if "full" in cause:
        text = (
            "На диске не хватает места, данные не записаны. Ничего не изменено. "
            "Освободите место на диске и повторите импорт."
        )
    else:
        text = (
            f"Не удалось записать данные ({cause}). Ничего не изменено. Проверьте свободное "
            "место на диске и доступ к папке данных, затем повторите импорт."
        )
    return _Stop("refused", text, "storage")


def _now() -> datetime:
    return datetime.now(UTC)


class SyncService:
    """Imports packages from other sites; keeps the import log, quarantine and peers."""

    def __init__(
        self, db: Database, paths: AppPaths, keys: KeyStore | None, backups: BackupService
    ) -> None:
        self._db = db
        self._paths = paths
        self._keys = keys  # None: a KeyStore on paths.keys_dir, made on first use
        self._backups = backups
        self._ledger = Ledger(db)
        self.last_released: list[ImportReport] = []

    # -- file level --------------------------------------------------------------------

    def import_files(
        self, paths: Sequence[Path], *, dry_run: bool, progress: Progress | None = None
    ) -> list[ImportReport]:
        """Import many package files; each gets its own report, a bad one stops nothing.

        The whole run is one transaction, and a refused package writes nothing to it (see
        `_transaction`): a dry run's reports are exactly what the apply of the same files
        reports, and cancelling or killing an apply leaves the database as it was before.
        """
        progress = progress or NullProgress()
        reports: list[ImportReport] = []
        if not paths:
            return reports
        # Read once for the whole run, before its transaction: nothing in a run trusts a key,
        # and the engine checks trust and "already imported" again for every package.
        setup = self._reader_setup()
        keys = self._key_store()
        # The files are read, verified and bound ahead of the merge, in a helper process for a
        # large run (`sync_read.read_files`); the engine checks and merges them in order.
        reader = read_files(paths, keys, setup)
        try:
            with self._transaction(dry_run) as run:
                for i, path in enumerate(paths):
                    check_cancelled(progress)
                    progress.report(i, len(paths), path.name)
                    reports.append(self._import_file(run, path, next(reader), setup))
        except _RunFailed as failed:
            reports = self._failed_run(failed, reports, [str(p) for p in paths], dry_run)
        finally:
            reader.close()
        if not dry_run and any(r.verdict == "applied" for r in reports):
            self._checkpoint()
        progress.report(len(paths), len(paths))
        return reports

    def _import_file(
        self, run: _Run, path: Path, read: Prepared | AppError, setup: ReaderSetup
    ) -> ImportReport:
        try:
            if isinstance(read, AppError):
                raise read
            # A file whose exact bytes were applied before is verified up to its payload hash
            # but not decrypted or parsed: the engine stops it as "already imported".
            try:
                return self._import(run, read, str(path))
            except _NeedPayload:
                read = read_file(path, self._key_store(), setup, skip_applied=False)
                return self._import(run, read, str(path))
        except AppError as exc:
            return self._refused_file(run, path, exc)

    @contextmanager
    def _transaction(self, dry_run: bool) -> Iterator[_Run]:
        """One transaction for a run of imports: committed at the end, or rolled back.

        A package is checked in full before its first write (`merge_rows`), so a refused one
        leaves nothing behind while the others stay. The run commits once: a commit per package
        would write the id-index pages its random UUIDs land on again for every package, a third
        of a large import's time. A dry run rolls the whole run back. A storage error anywhere
        rolls it back too (SQLite may already have) and raises `_RunFailed`: nothing of the run
        is kept.
        """
        run: _Run | None = None
        try:
            with self._db.session(stamp=False) as s:
                begin_import(s.connection())
                run = _Run(s, dry_run)
                run.load()
                yield run
                if dry_run:
                    raise _DryRun
                if run.observed:
                    s.merge(AppState(key=HLC_KEY, value=self._db.clock.last))
        except _DryRun:
            return
        except (IntegrityError, sqlite3.IntegrityError) as exc:  # a deferred check at commit
            stop = _Stop(
                "refused",
                "Пакет ссылается на отсутствующую запись; импорт отменён, ничего не изменено.",
                "record",
            )
            raise _RunFailed(stop, None, run.shas if run else None) from exc
        except (SQLAlchemyError, sqlite3.Error) as exc:
            log.warning("import failed: %s", exc)
            raise _RunFailed(_storage_refusal(exc), None, run.shas if run else None) from exc

    def _failed_run(
        self, failed: _RunFailed, done: list[ImportReport], files: list[str], dry_run: bool
    ) -> list[ImportReport]:
        """Reports of a run that a storage error rolled back: no file of it was imported.

        Files refused for a reason of their own keep it; every other one (applied, waiting for
        quarantine, the one that failed, the ones not reached) gets the storage refusal.
        """
        reports = list(done)
        if failed.report is not None:
            reports.append(failed.report)
        reports += [ImportReport(file=f, created_at=_now()) for f in files[len(reports) :]]
        stop = failed.stop
        for rep in reports:
            if rep.verdict not in ("refused", "already") or not rep.reason:
                rep.verdict, rep.reason, rep.code = stop.verdict, stop.reason, stop.code
                rep.counts = {}
        if not dry_run:
            self._log_after_failure(reports, failed.shas)
        return reports

    def _log_after_failure(self, reports: list[ImportReport], shas: dict[int, str]) -> None:
        """Log the reports of a failed run in a transaction of their own, if the disk allows."""
        try:
            with self._db.session(stamp=False) as s:
                for rep in reports:
                    if rep.verdict != "already":
                        sha = shas.get(id(rep), "")
                        s.add(self._ledger.log_row(rep, sha, ImportOutcome.REFUSED))
        except (SQLAlchemyError, sqlite3.Error) as exc:
            log.warning("could not log a failed import: %s", exc)

    def _checkpoint(self) -> None:
        """Copy what the import left in the write-ahead log into the database file.

        PASSIVE never waits for readers; the rest of the program then reads from a short log.
        """
        try:
            with self._db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except (SQLAlchemyError, sqlite3.Error) as exc:  # the data is committed already
            log.warning("checkpoint after import failed: %s", exc)

    def enroll(self, path: Path, confirm_fingerprint: str) -> ImportReport | None:
        """Trust the signer of `path` if the fingerprint matches, then import what waited."""
        pkg = self._read_file(path)
        return self.enroll_package(pkg, confirm_fingerprint, file=str(path))

    def _read_file(self, path: Path) -> VerifiedPackage:
        from services.packages.format import read_package_file

        pkg: VerifiedPackage = read_package_file(path, **self._reader_arguments())
        return pkg

    def _read_bytes(self, data: bytes) -> VerifiedPackage:
        from services.packages.format import read_package

        pkg: VerifiedPackage = read_package(data, **self._reader_arguments())
        return pkg

    def _reader_arguments(self) -> dict[str, Any]:
        return {
            "keys": self._key_store(),
            "own_site_id": self._own_site_id(),
            "lookup_signer": self._ledger.trusted_card,
        }

    def _own_site_id(self) -> str:
        with self._db.session() as s:
            own = s.get(AppState, SITE_KEY)
        if own is None:
            raise NotFound("Программа ещё не настроена: выполните «python main.py init».")
        return own.value

    def _key_store(self) -> KeyStore:
        if self._keys is None:
            self._keys = KeyStore(self._paths.keys_dir)
        return self._keys

    def _reader_setup(self) -> ReaderSetup:
        """What reading the files of an `import_files` run needs: trusted cards, applied files.

        Read before the run, so that reading does not touch the database the run's transaction
        holds (and a helper process can receive it).
        """
        return ReaderSetup(
            keys_dir=self._key_store().directory,
            own_site_id=self._own_site_id(),
            trusted=self._ledger.trusted_cards(),
            applied=self._ledger.applied_shas(),
        )

    def _refused_file(self, run: _Run, path: Path, exc: AppError) -> ImportReport:
        rep = ImportReport(file=str(path), verdict="refused", reason=str(exc))
        rep.code = exc.code if isinstance(exc, PackageError) else "unreadable"
        rep.created_at = _now()
        if not run.dry_run:
            run.session.add(self._ledger.log_row(rep, "", ImportOutcome.REFUSED))
        return rep

    def import_package(
        self, pkg: VerifiedPackage, *, dry_run: bool, file: str = ""
    ) -> ImportReport:
        """Merge one verified package: the same code path for preview and apply."""
        try:
            with self._transaction(dry_run) as run:
                return self._import(run, prepare_package(pkg), file)
        except _RunFailed as failed:
            return self._failed_run(failed, [], [file or pkg.manifest.package_id], dry_run)[0]

    def _import(self, run: _Run, read: Prepared, file: str) -> ImportReport:
        """One package of the run: merged, or stopped before it wrote anything."""
        pkg = read.pkg
        m = pkg.manifest
        rep = ImportReport(
            file=file or m.package_id,
            sender_id=m.sender_id,
            sender_name=m.sender_card.name if m.sender_card else "",
            fingerprint=pkg.signer_fingerprint,
            signature="trusted",
            package_id=m.package_id,
            kind=str(m.kind),
            seq=m.seq,
            schema=m.schema,
            manifest_counts=dict(m.counts),
            created_at=_now(),
        )
        run.shas[id(rep)] = pkg.file_sha256
        s = run.session
        # A package is refused before its first write (`merge_rows` checks everything first) and
        # the run's bookkeeping waits in the session until the commit: a stopped package leaves
        # nothing behind. A write that fails after the checks fails the whole run instead.
        try:
            self._run(run, read, rep)
        except _Stop as stop:
            rep.verdict, rep.reason, rep.code = stop.verdict, stop.reason, stop.code
            rep.counts = {}
            if not run.dry_run and stop.verdict != "already":
                self._ledger.record_stop(s, pkg, rep)
        except (IntegrityError, sqlite3.IntegrityError) as exc:
            log.warning("a checked package broke a constraint: %s", exc)
            broken = _Stop(
                "refused",
                "Неверная запись в пакете нарушила правила базы данных. Импорт отменён, ничего "
                "не изменено. Сообщите об этом разработчикам Опоры и приложите файл пакета.",
                "record",
            )
            raise _RunFailed(broken, rep, run.shas) from exc
        except (SQLAlchemyError, sqlite3.Error) as exc:
            log.warning("import failed: %s", exc)
            raise _RunFailed(_storage_refusal(exc), rep, run.shas) from exc
        return rep

    def _run(self, run: _Run, read: Prepared, rep: ImportReport) -> None:
        pkg = read.pkg
        m = pkg.manifest
        s = run.session
        self._check_identity(run, pkg, rep)
        if not pkg.payload_read:
            raise _NeedPayload
        seq_status = self._seq_status(run, pkg)
        rep.seq_status = seq_status
        self._check_schema(pkg, rep)
        # Bound while the file was read (`sync_read.prepare_package`); refused only here, after
        # the checks above, so that a package is stopped for the same reason either way.
        if read.refusal is not None:
            raise _row_refusal(read.refusal)
        rows = read.rows
        assert rows is not None  # the payload was read and its schema is known
        self._check_counts(rows, rep)
        if seq_status == "fork":
            raise _Stop(
                "quarantined",
                f"Пакет № {m.seq} уже получен от этого отправителя с другим содержимым "
                "(восстановленная копия, вторая установка или похищенный ключ). Пакет отложен в "
                "карантин; свяжитесь со школой, прежде чем принимать решение.",
                "fork",
            )
        top = max_stamp(rows)
        self._clock_warnings(top, rep)
        if not run.dry_run and not run.backed_up and self._db.db_path is not None:
            # Another connection reads the state this run's transaction has not changed yet.
            self._backups.create("before-import")
            run.backed_up = True
        try:
            rep.counts = merge_rows(s.connection(), rows)
        except (ScopeViolation, RowInvalid) as exc:
            raise _row_refusal(exc) from None
        self._after_merge(run, pkg, rep, top)

    def _after_merge(
        self, run: _Run, pkg: VerifiedPackage, rep: ImportReport, top: Stamp | None
    ) -> None:
        """Sequence state and import log of a merged package; a dry run writes them too.

        They decide how the run's later packages are seen ("already imported", seq gaps,
        forks), so a preview of several files reports what their apply will. The dry run's
        transaction is rolled back; only the program's clock is not moved by a preview.
        """
        s, m = run.session, pkg.manifest
        rep.verdict = "dry-run" if run.dry_run else "applied"
        state = run.states.get(m.sender_id)
        if state is None:
            state = run.states[m.sender_id] = SyncState(peer_site_id=m.sender_id, updated_at=_now())
            s.add(state)
        if m.seq > state.last_seq:
            state.last_seq, state.last_hash = m.seq, pkg.file_sha256
        state.updated_at = _now()
        run.applied.add(pkg.file_sha256)
        run.applied_seqs.add((m.sender_id, m.seq))
        if top is not None and not run.dry_run:
            self._db.clock.observe(str(top))
            run.observed = True
        s.add(self._ledger.log_row(rep, pkg.file_sha256, ImportOutcome.APPLIED))
        if run.dry_run:
            rep.log_id = ""  # that log row is rolled back with the preview

    # -- checks ------------------------------------------------------------------------

    def _check_identity(self, run: _Run, pkg: VerifiedPackage, rep: ImportReport) -> None:
        m = pkg.manifest
        if run.own is None or run.role is None:
            raise _Stop("refused", "Программа ещё не настроена: выполните «python main.py init».")
        if m.recipient_id != run.own:
            raise _Stop(
                "refused",
                "Пакет адресован другой организации. Попросите отправителя сформировать пакет "
                "для вашей организации.",
                "wrong-recipient",
            )
        expected = (
            PackageKind.SCHOOL_REPORT
            if run.role == Role.DISTRICT
            else PackageKind.DISTRICT_BULLETIN
        )
        if m.kind != expected:
            raise _Stop("refused", "Пакет такого вида здесь не принимается.", "wrong-kind")
        if pkg.file_sha256 in run.applied:
            rep.seq_status = "already"
            raise _Stop("already", "Этот пакет уже импортирован; ничего не изменено.", "already")
        peer = run.peers.get(m.sender_id, [])
        revoked = [p for p in peer if p.status == PeerStatus.REVOKED and p.key_id == m.key_id]
        limit = revoked[0].accept_up_to_seq if revoked else None
        if revoked and (limit is None or m.seq > limit):
            up_to = f" (принимаются только пакеты до № {limit})" if limit is not None else ""
            raise _Stop(
                "refused",
                f"Ключ отправителя отозван управлением{up_to}. Пакет № {m.seq} не принят. Если "
                "школа работает на новом компьютере, подтвердите её новый ключ.",
                "revoked",
            )
        trusted = bool(revoked) or any(
            p.status == PeerStatus.TRUSTED and p.key_id == m.key_id for p in peer
        )
        if not (pkg.signer_known and trusted):
            rep.signature = "unknown-key"
            raise _Stop(
                "quarantined",
                f"Пакет подписан ещё не подтверждённым ключом (отпечаток {pkg.signer_fingerprint})."
                " Сверьте отпечаток с отправителем по телефону и подтвердите ключ школы"
                " (пакет ждёт в карантине).",
                "unknown-key",
            )

    @staticmethod
    def _seq_status(run: _Run, pkg: VerifiedPackage) -> str:
        m = pkg.manifest
        if (m.sender_id, m.seq) in run.applied_seqs:
            return "fork"
        state = run.states.get(m.sender_id)
        last = state.last_seq if state else 0
        if m.seq == last + 1:
            return "new"
        return "gap" if m.seq > last else "out-of-order"

    def _check_schema(self, pkg: VerifiedPackage, rep: ImportReport) -> None:
        """Refuse a schema newer than this program's; warn that an older one was upgraded."""
        m = pkg.manifest
        known = known_revisions()
        if m.schema not in known:
            raise _Stop(
                "refused",
                f"Пакет создан более новой версией Опоры (версия программы {m.app_version}, "
                f"схема «{m.schema}»). Обновите Опору до версии {m.app_version} или новее и "
                "повторите импорт.",
                "newer-schema",
            )
        if records_change(m.schema, known):
            rep.warnings.append(
                f"Пакет создан более старой версией Опоры (схема «{m.schema}»); записи "
                "преобразованы к текущей схеме."
            )

    @staticmethod
    def _check_counts(rows: Rows, rep: ImportReport) -> None:
        declared = {t: n for t, n in rep.manifest_counts.items() if n}
        actual = {t: len(r) for t, r in rows.items()}
        if declared != actual:
            raise _Stop(
                "refused",
                "Число записей в пакете не совпадает с заявленным в его описании. "
                "Пакет повреждён; попросите отправителя сформировать его заново.",
                "counts",
            )

    @staticmethod
    def _clock_warnings(top: Stamp | None, rep: ImportReport) -> None:
        if top is None:
            return
        if top.physical < YEAR_2010_MS:
            year = datetime.fromtimestamp(top.physical / 1000, UTC).year
            rep.warnings.append(
                f"Часы компьютера отправителя, похоже, отстают (год {year}). Данные приняты; "
                "попросите отправителя проверить дату и время."
            )
        elif top.physical > wall_clock_ms() + MAX_FORWARD_DRIFT_MS:
            year = datetime.fromtimestamp(min(top.physical, 2**42) / 1000, UTC).year
            rep.warnings.append(
                f"Часы компьютера отправителя спешат (год {year}). Данные приняты, но часы "
                "этой программы не переведены вперёд; попросите отправителя проверить дату."
            )

    # -- quarantine, import log, enrollment ------------------------------------------------

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

    def enroll_quarantined(self, entry_id: str, confirm_fingerprint: str) -> ImportReport | None:
        """Trust the signer of a package waiting in quarantine (typed fingerprint), import it."""
        pkg = self._read_bytes(self._ledger.raw(entry_id))
        return self.enroll_package(pkg, confirm_fingerprint, file=f"из карантина {entry_id[:8]}")

    def enroll_package(
        self, pkg: VerifiedPackage, confirm_fingerprint: str, *, file: str = ""
    ) -> ImportReport | None:
        """Trust the card a package carries when the typed fingerprint matches, then import.

        A wrong fingerprint raises `Invalid` and trusts nothing. Returns the report of `pkg`
        (None when it had been imported already) after importing what waited in quarantine
        (those reports are in `last_released`).
        """
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
        self._confirm(card, confirm_fingerprint, pkg.signer_fingerprint)
        self.last_released = self._release_waiting(card.site_id, skip_sha=pkg.file_sha256)
        rep = self.import_package(replace(pkg, signer_known=True), dry_run=False, file=file)
        return None if rep.verdict == "already" else rep

    def enroll_card(self, card: SiteCard, confirm_fingerprint: str) -> list[ImportReport]:
        """Trust a site from its card file; import what waited from it in quarantine."""
        self._confirm(card, confirm_fingerprint, card.fingerprint)
        self.last_released = self._release_waiting(card.site_id, skip_sha="")
        return self.last_released

    def _confirm(self, card: SiteCard, typed_text: str, shown: str) -> None:
        typed = normalize_fingerprint(typed_text)
        if (
            not typed
            or typed != normalize_fingerprint(card.fingerprint)
            or typed != normalize_fingerprint(shown)
        ):
            raise Invalid(
                f"Отпечаток не совпадает: у отправителя «{card.fingerprint}», введено "
                f"«{typed_text.strip()[:40]}». Ничего не подтверждено. Сверьте отпечаток "
                "с отправителем ещё раз (по телефону или по сопроводительному листу)."
            )
        with self._db.session() as s:
            role = s.get(AppState, ROLE_KEY)
        wanted = Role.SCHOOL if role is not None and role.value == Role.DISTRICT else Role.DISTRICT
        if card.role != wanted:
            raise Invalid(
                "Эта карточка принадлежит организации другого вида "
                f"({'школе' if card.role == Role.SCHOOL else 'управлению'}); здесь её "
                "подтвердить нельзя. Ничего не подтверждено."
            )
        self._ledger.trust(card)

    def _release_waiting(self, site_id: str, *, skip_sha: str) -> list[ImportReport]:
        reports = []
        for entry_id, sha, raw in self._ledger.waiting_from(site_id):
            if raw and sha != skip_sha:
                try:
                    other = self._read_bytes(raw)
                except AppError as exc:
                    log.warning("quarantined package no longer readable: %s", exc)
                    continue
                reports.append(
                    self.import_package(other, dry_run=False, file=f"из карантина {entry_id[:8]}")
                )
            self._ledger.release(entry_id)
        return reports
