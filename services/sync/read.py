"""Reading the files of an import run: verify, decrypt, parse and bind each one (DESIGN §7).

This is the half of an import that needs no database. `read_file` turns a `.opora` file into a
`Prepared` package whose rows are already bound as statement parameters (`sync_merge.prepare`);
the engine (`services.sync.engine`) then checks and merges it in its transaction.

`read_files` gives the engine the files of a run in order. For a large run a helper process
reads files too, on the second core: the engine keeps the helper a few files ahead of the merge
and reads a file itself whenever the helper has not delivered the one it needs next, so that
both processes stay busy. The helper runs the same `read_file` and only makes the run faster:
if it cannot start, meets an unexpected error or dies, the files given to it and not delivered
are read here, and the run's results are the same. It never touches the database and ends when
the engine closes its pipes (a finished, cancelled or killed run).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import pickle
import queue
import threading
from collections import Counter, deque
from collections.abc import Container, Generator, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from models import Role
from services.core.db import known_revisions
from services.core.errors import AppError
from services.packages.format import read_package_file
from services.packages.keys import KeyStore
from services.packages.types import PackageError, PackageKind, SiteCard, VerifiedPackage
from services.sync.bind import Rows, plan_for
from services.sync.merge import ScopeViolation, migrate_records, prepare
from services.sync.ownership_checks import Measures, OwnershipViolation, check_package
from services.sync.rows import RowInvalid

log = logging.getLogger(__name__)

# A helper process takes ≈ 0.7 s to start (a fresh interpreter importing the reader), during
# which the engine reads ≈ 1 MB of packages itself. Measured on the benchmark's school packages
# (47 KB, 1,100 rows): 24 files take 0.6 s alone and 0.7 s with a helper, 48 files 1.4 s and
# 1.2 s, 96 files 3.2 s and 2.2 s. Below this many bytes the helper would not pay off.
HELPER_MIN_BYTES = 1_500_000
# Files read but not yet merged, at most, besides the one the helper may be sending (a school's
# package is ≈ 2 MB of Python objects once read).
LOOKAHEAD = 4
# Files given to the helper and not yet delivered: at least QUEUE_MIN, and up to QUEUE while
# they hold less than QUEUE_BYTES of package files (a read package is ≈ 9 × its file once
# pickled, ≈ 30 × as Python objects). On PostgreSQL the engine writes every 50,000 rows
# (`merge_pg.FLUSH_ROWS`) and waits ≈ 0.4 s for the server each time; a helper held to 4 files
# sat idle for most of it. With 16 it reads on meanwhile: the 300-school benchmark's import
# took 9.52 s instead of 9.99 s (medians of 5 interleaved pairs, each pair faster).
QUEUE_MIN = 4
QUEUE = 16
QUEUE_BYTES = 2_000_000
# Seconds the engine waits for the helper's next answer before it reads the files itself. Reading
# the largest package allowed (64 MB) takes seconds; only a helper that hangs takes this long.
HELPER_WAIT = 60.0
OUTBOX = QUEUE  # results the helper has read and the engine has not taken yet, at most


@dataclass(frozen=True, slots=True)
class ReaderSetup:
    """What reading a run's files needs, as plain data a helper process can receive."""

    keys_dir: Path
    own_site_id: str
    trusted: dict[str, SiteCard]  # key id → the card of a trusted sender
    # SHA-256 of the files applied here: such a file is verified but not decrypted or parsed
    applied: Container[str]
    # (factor, title) of the catalogue measures known here, for the ownership check; None: the
    # engine checks ownership in full itself
    measures: Measures | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """A verified package, its records bound into rows, or what binding refused.

    `rows` is None when the payload was not read (`pkg.payload_read` is False) or was written
    at a schema this program does not know (the engine refuses it); the records are dropped
    once bound.
    """

    pkg: VerifiedPackage
    rows: Rows | None = None
    refusal: ValueError | None = None  # a ScopeViolation, RowInvalid or OwnershipViolation
    owned: bool = False  # the writer and ids of `rows` passed the ownership table here
    # records per table as the payload held them, before an older schema's were converted (a
    # conversion may turn one record into several: the manifest counts what was written)
    counts: dict[str, int] = field(default_factory=dict)


def prepare_package(pkg: VerifiedPackage, measures: Measures | None = None) -> Prepared:
    """Upgrade the records of `pkg` to the current schema and bind them (`sync_merge.prepare`).

    Given the catalogue `measures` known here, the rows' writer and ids are checked against the
    ownership table too (no database needed), in the helper process for a large run.
    """
    known = known_revisions()
    m = pkg.manifest
    if not pkg.payload_read or m.schema not in known:
        return Prepared(pkg)
    held = dict(Counter(rec.table for rec in pkg.records))
    records = migrate_records(pkg.records, m.schema, known)
    bare = replace(pkg, records=())
    try:
        rows = prepare(records, m.sender_id)
        if measures is not None:
            role = Role.SCHOOL if m.kind == PackageKind.SCHOOL_REPORT else Role.DISTRICT
            named = {t: (plan_for(t).spec.columns, items) for t, items in rows.items()}
            check_package(named, m.sender_id, role, None, measures)
        return Prepared(bare, rows, owned=measures is not None, counts=held)
    except (ScopeViolation, RowInvalid, OwnershipViolation) as exc:
        return Prepared(bare, refusal=exc, counts=held)


def read_file(
    path: Path, keys: KeyStore, setup: ReaderSetup, *, skip_applied: bool = True
) -> Prepared:
    """Read, verify and bind one package file; raise `AppError` if it cannot be read."""
    pkg = read_package_file(
        path,
        keys=keys,
        own_site_id=setup.own_site_id,
        lookup_signer=setup.trusted.get,
        skip_payload=setup.applied.__contains__ if skip_applied else None,
    )
    return prepare_package(pkg, setup.measures)


@dataclass(slots=True)
class ReadStats:
    """How the files of a run were read (for the self-check)."""

    by_helper: int = 0  # delivered by the helper process


def read_files(
    paths: Sequence[Path],
    keys: KeyStore,
    setup: ReaderSetup,
    *,
    helper: bool | None = None,
    lookahead: int | None = None,
    stats: ReadStats | None = None,
) -> Generator[Prepared | AppError, None, None]:
    """Each file of a run in order: read, or the `AppError` that refused it.

    `helper` None starts a helper process for a large run only; `lookahead` (default
    `LOOKAHEAD`) is how many files this process reads ahead itself, 0 to leave all reading to
    the helper once it runs. Close the generator when the run ends early: that stops the helper.
    """
    files = list(paths)
    if helper is None:
        helper = _worth_a_helper(files)
    # A helper process opens the keys from the data directory's files; keys unlocked from the
    # vault stay in this process's memory only, so this process reads every file itself.
    helper = helper and keys.in_files
    reader = _Helper.start(files, setup) if helper and files else None
    ahead = LOOKAHEAD if lookahead is None else lookahead
    ready: dict[int, Prepared | AppError | None] = {}  # None: not read yet, read it here
    taken = 0  # files 0 … taken-1 are read, being read or given to the helper
    try:
        for i, path in enumerate(files):
            while i not in ready:
                if reader is None or reader.stopped:
                    ready[i] = None  # no helper (any more): this process reads the rest
                elif reader.take(ready, wait=False):
                    pass  # the helper delivered a file
                elif ahead and (i >= taken or (len(ready) < ahead and taken < len(files))):
                    ready[taken] = _read_here(files[taken], keys, setup)  # the next free file
                    taken += 1
                elif not reader.take(ready, wait=True):  # the helper has file i: wait for it
                    ready[i] = None  # it died
                if reader is not None:
                    taken = reader.give(taken, len(files))
            item = ready.pop(i)
            yield item if item is not None else _read_here(path, keys, setup)
    finally:
        if reader is not None:
            reader.stop()
            log.info(
                "import run of %d files: %d read by the reader process",
                len(files),
                reader.delivered,
            )
        if stats is not None:
            stats.by_helper = reader.delivered if reader is not None else 0


def _worth_a_helper(files: Sequence[Path]) -> bool:
    if len(files) < 2 or (os.cpu_count() or 1) < 2:
        return False
    size = 0
    for path in files:
        size += _size(path)
        if size >= HELPER_MIN_BYTES:
            return True
    return False


def _read_here(path: Path, keys: KeyStore, setup: ReaderSetup) -> Prepared | AppError:
    try:
        return read_file(path, keys, setup)
    except AppError as exc:
        return exc


class _Helper:
    """The helper process of one run and the engine's ends of its two pipes.

    The helper says ("hello",) once it runs. From then on the engine keeps it `QUEUE_MIN` to
    `QUEUE` files ahead (`give`): it sends the index of each file the helper is to read, in
    order, and the helper answers each one, in the same order: (index, "ok", Prepared),
    (index, "error", code, message, details) for a file it refused, or (index, "again",
    description) for an unexpected error, which this process then meets itself by reading the
    file here.
    """

    def __init__(
        self, process: Any, orders: Connection, results: Connection, sizes: Sequence[int] = ()
    ) -> None:
        self._process = process
        self._sizes = sizes  # of each file of the run, in bytes (0 where unknown)
        self._orders: Connection | None = orders
        self._results: Connection | None = results
        self._launcher: threading.Thread | None = None
        self._running = False  # it said hello
        self._given: deque[int] = deque()  # files given to it and not delivered yet
        self.delivered = 0  # files the helper read and sent

    @classmethod
    def start(cls, paths: Sequence[Path], setup: ReaderSetup) -> _Helper:
        # "spawn" everywhere (the only method on Windows): the helper inherits no open database
        # handle, and its two pipes are its only links to this process.
        ctx = multiprocessing.get_context("spawn")
        their_orders, orders = ctx.Pipe(duplex=False)
        results, their_results = ctx.Pipe(duplex=False)
        process = ctx.Process(
            target=_process_main,
            args=(their_orders, their_results, setup, [str(p) for p in paths]),
            name="opora-import-reader",
            daemon=True,
        )
        helper = cls(process, orders, results, [_size(p) for p in paths])
        # Starting blocks until the new interpreter has read its arguments (≈ 0.7 s with its
        # imports): meanwhile the engine goes on and reads the first files itself.
        helper._launcher = threading.Thread(
            target=_launch,
            args=(process, their_orders, their_results),
            name="opora-import-reader-start",
            daemon=True,
        )
        helper._launcher.start()
        return helper

    def _file_size(self, j: int) -> int:
        return self._sizes[j] if j < len(self._sizes) else 0

    @property
    def stopped(self) -> bool:
        return self._results is None

    def give(self, taken: int, files: int) -> int:
        """Give the helper the next free files while it has room; return the new `taken`.

        Room: fewer than `QUEUE_MIN` files, or fewer than `QUEUE` holding less than
        `QUEUE_BYTES` (a run of large packages keeps a few in flight, not sixteen).
        """
        if not self._running or self._orders is None:
            return taken
        given_bytes = sum(map(self._file_size, self._given))
        try:
            while taken < files and (
                len(self._given) < QUEUE_MIN
                or (len(self._given) < QUEUE and given_bytes < QUEUE_BYTES)
            ):
                self._orders.send_bytes(taken.to_bytes(8, "little"))
                self._given.append(taken)
                given_bytes += self._file_size(taken)
                taken += 1
        except OSError as exc:  # it died: the files given to it are read here
            self._stopped_because(exc)
        return taken

    def take(self, ready: dict[int, Prepared | AppError | None], *, wait: bool) -> bool:
        """Take the helper's next message; False if there was none (or it stopped).

        An answer goes into `ready`; a file the helper could not read for an unexpected reason
        is put as None there: the engine reads it itself. Without `wait`, only a message
        already in the pipe is taken.
        """
        if self._results is None:
            return False
        try:
            if not self._results.poll(HELPER_WAIT if wait else 0):
                if wait:
                    self._stopped_because(TimeoutError(f"no answer in {HELPER_WAIT:.0f} s"))
                return False
            message = pickle.loads(self._results.recv_bytes())
        except Exception as exc:  # EOF, a broken pipe or a bad message: stop it
            self._stopped_because(exc)
            return False
        if message[0] == "hello":
            self._running = True
            return True
        j, kind = message[0], message[1]
        if not self._given or self._given.popleft() != j:
            self._stopped_because(ValueError(f"unexpected answer for file {j}"))
            return False
        self.delivered += kind != "again"
        if kind == "ok":
            ready[j] = message[2]
        elif kind == "error":
            _, _, code, text, details = message
            ready[j] = (
                PackageError(code, text, details=details)
                if code
                else AppError(text, details=details)
            )
        else:
            log.warning("import reader process failed on a file (%s); reading it here", message[2])
            ready[j] = None
        return True

    def _stopped_because(self, exc: BaseException) -> None:
        log.warning("import reader process stopped (%r); reading in this one", exc)
        self.stop()

    def stop(self) -> None:
        for conn in (self._orders, self._results):
            if conn is not None:
                conn.close()
        self._orders = self._results = None
        if self._launcher is not None:
            self._launcher.join()
        if self._process.pid is None:
            return  # it never started
        if self._process.is_alive():
            self._process.terminate()  # it may be sending a file nobody will read
        self._process.join(10)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reading it will say what is wrong
        return 0


def _launch(process: Any, *theirs: Connection) -> None:
    try:
        process.start()
    except Exception as exc:  # the engine reads every file itself
        log.warning("import reader process did not start (%r); reading in this one", exc)
    finally:
        for conn in theirs:
            conn.close()


def _process_main(
    orders: Connection, results: Connection, setup: ReaderSetup, paths: list[str]
) -> None:
    gc.disable()  # as in the engine's run (`engine.cyclic_gc_paused`); this process ends with it
    _serve(orders, results, setup, paths)


def _serve(orders: Connection, results: Connection, setup: ReaderSetup, paths: list[str]) -> None:
    """The helper process: read each file the engine gives it, send the answers in order.

    A thread of its own sends the answers, so that reading goes on while the engine is busy
    and has not taken the last one yet; at most `OUTBOX` answers wait for it. The helper ends
    when the engine closes its pipes (the run ended, was cancelled or the engine was killed).
    """
    keys = KeyStore(setup.keys_dir)
    outbox: queue.Queue[bytes | None] = queue.Queue(maxsize=OUTBOX)
    gone = threading.Event()  # the engine stopped listening
    sender = threading.Thread(target=_send_all, args=(results, outbox, gone), daemon=True)
    sender.start()
    try:
        _post(outbox, pickle.dumps(("hello",)), gone)
        while not gone.is_set():
            try:
                j = int.from_bytes(orders.recv_bytes(), "little")
            except (EOFError, OSError):
                break
            _post(outbox, _result(j, Path(paths[j]), keys, setup), gone)
        if _post(outbox, None, gone):
            sender.join()
    finally:
        orders.close()
        results.close()


def _post(outbox: queue.Queue[bytes | None], item: bytes | None, gone: threading.Event) -> bool:
    """Put `item` into the outbox once there is room; False if the engine is gone."""
    while not gone.is_set():
        try:
            outbox.put(item, timeout=0.5)
            return True
        except queue.Full:
            continue
    return False


def _result(j: int, path: Path, keys: KeyStore, setup: ReaderSetup) -> bytes:
    message: tuple[Any, ...]
    try:
        message = (j, "ok", read_file(path, keys, setup))
    except AppError as exc:
        message = (j, "error", getattr(exc, "code", ""), exc.message, exc.details)
    except Exception as exc:  # the engine reads this file itself
        message = (j, "again", repr(exc))
    try:
        return pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # as above
        return pickle.dumps((j, "again", repr(exc)))


def _send_all(conn: Connection, outbox: queue.Queue[bytes | None], gone: threading.Event) -> None:
    try:
        while (data := outbox.get()) is not None:
            conn.send_bytes(data)
    except OSError:
        gone.set()
