"""The per-sender sequence lock of an import (DESIGN §5: «sequence state per sender under a lock»).

Two staff importing the same package at once must not both apply it: the check of a sender's
sequence state («already imported», gaps, forks) and its update are one atomic step, because the
run's transaction holds the sender's lock from before it reads that state until it commits.

- SQLite has one writer at a time: the lock is the database write lock, taken before the run's
  first read, as `BEGIN IMMEDIATE` would (a no-op write takes it when the transaction does not
  hold it yet; the engine's `begin_import` has taken it already).
- PostgreSQL locks rows: each sender's `sync_state` row is made to exist, then locked with
  `SELECT … FOR UPDATE`, in sender-id order so that two runs importing several senders cannot
  deadlock; the run reads the state after the lock (READ COMMITTED reads what the other run
  committed).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Table, text
from sqlalchemy.dialects.postgresql import Insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models import ImportLog, ImportOutcome, SyncState
from services.packages.format import claimed_sender
from services.sync.checks import RunState


def lock_senders(s: Session, sender_ids: Iterable[str]) -> list[str]:
    """Hold the sequence lock of every sender in `sender_ids` until `s` ends; the ids locked."""
    ids = sorted({i for i in sender_ids if i})
    if not ids:
        return []
    if s.get_bind().dialect.name == "postgresql":
        _lock_rows(s, ids)
    else:
        s.execute(text("UPDATE sync_state SET last_seq = last_seq WHERE peer_site_id = ''"))
    return ids


def _lock_rows(s: Session, ids: list[str]) -> None:
    now = datetime.now(UTC)
    for sender in ids:  # a first package has no row yet: a concurrent insert waits for ours
        s.execute(insert_missing(sender, now))
    s.execute(select_for_update(ids))


def insert_missing(sender: str, now: datetime) -> Insert:
    """PostgreSQL: the sender's zero sequence state, unless it has one (a lock needs a row)."""
    table: Table = SyncState.__table__  # type: ignore[attr-defined]
    return (
        pg_insert(table)
        .values(peer_site_id=sender, last_seq=0, last_hash="", updated_at=now)
        .on_conflict_do_nothing(index_elements=["peer_site_id"])
    )


def select_for_update(ids: list[str]) -> SelectOfScalar[str]:
    """PostgreSQL: lock the senders' rows, in id order (the sort runs before the row locks)."""
    return (
        select(SyncState.peer_site_id)
        .where(col(SyncState.peer_site_id).in_(ids))
        .order_by(col(SyncState.peer_site_id))
        .with_for_update()
    )


def claimed_senders(paths: Iterable[Path]) -> list[str]:
    """The senders the files' manifests claim, unverified: which locks a run takes up front.

    Nothing is decided by them; a file that cannot be peeked at gets its sender locked when its
    verified manifest is reached.
    """
    senders = []
    for path in paths:
        try:
            sender = claimed_sender(path)
        except (OSError, zipfile.BadZipFile):
            sender = None
        if sender:
            senders.append(sender)
    return senders


def lock_late(s: Session, state: RunState, sender: str) -> None:
    """Lock a sender the run did not foresee, then read its sequence state again.

    On PostgreSQL the run read the state before this lock: what another run committed since
    is read now (adding to the state: the run's own earlier packages stay in it).
    """
    state.locked.update(lock_senders(s, [sender]))
    row = s.get(SyncState, sender, populate_existing=True)
    if row is not None:
        state.states[sender] = row
    query = select(ImportLog.package_sha256, ImportLog.seq).where(
        ImportLog.sender_id == sender, ImportLog.outcome == ImportOutcome.APPLIED
    )
    for sha, seq in s.exec(query).all():
        state.applied.add(sha)
        state.applied_seqs.add((sender, seq))
