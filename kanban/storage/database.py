"""Opening a database: validate the file, back it up, migrate it, and hand out sessions."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kanban.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
)
from kanban.storage.models import Activity, Base

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def _alembic_config(migrations: str | None = None) -> Config:
    config = Config()
    location = migrations or str(resources.files("kanban.storage") / "migrations")
    config.set_main_option("script_location", location)
    return config


def head_revision(migrations: str | None = None) -> str:
    """The newest schema revision this version of the app knows."""
    head = ScriptDirectory.from_config(_alembic_config(migrations)).get_current_head()
    assert head is not None
    return head


def _revisions(migrations: str | None = None) -> tuple[str, set[str]]:
    """The head revision and every known one, from one read of the scripts (each read
    compiles every revision file)."""
    script = ScriptDirectory.from_config(_alembic_config(migrations))
    head = script.get_current_head()
    assert head is not None
    return head, {rev.revision for rev in script.walk_revisions()}


def _is_read_only(path: Path) -> bool:
    # Mode bits too: root may write anywhere, but a file marked read-only means "hands off".
    mode = path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return True
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _inspect_sqlite_file(path: Path) -> str | None:
    """Check a database file without writing to it; return its schema revision.

    Returns None for a file that does not exist yet or holds no tables (a new database).
    Raises a DatabaseFileError naming the problem otherwise.
    """
    name = str(path)
    if not path.exists():
        if not path.parent.exists():
            return None
        if not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(name, "the folder is read-only; cannot create a database")
        return None
    if path.is_dir():
        raise NotADatabaseError(name, "is a folder, not a database file")
    size = path.stat().st_size
    if size:
        with path.open("rb") as handle:
            header = handle.read(100)
        if not header.startswith(SQLITE_HEADER):
            raise NotADatabaseError(name, "is not a kanban database (not a SQLite file)")
        if len(header) < 100:
            raise CorruptDatabaseError(name, "is truncated (the SQLite header is incomplete)")
    if _is_read_only(path):
        raise ReadOnlyDatabaseError(name, "is read-only; kanban needs to write to it")
    if not size:
        return None
    # A read-only connection to a WAL database creates -wal and -shm files beside it. With no
    # -wal or -journal beside the file (no other connection, no crash to recover) the file alone
    # holds the database: read it as immutable, which creates nothing.
    in_use = any(path.with_name(path.name + s).exists() for s in ("-wal", "-journal"))
    uri = f"{path.resolve().as_uri()}?mode=ro{'' if in_use else '&immutable=1'}"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise CorruptDatabaseError(name, f"cannot be opened ({exc})") from exc
    try:
        # One line of SQLite's report is enough for a message; the first names the damage.
        check = conn.execute("PRAGMA quick_check(1)").fetchone()
        lines = [ln for ln in str(check[0] if check else "").splitlines() if "***" not in ln]
        if lines != ["ok"]:
            raise CorruptDatabaseError(name, f"is damaged ({lines[0] if lines else 'no answer'})")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise NotADatabaseError(name, "is a SQLite database, but not one made by kanban")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(name, f"is damaged or truncated ({exc})") from exc
    finally:
        conn.close()
    if row is None:
        raise CorruptDatabaseError(name, "has no schema version")
    return str(row[0])


def backup_sqlite_file(path: Path, revision: str) -> Path:
    """Copy a database aside with SQLite's online backup API; return the copy's path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()
    return target


def _sqlite_engine(url: str, begin: str, busy_timeout_ms: int) -> Engine:
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # WORKAROUND: pysqlite issues its own BEGINs; take transaction control over so that
        # writes start with BEGIN IMMEDIATE (a deferred read-then-write fails at once when busy).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        conn.exec_driver_sql(begin)  # type: ignore[attr-defined]

    return engine


def _is_busy(exc: OperationalError) -> bool:
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


class Database:
    """One open kanban database: sessions for reading and writing, and change detection."""

    def __init__(
        self,
        url: str,
        path: Path | None,
        backup: Path | None = None,
        *,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        migrations: str | None = None,
    ) -> None:
        self.url = url
        self.path = path
        self.backup = backup
        """Where the file was copied before a migration in this open, if one ran."""
        self._migrations = migrations
        if path is not None:
            self._write_engine = _sqlite_engine(url, "BEGIN IMMEDIATE", busy_timeout_ms)
            self._read_engine = _sqlite_engine(url, "BEGIN", busy_timeout_ms)
            self._watch: sqlite3.Connection | None = sqlite3.connect(path, check_same_thread=False)
        else:
            self._write_engine = self._read_engine = create_engine(url)
            self._watch = None
        self._writer = sessionmaker(self._write_engine, expire_on_commit=False)
        self._reader = sessionmaker(self._read_engine, expire_on_commit=False)

    @classmethod
    def open(
        cls, url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, migrations: str | None = None
    ) -> Database:
        """Open (creating or migrating) the database at a SQLAlchemy URL.

        A SQLite file is checked first without being written; a file that is not a kanban
        database, damaged, read-only or newer than this app raises a DatabaseFileError and
        stays byte-for-byte unchanged. An older file is copied aside before it is migrated.

        Args:
            url: A SQLAlchemy URL.
            busy_timeout_ms: How long a write waits for another writer before DatabaseBusyError.
            migrations: Another Alembic script directory (tests), whose scripts then build
                a new file too; by default a new file is made from the models.
        """
        parsed = make_url(url)
        path: Path | None = None
        backup: Path | None = None
        revision: str | None = None
        head, known = _revisions(migrations)
        if parsed.get_backend_name() == "sqlite":
            if not parsed.database or parsed.database == ":memory:":
                raise NotADatabaseError(url, "an in-memory database cannot be shared; use a file")
            path = Path(parsed.database)
            revision = _inspect_sqlite_file(path)
            if revision is not None and revision not in known:
                raise NewerDatabaseError(
                    str(path),
                    "was made by a newer version of kanban "
                    f"(schema {revision}); update the app to open it",
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            if revision is not None and revision != head:
                backup = backup_sqlite_file(path, revision)
        database = cls(url, path, backup, busy_timeout_ms=busy_timeout_ms, migrations=migrations)
        if revision == head:
            return database  # up to date: no write transaction, no scripts to run
        try:
            if path is not None and revision is None and migrations is None:
                database.create_schema()
            else:
                database.migrate()
        except BaseException:
            database.close()
            raise
        return database

    def create_schema(self) -> None:
        """Make a new database at the newest schema from the models, stamped with the head
        revision (Alembic's recipe for a new database: faster than replaying every script;
        tests/storage prove both ways build the same schema)."""
        config = _alembic_config(self._migrations)
        with self._busy_is_an_error(), self._write_engine.begin() as connection:
            Base.metadata.create_all(connection)
            config.attributes["connection"] = connection
            command.stamp(config, "head")

    def migrate(self) -> None:
        """Bring the schema up to this app's newest revision (Alembic), in one transaction.

        On SQLite the scripts run with foreign keys off, as SQLite's ALTER TABLE procedure
        requires: a batch migration rebuilds a table by dropping the old one, and with foreign
        keys on that drop would cascade to (or be refused by) every row referring to it. The
        references are checked before the commit instead.
        """
        config = _alembic_config(self._migrations)
        with self._busy_is_an_error(), self._write_engine.connect() as connection:
            raw = connection.connection.driver_connection if self.path is not None else None
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=OFF")  # only outside a transaction
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                    if raw is not None:
                        self._check_references(connection)
            finally:
                if raw is not None:
                    raw.execute("PRAGMA foreign_keys=ON")

    def _check_references(self, connection: Connection) -> None:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
        if broken is not None:
            raise CorruptDatabaseError(
                str(self.path),
                f"has rows in {broken[0]} that refer to missing rows in {broken[2]}; "
                "it was not migrated",
            )

    @contextlib.contextmanager
    def _busy_is_an_error(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            if not _is_busy(exc):
                raise
            raise DatabaseBusyError(
                f"{self.path or self.url}: another window or command is saving to this "
                "database and did not finish in time; nothing was saved, try again"
            ) from exc

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction, committed on success, rolled back on error.

        Raises DatabaseBusyError when another connection keeps writing past the busy timeout.
        """
        with self._busy_is_an_error(), self._writer() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session on one consistent snapshot, for reading only."""
        with self._reader() as session, session.begin():
            yield session

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the database."""
        if self._watch is not None:
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
        with self.read() as session:
            return int(session.scalar(select(func.coalesce(func.max(Activity.id), 0))) or 0)

    def close(self) -> None:
        """Release every connection to the database."""
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        self._write_engine.dispose()
        self._read_engine.dispose()
