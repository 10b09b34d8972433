"""the deadline wording of an ИППР activity

An activity imported from a plan keeps the deadline as the plan words it («октябрь», «по графику
ИРО»); one whose wording was not understood has no dates and is shown by that wording instead of
carrying it in its title. Rows already stored have no wording: ''.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("development_activity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("deadline_text", AutoString(length=500), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("development_activity", schema=None) as batch_op:
        batch_op.drop_column("deadline_text")
