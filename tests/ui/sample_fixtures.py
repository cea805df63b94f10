"""Fixtures on the sample products (built once per session, copied per test): imported by the
conftest of each folder whose tests want the sample in a window."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from kanban.services import Database, open_database
from kanban.services.demo import create_demo
from kanban.services.products import list_products
from kanban.ui.app import create_window
from kanban.ui.main_window import MainWindow


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding the sample products WEB and APP, with their history."""
    path = tmp_path_factory.mktemp("scoring-sample") / "kanban.db"
    db = open_database(str(path))
    create_demo(db)
    db.close()
    return path


@pytest.fixture
def sample_db(sample_file: Path, tmp_path: Path) -> Iterator[Database]:
    """This test's own copy of the sample."""
    target = tmp_path / "sample.db"
    for suffix in ("", "-wal"):
        if Path(f"{sample_file}{suffix}").exists():
            shutil.copyfile(f"{sample_file}{suffix}", f"{target}{suffix}")
    db = open_database(str(target))
    yield db
    db.close()


@pytest.fixture
def sample_window(qtbot: QtBot, sample_db: Database) -> MainWindow:
    """The main window on the sample, showing WEB, at 1280 x 800."""
    QSettings().remove("window/geometry")
    window = create_window(sample_db)
    qtbot.addWidget(window)
    web = next(p for p in list_products(sample_db) if p.key == "WEB")
    window.select_product(web)
    window.show()
    qtbot.waitExposed(window)
    return window
