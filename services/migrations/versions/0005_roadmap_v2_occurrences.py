"""roadmap model v2: nested sections, and items whose dates and statuses are occurrences

Sections gain a parent, the number the plan writes and the section's task. An item keeps its
plan (wording, responsible, result…) and loses its status, completion date, evidence and comment:
they move to `roadmap_occurrence`, one row per planned date or period of the item. Every existing
item becomes exactly one occurrence carrying its dates and all it recorded, with the id the
package conversion gives the same item (`models.roadmap.occurrence_id`), so a district that
migrates its copy and later imports the school's v1 package holds one row, not two.

An item without dates keeps none: its occurrence has no due date (v2 leaves an empty or
unreadable deadline out of execution and overdue figures; v1 counted an empty one as due at the
end of the period, inventing a date the plan does not give).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 18:30:00
"""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# models.base.OPORA_NAMESPACE; copied so this script keeps working whatever the models become
_NAMESPACE = uuid.UUID("6f1c1a3e-8a52-4c1e-9a43-0e6c2d2b7f11")
_STATUS = sa.Enum(
    "PLANNED", "IN_PROGRESS", "DONE", "PARTIAL", "POSTPONED", "CANCELLED", name="itemstatus"
)
_MOVED = ("status", "completion_date", "evidence", "comment")


def _occurrence_id(item_id: str, end: object) -> str:
    """models.roadmap.occurrence_id: the due date as ISO text ("None": no date), seq 0."""
    key = "\x1f".join(("roadmap_occurrence", item_id, str(end), "0"))
    return str(uuid.uuid5(_NAMESPACE, key))


def _create_table() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "roadmap_occurrence",
        sa.Column("item_id", text(length=36), nullable=False),
        sa.Column("roadmap_id", text(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", text(length=100), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", _STATUS, nullable=False),
        sa.Column("completion_date", sa.Date(), nullable=True),
        sa.Column("evidence", text(length=2000), nullable=False),
        sa.Column("comment", text(length=2000), nullable=False),
        sa.Column("outside_period", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("id", text(length=36), nullable=False),
        sa.Column("owner", text(length=36), nullable=False),
        sa.Column("hlc", text(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["roadmap_item.id"]),
        sa.ForeignKeyConstraint(["roadmap_id"], ["roadmap.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("roadmap_occurrence", schema=None) as batch_op:
        batch_op.create_index("ix_roadmap_occurrence_owner", ["owner"], unique=False)
        batch_op.create_index("ix_roadmap_occurrence_item_id", ["item_id"], unique=False)
        batch_op.create_index(
            "ix_roadmap_occurrence_counts",
            ["roadmap_id", "deleted", "status", "end_date"],
            unique=False,
        )


def _read_items() -> list[dict[str, object]]:
    found = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT id, owner, hlc, deleted, roadmap_id, start_date, end_date, "
                "status, completion_date, evidence, comment FROM roadmap_item"
            )
        )
        .all()
    )
    return [
        {
            "id": _occurrence_id(row.id, row.end_date),
            "owner": row.owner,
            "hlc": row.hlc,
            "deleted": row.deleted,
            "item_id": row.id,
            "roadmap_id": row.roadmap_id,
            "start": row.start_date,
            "end": row.end_date,
            "status": row.status,
            "completion": row.completion_date,
            "evidence": row.evidence,
            "comment": row.comment,
        }
        for row in found
    ]


_INSERT = (
    "INSERT INTO roadmap_occurrence (id, owner, hlc, deleted, item_id, roadmap_id, position, "
    "label, start_date, end_date, status, completion_date, evidence, comment, outside_period, "
    "seq) VALUES (:id, :owner, :hlc, :deleted, :item_id, :roadmap_id, 0, '', :start, :end, "
    ":status, :completion, :evidence, :comment, 0, 0)"
)


def upgrade() -> None:
    # Foreign keys are on and cannot be switched off inside the migration's transaction, so no
    # table another one points at is rebuilt: the section's columns are added in place, and the
    # item table is rebuilt before the occurrence table points at it.
    op.execute(
        "ALTER TABLE roadmap_section ADD COLUMN parent_id VARCHAR(36) "
        "REFERENCES roadmap_section (id)"
    )
    op.add_column(
        "roadmap_section",
        sa.Column("number", sa.String(length=20), nullable=False, server_default=""),
    )
    op.add_column(
        "roadmap_section",
        sa.Column("task", sa.String(length=2000), nullable=False, server_default=""),
    )
    occurrences = _read_items()
    op.drop_index("ix_roadmap_item_counts", table_name="roadmap_item")
    with op.batch_alter_table("roadmap_item", schema=None) as batch_op:
        for name in _MOVED:
            batch_op.drop_column(name)
        batch_op.create_index("ix_roadmap_item_counts", ["roadmap_id", "deleted"], unique=False)
    _create_table()
    if occurrences:
        op.get_bind().execute(sa.text(_INSERT), occurrences)


_V1_COUNTS = ("roadmap_id", "deleted", "status", "end_date", "deadline_understood")
_TEXT_CAP = 2000
_UPDATE_ITEM = (
    "UPDATE roadmap_item SET start_date = :start, end_date = :end, status = :status, "
    "completion_date = :completion, evidence = :evidence, comment = :comment WHERE id = :item_id"
)


def _read_occurrences() -> dict[str, list[sa.Row[Any]]]:
    """Each item's occurrences, the live ones only when it has any, in plan order."""
    rows = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT item_id, deleted, label, start_date, end_date, status, completion_date, "
                "evidence, comment FROM roadmap_occurrence ORDER BY item_id, position, seq, "
                "end_date"
            )
        )
        .all()
    )
    found: dict[str, list[sa.Row[Any]]] = {}
    for row in rows:
        found.setdefault(row.item_id, []).append(row)
    return {item: [r for r in group if not r.deleted] or group for item, group in found.items()}


def _speaker(group: list[sa.Row[Any]], today: str) -> sa.Row[Any]:
    """The occurrence whose status the item shows: the latest one due by today, else the next."""
    due = [r for r in group if r.end_date is not None and str(r.end_date) <= today]
    if due:
        return max(due, key=lambda r: str(r.end_date))
    dated = [r for r in group if r.end_date is not None]
    return min(dated, key=lambda r: str(r.end_date)) if dated else group[0]


def _joined(group: list[sa.Row[Any]], first: sa.Row[Any], field: str) -> str:
    """The speaker's text, then the others' with their labels, within the v1 column's length."""
    texts = [str(getattr(first, field))] if getattr(first, field) else []
    for row in group:
        text = getattr(row, field)
        if row is not first and text:
            label = row.label or str(row.end_date or "")
            texts.append(f"{label}: {text}" if label else str(text))
    joined = "; ".join(texts)
    return joined if len(joined) <= _TEXT_CAP else joined[: _TEXT_CAP - 1] + "…"


def _summarise(occurrences: dict[str, list[sa.Row[Any]]], today: date) -> list[dict[str, Any]]:
    summaries = []
    for item_id, group in occurrences.items():
        first = _speaker(group, today.isoformat())
        starts = [str(r.start_date or r.end_date) for r in group if r.start_date or r.end_date]
        ends = [str(r.end_date) for r in group if r.end_date is not None]
        summaries.append(
            {
                "item_id": item_id,
                "start": min(starts) if starts else None,
                "end": max(ends) if ends else None,
                "status": first.status,
                "completion": first.completion_date,
                "evidence": _joined(group, first, "evidence"),
                "comment": _joined(group, first, "comment"),
            }
        )
    return summaries


def _flat_sections() -> list[dict[str, Any]]:
    """The sections in reading order (each one followed by its subsections), numbers in titles.

    v1 sections do not nest: a subsection becomes a section of its own, placed after its parent,
    its number («1.2.») kept at the start of its title.
    """
    rows = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT id, owner, hlc, deleted, roadmap_id, parent_id, position, number, title "
                "FROM roadmap_section ORDER BY roadmap_id, position, id"
            )
        )
        .all()
    )
    children: dict[str | None, list[sa.Row[Any]]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    flat: list[dict[str, Any]] = []

    def visit(parent: str | None) -> None:
        for row in children.pop(parent, []):
            title = f"{row.number} {row.title}".strip() if row.number else row.title
            flat.append({**row._asdict(), "position": len(flat), "title": title[:500]})
            visit(row.id)

    visit(None)
    for orphans in list(children.values()):  # a parent lost to a partial import: keep them
        for row in orphans:
            flat.append({**row._asdict(), "position": len(flat)})
    return flat


_INSERT_SECTION = (
    "INSERT INTO roadmap_section (id, owner, hlc, deleted, roadmap_id, position, title) "
    "VALUES (:id, :owner, :hlc, :deleted, :roadmap_id, :position, :title)"
)


def _drop_section_columns() -> None:
    """Drop the v2 section columns from a table the items point at.

    Foreign keys are on and cannot be switched off inside the migration's transaction, and the
    batch rebuild drops the old table, which would orphan every item. So the sections are read,
    the emptied table is rebuilt and they come back; the deferred check counts the items
    orphaned meanwhile and forgets them when their sections return, before the commit.
    """
    sections = _flat_sections()
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute("DELETE FROM roadmap_section")
    with op.batch_alter_table("roadmap_section", schema=None) as batch_op:
        for name in ("parent_id", "number", "task"):
            batch_op.drop_column(name)
    if sections:
        op.get_bind().execute(sa.text(_INSERT_SECTION), sections)


def downgrade() -> None:
    # v1 holds one deadline range and one status per item: the item takes its occurrences'
    # earliest start and latest due date, and the status, completion date, evidence and comment
    # of the occurrence that speaks for it now (see _speaker); other occurrences' evidence and
    # comments are kept in the item's text, so nothing recorded is lost.
    summaries = _summarise(_read_occurrences(), date.today())
    op.drop_table("roadmap_occurrence")
    op.drop_index("ix_roadmap_item_counts", table_name="roadmap_item")
    with op.batch_alter_table("roadmap_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", _STATUS, nullable=False, server_default="PLANNED"))
        batch_op.add_column(sa.Column("completion_date", sa.Date(), nullable=True))
        for name in ("evidence", "comment"):
            batch_op.add_column(
                sa.Column(name, sa.String(length=2000), nullable=False, server_default="")
            )
    if summaries:
        op.get_bind().execute(sa.text(_UPDATE_ITEM), summaries)
    op.create_index("ix_roadmap_item_counts", "roadmap_item", list(_V1_COUNTS), unique=False)
    _drop_section_columns()
