"""roadmap item counts index carries deadline_understood

An item whose deadline wording was not understood has no due date and is left out of execution
and overdue figures; the dashboard's item counts filter on the flag, so the covering index that
answers them carries it. Rows are unchanged.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "ix_roadmap_item_counts"
_OLD = ["roadmap_id", "deleted", "status", "end_date"]
_NEW = [*_OLD, "deadline_understood"]


def upgrade() -> None:
    op.drop_index(_INDEX, table_name="roadmap_item")
    op.create_index(_INDEX, "roadmap_item", _NEW, unique=False)


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="roadmap_item")
    op.create_index(_INDEX, "roadmap_item", _OLD, unique=False)
