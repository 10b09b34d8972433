"""Tell the other staff of a server workspace that district data changed (DESIGN §5).

A writer calls `announce(session, what, owners)` inside the transaction that changes district
data; on PostgreSQL that queues `NOTIFY opora_changed, '{"what": …, "owners": […]}'`, which
the server delivers to every listener when (and only if) the transaction commits. On SQLite
there is nobody else to tell and it does nothing.

The other side is `ChangeListener`: a loop on a connection of its own, meant for a thread,
calling back with a `ChangeNotice` for each notification. It never raises for a lost server:
it logs, waits, reconnects, and then reports `RECONNECTED` for everything, since whatever was
announced while it was away is lost.
"""

from __future__ import annotations

import contextlib
import json
import logging
import select
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

log = logging.getLogger(__name__)

CHANNEL = "opora_changed"
# PostgreSQL refuses payloads of 8000 bytes or more; a longer list of owners becomes "all".
MAX_PAYLOAD = 7000
RECONNECTED = "reconnected"

IMPORT = "import"
COMMENT = "comment"
STATUS = "status"
THRESHOLD = "threshold"
DEFINITION = "definition"
BULLETIN = "bulletin"


@dataclass(frozen=True, slots=True)
class ChangeNotice:
    """What another client changed; no owners means it may touch every school."""

    what: str
    owners: frozenset[str] = frozenset()

    @property
    def everything(self) -> bool:
        return not self.owners


def announce(session: Session, what: str, owners: Iterable[str] = ()) -> None:
    """Queue the notification in the session's transaction (PostgreSQL only)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.connection().execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": CHANNEL, "payload": payload(what, owners)},
    )


def payload(what: str, owners: Iterable[str]) -> str:
    body = json.dumps({"what": what, "owners": sorted(set(owners))}, ensure_ascii=False)
    if len(body.encode("utf-8")) < MAX_PAYLOAD:
        return body
    return json.dumps({"what": what, "owners": []}, ensure_ascii=False)


def parse(raw: str) -> ChangeNotice:
    """A notice from a payload; anything unreadable is taken as a change to everything."""
    try:
        data = json.loads(raw)
        return ChangeNotice(str(data["what"]), frozenset(str(o) for o in data["owners"]))
    except (ValueError, KeyError, TypeError):
        log.warning("unreadable change notice: %.200s", raw)
        return ChangeNotice("unknown")


class ChangeListener:
    """LISTEN on a connection of its own until `stop()`; `run()` is the thread's body."""

    def __init__(
        self,
        url: str,
        on_change: Callable[[ChangeNotice], None],
        *,
        poll_s: float = 1.0,
        retry_s: float = 5.0,
    ) -> None:
        self._conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
        self._on_change = on_change
        self._poll_s = poll_s
        self._retry_s = retry_s
        self._stop = threading.Event()
        # While `run()` runs, `stop()` writes a byte to the second socket: the wait on the
        # server's socket wakes at once, so closing the window does not wait out a poll.
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self.listening = threading.Event()  # set while LISTEN is in force (tests wait for it)
        self.reconnects = 0

    def stop(self) -> None:
        self._stop.set()
        wake = self._wake
        if wake is None:
            return
        # OSError: the run just ended and closed it, or it is full of wake-ups already
        with contextlib.suppress(OSError):
            wake[1].send(b"x")

    def run(self) -> None:
        import psycopg

        lost = False
        wake = self._wake = socket.socketpair()
        try:
            while not self._stop.is_set():
                try:
                    self._listen(wake[0], announce_reconnect=lost)
                except (psycopg.Error, OSError) as exc:
                    self.listening.clear()
                    lost = True
                    log.warning("change listener lost the server, retrying: %s", exc)
                    self._stop.wait(self._retry_s)
        finally:
            self._wake = None
            for end in wake:
                end.close()

    def _listen(self, woken: socket.socket, *, announce_reconnect: bool) -> None:
        import psycopg

        from services.core.db_pg import CONNECT_TIMEOUT_S

        with psycopg.connect(
            self._conninfo,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="opora-listener",
        ) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self.listening.set()
            if announce_reconnect:
                self.reconnects += 1
                log.info("change listener reconnected")
                self._deliver(ChangeNotice(RECONNECTED))
            while not self._stop.is_set():
                select.select([conn.fileno(), woken.fileno()], [], [], self._poll_s)
                if self._stop.is_set():
                    break
                # timeout=0 reads what arrived (or raises for a lost server) without waiting
                for note in conn.notifies(timeout=0):
                    self._deliver(parse(note.payload))
                    if self._stop.is_set():
                        break
        self.listening.clear()

    def _deliver(self, notice: ChangeNotice) -> None:
        try:
            self._on_change(notice)
        except Exception:  # a failing receiver must not end the listening
            log.exception("change notice %s not handled", notice.what)
