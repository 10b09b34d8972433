"""Alembic environment: runs on the engine main.py opened, in batch mode for SQLite ALTERs."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import models  # noqa: F401  (complete metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    given: Connection | None = config.attributes.get("connection")
    if given is not None:  # inside the caller's transaction (a move to a server: all or none)
        context.configure(connection=given, target_metadata=target_metadata, render_as_batch=True)
        context.run_migrations()
        return
    engine: Engine = config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        context.run_migrations()


run_migrations_online()
