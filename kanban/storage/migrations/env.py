"""Alembic environment: runs on the connection the app hands over (batch mode for SQLite)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from kanban.storage.tables import metadata, postgresql_options

config = context.config
connection = config.attributes.get("connection")


def _run(conn: Any) -> None:
    if conn.dialect.name == "postgresql":
        postgresql_options()
    context.configure(
        connection=conn,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # `alembic revision --autogenerate` from a developer's shell
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise SystemExit("alembic: set sqlalchemy.url (alembic -x or alembic.ini)")
    with create_engine(url).connect() as conn:
        _run(conn)
