"""The PostgreSQL test server: a fresh database on it for each test that asks (``pg_url``).

The server comes from $KANBAN_TEST_POSTGRES_URL, a URL of a role that may create databases,
such as ``postgresql+psycopg://kanban:kanban@127.0.0.1:5432/postgres``. `.ci/run` starts a
throwaway server (``tests/postgres/server.sh``) and sets it. Without it the services and
command-line suites run on SQLite only, and tests/postgres skips.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

from kanban.services import Database
from kanban.storage.tables import metadata

SERVER_ENV = "KANBAN_TEST_POSTGRES_URL"
HOW_TO_RUN = (
    f"set {SERVER_ENV} to a PostgreSQL server URL whose role may create databases, e.g. "
    "postgresql+psycopg://kanban:kanban@127.0.0.1:5432/postgres; "
    'url=$(tests/postgres/server.sh start "$(mktemp -d)") starts a throwaway one'
)

NewDatabase = Callable[..., str]


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
def pg_template(admin: Engine, server: URL) -> Iterator[str]:
    """The name of a database at the newest schema, made once, that fresh ones are copied from."""
    url = _create(admin, server)
    Database.open(url).close()
    yield str(make_url(url).database)
    _drop(admin, url)


@pytest.fixture
def new_database(admin: Engine, server: URL, pg_template: str) -> Iterator[NewDatabase]:
    """``new_database()``: the URL of another fresh, migrated database (``empty=True``: no
    tables at all), dropped after the test."""
    made: list[str] = []

    def create(empty: bool = False) -> str:
        made.append(_create(admin, server, None if empty else pg_template))
        return made[-1]

    yield create
    for url in made:
        _drop(admin, url)


@pytest.fixture(scope="session")
def pg_shared(admin: Engine, server: URL, pg_template: str) -> Iterator[str]:
    """One database at the newest schema for the whole session, emptied before each test."""
    url = _create(admin, server, pg_template)
    yield url
    _drop(admin, url)


@pytest.fixture
def pg_url(admin: Engine, pg_shared: str) -> str:
    """This test's database on the server, fresh: the session's one, emptied first (every
    row deleted, every sequence back at 1: 15-70 ms, where a new database from the template
    takes 450 ms on this machine)."""
    _empty(admin, pg_shared)
    return pg_shared


def _empty(admin: Engine, url: str) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables) if t.name != "alembic_version"]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            sequences = conn.exec_driver_sql(
                "SELECT sequence_name FROM information_schema.sequences"
            ).scalars()
            resets = [f"setval('{name}', 1, false)" for name in sequences]
            for table in tables:
                conn.exec_driver_sql(f"DELETE FROM {table}")
            if resets:
                conn.exec_driver_sql(f"SELECT {', '.join(resets)}")
    finally:
        engine.dispose()
