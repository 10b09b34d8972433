"""programme data: mechanisms and coordinator of a roadmap, its staffing table, school curators

A roadmap carries the programme's «Механизмы реализации» and its coordinator; `programme_staff`
holds its «Кадровое обеспечение» table. A school may have several curators: they move from the
columns of `school_status` into `school_curator`, the existing curator becoming the first row
(id = stable_id("curator", school_id), the same id a converted older package gives it).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 18:30:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# models.base.OPORA_NAMESPACE; a migration keeps its own copy so later model changes leave it be
_NAMESPACE = uuid.UUID("6f1c1a3e-8a52-4c1e-9a43-0e6c2d2b7f11")
_CURATOR_COLUMNS = (("curator_name", 200), ("curator_org", 300), ("curator_contact", 200))


def _text(length: int) -> AutoString:
    return AutoString(length=length)


def _sync_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", _text(36), nullable=False),
        sa.Column("owner", _text(36), nullable=False),
        sa.Column("hlc", _text(64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("roadmap", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mechanisms", _text(8000), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("coordinator", _text(500), nullable=False, server_default=""))
    op.create_table(
        "programme_staff",
        sa.Column("roadmap_id", _text(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person", _text(200), nullable=False),
        sa.Column("job_title", _text(300), nullable=False),
        sa.Column("role", _text(1000), nullable=False),
        sa.Column("curates", _text(1000), nullable=False),
        sa.Column("section_id", _text(36), nullable=True),
        *_sync_columns(),
        sa.ForeignKeyConstraint(["roadmap_id"], ["roadmap.id"]),
        sa.ForeignKeyConstraint(["section_id"], ["roadmap_section.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("programme_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_staff_owner"), ["owner"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_programme_staff_roadmap_id"), ["roadmap_id"], unique=False
        )
    op.create_table(
        "school_curator",
        sa.Column("school_id", _text(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", _text(200), nullable=False),
        sa.Column("job_title", _text(300), nullable=False),
        sa.Column("org", _text(300), nullable=False),
        sa.Column("contact", _text(200), nullable=False),
        *_sync_columns(),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("school_curator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_curator_owner"), ["owner"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_school_curator_school_id"), ["school_id"], unique=False
        )
    _move_curators()
    with op.batch_alter_table("school_status", schema=None) as batch_op:
        for name, _length in _CURATOR_COLUMNS:
            batch_op.drop_column(name)


def _move_curators() -> None:
    """Each status's curator (when named) becomes that school's first curator row."""
    bind = op.get_bind()
    statuses = bind.execute(
        sa.text(
            "SELECT school_id, curator_name, curator_org, curator_contact, owner, hlc, deleted "
            "FROM school_status WHERE curator_name <> ''"
        )
    ).all()
    insert = sa.text(
        "INSERT INTO school_curator "
        "(id, owner, hlc, deleted, school_id, position, name, job_title, org, contact) "
        "VALUES (:id, :owner, :hlc, :deleted, :school_id, 0, :name, '', :org, :contact)"
    )
    for school_id, name, org, contact, owner, hlc, deleted in statuses:
        key = "\x1f".join(("curator", str(school_id)))
        bind.execute(
            insert,
            {
                "id": str(uuid.uuid5(_NAMESPACE, key)),
                "owner": owner,
                "hlc": hlc,
                "deleted": bool(deleted),
                "school_id": school_id,
                "name": name,
                "org": org,
                "contact": contact,
            },
        )


def downgrade() -> None:
    with op.batch_alter_table("school_status", schema=None) as batch_op:
        for name, length in _CURATOR_COLUMNS:
            batch_op.add_column(sa.Column(name, _text(length), nullable=False, server_default=""))
    op.execute(
        "UPDATE school_status SET curator_name = c.name, curator_org = c.org, "
        "curator_contact = c.contact FROM school_curator c "
        "WHERE c.school_id = school_status.school_id AND c.position = 0 AND NOT c.deleted"
    )
    op.drop_table("school_curator")
    op.drop_table("programme_staff")
    _drop_roadmap_columns(("coordinator", "mechanisms"))


def _drop_roadmap_columns(dropped: tuple[str, ...]) -> None:
    """Drop columns of the table sections and items point at, keeping its rows.

    Foreign keys are on and cannot be switched off inside the migration's transaction, and the
    batch rebuild drops the old table, which would orphan every section and item. So the rows
    are read, the emptied table is rebuilt and they come back; the deferred check counts the
    rows orphaned meanwhile and forgets them when their roadmap returns, before the commit.
    """
    bind = op.get_bind()
    kept = [c["name"] for c in sa.inspect(bind).get_columns("roadmap") if c["name"] not in dropped]
    names = ", ".join(kept)
    rows = [row._asdict() for row in bind.execute(sa.text(f"SELECT {names} FROM roadmap"))]
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute("DELETE FROM roadmap")
    with op.batch_alter_table("roadmap", schema=None) as batch_op:
        for name in dropped:
            batch_op.drop_column(name)
    if rows:
        values = ", ".join(f":{name}" for name in kept)
        bind.execute(sa.text(f"INSERT INTO roadmap ({names}) VALUES ({values})"), rows)
