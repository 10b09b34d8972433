"""The district's registry of its schools: status, keys, packages received, comments.

Schools are known from enrolled cards (`Peer`) and from the packages merged (`Site` rows owned by
the school). The district owns `SchoolStatus` (flags, partner school, notes), the curators and
`DistrictComment` rows; all travel to the school in the bulletin. Revocation ("accept this
school's packages only up to № N") marks every key of the school revoked with that limit; the
merge engine then refuses later packages and still accepts earlier ones signed with the old key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from models import (
    DistrictComment,
    ImportLog,
    ImportOutcome,
    Peer,
    PeerStatus,
    QuarantineEntry,
    Role,
    SchoolStatus,
    Site,
    stable_id,
)
from models.site import SchoolStatusBase
from services.core.actor import actors_of, note_actor
from services.core.db import Database, known_revisions
from services.core.errors import ChangedByOther, Invalid, NotFound
from services.core.notify import COMMENT, STATUS, announce
from services.core.stamped import stamped_update
from services.district.curators import Curator, checked, curators_by_school, save_curators
from services.site.profile import own_site_id
from services.sync.ledger import split_reason
from services.sync.merge import package_schema
from services.sync.report import version_text
from services.sync.trust import revoke_keys

KEY_STATES = {"trusted": "подтверждён", "pending": "не подтверждён", "revoked": "отозван",
              "none": "нет ключа"}  # fmt: skip
COMMENT_TARGETS = {"site": "школа в целом", "roadmap_item": "мероприятие дорожной карты",
                   "ippr_plan": "ИППР педагога", "self_audit": "самоаудит"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    site_id: str
    name: str
    short_name: str
    code: str
    status: SchoolStatusBase
    key_state: str  # one of KEY_STATES
    fingerprint: str
    accept_up_to_seq: int | None
    last_seq: int
    last_received: datetime | None
    gaps: tuple[int, ...]
    open_comments: int
    curators: tuple[Curator, ...] = ()
    # the Опора version and schema of the school's last applied package ("" when none)
    app_version: str = ""
    schema: str = ""
    schema_outdated: bool = False  # older than the schema of this district's own packages

    @property
    def version_text(self) -> str:
        """«1.2.0, схема 0008», or «—» before the school's first package."""
        return version_text(self.app_version, self.schema)

    @property
    def curators_text(self) -> str:
        """The curators' names, «Петрова О. И., Иванов И. И.», or "" when none is named."""
        return ", ".join(c.name for c in self.curators)

    @property
    def title(self) -> str:
        return self.short_name or self.name

    @property
    def flags_text(self) -> str:
        s = self.status
        parts = [
            label
            for flag, label in (
                (s.is_low_results, "ШНОР"),
                (s.is_adverse_context, "ШНСУ"),
                (s.is_500plus, "«500+»"),
            )
            if flag
        ]
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class CommentRead:
    id: str
    school_id: str
    target_table: str
    target_id: str
    text: str
    author: str
    created_on: date
    resolved: bool
    target_title: str = ""
    hlc: str = ""  # the version as read: an edit saves over exactly this one
    actor: str = ""  # the staff login that wrote it here (never sent to the school)

    @property
    def target_kind(self) -> str:
        return COMMENT_TARGETS.get(self.target_table, self.target_table)


@dataclass(slots=True)
class _Seen:
    seqs: set[int] = field(default_factory=set)
    last: datetime | None = None
    newest: tuple[int, datetime] | None = None  # (seq, applied at) of the newest package
    version: tuple[str, str] = ("", "")  # its (app version, schema)

    def add(self, log: ImportLog) -> None:
        if log.seq is not None:
            self.seqs.add(log.seq)
        if self.last is None or log.created_at > self.last:
            self.last = log.created_at
        # the school's newest package tells what it runs now, even if an older one came later
        rank = (log.seq if log.seq is not None else -1, log.created_at)
        if self.newest is None or rank > self.newest:
            self.newest, self.version = rank, (log.app_version, log.schema_revision)


def schema_outdated(schema: str, current: str, known: Sequence[str]) -> bool:
    """Whether a package schema is older than `current` (both among the `known` revisions)."""
    if schema not in known or current not in known:
        return False
    return list(known).index(schema) < list(known).index(current)


def status_id(school_id: str) -> str:
    return stable_id("status", school_id)


class RegistryService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- reading ---------------------------------------------------------------------------

    def schools(self) -> list[RegistryEntry]:
        """Every school known here, by name."""
        with self._db.session(stamp=False) as s:
            sites = {
                x.id: x
                for x in s.exec(
                    select(Site).where(Site.role == Role.SCHOOL, col(Site.deleted).is_(False))
                )
            }
            peers: dict[str, list[Peer]] = defaultdict(list)
            for p in s.exec(select(Peer).where(Peer.role == Role.SCHOOL)):
                peers[p.site_id].append(p)
            statuses = {
                x.school_id: x
                for x in s.exec(select(SchoolStatus).where(col(SchoolStatus.deleted).is_(False)))
            }
            curators = curators_by_school(s)
            seen: dict[str, _Seen] = defaultdict(_Seen)
            applied = select(ImportLog).where(ImportLog.outcome == ImportOutcome.APPLIED)
            for log in s.exec(applied):
                seen[log.sender_id].add(log)
            open_comments: dict[str, int] = defaultdict(int)
            for c in s.exec(
                select(DistrictComment).where(
                    col(DistrictComment.deleted).is_(False),
                    col(DistrictComment.resolved).is_(False),
                )
            ):
                open_comments[c.school_id] += 1
            for q in s.exec(
                select(QuarantineEntry).where(col(QuarantineEntry.released).is_(False))
            ):
                if q.sender_id and q.sender_id not in peers and q.sender_id not in sites:
                    peers[q.sender_id].append(_waiting_peer(q))
            entries = [
                self._entry(
                    site_id,
                    sites.get(site_id),
                    peers.get(site_id, []),
                    statuses.get(site_id),
                    seen.get(site_id),
                    open_comments[site_id],
                    curators.get(site_id, ()),
                )
                for site_id in set(sites) | set(peers)
            ]
        return sorted(entries, key=lambda e: e.title.casefold())

    @staticmethod
    def _entry(
        site_id: str,
        site: Site | None,
        peers: list[Peer],
        status: SchoolStatus | None,
        seen: _Seen | None,
        comments: int,
        curators: tuple[Curator, ...],
    ) -> RegistryEntry:
        current = _current_peer(peers)
        seqs = seen.seqs if seen else set()
        last_seq = max(seqs, default=0)
        app, schema = seen.version if seen else ("", "")
        known = known_revisions()
        name = site.full_name if site else (current.name if current else site_id)
        return RegistryEntry(
            site_id=site_id,
            name=name,
            short_name=site.short_name if site else "",
            code=site.code if site else (current.code if current else ""),
            status=SchoolStatusBase.model_validate(status.model_dump())
            if status
            else SchoolStatusBase(school_id=site_id),
            key_state=current.status.value if current else "none",
            fingerprint=current.fingerprint if current else "",
            accept_up_to_seq=current.accept_up_to_seq if current else None,
            last_seq=last_seq,
            last_received=seen.last if seen else None,
            gaps=tuple(n for n in range(1, last_seq) if n not in seqs),
            open_comments=comments,
            curators=curators,
            app_version=app,
            schema=schema,
            schema_outdated=schema_outdated(schema, package_schema(known), known),
        )

    # -- district-owned status -----------------------------------------------------------------

    def set_status(
        self, status: SchoolStatusBase, curators: Sequence[Curator] | None = None
    ) -> None:
        """Save the district's flags, notes and (given) curators of one school (synced changes).

        `curators` is the school's whole list in order; None leaves the curators as they are.
        """
        row_id = status_id(status.school_id)
        if curators is not None:
            curators = checked(curators)  # refused before anything is written
        with self._db.session() as s:
            if curators is not None:
                save_curators(s, own_site_id(s), status.school_id, curators)
            row = s.get(SchoolStatus, row_id)
            values = status.model_dump()
            if row is None:
                row = SchoolStatus(id=row_id, owner=own_site_id(s), **values)
            else:
                for key, value in values.items():
                    setattr(row, key, value)
                row.deleted = False
            s.add(row)
            note_actor(s, "school_status", row_id)
            announce(s, STATUS, [status.school_id])

    # -- keys ---------------------------------------------------------------------------------

    def revoke(self, school_id: str, accept_up_to_seq: int | None) -> int:
        """Revoke every key of the school; packages after № `accept_up_to_seq` are refused.

        Returns how many keys were revoked. A new key is trusted again by enrolling it (its
        fingerprint confirmed by phone), as for a new school.
        """
        with self._db.session(stamp=False) as s:
            peers = s.exec(
                select(Peer).where(Peer.site_id == school_id, Peer.role == Role.SCHOOL)
            ).all()
            announce(s, STATUS, [school_id])
            return revoke_keys(s, peers, accept_up_to_seq)

    # -- comments -----------------------------------------------------------------------------

    def comments(self, school_id: str | None = None) -> list[CommentRead]:
        """Comments (open first, newest first) of one school, or of every school."""
        with self._db.session(stamp=False) as s:
            return comments_in(s, school_id)

    def add_comment(
        self, school_id: str, target_table: str, target_id: str, text: str, author: str = ""
    ) -> CommentRead:
        text = text.strip()
        if not text:
            raise Invalid("Комментарий пуст. Напишите, что нужно исправить или учесть.")
        if target_table not in COMMENT_TARGETS:
            raise Invalid("Комментарий можно оставить к школе, мероприятию, ИППР или самоаудиту.")
        with self._db.session() as s:
            row = DistrictComment(
                owner=own_site_id(s),
                school_id=school_id,
                target_table=target_table,
                target_id=target_id,
                text=text[:4000],
                author=author.strip()[:200],
                created_on=date.today(),
            )
            s.add(row)
            s.flush()
            comment_id = row.id
            note_actor(s, "district_comment", comment_id)
            announce(s, COMMENT, [school_id])
        return next(c for c in self.comments(school_id) if c.id == comment_id)

    def edit_comment(self, comment_id: str, text: str, expected: str | None = None) -> None:
        """Change a comment's text; with `expected` (its stamp as read) only over that version.

        `ChangedByOther` when a colleague saved or removed the comment since: nothing written.
        """
        if not text.strip():
            raise Invalid("Комментарий пуст. Чтобы убрать его, удалите комментарий.")
        text = text.strip()[:4000]
        with self._db.session() as s:
            if expected is None:
                row = _comment(s, comment_id)
                row.text = text
                s.add(row)
                _noted(s, comment_id)
                return
            if stamped_update(self._db, s, DistrictComment, comment_id, expected, {"text": text}):
                _noted(s, comment_id)
                return
            theirs = s.get(DistrictComment, comment_id)
        raise _comment_changed(theirs, text)

    def resolve_comment(self, comment_id: str, resolved: bool = True) -> None:
        with self._db.session() as s:
            row = _comment(s, comment_id)
            row.resolved = resolved
            s.add(row)
            _noted(s, comment_id)

    def delete_comment(self, comment_id: str) -> None:
        with self._db.session() as s:
            row = _comment(s, comment_id)
            row.deleted = True  # a tombstone: the school's copy disappears with the next bulletin
            s.add(row)
            _noted(s, comment_id)


def _noted(s: Session, comment_id: str) -> None:
    """Who changed the comment, and a notice to the other staff (on a server)."""
    note_actor(s, "district_comment", comment_id)
    row = s.get(DistrictComment, comment_id)
    announce(s, COMMENT, [row.school_id] if row is not None else [])


def _current_peer(peers: list[Peer]) -> Peer | None:
    """The key that matters: a trusted one, else a pending one, else the newest revoked one."""
    order = {PeerStatus.TRUSTED: 0, PeerStatus.PENDING: 1, PeerStatus.REVOKED: 2}
    ranked = sorted(peers, key=lambda p: (order[p.status], -p.added_at.timestamp()))
    return ranked[0] if ranked else None


def _waiting_peer(q: QuarantineEntry) -> Peer:
    """A school known only from a package waiting in quarantine (its key not confirmed)."""
    _, name = split_reason(q.reason)
    return Peer(
        site_id=q.sender_id, role=Role.SCHOOL, name=name or q.sender_id, signing_key="",
        key_id="", age_recipient="", fingerprint="", status=PeerStatus.PENDING,
        added_at=q.created_at,
    )  # fmt: skip


def _comment_changed(theirs: DistrictComment | None, yours: str) -> ChangedByOther:
    if theirs is None or theirs.deleted:
        return ChangedByOther("комментарий удалён", "комментарий удалён", yours, "")
    return ChangedByOther("текст комментария", theirs.text, yours, theirs.hlc)


def _comment(s: Session, comment_id: str) -> DistrictComment:
    row = s.get(DistrictComment, comment_id)
    if row is None or row.deleted:
        raise NotFound("Комментарий не найден (возможно, он уже удалён).")
    return row


def comments_in(s: Session, school_id: str | None = None) -> list[CommentRead]:
    """District comments present in this database (at a school: those the bulletin brought)."""
    from models import RoadmapItem

    stmt = select(DistrictComment).where(col(DistrictComment.deleted).is_(False))
    if school_id is not None:
        stmt = stmt.where(DistrictComment.school_id == school_id)
    rows = list(s.exec(stmt))
    item_ids = [r.target_id for r in rows if r.target_table == "roadmap_item"]
    items = {
        i.id: f"{i.number} {i.title}".strip()
        for i in s.exec(select(RoadmapItem).where(col(RoadmapItem.id).in_(item_ids)))
    }
    actors = actors_of(s, "district_comment", [r.id for r in rows])
    result = [
        CommentRead(
            id=r.id,
            school_id=r.school_id,
            target_table=r.target_table,
            target_id=r.target_id,
            text=r.text,
            author=r.author,
            created_on=r.created_on,
            resolved=r.resolved,
            target_title=items.get(r.target_id, ""),
            hlc=r.hlc,
            actor=actors[r.id].created_by if r.id in actors else "",
        )
        for r in rows
    ]
    result.sort(key=lambda c: (c.resolved, -c.created_on.toordinal(), c.id))
    return result
