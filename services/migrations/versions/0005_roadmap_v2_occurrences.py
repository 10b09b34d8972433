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


def downgrade() -> None:
    raise NotImplementedError("Опора does not downgrade its database; restore a backup instead.")
