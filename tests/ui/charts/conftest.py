"""The Charts screen on the sample products (built once, copied per test)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kanban.services import Database, open_database
from kanban.services.demo import create_demo
from kanban.ui.app import create_window
from kanban.ui.charts.screen import ChartsScreen
from kanban.ui.main_window import MainWindow


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding the sample products WEB and APP, with their history."""
    path = tmp_path_factory.mktemp("charts-sample") / "kanban.db"
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
def charts_window(qtbot: QtBot, sample_db: Database) -> MainWindow:
    """The main window on the sample, showing WEB."""
    window = create_window(sample_db)
    qtbot.addWidget(window)
    web = next(
        window.product_combo.itemData(i)
        for i in range(window.product_combo.count())
        if window.product_combo.itemData(i).key == "WEB"
    )
    window.select_product(web)
    window.resize(1200, 760)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def charts(charts_window: MainWindow) -> ChartsScreen:
    """The Charts screen, shown."""
    screen = charts_window.show_screen(ChartsScreen)
    assert isinstance(screen, ChartsScreen)
    return screen
