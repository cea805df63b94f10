"""Opening a PostgreSQL database: migrations, the schema, refusals, reads, writers, changes."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import IntegrityError, InternalError

from kanban.errors import (
    DatabaseBusyError,
    DatabaseFileError,
    NewerDatabaseError,
    NotADatabaseError,
)
from kanban.services import Database, open_database
from kanban.services.items import add_item, load_board
from kanban.services.products import create_product
from kanban.services.records import ProductInfo
from kanban.storage.database import CHANGES_CHANNEL, SCHEMA_HEAD, head_revision
from kanban.storage.models import Base, StatusUpdate


def test_an_empty_database_is_migrated_through_every_revision_to_the_models_schema(
    new_database: Callable[..., str],
) -> None:
    url = new_database(empty=True)
    db = open_database(url)  # as the app does: through $KANBAN_DB / --db
    db.close()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            version = conn.scalar(text("SELECT version_num FROM alembic_version"))
            differences = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
            rank_collation = conn.scalar(
                text(
                    "SELECT collation_name FROM information_schema.columns "
                    "WHERE table_name = 'items' AND column_name = 'rank'"
                )
            )
            one_active = conn.scalar(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_sprints_one_active'")
            )
            sequences = conn.scalars(
                text("SELECT pg_get_serial_sequence('items', 'id') IS NOT NULL")
            ).all()
    finally:
        engine.dispose()
    assert version == head_revision() == SCHEMA_HEAD
    assert differences == []  # every revision together builds exactly what the models say
    assert rank_collation == "C"
    assert one_active is not None
    assert "UNIQUE" in one_active and "WHERE" in one_active and "'active'" in one_active
    assert sequences == [True]


def test_reopening_an_up_to_date_database_runs_no_migration(pg_url: str, raw: Engine) -> None:
    with raw.connect() as conn:
        before = conn.scalar(text("SELECT xmin::text FROM alembic_version"))
    open_database(pg_url).close()
    with raw.connect() as conn:
        assert conn.scalar(text("SELECT xmin::text FROM alembic_version")) == before


def test_a_database_of_another_app_is_refused_and_left_alone(
    new_database: Callable[..., str],
) -> None:
    url = new_database(empty=True)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id integer PRIMARY KEY)"))
    with pytest.raises(NotADatabaseError, match="not a kanban database"):
        Database.open(url)
    with engine.connect() as conn:
        tables = conn.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).all()
    engine.dispose()
    assert tables == ["invoices"]


def test_a_database_from_a_newer_app_is_refused(pg_url: str, raw: Engine) -> None:
    with raw.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(NewerDatabaseError, match=r"newer version of kanban \(schema 9999\)"):
        Database.open(pg_url)


def test_an_unreachable_server_is_a_clear_error_without_the_password(server: URL) -> None:
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = server.set(host="127.0.0.1", port=port, password="s3cret", database="kanban")
    with pytest.raises(DatabaseFileError, match="cannot connect") as raised:
        Database.open(url.render_as_string(hide_password=False))
    assert "s3cret" not in str(raised.value)
    assert "***" in str(raised.value)


def test_the_url_shown_to_the_user_hides_the_password(db: Database, pg_url: str) -> None:
    assert make_url(pg_url).password
    assert db.url == make_url(pg_url).render_as_string(hide_password=True)
    assert make_url(db.url).password == "***"


def test_postgresql_without_a_driver_name_uses_psycopg(pg_url: str) -> None:
    plain = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    db = Database.open(plain)
    try:
        create_product(db, "WEB", "Web shop")
        assert load_board(db, "WEB").product.key == "WEB"
    finally:
        db.close()


def test_other_kinds_of_database_are_refused_by_name() -> None:
    with pytest.raises(NotADatabaseError, match="a SQLite file or a PostgreSQL database") as raised:
        Database.open("mysql+pymysql://po:s3cret@127.0.0.1/kanban")
    assert "s3cret" not in str(raised.value)


def test_a_read_is_one_snapshot_and_cannot_write(
    db: Database, pg_url: str, product: ProductInfo
) -> None:
    other = Database.open(pg_url)
    try:
        with db.read() as session:
            before = session.scalar(text("SELECT count(*) FROM items"))
            add_item(other, "WEB", "Committed meanwhile")
            assert session.scalar(text("SELECT count(*) FROM items")) == before
            with pytest.raises(InternalError, match="read-only transaction"):
                session.execute(text("DELETE FROM items"))
        assert [c.title for c in load_board(db, "WEB").cards] == ["Committed meanwhile"]
    finally:
        other.close()


def test_a_write_kept_waiting_past_the_busy_timeout_is_refused(
    db: Database, pg_url: str, product: ProductInfo
) -> None:
    quick = Database.open(pg_url, busy_timeout_ms=200)
    try:
        with db.write() as session:
            session.execute(text("SELECT 1"))  # holds the write lock from its first statement
            started = time.perf_counter()
            with pytest.raises(DatabaseBusyError, match="did not finish in time"):
                add_item(quick, "WEB", "Too impatient")
            waited = time.perf_counter() - started
        assert 0.15 < waited < 3
        assert add_item(quick, "WEB", "Once the other is done").key == "WEB-1"
    finally:
        quick.close()


def test_writes_are_one_at_a_time_across_databases(db: Database, pg_url: str) -> None:
    create_product(db, "WEB", "Web shop")
    other = Database.open(pg_url)
    order: list[str] = []
    try:
        with db.write() as session:
            session.execute(text("SELECT 1"))
            writer = threading.Thread(target=lambda: order.append(add_item(other, "WEB", "B").key))
            writer.start()
            time.sleep(0.3)
            order.append("first transaction still open")
        writer.join(5)
        assert order == ["first transaction still open", "WEB-1"]
    finally:
        other.close()


def test_data_version_changes_when_another_database_commits(db: Database, pg_url: str) -> None:
    other = Database.open(pg_url)
    try:
        seen = db.data_version()
        assert db.data_version() == seen  # nothing happened
        product = create_product(other, "WEB", "Web shop")
        after_product = db.data_version()
        assert after_product != seen
        # A write that logs no activity row (as the demo freezes its reports' figures).
        with other.write() as session:
            day = dt.date(2026, 11, 2)
            session.add(
                StatusUpdate(
                    product_id=product.id, period_start=day, period_end=day, health="on_track"
                )
            )
        assert db.data_version() != after_product
    finally:
        other.close()


def test_data_version_ignores_a_rolled_back_write(db: Database, pg_url: str) -> None:
    other = Database.open(pg_url)
    try:
        seen = db.data_version()
        with pytest.raises(IntegrityError), other.write() as session:
            session.execute(text("INSERT INTO products (key) VALUES ('X')"))
        assert db.data_version() == seen
    finally:
        other.close()


def test_data_version_survives_a_lost_connection(db: Database, pg_url: str, raw: Engine) -> None:
    seen = db.data_version()  # listens from now on
    with raw.connect() as conn:  # the server ends the listening session (restart, timeout)
        ended = conn.scalars(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = current_database() AND query = 'LISTEN {CHANGES_CHANNEL}'"
            )
        ).all()
    assert ended == [True]
    time.sleep(0.1)
    assert db.data_version() == seen  # the loss is noticed; nothing new was heard
    again = db.data_version()  # listening again: commits may have been missed meanwhile
    assert again != seen
    other = Database.open(pg_url)
    try:
        create_product(other, "WEB", "Web shop")
        assert db.data_version() != again
    finally:
        other.close()
