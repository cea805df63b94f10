"""Shared fixtures: a real database file per test, offscreen Qt."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KANBAN_USER", "po")
# Keep QSettings and the default database of the tests away from the real user's files.
_HOME = tempfile.mkdtemp(prefix="kanban-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
os.environ.pop("KANBAN_DB", None)

from cli_runner import Run, runner  # noqa: E402

from kanban.services import Database, open_database  # noqa: E402
from kanban.services.products import create_product  # noqa: E402
from kanban.services.records import ProductInfo  # noqa: E402


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where this test's database file lives."""
    return tmp_path / "kanban.db"


@pytest.fixture
def db_target(db_path: Path) -> str:
    """This test's database as the command line's --db names it."""
    return str(db_path)


@pytest.fixture
def db(db_target: str) -> Iterator[Database]:
    """A fresh, migrated database."""
    database = open_database(db_target)
    yield database
    database.close()


@pytest.fixture
def product(db: Database) -> ProductInfo:
    """A product WEB with the default columns."""
    return create_product(db, "WEB", "Web shop")


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """The command line, run in this process (see tests/cli_runner.py)."""
    return runner(capsys)
