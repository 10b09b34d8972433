"""sync bookkeeping: peers, export and import logs, quarantine, conflicts, sync state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 01:18:16.037014
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conflict",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("table_name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("row_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("local_version", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("incoming_version", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "export_log",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("package_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("recipient_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("path", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "import_log",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("package_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("package_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("sender_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum("APPLIED", "ALREADY", "QUARANTINED", "REFUSED", name="importoutcome"),
            nullable=False,
        ),
        sa.Column("report", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_log_package_sha256"), ["package_sha256"], unique=False
        )

    op.create_table(
        "peer",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("site_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("role", sa.Enum("SCHOOL", "DISTRICT", name="role"), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("signing_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("key_id", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("age_recipient", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column(
            "status", sa.Enum("PENDING", "TRUSTED", "REVOKED", name="peerstatus"), nullable=False
        ),
        sa.Column("accept_up_to_seq", sa.Integer(), nullable=True),
        sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("peer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_peer_site_id"), ["site_id"], unique=False)

    op.create_table(
        "quarantine",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("package_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sender_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("released", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quarantine_package_sha256"), ["package_sha256"], unique=False
        )

    op.create_table(
        "sync_state",
        sa.Column("peer_site_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("peer_site_id"),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarantine_package_sha256"))

    op.drop_table("quarantine")
    with op.batch_alter_table("peer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_peer_site_id"))

    op.drop_table("peer")
    with op.batch_alter_table("import_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_log_package_sha256"))

    op.drop_table("import_log")
    op.drop_table("export_log")
    op.drop_table("conflict")
