"""PostgreSQL fixtures: a fresh database on a real server for each test.

The server comes from $KANBAN_TEST_POSTGRES_URL, a URL of a role that may create databases,
such as ``postgresql+psycopg://kanban:kanban@127.0.0.1:5432/postgres``. `.ci/run` starts a
throwaway server (``tests/postgres/server.sh``) and sets it; without it these tests skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

from kanban.services import Database
from kanban.storage.models import Base

SERVER_ENV = "KANBAN_TEST_POSTGRES_URL"
HOW_TO_RUN = (
    f"set {SERVER_ENV} to a PostgreSQL server URL whose role may create databases, e.g. "
    "postgresql+psycopg://kanban:kanban@127.0.0.1:5432/postgres; "
    'url=$(tests/postgres/server.sh start "$(mktemp -d)") starts a throwaway one'
)

NewDatabase = Callable[..., str]
Rows = Callable[..., list[dict[str, Any]]]


@pytest.fixture(scope="session")
def server() -> URL:
    """The test server's URL (skips every PostgreSQL test when none is configured)."""
    url = os.environ.get(SERVER_ENV)
    if not url:
        pytest.skip(HOW_TO_RUN)
    return make_url(url)


@pytest.fixture(scope="session")
def admin(server: URL) -> Iterator[Engine]:
    """A connection pool to the server's maintenance database, creating and dropping databases."""
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


def _create(admin: Engine, server: URL, template: str | None = None) -> str:
    name = f"kanban_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template or "template0"}"')
    return server.set(database=name).render_as_string(hide_password=False)


def _drop(admin: Engine, url: str) -> None:
    name = make_url(url).database
    with admin.connect() as conn:
        # Sessions a failed test left open; autovacuum's (not ours to end) DROP itself stops.
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND usename = current_user AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="session")
def migrated_template(admin: Engine, server: URL) -> Iterator[str]:
    """The name of a database at the newest schema, made once, that fresh ones are copied from."""
    url = _create(admin, server)
    Database.open(url).close()
    yield str(make_url(url).database)
    _drop(admin, url)


@pytest.fixture
def new_database(admin: Engine, server: URL, migrated_template: str) -> Iterator[NewDatabase]:
    """``new_database()``: the URL of another fresh, migrated database (``empty=True``: no
    tables at all), dropped after the test."""
    made: list[str] = []

    def create(empty: bool = False) -> str:
        made.append(_create(admin, server, None if empty else migrated_template))
        return made[-1]

    yield create
    for url in made:
        _drop(admin, url)


@pytest.fixture
def pg_url(new_database: NewDatabase) -> str:
    """This test's own database: fresh, at the newest schema."""
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
