"""Opening a database: validate the file, back it up, migrate it, and hand out sessions."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import os
import sqlite3
import stat
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DatabaseError, DataError, OperationalError

from kanban.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    DatabaseFileError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
    ValidationError,
)
from kanban.files import SQLITE_HEADER, is_open_in_this_process
from kanban.files import file_id as _file_id
from kanban.files import hold as _hold
from kanban.files import release as _release
from kanban.storage.backup import copy_database
from kanban.storage.tables import metadata, postgresql_options

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.orm import Session, sessionmaker

FULL_CHECK_MAX_BYTES = 4 * 1024 * 1024
"""Files up to this size get SQLite's full integrity check on every open: about 80 ms at
4 MiB (some 8,000 items with their history) on a 2-core machine, against 0.7-1.5 s at
100,000 items (50 MB). Larger files get quick_check plus :func:`index_problem` (30 ms at
100,000 items), which finds the index damage quick_check misses; ``kanban check`` and File >
Check database always run the full check."""
INDEX_SPOTS = 16
"""Rows looked up in each index by the targeted check, spread over the table."""
# The tables of the first release (revision 0001): every revision has at least these.
FIRST_TABLES = frozenset(
    {
        "activities", "alembic_version", "board_columns", "item_labels", "items", "labels",
        "products", "questions", "sprints", "stakeholder_products", "stakeholders",
        "status_update_recipients", "status_updates", "team_members", "transitions",
    }
)  # fmt: skip
PAGE_SIZE = 2048
"""The page size of a new SQLite file. Every table and index takes at least a page (some 60
of them, most empty in a typical file), and a smaller page wastes less at the end of each;
measured at 10,000 cards (``benchmarks/bench_file_size``): 4,096 bytes 1.88 MB, 2,048 1.77
MB, 1,024 1.76 MB, and with 27,000 moves 3.36, 3.25 and 3.28 MB. A file made before revision
0006 keeps its 4,096 (changing it would take the file out of WAL mode, which needs every
other connection gone)."""
BUSY_TIMEOUT_MS = 5000
# PostgreSQL: every write transaction takes this advisory lock first (writers one at a time,
# as SQLite's BEGIN IMMEDIATE makes them) and notifies this channel when it commits.
WRITE_LOCK = int.from_bytes(b"kanban")
CHANGES_CHANNEL = "kanban_changes"


# The newest revision under migrations/versions. Opening a file already at this revision needs
# no Alembic at all (importing it costs ~0.2 s of a cold start); a test keeps it equal to
# Alembic's head.
SCHEMA_HEAD = "0008"


def _alembic_config(migrations: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    location = migrations or str(resources.files("kanban.storage") / "migrations")
    config.set_main_option("script_location", location)
    return config


def head_revision(migrations: str | None = None) -> str:
    """The newest schema revision this version of the app knows (from the Alembic scripts)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(migrations)).get_current_head()
    assert head is not None
    return head


def _revisions(migrations: str | None = None) -> tuple[str, set[str]]:
    """The head revision and every known one, from one read of the scripts (each read
    compiles every revision file)."""
    from alembic.script import ScriptDirectory

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


def inspect_sqlite_file(
    path: Path, *, full_check: bool = False, writable: bool = True
) -> str | None:
    """Check a database file without writing to it (nor creating anything beside it);
    return its schema revision.

    Returns None for a file that does not exist yet or holds no tables (a new database).
    Raises a DatabaseFileError naming the problem otherwise. ``full_check`` runs SQLite's
    full integrity check whatever the file's size; ``writable=False`` accepts a read-only
    file (a backup to restore from).
    """
    return _inspect_sqlite_file(path, full_check=full_check, writable=writable)


def _inspect_sqlite_file(
    path: Path, *, full_check: bool = False, writable: bool = True
) -> str | None:
    """See inspect_sqlite_file."""
    name = str(path)
    if not path.exists():
        if not path.parent.exists():
            return None
        if not os.access(path.parent, os.W_OK):
            raise ReadOnlyDatabaseError(name, "the folder is read-only; cannot create a database")
        return None
    if path.is_dir():
        raise NotADatabaseError(name, "is a folder, not a database file")
    _refuse_special_files(path)
    if is_open_in_this_process(path):
        # Checked when it was first opened; reading its header now with open()/close() would
        # drop this process's locks on it. SQLite itself tells the revision.
        return _revision_through_sqlite(path)
    size = path.stat().st_size
    wal_mode = False
    if size:
        with path.open("rb") as handle:  # no connection of ours exists: safe (see above)
            header = handle.read(100)
        if not header.startswith(SQLITE_HEADER):
            raise NotADatabaseError(name, "is not a kanban database (not a SQLite file)")
        if len(header) < 100:
            raise CorruptDatabaseError(name, "is truncated (the SQLite header is incomplete)")
        wal_mode = header[18] == 2  # the file format's write version: 2 is WAL
    if writable and _is_read_only(path):
        raise ReadOnlyDatabaseError(name, "is read-only; kanban needs to write to it")
    if not size:
        return None
    for _attempt in range(3):
        before = _stamp(path)
        revision = _probe(path, wal_mode, full_check)
        if _stamp(path) == before:
            return revision
    return revision  # the file kept changing: another process is using it; trust SQLite


def _refuse_special_files(path: Path) -> None:
    """A FIFO, a device or a socket is not a database: opening one would block, read a
    stream, or make SQLite create a journal beside it. Checked by stat, opening nothing."""
    mode = path.stat().st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISFIFO(mode):
        kind = "a FIFO"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    raise NotADatabaseError(str(path), f"is {kind}, not a database file")


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def _probe_uri(path: Path, wal_mode: bool) -> str:
    """How the probe reads the file: through SQLite, read-only, creating nothing beside it.

    A read-only connection to a WAL database creates -wal and -shm files, so a WAL file with
    no -wal beside it (no connection anywhere, no crash to recover) is read as immutable: its
    main file changes only at a checkpoint, which a connection opened meanwhile runs at the
    earliest after 1,000 pages or when it closes, and the caller reads again if the file
    changed during the probe. Any other file is read with ordinary read-only locking.
    """
    in_use = any(path.with_name(path.name + s).exists() for s in ("-wal", "-journal"))
    immutable = wal_mode and not in_use
    return f"{path.resolve().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"


def _lenient_text(value: bytes) -> str:
    # A damaged file may hold names and messages that are not UTF-8.
    return value.decode("utf-8", "replace")


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))


def _probe(path: Path, wal_mode: bool, full_check: bool = False) -> str | None:
    name = str(path)
    try:
        conn = sqlite3.connect(_probe_uri(path, wal_mode), uri=True)
    except sqlite3.Error as exc:
        raise CorruptDatabaseError(name, f"cannot be opened ({exc})") from exc
    conn.text_factory = _lenient_text
    try:
        full = full_check or path.stat().st_size <= FULL_CHECK_MAX_BYTES
        problem = _first_line(conn, "integrity_check" if full else "quick_check")
        if problem is None and not full:
            problem = index_problem(conn)
        if problem is not None:
            raise CorruptDatabaseError(name, f"is damaged ({_printable(problem)})")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise NotADatabaseError(name, "is a SQLite database, but not one made by kanban")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is not None:
            _require_schema(conn, name, str(row[0]))
    except sqlite3.DatabaseError as exc:
        reason = _printable(str(exc))
        raise CorruptDatabaseError(name, f"is damaged or truncated ({reason})") from exc
    except UnicodeDecodeError as exc:  # SQLite's own message quotes a name that is not text
        raise CorruptDatabaseError(
            name, "is damaged (its schema holds names that are not text)"
        ) from exc
    finally:
        conn.close()
    if row is None:
        raise CorruptDatabaseError(name, "has no schema version")
    return str(row[0])


def _first_line(conn: sqlite3.Connection, check: str) -> str | None:
    """The first problem SQLite's ``integrity_check`` or ``quick_check`` reports, or None."""
    answer = conn.execute(f"PRAGMA {check}(1)").fetchone()
    lines = [ln for ln in str(answer[0] if answer else "").splitlines() if "***" not in ln]
    return None if lines == ["ok"] else (lines[0] if lines else "no answer")


def _require_schema(conn: sqlite3.Connection, name: str, revision: str) -> None:
    """Refuse a file whose tables (at the newest revision: and columns) are not all there."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if revision != SCHEMA_HEAD:
        missing = sorted(FIRST_TABLES - tables)
    else:
        missing = sorted(set(metadata.tables) - tables)
        if not missing:
            for table in metadata.sorted_tables:
                have = {row[1] for row in conn.execute(f'PRAGMA table_info("{table.name}")')}
                missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in have]
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        raise CorruptDatabaseError(name, f"is damaged or incomplete (tables missing: {shown})")


def index_problem(conn: sqlite3.Connection) -> str | None:
    """A fast look for the index damage quick_check misses, in SQLite's own words, or None.

    For every index: as many entries as its table has rows (else "wrong # of entries in
    index"), and ``INDEX_SPOTS`` rows spread over the table each found through the index (else
    "row N missing from index"). Reads each index's b-tree once and a few pages more.
    """
    indexes = conn.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    ).fetchall()
    # A table WITHOUT ROWID (revision 0006's link tables) is its primary key's b-tree: its
    # other indexes get the count, not the lookups by rowid.
    keyed = {
        name
        for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        if "WITHOUT ROWID" in " ".join(str(sql).upper().split())
    }
    row_counts: dict[tuple[str, str], int] = {}
    for index, table, sql in indexes:
        columns = [row[2] for row in conn.execute(f'PRAGMA index_info("{index}")')]
        if not columns or None in columns:
            continue  # an index on expressions: left to the full check
        where = ""
        if sql and " WHERE " in sql.upper():
            where = sql[sql.upper().rindex(" WHERE ") + 7 :]
        condition = f" WHERE {where}" if where else ""
        try:
            (entries,) = conn.execute(
                f'SELECT count(*) FROM "{table}" INDEXED BY "{index}"{condition}'
            ).fetchone()
            if (table, condition) not in row_counts:
                (row_counts[table, condition],) = conn.execute(
                    f'SELECT count(*) FROM "{table}" NOT INDEXED{condition}'
                ).fetchone()
            rows = row_counts[table, condition]
            if entries != rows:
                return f"wrong # of entries in index {index}"
            missing = (
                None if table in keyed else _row_missing_from(conn, table, index, columns, where)
            )
        except sqlite3.OperationalError as exc:
            if "no query solution" in str(exc):
                continue  # SQLite cannot read this index alone: left to the full check
            raise
        if missing is not None:
            return f"row {missing} missing from index {index}"
    return None


def _row_missing_from(
    conn: sqlite3.Connection, table: str, index: str, columns: list[str], where: str
) -> int | None:
    low, high = conn.execute(f'SELECT min(rowid), max(rowid) FROM "{table}"').fetchone()
    if low is None:
        return None
    extra = f" AND ({where})" if where else ""
    listed = ", ".join(f'"{c}"' for c in columns)
    for spot in range(INDEX_SPOTS):
        start = low + (high - low) * spot // INDEX_SPOTS
        row = conn.execute(
            f'SELECT rowid, {listed} FROM "{table}" NOT INDEXED WHERE rowid >= ?{extra} '
            "ORDER BY rowid LIMIT 1",
            (start,),
        ).fetchone()
        if row is None:
            continue
        rowid, values = row[0], row[1:]
        tests = [
            f'"{c}" IS NULL' if v is None else f'"{c}" = ?'
            for c, v in zip(columns, values, strict=True)
        ]
        found = conn.execute(
            f'SELECT 1 FROM "{table}" INDEXED BY "{index}" WHERE {" AND ".join(tests)} '
            f"AND rowid = ?{extra}",
            (*(v for v in values if v is not None), rowid),
        ).fetchone()
        if found is None:
            return int(rowid)
    return None


def _revision_through_sqlite(path: Path) -> str:
    """The schema revision of a file this process already has open (checked then)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(str(path), f"is damaged ({exc})") from exc
    finally:
        conn.close()
    if row is None:
        raise CorruptDatabaseError(str(path), "has no schema version")
    return str(row[0])


def backup_sqlite_file(path: Path, revision: str) -> Path:
    """Copy a database aside with SQLite's online backup API (a temporary file, then a
    rename: a kill never leaves half a copy under this name); return the copy's path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")
    return copy_database(path, target)


def refuse_unknown_revision(name: str, revision: str | None, migrations: str | None = None) -> None:
    """NewerDatabaseError when a file's schema revision is not one this app knows."""
    head = SCHEMA_HEAD if migrations is None else _revisions(migrations)[0]
    if revision not in (None, head) and revision not in _revisions(migrations)[1]:
        raise NewerDatabaseError(
            name,
            f"was made by a newer version of kanban (schema {revision}); update the app to open it",
        )


def _sqlite_engine(url: str, begin: str, busy_timeout_ms: int) -> Engine:
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # WORKAROUND: pysqlite issues its own BEGINs; take transaction control over so that
        # writes start with BEGIN IMMEDIATE (a deferred read-then-write fails at once when busy).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # Only a new, empty file takes it (before WAL fixes the header): see PAGE_SIZE.
        cursor.execute(f"PRAGMA page_size={PAGE_SIZE}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        conn.exec_driver_sql(begin)  # type: ignore[attr-defined]

    return engine


def _postgres_engines(url: URL, busy_timeout_ms: int) -> tuple[Engine, Engine]:
    """A write engine and a read engine on a PostgreSQL database.

    Writes run one at a time: each write transaction first takes an advisory lock, so a rank
    or an item number is computed from what the previous writer committed (two concurrent
    moves would otherwise pick the same rank), and a writer that waits past the busy timeout
    gets DatabaseBusyError. Each write also notifies the other windows (see data_version).
    Reads see one snapshot (REPEATABLE READ) and cannot write.
    """
    postgresql_options()
    write = create_engine(url, pool_pre_ping=True)

    @event.listens_for(write, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {int(busy_timeout_ms)}")
        dbapi_connection.commit()

    @event.listens_for(write, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(
            f"SELECT pg_advisory_xact_lock({WRITE_LOCK}), pg_notify('{CHANGES_CHANNEL}', '')"
        )

    read = create_engine(
        url,
        pool_pre_ping=True,
        isolation_level="REPEATABLE READ",
        execution_options={"postgresql_readonly": True},
    )
    return write, read


def _postgres_url(url: str) -> URL:
    """The URL with the psycopg driver (``postgresql://`` alone would ask for psycopg2)."""
    parsed = make_url(url)
    return (
        parsed.set(drivername="postgresql+psycopg") if parsed.drivername == "postgresql" else parsed
    )


def _shown(url: str) -> str:
    """The URL as it may be shown to the user: without its password."""
    parsed = make_url(url)
    return url if parsed.password is None else parsed.render_as_string(hide_password=True)


def _is_busy(exc: OperationalError) -> bool:
    if getattr(exc.orig, "sqlstate", None) == "55P03":  # PostgreSQL: lock_timeout expired
        return True
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


class ReferenceMissingError(ValidationError):
    """A bulk write (:meth:`Database.bulk_write`) left a row referring to a missing one."""


def _broken_reference(connection: Connection) -> tuple[str, str] | None:
    """The first table with a row whose reference is missing, and the table it refers to
    (SQLite's ``foreign_key_check``); None when every reference holds or on PostgreSQL,
    which checks each row as it is written."""
    if connection.dialect.name != "sqlite":
        return None
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
    return None if broken is None else (str(broken[0]), str(broken[2]))


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
        self.url = _shown(url)
        """The database's URL, without its password."""
        self.path = path
        self.backup = backup
        """Where the file was copied before a migration in this open, if one ran."""
        self._migrations = migrations
        if path is not None:
            self._write_engine = _sqlite_engine(url, "BEGIN IMMEDIATE", busy_timeout_ms)
            self._read_engine = _sqlite_engine(url, "BEGIN", busy_timeout_ms)
            self._watch: sqlite3.Connection | None = sqlite3.connect(path, check_same_thread=False)
            self._file_id = _file_id(path)  # the watch connection has created the file
            if self._file_id is not None:
                _hold(self._file_id)
        else:
            self._write_engine, self._read_engine = _postgres_engines(
                _postgres_url(url), busy_timeout_ms
            )
            self._watch = None
            self._file_id = None
        self._listener: Any = None  # PostgreSQL: the connection that hears other writers
        self._commits_heard = 0
        self._listened = False
        self._sessionmakers: tuple[sessionmaker[Session], sessionmaker[Session]] | None = None

    @classmethod
    def open(
        cls, url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, migrations: str | None = None
    ) -> Database:
        """Open (creating or migrating) the database at a SQLAlchemy URL.

        A SQLite file is checked first without being written; a file that is not a kanban
        database, damaged, read-only or newer than this app raises a DatabaseFileError and
        stays byte-for-byte unchanged. An older file is copied aside before it is migrated.

        A PostgreSQL database (``postgresql+psycopg://user:password@host/name``) must exist
        and may be empty; it gets the schema on first open. One that cannot be reached, holds
        another app's tables or is newer raises a DatabaseFileError; an older one is migrated
        in one transaction (PostgreSQL's DDL is transactional), with no copy made.

        Args:
            url: A SQLAlchemy URL: a SQLite file, or a PostgreSQL database.
            busy_timeout_ms: How long a write waits for another writer before DatabaseBusyError.
            migrations: Another Alembic script directory (tests), whose scripts then build
                a new file too; by default a new file is made from the tables.
        """
        parsed = make_url(url)
        path: Path | None = None
        backup: Path | None = None
        revision: str | None = None
        head = SCHEMA_HEAD if migrations is None else _revisions(migrations)[0]
        if parsed.get_backend_name() == "sqlite":
            if not parsed.database or parsed.database == ":memory:":
                raise NotADatabaseError(url, "an in-memory database cannot be shared; use a file")
            path = Path(parsed.database)
            revision = _inspect_sqlite_file(path)
            refuse_unknown_revision(str(path), revision, migrations)
            path.parent.mkdir(parents=True, exist_ok=True)
            if revision is not None and revision != head:
                backup = backup_sqlite_file(path, revision)
        elif parsed.get_backend_name() != "postgresql":
            raise NotADatabaseError(
                _shown(url), "kanban keeps its data in a SQLite file or a PostgreSQL database"
            )
        elif importlib.util.find_spec("psycopg") is None:
            raise NotADatabaseError(
                _shown(url), "needs the PostgreSQL driver: pip install 'kanban[postgres]'"
            )
        database = cls(url, path, backup, busy_timeout_ms=busy_timeout_ms, migrations=migrations)
        try:
            if path is None:
                revision = database._server_revision(head, migrations)
            elif revision is not None:
                database._first_connection()
            if revision == head:
                return database  # up to date: no write transaction, no scripts to run
            if path is not None and revision is None and migrations is None:
                database.create_schema()
            else:
                database.migrate()
        except BaseException:
            database.close()
            raise
        return database

    def _first_connection(self) -> None:
        """Connect to an existing file as every session will (WAL, foreign keys): a schema
        that SQLite parses only then (a damaged CREATE statement that the read-only checks
        let through) is refused here in one line, not by the first command's query."""
        try:
            with self._busy_is_an_error(), self._write_engine.connect():
                pass
        except UnicodeDecodeError as exc:  # SQLite's message quotes a name that is not text
            raise CorruptDatabaseError(
                str(self.path), "is damaged (its schema holds names that are not text)"
            ) from exc
        except DatabaseError as exc:
            if "malformed" not in str(exc.orig or exc):
                raise
            reason = _printable(str(exc.orig or exc))
            raise CorruptDatabaseError(str(self.path), f"is damaged ({reason})") from exc

    def _server_revision(self, head: str, migrations: str | None) -> str | None:
        """The schema revision of a database on a server, None if it holds no tables yet.

        Raises a DatabaseFileError when the server cannot be reached or the database is not
        a kanban database, or was made by a newer version of kanban.
        """
        try:
            with self._read_engine.connect() as connection:
                tables = set(inspect(connection).get_table_names())
                version = "SELECT version_num FROM alembic_version"
                row = (
                    connection.execute(text(version)).first()
                    if "alembic_version" in tables
                    else None
                )
        except OperationalError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise DatabaseFileError(self.url, f"cannot connect ({reason})") from exc
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise NotADatabaseError(self.url, "holds tables, but is not a kanban database")
        if row is None:
            raise CorruptDatabaseError(self.url, "has no schema version")
        revision = str(row[0])
        if revision != head and revision not in _revisions(migrations)[1]:
            raise NewerDatabaseError(
                self.url,
                f"was made by a newer version of kanban (schema {revision}); update the app",
            )
        return revision

    def create_schema(self) -> None:
        """Make a new database at the newest schema from the tables, stamped with the head
        revision (Alembic's recipe for a new database: faster than replaying every script;
        tests/storage prove both ways build the same schema)."""
        from alembic import command

        config = _alembic_config(self._migrations)
        with self._busy_is_an_error(), self._write_engine.begin() as connection:
            metadata.create_all(connection)
            config.attributes["connection"] = connection
            command.stamp(config, "head")

    def migrate(self) -> None:
        """Bring the schema up to this app's newest revision (Alembic), in one transaction.

        On SQLite the scripts run with foreign keys off, as SQLite's ALTER TABLE procedure
        requires: a batch migration rebuilds a table by dropping the old one, and with foreign
        keys on that drop would cascade to (or be refused by) every row referring to it. The
        references are checked before the commit instead.
        """
        from alembic import command

        config = _alembic_config(self._migrations)
        with self._busy_is_an_error(), self._references_checked_at_commit() as connection:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if (broken := _broken_reference(connection)) is not None:
                    raise CorruptDatabaseError(
                        str(self.path),
                        f"has rows in {broken[0]} that refer to missing rows in {broken[1]}; "
                        "it was not migrated",
                    )
            if self.path is not None:
                self._compact(connection.connection.driver_connection)

    @contextlib.contextmanager
    def bulk_write(self) -> Iterator[Session]:
        """A write session for loading many rows (a restore), as :meth:`write` gives, whose
        references SQLite checks once, before the commit, rather than row by row (about a
        tenth of the inserts' time). The caller checks its rows' references itself; a row
        that still refers to a missing one raises :class:`ReferenceMissingError` and nothing
        is written. PostgreSQL checks them row by row, as :meth:`write` does.
        """
        if self.path is None:
            with self.write() as session:
                yield session
            return
        writer = self._sessions()[0]
        with (
            self._nul_is_an_error(),
            self._busy_is_an_error(),
            self._references_checked_at_commit() as connection,
            writer(bind=connection) as session,
            session.begin(),
        ):
            yield session
            session.flush()
            if (broken := _broken_reference(connection)) is not None:
                raise ReferenceMissingError(
                    f"a row of {broken[0]} refers to a missing row of {broken[1]}"
                )

    @contextlib.contextmanager
    def _references_checked_at_commit(self) -> Iterator[Connection]:
        """A write connection whose transactions leave the references unchecked (SQLite's
        foreign keys off; the setting only changes outside a transaction): the caller checks
        them with :func:`_broken_reference` before it commits. PostgreSQL's connection is
        given as it is."""
        with self._write_engine.connect() as connection:
            if self.path is None:
                yield connection
                return
            raw = connection.connection.driver_connection
            assert raw is not None  # a checked-out connection holds its driver's
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                yield connection
            finally:
                try:
                    raw.execute("PRAGMA foreign_keys=ON")
                except sqlite3.Error:  # never hand the pool a connection left unchecked
                    connection.invalidate()
                    raise

    def _compact(self, raw: Any) -> None:
        """Give back the room a migration freed (rows rewritten smaller, tables rebuilt):
        VACUUM, in a transaction of its own after the migration's commit, so a kill during
        it leaves the migrated file as it was. A file that cannot be compacted now (a disk
        too full for the copy VACUUM writes, another connection busy) stays as large."""
        with contextlib.suppress(sqlite3.OperationalError):
            raw.execute("VACUUM")

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
    def _nul_is_an_error(self) -> Iterator[None]:
        # PostgreSQL's text cannot hold U+0000 (SQLite's can): a clear refusal, not a
        # driver traceback, whichever service the text came through.
        try:
            yield
        except DataError as exc:
            if "NUL (0x00)" not in str(exc.orig or exc):
                raise
            raise ValidationError(
                "Text cannot hold the NUL character (\\x00) on a PostgreSQL database; "
                "nothing was saved"
            ) from None

    def _sessions(self) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
        """The (writer, reader) session factories, made on first use: the ORM loads then."""
        if self._sessionmakers is None:
            from sqlalchemy.orm import sessionmaker

            from kanban.storage.models import map_models

            map_models()
            self._sessionmakers = (
                sessionmaker(self._write_engine, expire_on_commit=False),
                sessionmaker(self._read_engine, expire_on_commit=False),
            )
        return self._sessionmakers

    def prepare_writes(self) -> None:
        """Load what the first session needs (SQLAlchemy's ORM, the mapped classes: ~0.15 s)
        now rather than at the user's first change; reads through :meth:`connect` need none."""
        self._sessions()

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction, committed on success, rolled back on error.

        Raises DatabaseBusyError when another connection keeps writing past the busy timeout.
        """
        writer = self._sessions()[0]
        with (
            self._nul_is_an_error(),
            self._busy_is_an_error(),
            writer() as session,
            session.begin(),
        ):
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session on one consistent snapshot, for reading only."""
        reader = self._sessions()[1]
        with self._nul_is_an_error(), reader() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        """A Core connection on one consistent snapshot, for reading only.

        For the reads on a start-up path (``kanban products``, the first screen): no ORM is
        loaded. Query the tables of ``kanban.storage.tables``.
        """
        with (
            self._nul_is_an_error(),
            self._read_engine.connect() as connection,
            connection.begin(),
        ):
            yield connection

    def data_version(self) -> int:
        """A number that changes whenever another connection commits to the database.

        SQLite counts commits itself (PRAGMA data_version). On PostgreSQL every write
        transaction notifies a channel, delivered only if it commits; this counts the
        notifications heard since the first call, plus one each time it listens again after
        losing the server (commits may have gone unheard meanwhile).
        """
        if self._watch is not None:
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
        import psycopg  # only with the postgres extra installed

        try:
            if self._listener is None:
                self._listener = self._listen()
            else:
                self._listener.execute("SELECT 1")  # delivers the notifications that came
        except psycopg.OperationalError:
            self._close_listener()  # the server went away: listen again on the next call
        return self._commits_heard

    def _listen(self) -> Any:
        import psycopg

        engine = self._read_engine
        args, kwargs = engine.dialect.create_connect_args(engine.url)
        listener = psycopg.connect(*args, **kwargs, autocommit=True)
        listener.add_notify_handler(self._heard)
        listener.execute(f"LISTEN {CHANGES_CHANNEL}")
        if self._listened:
            self._commits_heard += 1
        self._listened = True
        return listener

    def _heard(self, _notification: object) -> None:
        self._commits_heard += 1

    def _close_listener(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def close(self) -> None:
        """Release every connection to the database."""
        if self._watch is not None:
            self._watch.close()  # kept: data_version() then says the database is closed
        self._close_listener()
        self._write_engine.dispose()
        self._read_engine.dispose()
        if self._file_id is not None:
            _release(self._file_id)
            self._file_id = None
