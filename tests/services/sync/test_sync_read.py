"""Reading a run's files ahead of the merge, in a helper process (`services.sync.read`).

The helper only makes a large run faster: a run it reads reports and stores exactly what a run
read in the engine's own process does; the engine and the helper never read a file twice; when
the helper fails or dies the engine reads the rest.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import threading
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

import services.site.selfcheck as selfcheck
import services.sync.read as sync_read
from services.app import Services, open_services
from services.core.config import AppPaths
from services.core.errors import AppError, Cancelled
from services.packages.types import PackageError
from services.sync.read import Prepared, ReaderSetup, _Helper, _serve
from services.sync.report import ImportReport
from tests.bench.region import Region, build_region
from tests.conftest import RESOURCES
from tests.services.sync_support import dump

SCHOOLS = 4


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Region:
    return build_region(tmp_path_factory.mktemp("region"), SCHOOLS, enroll=True)


def _files(region: Region, folder: Path) -> list[Path]:
    """The region's packages with the troubles a real folder has, in an awkward order."""
    p = region.packages
    folder.mkdir(parents=True, exist_ok=True)
    damaged = folder / "damaged.opora"
    damaged.write_bytes(p[1].read_bytes()[:-300])  # a stick pulled out too early
    return [p[0], damaged, p[1], p[0], folder / "missing.opora", p[2], p[3], p[2]]


@pytest.fixture
def district(region: Region, tmp_path: Path) -> Iterator[Services]:
    data = tmp_path / "district"
    shutil.copytree(region.district_dir, data)
    services = open_services(AppPaths(RESOURCES, data))
    yield services
    services.db.close()


def _outcomes(reports: list[ImportReport]) -> list[dict[str, Any]]:
    out = []
    for rep in reports:
        doc = rep.to_dict()
        for volatile in ("created_at", "log_id"):
            doc.pop(volatile, None)
        out.append(doc)
    return out


def _record_helpers(monkeypatch: pytest.MonkeyPatch) -> list[_Helper]:
    """Start a helper for every run, however small, and leave all reading to it once it runs.

    Return the helpers started. (Normally this process reads files too, whenever the helper has
    not delivered the next one yet; with no lookahead it only waits for the helper.)
    """
    started: list[_Helper] = []
    start = _Helper.start.__func__  # type: ignore[attr-defined]

    def spy(cls: type[_Helper], paths: list[Path], setup: ReaderSetup) -> _Helper:
        helper: _Helper = start(cls, paths, setup)
        started.append(helper)
        return helper

    monkeypatch.setattr(sync_read, "HELPER_MIN_BYTES", 0)
    monkeypatch.setattr(sync_read, "LOOKAHEAD", 0)
    monkeypatch.setattr(_Helper, "start", classmethod(spy))
    return started


def _helper_for_every_run(monkeypatch: pytest.MonkeyPatch) -> list[_Helper]:
    """`_record_helpers`, failing if this process reads a file itself."""

    def not_here(*_args: object) -> None:
        raise AssertionError("the helper should have read this file")

    monkeypatch.setattr(sync_read, "_read_here", not_here)
    return _record_helpers(monkeypatch)


class _NoProcess:
    """The process of a helper that runs as `_serve` in a thread of the test, or not at all."""

    pid = None

    def is_alive(self) -> bool:
        return False


def _helper_in_test() -> tuple[_Helper, Connection, Connection]:
    """A `_Helper` with no process of its own, and the helper's ends: orders, results."""
    ctx = multiprocessing.get_context("spawn")
    their_orders, orders = ctx.Pipe(duplex=False)
    results, their_results = ctx.Pipe(duplex=False)
    return _Helper(_NoProcess(), orders, results), their_orders, their_results


def test_a_run_read_by_the_helper_reports_and_stores_what_a_run_read_here_does(
    region: Region, district: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _files(region, tmp_path / "files")
    other_dir = tmp_path / "other"
    shutil.copytree(district.paths.data_dir, other_dir, ignore=shutil.ignore_patterns("backups"))
    other = open_services(AppPaths(RESOURCES, other_dir))
    try:
        monkeypatch.setattr(sync_read, "HELPER_MIN_BYTES", 10**12)
        here = [other.sync.import_files(files, dry_run=d) for d in (True, False)]
        started = _helper_for_every_run(monkeypatch)
        helped = [district.sync.import_files(files, dry_run=d) for d in (True, False)]
        assert len(started) == 2  # the preview and the apply were both read by a helper
        assert all(not h._process.is_alive() for h in started)
        for a, b in zip(here, helped, strict=True):
            assert _outcomes(a) == _outcomes(b)
        verdicts = [r.verdict for r in helped[1]]
        assert verdicts == [
            "applied", "refused", "applied", "already", "refused", "applied", "applied", "already"
        ]  # fmt: skip
        assert [r.code for r in helped[1]][1:5] == ["damaged", "applied", "already", "unreadable"]
        assert [r.detail for r in helped[1]][1:5] == ["truncated", "", "", "not-found"]
        assert dump(district.db, bookkeeping=False) == dump(other.db, bookkeeping=False)
    finally:
        other.db.close()


def test_when_the_helper_dies_the_engine_reads_the_rest_itself(
    region: Region, district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_here: list[Path] = []
    take, here = _Helper.take, sync_read._read_here

    def kill_after_first(self: _Helper, ready: dict[int, Any], *, wait: bool) -> bool:
        got: bool = take(self, ready, wait=wait)
        if self.delivered == 1 and self._process.is_alive():
            self._process.kill()  # e.g. the system ran out of memory and killed it
            self._process.join()
        return got

    def spy_here(path: Path, *args: Any) -> Prepared | AppError:
        read_here.append(path)
        return here(path, *args)

    started = _record_helpers(monkeypatch)  # the helper reads, this process waits
    monkeypatch.setattr(_Helper, "take", kill_after_first)
    monkeypatch.setattr(sync_read, "_read_here", spy_here)
    reports = district.sync.import_files(region.packages, dry_run=False)
    assert [r.verdict for r in reports] == ["applied"] * SCHOOLS
    assert all(r.counts_add_up() for r in reports)
    assert len(started) == 1 and not started[0]._process.is_alive()
    # What the helper had sent before it died is used; the files after it are read here.
    assert read_here and read_here == region.packages[-len(read_here) :]
    assert len(read_here) < SCHOOLS


def test_the_engine_and_the_helper_share_the_files_and_read_none_twice(
    region: Region, district: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine reads a file itself when the helper has not delivered the next one yet.

    The helper is `_serve` in a thread of this process here, so that what each side read can be
    counted; reading is slowed down, the helper's five times more, so that both sides get files
    however the two threads are scheduled.
    """
    # More files than the helper is given at once: else it may get them all at its first turn.
    files = [*region.packages, tmp_path / "missing.opora"] * (sync_read.QUEUE // SCHOOLS + 2)
    assert len(files) > sync_read.QUEUE + sync_read.LOOKAHEAD
    setup = district.sync._reader_setup()
    keys = district.sync._key_store()
    helper, their_orders, their_results = _helper_in_test()
    by_thread: dict[str, list[int]] = {}
    lock = threading.Lock()
    read_file = sync_read.read_file

    def slow(path: Path, *args: Any, **kwargs: Any) -> Prepared:
        with lock:
            by_thread.setdefault(threading.current_thread().name, []).append(files.index(path))
        time.sleep(0.05 if threading.current_thread().name == "helper" else 0.01)
        return read_file(path, *args, **kwargs)

    serving = threading.Thread(
        target=_serve,
        args=(their_orders, their_results, setup, [str(p) for p in files]),
        name="helper",
    )
    monkeypatch.setattr(sync_read, "read_file", slow)
    monkeypatch.setattr(sync_read, "HELPER_MIN_BYTES", 0)
    monkeypatch.setattr(_Helper, "start", classmethod(lambda *_: helper))
    serving.start()
    got = list(sync_read.read_files(files, keys, setup))
    serving.join()
    monkeypatch.undo()
    assert set(by_thread) == {"helper", threading.current_thread().name}  # both read files
    taken = sorted(i for indices in by_thread.values() for i in indices)
    # Each file read once (a file name recurs, so each name is counted as often as it recurs).
    assert taken == sorted(files.index(p) for p in files)
    expected = [sync_read._read_here(p, keys, setup) for p in files]
    for a, b in zip(got, expected, strict=True):
        if isinstance(b, AppError):
            assert type(a) is type(b) and str(a) == str(b)
        else:
            assert isinstance(a, Prepared) and a.pkg.file_sha256 == b.pkg.file_sha256
            assert a.rows == b.rows


def _given_files(sizes: list[int], taken: int = 0, delivered: int = 0) -> list[int]:
    """The files `give` hands a running helper whose file sizes are `sizes`.

    With `delivered`, the helper then answers that many files and is given files again.
    """
    ctx = multiprocessing.get_context("spawn")
    their_orders, orders = ctx.Pipe(duplex=False)
    results, their_results = ctx.Pipe(duplex=False)
    helper = _Helper(_NoProcess(), orders, results, sizes)
    helper._running = True
    taken = helper.give(taken, len(sizes))
    given = []
    while their_orders.poll(0):
        given.append(int.from_bytes(their_orders.recv_bytes(), "little"))
    ready: dict[int, Any] = {}
    for j in given[:delivered]:
        their_results.send_bytes(pickle.dumps((j, "again", "read it here")))
        assert helper.take(ready, wait=True)
    helper.give(taken, len(sizes))
    while their_orders.poll(0):
        given.append(int.from_bytes(their_orders.recv_bytes(), "little"))
    return given


def test_the_helper_is_kept_further_ahead_on_small_packages_than_on_large_ones() -> None:
    """Small packages: up to `QUEUE` files ahead, so that the helper reads on through the
    engine's waits for the server (a write of 50,000 rows on PostgreSQL); large ones: as many
    as `QUEUE_BYTES` of files allow, but never fewer than `QUEUE_MIN`."""
    assert _given_files([70_000] * 40) == list(range(sync_read.QUEUE))
    assert sync_read.QUEUE > sync_read.QUEUE_MIN
    assert _given_files([5_000_000] * 40) == list(range(sync_read.QUEUE_MIN))
    # 300 KB each: files are given while those given hold less than QUEUE_BYTES.
    medium = sync_read.QUEUE_BYTES // 300_000 + 1
    assert sync_read.QUEUE_MIN < medium < sync_read.QUEUE
    assert _given_files([300_000] * 40) == list(range(medium))
    assert _given_files([70_000] * 40, taken=35) == list(range(35, 40))  # the run's last files
    # A delivered file makes room for the next one: by count, and by bytes.
    assert _given_files([5_000_000] * 40, delivered=2) == list(range(sync_read.QUEUE_MIN + 2))
    assert _given_files([300_000] * 40, delivered=1) == list(range(medium + 1))


def test_a_cancelled_run_stops_its_helper(
    region: Region, district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _helper_for_every_run(monkeypatch)
    before = dump(district.db)

    class CancelAtSecond:
        def __init__(self) -> None:
            self.done = 0

        def report(self, done: int, _total: int, _label: str = "") -> None:
            self.done = done

        def cancelled(self) -> bool:
            return self.done >= 1

    with pytest.raises(Cancelled):
        district.sync.import_files(region.packages, dry_run=False, progress=CancelAtSecond())
    assert len(started) == 1 and not started[0]._process.is_alive()
    assert dump(district.db) == before


def test_a_small_run_is_read_without_a_helper(
    region: Region, district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_helper(*_args: object) -> None:
        raise AssertionError("a run of a few files needs no helper process")

    monkeypatch.setattr(_Helper, "start", no_helper)
    assert sum(p.stat().st_size for p in region.packages) < sync_read.HELPER_MIN_BYTES
    reports = district.sync.import_files(region.packages, dry_run=False)
    assert [r.verdict for r in reports] == ["applied"] * SCHOOLS


def test_the_helper_sends_one_message_per_file_and_names_what_it_cannot_read(
    region: Region, district: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The protocol, run in this process: a refusal comes back as the same `PackageError`, an
    unexpected error as "read it yourself" (None), a good file as its `Prepared` package."""
    setup = district.sync._reader_setup()
    bad = tmp_path / "bad.opora"
    bad.write_bytes(b"%PDF-1.4 a document, not a package")
    strange = tmp_path / "strange.opora"
    read_file = sync_read.read_file

    def failing(path: Path, *args: Any, **kwargs: Any) -> Prepared:
        if path == strange:
            raise RuntimeError("a bug in the reader")
        return read_file(path, *args, **kwargs)

    monkeypatch.setattr(sync_read, "read_file", failing)
    helper, their_orders, their_results = _helper_in_test()
    paths = [bad, strange, region.packages[0]]
    serving = threading.Thread(
        target=_serve, args=(their_orders, their_results, setup, [str(p) for p in paths])
    )
    serving.start()
    ready: dict[int, Any] = {}
    assert helper.give(0, len(paths)) == 0  # nothing is given before it says hello
    assert helper.take(ready, wait=True) and not ready  # hello
    assert helper.give(0, len(paths)) == len(paths)
    assert all(helper.take(ready, wait=True) for _ in paths)
    helper._orders.close()  # type: ignore[union-attr]  # the engine is done: the helper ends
    serving.join()
    refused, again, good = (ready[i] for i in range(len(paths)))
    assert isinstance(refused, PackageError) and refused.code == "not-a-package"
    assert again is None
    assert isinstance(good, Prepared) and good.rows and good.refusal is None
    assert good.pkg.records == ()  # bound into rows; the records are not sent twice
    assert sum(map(len, good.rows.values())) == sum(good.pkg.manifest.counts.values())
    assert not helper.take(ready, wait=True)  # the helper is done: the pipe says so, no hang
    helper.stop()


def test_a_helper_that_cannot_start_leaves_the_reading_to_the_engine(
    region: Region, district: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """E.g. an antivirus that blocks starting a process: the run is read here, the self-check
    says so."""

    def blocked(_process: object, *theirs: Connection) -> None:
        for conn in theirs:
            conn.close()  # as `_launch` does when `process.start()` fails

    monkeypatch.setattr(sync_read, "_launch", blocked)
    monkeypatch.setattr(sync_read, "HELPER_MIN_BYTES", 0)
    monkeypatch.setattr(sync_read, "LOOKAHEAD", 0)  # would wait for the helper forever if it hung
    reports = district.sync.import_files(region.packages, dry_run=False)
    assert [r.verdict for r in reports] == ["applied"] * SCHOOLS
    tmp = AppPaths(RESOURCES, tmp_path / "check")
    tmp.data_dir.mkdir()
    with pytest.raises(AppError, match="не запустился"):
        selfcheck._check_reader_process(tmp)
    monkeypatch.undo()
    assert "вторым процессом" in selfcheck._check_reader_process(tmp)


def test_a_helper_is_started_for_enough_bytes_of_packages_on_two_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.opora", tmp_path / "b.opora"
    a.write_bytes(b"x" * 600)
    b.write_bytes(b"x" * 600)
    missing = tmp_path / "missing.opora"
    monkeypatch.setattr(sync_read, "HELPER_MIN_BYTES", 1000)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert sync_read._worth_a_helper([a, b])
    assert not sync_read._worth_a_helper([a, missing])  # a file that is not there weighs nothing
    assert not sync_read._worth_a_helper([tmp_path / "big.opora"])
    (tmp_path / "big.opora").write_bytes(b"x" * 5000)
    assert not sync_read._worth_a_helper([tmp_path / "big.opora"])  # one file: nothing to share
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not sync_read._worth_a_helper([a, b])


def test_a_helper_that_hangs_is_stopped_and_its_files_are_read_here(
    region: Region, district: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper that says hello, takes its files and never answers (say, a stopped process)."""
    helper, their_orders, their_results = _helper_in_test()
    their_results.send_bytes(pickle.dumps(("hello",)))
    monkeypatch.setattr(sync_read, "HELPER_WAIT", 0.3)
    monkeypatch.setattr(sync_read, "HELPER_MIN_BYTES", 0)
    monkeypatch.setattr(sync_read, "LOOKAHEAD", 0)  # wait for the helper: it never answers
    monkeypatch.setattr(_Helper, "start", classmethod(lambda *_: helper))
    reports = district.sync.import_files(region.packages, dry_run=False)
    assert [r.verdict for r in reports] == ["applied"] * SCHOOLS
    assert helper.stopped and helper.delivered == 0
    assert their_orders.poll()  # it was given files before it was given up on
    their_orders.close()
    their_results.close()
