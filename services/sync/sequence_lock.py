"""The per-sender sequence lock of an import (DESIGN §5: «sequence state per sender under a lock»).

Two staff importing the same package at once must not both apply it: the check of a sender's
sequence state («already imported», gaps, forks) and its update are one atomic step, because the
run's transaction holds the sender's lock from before it reads that state until it commits.

- SQLite has one writer at a time: the lock is the database write lock, taken before the run's
  first read, as `BEGIN IMMEDIATE` would (a no-op write takes it when the transaction does not
  hold it yet; the engine's `begin_import` has taken it already).
- PostgreSQL: a transaction-scoped advisory lock per sender (`pg_advisory_xact_lock`), taken in
  sender-id order so that two runs importing several senders cannot deadlock; the run reads the
  state after the lock (READ COMMITTED reads what the other run committed). Unlike
  `SELECT … FOR UPDATE` it needs no row, so a refused first package leaves nothing behind.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import TextClause, text
from sqlmodel import Session, select

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


# The namespace of the run's advisory locks (the first key of the two-key form): the bytes of
# "OPSQ", so no other lock of the program can share a key with a sender's.
LOCK_NAMESPACE = 0x4F505351


def _lock_rows(s: Session, ids: list[str]) -> None:
    # A transaction-scoped advisory lock per sender, not a row lock: a first package has no
    # sync_state row yet, and making one to lock would change the database for a package that
    # may still be refused. Held until the run commits or rolls back.
    for sender in ids:
        s.execute(advisory_lock(sender))


def advisory_lock(sender: str) -> TextClause:
    """PostgreSQL: wait for the sender's sequence lock (a hash collision only serialises more)."""
    return text("SELECT pg_advisory_xact_lock(:ns, hashtext(:sender))").bindparams(
        ns=LOCK_NAMESPACE, sender=sender
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
