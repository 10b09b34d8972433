"""who did what: the staff login on import and export log entries, and beside synced rows

`import_log.actor` and `export_log.actor` name the login that imported a package or sent a
bulletin; `row_actor` names who created and last changed a district comment, a school's status
or an occurrence's status here. Local bookkeeping only: nothing of it travels in packages. Old
rows get '' («не записано»).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOGS = ("import_log", "export_log")


def upgrade() -> None:
    for table in LOGS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("actor", AutoString(length=200), nullable=False, server_default="")
            )
    op.create_table(
        "row_actor",
        sa.Column("table_name", AutoString(length=60), nullable=False),
        sa.Column("row_id", AutoString(length=36), nullable=False),
        sa.Column("created_by", AutoString(length=200), nullable=False),
        sa.Column("changed_by", AutoString(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "row_id"),
    )


def downgrade() -> None:
    op.drop_table("row_actor")
    for table in LOGS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("actor")
