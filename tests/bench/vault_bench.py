"""Key vault benchmark: how long the passphrase operations take (age's scrypt, on purpose slow).

Run: `python -m tests.bench.vault_bench`.
Prints the time of: one age passphrase seal and open of a key (pyrage picks the scrypt work
factor), sealing both keys, unlocking both (what staff wait for once per session; the GUI runs
it in a task), a wrong passphrase, and a passphrase change (two opens and two seals in one
transaction). Real database file on disk.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pyrage import passphrase as age_passphrase

from services.core.db import Database
from services.packages import vault

PHRASE = "зелёный трамвай едет в Тулу"
OTHER = "синий троллейбус стоит у депо"


def timed(fn: Callable[[], object], runs: int = 3) -> tuple[float, float]:
    """(median, worst) seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def work_factor(sealed: bytes) -> int:
    """log2 of scrypt's N, as the age header's stanza «-> scrypt SALT N» names it."""
    stanza = sealed.split(b"\n")[1].split()
    assert stanza[:2] == [b"->", b"scrypt"], stanza
    return int(stanza[3])


def _wrong(db: Database) -> None:
    try:
        vault.unlock(db, "не та фраза совсем")
    except vault.WrongPassphrase:
        return
    raise AssertionError("a wrong passphrase opened the vault")


def main() -> None:
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(Path(folder) / "opora.sqlite3")
        sealed = age_passphrase.encrypt(b"x" * 56, PHRASE)
        lines.append(f"{'scrypt work factor pyrage chose':34} log2 N = {work_factor(sealed)}")
        rows = [
            ("one key sealed (scrypt)", lambda: age_passphrase.encrypt(b"x" * 56, PHRASE)),
            ("one key opened (scrypt)", lambda: age_passphrase.decrypt(sealed, PHRASE)),
        ]
        start = time.perf_counter()
        vault.seal_new_keys(db, PHRASE, login="bench")
        lines.append(f"{'both keys made and sealed':34} {time.perf_counter() - start:6.2f} s")
        rows += [
            ("unlock (both keys opened)", lambda: vault.unlock(db, PHRASE)),
            ("wrong passphrase refused", lambda: _wrong(db)),
        ]
        for name, fn in rows:
            median, worst = timed(fn)
            lines.append(f"{name:34} {median:6.2f} s median, {worst:6.2f} s worst of 3")
        start = time.perf_counter()
        vault.change_passphrase(db, PHRASE, OTHER, login="bench")
        lines.append(f"{'passphrase changed':34} {time.perf_counter() - start:6.2f} s")
        db.close()
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
