"""The merge engine: it runs an import's stages in order (DESIGN §7).

read (`read.py`: verify, decrypt, parse, bind) → check (`checks.py`: identity, sequence, schema,
scope, counts, fork; pure functions) → merge (`merge.py`) → ledger (`ledger.py`: log,
quarantine, sequence state). A package passes through each stage once; the engine only decides
what comes next. `import_package` takes a `VerifiedPackage` and runs the same code for a dry run
(rolled back) and an apply (one transaction, committed); `import_files` reads `.opora` files.
Enrollment (trusting a signer, then importing what waited) is in `enroll.py`.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from models import ImportOutcome
from models.local import AppState
from services.audit.catalogue import known_measures
from services.core.actor import current_actor
from services.core.config import AppPaths
from services.core.db import (
    HLC_KEY,
    Database,
    driver_errors,
    integrity_errors,
    known_revisions,
)
from services.core.errors import AppError, NotFound
from services.core.hlc import Stamp, wall_clock_ms
from services.core.notify import IMPORT, announce
from services.core.progress import NullProgress, Progress, check_cancelled
from services.packages.keys import KeyStore
from services.packages.types import PackageError, VerifiedPackage
from services.site.backup import BackupService
from services.site.profile import SITE_KEY
from services.sync import checks, merge_pg
from services.sync.bind import Rows
from services.sync.checks import Refusal, RunState
from services.sync.enroll import Enrollment
from services.sync.ledger import Ledger
from services.sync.merge import (
    ScopeViolation,
    begin_import,
    existing,
    finish_import,
    max_stamp,
    merge_rows,
    records_change,
)
from services.sync.peers import PeerCommands
from services.sync.read import Prepared, ReaderSetup, prepare_package, read_file, read_files
from services.sync.report import (
    Code,
    ImportReport,
    Verdict,
    package_code,
)
from services.sync.rows import RowInvalid
from services.sync.sequence_lock import claimed_senders, lock_late, lock_senders

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Try:
    """How `SyncService._runs` starts an attempt at a run.

    After a repeat: what the earlier attempts found, or did.
    """

    exact: bool = False  # every id looked up: the primary key refused an earlier attempt's row
    # The copy before the run's first write was made by an earlier attempt, which was rolled
    # back: it is still the copy of the state this attempt starts from.
    backed_up: bool = False


@dataclass(slots=True)
class _Run:
    """A run of imports: the session of its one transaction, and what the run did so far."""

    dry_run: bool
    session: Session = field(init=False)
    state: RunState = field(default_factory=RunState)
    reports: list[ImportReport] = field(default_factory=list)
    backed_up: bool = False
    shas: dict[int, str] = field(default_factory=dict)  # id(report) → SHA-256 of its file
    observed: bool = False  # an applied package moved the clock: store it before the commit
    # A write the database refused: the run is rolled back and every package in it refused.
    failure: Refusal | None = None
    retry: bool = False  # the server broke a deadlock by failing this run: run it again
    # Every id looked up (`merge.begin_import`); else a run that trusted the owner index and
    # whose write the primary key refused is run again exact (`recheck`, `SyncService._runs`).
    exact: bool = True
    recheck: bool = False
    # (factor, title) of the catalogue measures known here: anti-risk measure ids derive from them
    measures: frozenset[tuple[str, str]] = frozenset()
    # Senders whose packages were applied: announced to the other staff once, at the commit.
    applied: list[str] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a run reads and merges its packages.

    A run allocates a container per record (hundreds of thousands), which set off collections
    that traverse every live object again and again: ≈ 5 % of a large import's time. The run's
    objects form no reference cycles (reference counting frees them), so nothing accumulates.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _stopped(rep: ImportReport, refusal: Refusal) -> ImportReport:
    rep.verdict, rep.reason, rep.code = refusal.verdict, refusal.reason, refusal.code
    rep.detail = refusal.detail
    if refusal.seq_status is not None:
        rep.seq_status = refusal.seq_status
    if refusal.unknown_signer:
        rep.signature, rep.fingerprint = "unknown-key", ""  # confirmed by phone, never shown
    rep.counts = {}
    return rep


def _refused_by_key(run: _Run, exc: Exception) -> bool:
    """The primary key refused a row of a run that did not look up every id: run it again."""
    return not run.exact and merge_pg.unique_violation(exc)


def _failed(run: _Run, exc: Exception) -> None:
    """A storage error ends the run (rolled back); a deadlock the server broke repeats it."""
    log.warning("import failed: %s", exc)
    run.retry = run.retry or merge_pg.should_retry(exc)
    run.failure = run.failure or checks.storage_refusal(exc)


class SyncService(PeerCommands):
    """Imports packages from other sites; keeps the import log, quarantine and peers.

    The reads of the log and quarantine and the enrollment commands are `PeerCommands`.
    """

    def __init__(
        self, db: Database, paths: AppPaths, keys: KeyStore | None, backups: BackupService
    ) -> None:
        self._db = db
        self._paths = paths
        self._keys = keys  # None: a KeyStore on paths.keys_dir, made on first use
        self._backups = backups
        self._ledger = Ledger(db)
        self._enrollment = Enrollment(db, self._ledger, self._reader_arguments, self.import_package)

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
        if not paths:
            return []
        self._key_store().require_unlocked()  # locked vault keys: refuse the run, not each file
        # Read once for the whole run, before its transaction: nothing in a run trusts a key,
        # and the engine checks trust and "already imported" again for every package.
        setup = self._reader_setup()
        # The files are read, verified and bound ahead of the merge, in a helper process for a
        # large run (`read.read_files`); the engine checks and merges them in order. A run the
        # server chose as a deadlock's victim is read and run again (`merge_pg.retrying`).

        def attempt(tried: _Try) -> _Run:
            reader = read_files(paths, self._key_store(), setup)

            def each_file(run: _Run) -> None:
                for i, path in enumerate(paths):
                    check_cancelled(progress)  # `Cancelled` rolls the whole run back
                    progress.report(i, len(paths), path.name)
                    run.reports.append(self._import_file(run, path, next(reader), setup))
                    if run.failure is not None:
                        return

            try:
                return self._transaction(dry_run, each_file, claimed_senders(paths), tried)
            finally:
                reader.close()

        with cyclic_gc_paused():
            run = self._runs(attempt)
        reports = self._finish(run, [str(p) for p in paths])
        if not dry_run and any(r.verdict is Verdict.APPLIED for r in reports):
            self._checkpoint()
        progress.report(len(paths), len(paths))
        return reports

    def import_package(
        self, pkg: VerifiedPackage, *, dry_run: bool, file: str = ""
    ) -> ImportReport:
        """Merge one verified package: the same code path for preview and apply."""

        def one(run: _Run) -> None:
            run.reports.append(self._import(run, prepare_package(pkg), file))

        run = self._runs(
            lambda tried: self._transaction(dry_run, one, [pkg.manifest.sender_id], tried)
        )
        return self._finish(run, [file or pkg.manifest.package_id])[0]

    @staticmethod
    def _runs(attempt: Callable[[_Try], _Run]) -> _Run:
        """`attempt` until it needs no repeat (`merge_pg.retrying`).

        Repeated: a run the server failed to break a deadlock, and a run that was not `exact`
        whose write the primary key refused. A run first trusts the owner index: it does not
        look up the ids of a table where the sender holds no row (`merge.existing_in`).
        If the key then refuses a row, one of those ids is stored for another owner; the run is
        rolled back and repeated with every id looked up, which refuses that package alone
        («Нарушение границ данных») and applies the others, as a run that looked them all up
        from the start would have. A repeat makes no second backup: the first attempt's copy is
        of the state the repeat starts from.
        """
        tried = _Try()

        def again(run: _Run) -> bool:
            nonlocal tried
            if run.recheck:
                log.info("an id of the run is stored for another owner: running it again exact")
            tried = _Try(tried.exact or run.recheck, tried.backed_up or run.backed_up)
            return run.retry or run.recheck

        return merge_pg.retrying(lambda: attempt(tried), again)

    def _import_file(
        self, run: _Run, path: Path, read: Prepared | AppError, setup: ReaderSetup
    ) -> ImportReport:
        try:
            if isinstance(read, AppError):
                raise read
            # A file whose exact bytes were applied before is verified up to its payload hash,
            # not decrypted or parsed; read it in full if this run still admits it.
            if not read.pkg.payload_read and checks.check_identity(run.state, read.pkg) is None:
                read = read_file(path, self._key_store(), setup, skip_applied=False)
            return self._import(run, read, str(path))
        except AppError as exc:
            return self._refused_file(run, path, exc)

    def _transaction(
        self,
        dry_run: bool,
        body: Callable[[_Run], None],
        senders: Sequence[str],
        tried: _Try,
    ) -> _Run:
        """Run `body` in one transaction for a run of imports: committed, or rolled back.

        A package is checked in full before its first write (`merge_rows`), so a refused one
        leaves nothing behind while the others stay. The run commits once: a commit per package
        would write the id-index pages its random UUIDs land on again for every package, a third
        of a large import's time. A dry run rolls the whole run back; so does a storage error
        anywhere (SQLite may already have), recorded in `failure`: nothing of the run is kept.
        The senders' sequence locks are taken before the state is read (`sequence_lock`).
        """
        run = _Run(dry_run, exact=tried.exact, backed_up=tried.backed_up)
        try:
            with self._db.session(stamp=False) as s:
                writes = not (dry_run and self._db.read_only)
                begin_import(s.connection(), writes=writes, exact=tried.exact)
                if not writes:  # the ledger's rows stay pending, rolled back unwritten
                    s.autoflush = False
                locked = lock_senders(s, senders)
                run.session, run.state = s, Ledger.load_state(s)
                run.state.locked.update(locked)
                run.measures = known_measures(s, self._paths.catalogues_dir)
                body(run)
                if run.failure is None and writes:
                    # a preview writes all an apply writes (and rolls back), unless the login
                    # may only read: its preview stops before the writes
                    finish_import(s.connection())
                if dry_run or run.failure is not None:
                    s.rollback()
                else:
                    if run.observed:
                        s.merge(AppState(key=HLC_KEY, value=self._db.clock.last))
                    if run.applied:  # one notice for the run, delivered with its commit
                        announce(s, IMPORT, run.applied)
        except merge_pg.DanglingReference as exc:  # the set-based check before the commit
            log.warning("a reference to a missing row stopped the run: %s", exc)
            run.failure = run.failure or checks.MISSING_REFERENCE
        except integrity_errors() as exc:  # a deferred check at commit, or the last copy
            run.recheck = _refused_by_key(run, exc)
            run.failure = run.failure or checks.MISSING_REFERENCE
        except driver_errors() as exc:
            _failed(run, exc)
        return run

    def _finish(self, run: _Run, files: list[str]) -> list[ImportReport]:
        """The reports of a run; for a run a storage error rolled back, none was imported.

        Files refused for a reason of their own keep it; every other one (applied, waiting for
        quarantine, the one that failed, the ones not reached) gets the storage refusal.
        """
        reports = run.reports
        if run.failure is None:
            return reports
        reports += [ImportReport(file=f, created_at=_now()) for f in files[len(reports) :]]
        for rep in reports:
            if rep.verdict not in (Verdict.REFUSED, Verdict.ALREADY) or not rep.reason:
                _stopped(rep, run.failure)
        if not run.dry_run:
            self._log_after_failure(reports, run.shas)
        return reports

    def _log_after_failure(self, reports: list[ImportReport], shas: dict[int, str]) -> None:
        """Log the reports of a failed run in a transaction of their own, if the disk allows."""
        try:
            with self._db.session(stamp=False) as s:
                actor = current_actor(s)
                for rep in reports:
                    if rep.verdict is not Verdict.ALREADY:
                        sha = shas.get(id(rep), "")
                        s.add(self._ledger.log_row(rep, sha, ImportOutcome.REFUSED, actor))
        except driver_errors() as exc:
            log.warning("could not log a failed import: %s", exc)

    def _checkpoint(self) -> None:
        """Copy what the import left in the write-ahead log into the database file.

        PASSIVE never waits for readers; the rest of the program then reads from a short log.
        A database in memory has no log, and its one shared connection may still hold an open
        batch (`Database.batch`) that returning a connection to the pool would roll back.
        """
        if self._db.db_path is None:
            return
        try:
            with self._db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except driver_errors() as exc:  # the data is committed already
            log.warning("checkpoint after import failed: %s", exc)

    def _reader_arguments(self) -> dict[str, Any]:
        """How `enroll.py` reads one package outside a run."""
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
            measures=self._measures(),
        )

    def _measures(self) -> frozenset[tuple[str, str]]:
        with self._db.session(stamp=False) as s:
            return known_measures(s, self._paths.catalogues_dir)

    def _refused_file(self, run: _Run, path: Path, exc: AppError) -> ImportReport:
        rep = ImportReport(file=str(path), verdict=Verdict.REFUSED, reason=str(exc))
        rep.detail = exc.code if isinstance(exc, PackageError) else "unreadable"
        rep.code = package_code(rep.detail)
        rep.created_at = _now()
        if not run.dry_run:
            actor = current_actor(run.session)
            run.session.add(self._ledger.log_row(rep, "", ImportOutcome.REFUSED, actor))
        return rep

    # -- one package ---------------------------------------------------------------------

    def _import(self, run: _Run, read: Prepared, file: str) -> ImportReport:
        """One package of the run: merged, or stopped before it wrote anything.

        A refused package has written nothing (`merge_rows` checks everything first) and the
        run's bookkeeping waits in the session until the commit. A write that fails after the
        checks fails the whole run instead (`run.failure`).
        """
        pkg, m = read.pkg, read.pkg.manifest
        rep = ImportReport(
            file=file or m.package_id,
            sender_id=m.sender_id,
            sender_name=m.sender_card.name if m.sender_card else "",
            # A key not trusted yet: its fingerprint is typed by a person, never shown.
            fingerprint=pkg.signer_fingerprint if pkg.signer_known else "",
            signature="trusted",
            package_id=m.package_id,
            kind=str(m.kind),
            seq=m.seq,
            schema=m.schema,
            app_version=m.app_version,
            manifest_counts=dict(m.counts),
            created_at=_now(),
        )
        run.shas[id(rep)] = pkg.file_sha256
        try:
            refusal = self._check_and_merge(run, read, rep)
            if refusal is not None:
                _stopped(rep, refusal)
                if not run.dry_run and refusal.verdict is not Verdict.ALREADY:
                    self._ledger.record_stop(run.session, pkg, rep)
        except integrity_errors() as exc:
            log.warning("a checked package broke a constraint: %s", exc)
            run.recheck = _refused_by_key(run, exc)
            run.failure = checks.BROKEN_CONSTRAINT
        except driver_errors() as exc:
            _failed(run, exc)
        return rep

    def _check_and_merge(self, run: _Run, read: Prepared, rep: ImportReport) -> Refusal | None:
        """The check stage, then the merge and ledger stages of a package that passed it."""
        checked = self._check(run, read, rep)
        if isinstance(checked, Refusal):
            return checked
        self._back_up_once(run)
        try:
            rep.counts = merge_rows(run.session.connection(), checked)
        except (ScopeViolation, RowInvalid) as exc:
            return checks.row_refusal(exc)
        top = max_stamp(checked)
        # Its text says the data was accepted: only a merged package gets it.
        if warning := checks.clock_warning(top, wall_clock_ms()):
            rep.warnings.append(warning)
        self._record(run, read.pkg, rep, top)
        return None

    @staticmethod
    def _check(run: _Run, read: Prepared, rep: ImportReport) -> Rows | Refusal:
        """Every check of `checks`, in order; the package's rows if it passed them all."""
        m = read.pkg.manifest
        if m.sender_id not in run.state.locked:
            lock_late(run.session, run.state, m.sender_id)
        if refusal := checks.check_identity(run.state, read.pkg):
            return refusal
        rep.seq_status = checks.seq_status(run.state, m)
        known = known_revisions()
        if refusal := checks.check_schema(m, known):
            return refusal
        if warning := checks.schema_warning(m, records_change(m.schema, known)):
            rep.warnings.append(warning)
        # Bound while the file was read (`read.prepare_package`); refused only here, after the
        # checks above, so that a package is stopped for the same reason either way.
        if read.refusal is not None:
            return checks.row_refusal(read.refusal)
        if read.rows is None:  # the identity check admitted a package read without its payload
            raise AppError("Пакет прочитан не полностью; повторите импорт.")
        if refusal := checks.check_counts(rep.manifest_counts, read.counts):
            return refusal
        conn = run.session.connection()

        def owners(table: str, ids: Collection[str]) -> dict[str, str]:
            return {rid: owner for rid, (_hlc, owner) in existing(conn, table, list(ids)).items()}

        refusal = checks.check_ownership(m, read.rows, owners, run.measures, ids=not read.owned)
        return refusal or checks.check_fork(rep.seq_status, m.seq) or read.rows

    def _back_up_once(self, run: _Run) -> None:
        if not run.dry_run and not run.backed_up and self._db.db_path is not None:
            # Another connection reads the state this run's transaction has not changed yet.
            self._backups.create("before-import")
            run.backed_up = True

    def _record(
        self, run: _Run, pkg: VerifiedPackage, rep: ImportReport, top: Stamp | None
    ) -> None:
        """The ledger stage of a merged package; a dry run records it too (rolled back).

        Only the program's clock is not moved by a preview.
        """
        rep.verdict = Verdict.DRY_RUN if run.dry_run else Verdict.APPLIED
        rep.code = Code.APPLIED  # a dry run reports what its apply reports
        if top is not None and not run.dry_run:
            self._db.clock.observe(str(top))
            run.observed = True
        self._ledger.record_applied(run.session, run.state, pkg, rep)
        if run.dry_run:
            rep.log_id = ""  # that log row is rolled back with the preview
        else:
            run.applied.append(pkg.manifest.sender_id)
