"""dashboard covering indexes: five single-column indexes widened to cover the set-based reads

Each new index starts with the column of the index it replaces (so lookups by that column and
foreign-key checks use it as before) and carries the columns the district dashboard aggregates,
so those statements read a narrow index instead of the wide table rows. Rows are unchanged.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, replaced index, new index, columns)
_CHANGES = (
    (
        "vpr_result",
        "ix_vpr_result_year",
        "ix_vpr_result_sums",
        [
            "year",
            "owner",
            "deleted",
            "subject",
            "class_label",
            "participants",
            "n2",
            "n3",
            "n4",
            "n5",
            "lowered",
            "confirmed",
            "raised",
        ],
    ),
    (
        "roadmap_item",
        "ix_roadmap_item_roadmap_id",
        "ix_roadmap_item_counts",
        ["roadmap_id", "deleted", "status", "end_date"],
    ),
    (
        "audit_answer",
        "ix_audit_answer_audit_id",
        "ix_audit_answer_values",
        ["audit_id", "deleted", "criterion_code", "score", "value"],
    ),
    (
        "development_plan",
        "ix_development_plan_teacher_id",
        "ix_development_plan_periods",
        ["teacher_id", "deleted", "period_start", "period_end", "id"],
    ),
    (
        "development_activity",
        "ix_development_activity_plan_id",
        "ix_development_activity_counts",
        ["plan_id", "deleted", "form", "status", "start_date", "end_date", "completion_date"],
    ),
)


def upgrade() -> None:
    for table, old, new, columns in _CHANGES:
        op.create_index(new, table, columns, unique=False)
        op.drop_index(old, table_name=table)


def downgrade() -> None:
    for table, old, new, columns in _CHANGES:
        op.create_index(old, table, columns[:1], unique=False)
        op.drop_index(new, table_name=table)
