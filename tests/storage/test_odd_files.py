"""Odd database files (issue 8.3): not regular files, incomplete, damaged in ways SQLite's quick
check misses, or with names that are not text. Each is refused with one line, left byte for
byte as it was, with nothing created beside it; and a file open in this process is never the
target of an export."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import kanban
from kanban.errors import CorruptDatabaseError, DatabaseFileError, FileWriteError, NotADatabaseError
from kanban.files import write_atomically
from kanban.services import open_database
from kanban.services.items import add_item
from kanban.services.products import create_product
from kanban.services.questions import ask_question
from kanban.storage import database

REPO = Path(kanban.__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kanban_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A small real kanban database, closed, as bytes: questions about items (an index)."""
    path = tmp_path_factory.mktemp("real") / "kanban.db"
    db = open_database(str(path))
    create_product(db, "WEB", "Web shop")
    for number in range(1, 13):
        add_item(db, "WEB", f"Story {number}")
        ask_question(db, "WEB", f"Question {number}?", item_ref=f"WEB-{number}")
    db.close()
    return path.read_bytes()


def make_fifo(path: Path, _real: bytes) -> None:
    os.mkfifo(path)


def make_character_device(path: Path, _real: bytes) -> None:
    try:
        os.mknod(path, 0o666 | 0o020000, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:  # not root: a link to the real one is the same to the app
        path.symlink_to("/dev/null")


def make_alembic_version_only(path: Path, _real: bytes) -> None:
    """A SQLite file in rollback-journal mode holding only a schema version, the newest."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    conn.execute("INSERT INTO alembic_version VALUES (?)", (database.SCHEMA_HEAD,))
    conn.commit()
    conn.close()


def _writable_schema(path: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema=ON")
    for sql, params in statements:
        conn.execute(sql, params)
    conn.commit()
    conn.close()


def make_schema_name_not_utf8(path: Path, real: bytes) -> None:
    path.write_bytes(real)
    _to_rollback_mode(path)
    _writable_schema(
        path,
        (
            "UPDATE sqlite_master SET name = CAST(X'6978ff5f71' AS TEXT) WHERE name = ?",
            ("ix_questions_item_id",),
        ),
    )


def make_index_of_another_column(path: Path, real: bytes) -> None:
    """The index's schema says it indexes one column, its entries are another's: every row
    is missing from it, and quick_check sees nothing."""
    path.write_bytes(real)
    _writable_schema(
        path,
        (
            "UPDATE sqlite_master SET sql = ? WHERE name = ?",
            (
                "CREATE INDEX ix_questions_item_id ON questions (product_id)",
                "ix_questions_item_id",
            ),
        ),
    )
    _to_rollback_mode(path)


def make_index_with_stale_entries(path: Path, real: bytes) -> None:
    """Rows deleted while the index was hidden from SQLite: the index keeps their entries
    ("wrong # of entries", the damage of issue 8.1), and quick_check sees nothing."""
    path.write_bytes(real)
    conn = sqlite3.connect(path)
    row = conn.execute(
        "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE name = ?",
        ("ix_questions_item_id",),
    ).fetchone()
    conn.close()
    _writable_schema(path, ("DELETE FROM sqlite_master WHERE name = ?", (row[1],)))
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM questions WHERE id % 2 = 0")
    conn.commit()
    conn.close()
    _writable_schema(path, ("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", row))
    _to_rollback_mode(path)


def _to_rollback_mode(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    for suffix in ("-wal", "-shm"):
        assert not path.with_name(path.name + suffix).exists()


def quick_check(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        conn.close()


CASES: dict[str, tuple[Callable[[Path, bytes], None], type[DatabaseFileError], str]] = {
    "a FIFO": (make_fifo, NotADatabaseError, "is a FIFO, not a database file"),
    "a character device": (make_character_device, NotADatabaseError, "is a device"),
    "only alembic_version": (make_alembic_version_only, CorruptDatabaseError, "tables missing"),
    "a schema name not UTF-8": (make_schema_name_not_utf8, CorruptDatabaseError, "damaged"),
    "an index of another column": (
        make_index_of_another_column,
        CorruptDatabaseError,
        "missing from index ix_questions_item_id",
    ),
    "an index with stale entries": (
        make_index_with_stale_entries,
        CorruptDatabaseError,
        "wrong # of entries in index ix_questions_item_id",
    ),
}


def fingerprint(folder: Path) -> dict[str, tuple[str | None, int]]:
    """Every entry of the folder: sha256 of regular files (None otherwise) and mode bits."""
    return {
        entry.name: (
            hashlib.sha256(entry.read_bytes()).hexdigest() if entry.is_file() else None,
            entry.lstat().st_mode,
        )
        for entry in sorted(folder.iterdir())
    }


def kanban_cli(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kanban", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )


@pytest.mark.parametrize("case", CASES)
def test_an_odd_file_is_refused_in_one_line_and_left_untouched(
    tmp_path: Path, kanban_bytes: bytes, case: str
) -> None:
    make, error, problem = CASES[case]
    path = tmp_path / "f.db"
    make(path, kanban_bytes)
    before = fingerprint(tmp_path)

    with pytest.raises(error) as caught:
        open_database(str(path))

    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message
    assert "\n" not in message and message.isprintable()
    assert fingerprint(tmp_path) == before  # byte for byte, nothing beside it


@pytest.mark.parametrize("case", CASES)
def test_the_command_line_says_so_in_one_line_and_exits_non_zero(
    tmp_path: Path, kanban_bytes: bytes, case: str
) -> None:
    make, _error, problem = CASES[case]
    path = tmp_path / "f.db"
    make(path, kanban_bytes)
    before = fingerprint(tmp_path)

    result = kanban_cli(path, "products")

    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"kanban: {path}: ")
    assert problem in result.stderr and "Traceback" not in result.stderr
    assert fingerprint(tmp_path) == before


@pytest.mark.parametrize("case", ["an index of another column", "an index with stale entries"])
def test_index_damage_is_found_on_a_large_file_by_the_targeted_check(
    tmp_path: Path, kanban_bytes: bytes, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the size where the full integrity check is affordable on every open, the index
    entry counts and spot lookups of each index still find the damage quick_check misses."""
    make, error, _problem = CASES[case]
    path = tmp_path / "f.db"
    make(path, kanban_bytes)
    assert quick_check(path) == "ok"
    monkeypatch.setattr(database, "FULL_CHECK_MAX_BYTES", 0)
    before = fingerprint(tmp_path)
    with pytest.raises(error, match="ix_questions_item_id"):
        open_database(str(path))
    assert fingerprint(tmp_path) == before


def test_a_sound_large_file_passes_the_targeted_check(
    tmp_path: Path, kanban_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.db"
    path.write_bytes(kanban_bytes)
    monkeypatch.setattr(database, "FULL_CHECK_MAX_BYTES", 0)
    open_database(str(path)).close()


# --- exports never replace a database ---------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_an_export_onto_the_open_database_or_its_wal_is_refused(
    run, tmp_path: Path, kanban_bytes: bytes, suffix: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "k.db"
    path.write_bytes(kanban_bytes)
    db = open_database(str(path))
    try:
        add_item(db, "WEB", "Only in the -wal so far")
        target = path.with_name(path.name + suffix)
        assert target.exists()
        before = target.stat().st_ino
        for args in (
            ("export", "json", "-o", target),
            ("report", "WEB", "--format", "md", "-o", target),
        ):
            result = run("--db", path, *args)
            assert result.code == 1 and result.out == ""
            assert result.err.startswith(f"kanban: Cannot write {target}: ")
            assert "database" in result.err and result.err.count("\n") == 1
        with pytest.raises(FileWriteError, match="database"):
            write_atomically(target, b"{}")
        assert target.stat().st_ino == before  # never replaced
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    finally:
        db.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM items").fetchone() == (13,)
    finally:
        conn.close()


def test_an_export_onto_another_database_file_is_refused(
    run, tmp_path: Path, kanban_bytes: bytes
) -> None:  # type: ignore[no-untyped-def]
    mine, other = tmp_path / "mine.db", tmp_path / "other.db"
    mine.write_bytes(kanban_bytes)
    other.write_bytes(kanban_bytes)
    result = run("--db", mine, "export", "json", "-o", other)
    assert result.code == 1 and "is a database" in result.err
    assert other.read_bytes() == kanban_bytes
