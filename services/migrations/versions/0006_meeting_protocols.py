"""meeting protocols: protocol, its agenda items and decisions

Three new synced tables; existing rows are unchanged. A decision may point at the roadmap item
made from it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _sync_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", _text(36), nullable=False),
        sa.Column("owner", _text(36), nullable=False),
        sa.Column("hlc", _text(64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "protocol",
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("number", _text(50), nullable=False),
        sa.Column("kind", _text(300), nullable=False),
        sa.Column("title", _text(1000), nullable=False),
        sa.Column("place", _text(200), nullable=False),
        sa.Column("chair", _text(300), nullable=False),
        sa.Column("secretary", _text(300), nullable=False),
        sa.Column("attendees", _text(8000), nullable=False),
        sa.Column("decisions_intro", _text(1000), nullable=False),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("protocol", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_protocol_owner"), ["owner"], unique=False)
    op.create_table(
        "protocol_agenda_item",
        sa.Column("protocol_id", _text(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", _text(2000), nullable=False),
        sa.Column("speaker", _text(500), nullable=False),
        sa.Column("heard", _text(8000), nullable=False),
        sa.Column("spoke", _text(8000), nullable=False),
        *_sync_columns(),
        sa.ForeignKeyConstraint(["protocol_id"], ["protocol.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("protocol_agenda_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_protocol_agenda_item_owner"), ["owner"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_protocol_agenda_item_protocol_id"), ["protocol_id"], unique=False
        )
    op.create_table(
        "protocol_decision",
        sa.Column("protocol_id", _text(36), nullable=False),
        sa.Column("agenda_item_id", _text(36), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", _text(4000), nullable=False),
        sa.Column("responsible", _text(500), nullable=False),
        sa.Column("deadline_text", _text(300), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("deadline_understood", sa.Boolean(), nullable=False),
        sa.Column("roadmap_item_id", _text(36), nullable=True),
        *_sync_columns(),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["protocol_agenda_item.id"]),
        sa.ForeignKeyConstraint(["protocol_id"], ["protocol.id"]),
        sa.ForeignKeyConstraint(["roadmap_item_id"], ["roadmap_item.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("protocol_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_protocol_decision_owner"), ["owner"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_protocol_decision_protocol_id"), ["protocol_id"], unique=False
        )


def downgrade() -> None:
    for table in ("protocol_decision", "protocol_agenda_item", "protocol"):
        op.drop_table(table)
