"""Service-test helpers: a fresh database file per test (copied from a migrated template), and
raw reads of whole tables to prove what a service call wrote and what it left alone."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from kanban.services import Database, open_database
from kanban.services.demo import create_demo
from kanban.services.transfer import write_export
from kanban.storage.models import Base

Rows = Callable[..., list[dict[str, Any]]]


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the newest schema, made once (migrating costs ~50 ms a file)."""
    path = tmp_path_factory.mktemp("template") / "kanban.db"
    open_database(str(path)).close()
    return path


@pytest.fixture
def db_path(tmp_path: Path, migrated_template: Path) -> Path:
    """This test's own database file: a copy of the migrated template."""
    path = tmp_path / "kanban.db"
    shutil.copyfile(migrated_template, path)
    return path


@pytest.fixture
def rows(db: Database) -> Rows:
    """``rows("items")``: every row of a table as dicts, by id (or ``order``), read raw."""

    def read(table: str, order: str = "id", where: str = "1 = 1") -> list[dict[str, Any]]:
        with db.read() as session:
            result = session.execute(text(f"SELECT * FROM {table} WHERE {where} ORDER BY {order}"))
            return [dict(row._mapping) for row in result]

    return read


@pytest.fixture
def count(rows: Rows) -> Callable[[str], int]:
    """``count("transitions")``: how many rows a table holds."""
    return lambda table: len(rows(table, order="1"))


@pytest.fixture
def snapshot(db: Database) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    """``snapshot()``: every row of every table, to prove a refused call wrote nothing."""

    def read() -> dict[str, list[tuple[Any, ...]]]:
        with db.read() as session:
            return {
                name: [
                    tuple(row)
                    for row in session.execute(
                        text(f"SELECT * FROM {name} ORDER BY {_primary_key(table)}")
                    )
                ]
                for name, table in Base.metadata.tables.items()
            }

    return read


def _primary_key(table: Any) -> str:
    return ", ".join(column.name for column in table.primary_key)


@pytest.fixture(scope="session")
def sample_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A database file of the sample data (as of 2026-03-12) and its export file, made once;
    tests only read them."""
    folder = tmp_path_factory.mktemp("sample")
    db = open_database(str(folder / "sample.db"))
    try:
        create_demo(db, dt.date(2026, 3, 12))
        write_export(db, folder / "sample.json")
    finally:
        db.close()
    return folder / "sample.db", folder / "sample.json"
