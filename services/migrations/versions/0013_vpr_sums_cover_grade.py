"""vpr_result: the dashboard's covering index carries the grade too

District formula indicators sum ВПР rows by grade, class and subject («grade = 4 and subject in
(…)»). Without the grade in `ix_vpr_result_sums` those statements read every wide table row; with
it they read the narrow index like the shipped dashboard's statements do. Rows are unchanged.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SUMMED = ["participants", "n2", "n3", "n4", "n5", "lowered", "confirmed", "raised"]
_BEFORE = ["year", "owner", "deleted", "subject", "class_label", *_SUMMED]
_AFTER = ["year", "owner", "deleted", "grade", "subject", "class_label", *_SUMMED]


def upgrade() -> None:
    op.drop_index("ix_vpr_result_sums", table_name="vpr_result")
    op.create_index("ix_vpr_result_sums", "vpr_result", _AFTER, unique=False)


def downgrade() -> None:
    op.drop_index("ix_vpr_result_sums", table_name="vpr_result")
    op.create_index("ix_vpr_result_sums", "vpr_result", _BEFORE, unique=False)
