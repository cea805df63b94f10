"""Shared fixtures: a real database per test, offscreen Qt.

``db`` (and ``db_target``, what --db names) is a fresh SQLite file. The services and command-
line suites (``BOTH_BACKENDS``) run each of their tests on SQLite and, when
$KANBAN_TEST_POSTGRES_URL names a server (CI sets it), again on a fresh database on
PostgreSQL: ``pytest_generate_tests`` parametrises ``backend``. A test about the SQLite file
itself (it asks for ``db_path``, or is marked ``sqlite_only``) runs on SQLite alone.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KANBAN_USER", "po")
# Keep QSettings and the default database of the tests away from the real user's files.
_HOME = tempfile.mkdtemp(prefix="kanban-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
os.environ.pop("KANBAN_DB", None)

from cli_runner import Run, runner  # noqa: E402
from pg_server import (  # noqa: E402, F401  (fixtures)
    SERVER_ENV,
    admin,
    new_database,
    pg_shared,
    pg_template,
    pg_url,
    server,
)

from kanban.services import Database, open_database, readahead  # noqa: E402
from kanban.services.products import create_product  # noqa: E402
from kanban.services.records import ProductInfo  # noqa: E402

TESTS = Path(__file__).parent
BOTH_BACKENDS = ("services", "cli", "torture")
"""The folders whose tests run on SQLite and on PostgreSQL."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a services or command-line test on PostgreSQL too, when a server is given."""
    if "backend" not in metafunc.fixturenames or not os.environ.get(SERVER_ENV):
        return
    folder = Path(metafunc.definition.path).relative_to(TESTS).parts[0]
    if (
        folder in BOTH_BACKENDS
        and "db_path" not in metafunc.fixturenames
        and metafunc.definition.get_closest_marker("sqlite_only") is None
    ):
        metafunc.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """Where this test's database lives: ``sqlite`` (a file) or ``postgresql`` (a server)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(autouse=True)
def no_window_outlives_its_test() -> Iterator[None]:
    """Fail a test that leaves a top-level widget behind once pytest-qt has closed and
    deleted the widgets given to ``qtbot.addWidget`` (a leaked window keeps its database,
    timers and signal connections alive into the next tests)."""
    before = _top_level_widgets()
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    left = [w for key, w in _top_level_widgets().items() if key not in before]
    names = sorted(f"{type(w).__name__}({w.windowTitle()!r})" for w in left)
    for widget in left:  # the next test starts clean either way
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not left, f"top-level widgets outlived the test: {', '.join(names)}"


def _top_level_widgets() -> dict[int, Any]:
    if "PySide6.QtWidgets" not in sys.modules:
        return {}
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return {}
    return {id(w): w for w in QApplication.topLevelWidgets()}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where this test's database file lives (asking for it makes a test SQLite-only)."""
    return tmp_path / "kanban.db"


@pytest.fixture
def db_target(backend: str, request: pytest.FixtureRequest) -> str:
    """This test's database as the command line's --db names it: a file, or a URL."""
    if backend == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(request.getfixturevalue("db_path"))


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


@pytest.fixture(params=["read here", "read ahead"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with an export file read in this process, and again with it read by a
    second process (kanban.services.readahead, which large files get), checking it was."""
    if request.param == "read ahead":
        monkeypatch.setattr(readahead, "READ_AHEAD_BYTES", 0)
        real = readahead.read_ahead

        @contextlib.contextmanager
        def read_ahead(path: Path) -> Iterator[Any]:
            with real(path) as reading:
                assert reading is not None, "the second process did not start"
                yield reading

        monkeypatch.setattr(readahead, "read_ahead", read_ahead)
    return str(request.param)
