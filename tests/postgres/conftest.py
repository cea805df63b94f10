"""PostgreSQL-only tests: ``db`` is this test's database on the server (tests/pg_server.py),
with raw reads of what the server holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from kanban.services import Database
from kanban.storage.models import Base

Rows = Callable[..., list[dict[str, Any]]]


@pytest.fixture
def pg_url(new_database: Callable[..., str]) -> str:
    """This test's own database, new (these tests drop connections, migrate, listen)."""
    return new_database()


@pytest.fixture
def db(pg_url: str) -> Iterator[Database]:
    """The app's Database on this test's PostgreSQL database (overrides the SQLite one)."""
    database = Database.open(pg_url)
    yield database
    database.close()


@pytest.fixture
def raw(pg_url: str) -> Iterator[Engine]:
    """A plain SQLAlchemy engine on this test's database, to look behind the app's back."""
    engine = create_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def rows(raw: Engine) -> Rows:
    """``rows("items")``: every row of a table as dicts, by ``order`` (the primary key)."""

    def read(table: str, order: str | None = None, columns: str = "*") -> list[dict[str, Any]]:
        keys = order or ", ".join(c.name for c in Base.metadata.tables[table].primary_key)
        with raw.connect() as conn:
            query = text(f"SELECT {columns} FROM {table} ORDER BY {keys}")
            return [dict(row._mapping) for row in conn.execute(query)]

    return read


@pytest.fixture
def written(rows: Rows) -> Callable[[str], Callable[[], list[int]]]:
    """``changed = written("items"); ...; changed()``: ids of the rows of a table that a write
    transaction touched since (PostgreSQL gives every row version its writer, ``xmin``)."""

    def watch(table: str) -> Callable[[], list[int]]:
        before = {r["id"]: r["xmin"] for r in rows(table, columns="id, xmin::text AS xmin")}
        return lambda: [
            r["id"]
            for r in rows(table, columns="id, xmin::text AS xmin")
            if before.get(r["id"]) != r["xmin"]
        ]

    return watch
