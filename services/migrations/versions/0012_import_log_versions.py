"""import log: the Опора version and schema of each package

«Школы» shows, per school, the program version and schema of the school's last applied package,
and the import log report prints them per package; the log keeps them in columns of their own so
the registry reads them without parsing every report. An older entry's schema comes from its
stored report; its program version was never recorded and stays empty («не записана»).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 21:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ADD COLUMN (no rebuild): nothing points at the log, but it may be long
    op.add_column(
        "import_log",
        sa.Column("app_version", sa.String(length=40), nullable=False, server_default=""),
    )
    op.add_column(
        "import_log",
        sa.Column("schema_revision", sa.String(length=20), nullable=False, server_default=""),
    )
    if op.get_bind().dialect.name != "sqlite":
        # a server workspace is created at 0012 or later: no log entry predates the columns
        return
    op.execute(
        "UPDATE import_log SET schema_revision = substr(coalesce(json_extract(report, "
        "'$.schema'), ''), 1, 20) WHERE json_valid(report)"
    )


def downgrade() -> None:
    with op.batch_alter_table("import_log", schema=None) as batch_op:
        batch_op.drop_column("schema_revision")
        batch_op.drop_column("app_version")
