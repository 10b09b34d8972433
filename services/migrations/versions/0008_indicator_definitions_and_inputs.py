"""district-defined indicators and the inputs of municipal indicators

The district defines indicators by formula (`indicator_definition`); results gain the year's
assessment by class and subject (`assessment_result`) and, on `progression`, the ГИА-9 and
ГИА-11 admissions, ГИА-9 without a «2», and medal and badge claimants. The new progression
columns are nullable: an old row has them «не введено», never 0.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROGRESSION_COLUMNS = (
    "gia9_admitted",
    "gia9_no_fail",
    "gia11_admitted",
    "medal_claimants",
    "badge_claimants",
    "badge_recipients",
)


def _text(length: int) -> AutoString:
    return AutoString(length=length)


def _sync_columns() -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("id", _text(36), nullable=False),
        sa.Column("owner", _text(36), nullable=False),
        sa.Column("hlc", _text(64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    ]


def upgrade() -> None:
    op.create_table(
        "indicator_definition",
        sa.Column("code", _text(60), nullable=False),
        sa.Column("name", _text(300), nullable=False),
        sa.Column("unit", _text(20), nullable=False),
        sa.Column("formula", _text(4000), nullable=False),
        sa.Column("better", _text(10), nullable=False),
        sa.Column("note", _text(1000), nullable=False),
        *_sync_columns(),
    )
    with op.batch_alter_table("indicator_definition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_definition_owner"), ["owner"], unique=False)
    op.create_table(
        "assessment_result",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period", _text(10), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("class_label", _text(20), nullable=False),
        sa.Column("subject", _text(100), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        sa.Column("achieved", sa.Integer(), nullable=False),
        sa.Column("quality", sa.Integer(), nullable=False),
        *_sync_columns(),
    )
    with op.batch_alter_table("assessment_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_result_owner"), ["owner"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_result_year"), ["year"], unique=False)
    with op.batch_alter_table("progression", schema=None) as batch_op:
        for name in PROGRESSION_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("progression", schema=None) as batch_op:
        for name in reversed(PROGRESSION_COLUMNS):
            batch_op.drop_column(name)
    op.drop_table("assessment_result")
    op.drop_table("indicator_definition")
