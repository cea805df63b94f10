"""A damaged CHECK constraint (found by `make torture`'s damaged files, issue 8.8).

SQLite parses a table's CHECK constraints only on a connection that may write: the read-only
probe and its integrity check pass such a file, and the first connection of the app failed
in the middle of a command (a UnicodeDecodeError traceback when the damaged text was not
UTF-8, since SQLite's message quotes it). It is refused on open, in one line, untouched.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import kanban
from kanban.services import open_database
from kanban.services.products import create_product

REPO = Path(kanban.__file__).resolve().parent.parent
CHECK = "CHECK (length(trim(text)) > 0)"


def damaged_check(path: Path, replacement: bytes) -> None:
    """A real file whose checklist_templates' CHECK constraint compares with ``replacement``."""
    db = open_database(str(path))
    create_product(db, "WEB", "Web shop")
    db.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ? || CAST(? AS TEXT) || ')') "
        "WHERE name = 'checklist_templates'",
        (CHECK, CHECK[:-2], replacement),
    )
    conn.commit()
    conn.close()
    assert not path.with_name(path.name + "-wal").exists()


@pytest.mark.parametrize(
    ("replacement", "reason"),
    [
        (b"\xb0", "is damaged (its schema holds names that are not text)"),
        (b"nosuchcolumn", "is damaged (malformed database schema (checklist_templates)"),
    ],
    ids=["not UTF-8", "no such column"],
)
def test_a_damaged_check_constraint_is_refused_on_open_in_one_line_untouched(
    tmp_path: Path, replacement: bytes, reason: str
) -> None:
    path = tmp_path / "kanban.db"
    damaged_check(path, replacement)
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    result = subprocess.run(
        [sys.executable, "-m", "kanban", "--db", str(path), "products"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )

    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"kanban: {path}: {reason}")
    assert result.stderr.count("\n") == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kanban.db"]
