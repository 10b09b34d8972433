"""the key vault: a shared workspace's keys, sealed with the staff's passphrase

Local bookkeeping only (never synced): packages are unchanged by this revision.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 21:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "key_vault",
        sa.Column("purpose", AutoString(length=20), nullable=False),
        sa.Column("key_id", AutoString(length=64), nullable=False),
        sa.Column("public", AutoString(length=200), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("numbers", AutoString(length=4000), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", AutoString(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", AutoString(length=200), nullable=False),
        sa.PrimaryKeyConstraint("purpose"),
    )


def downgrade() -> None:
    op.drop_table("key_vault")
