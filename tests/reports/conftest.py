"""A small, realistic product built through the services, for every report test."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from report_helpers import Sample, build_sample

from kanban.services import open_database
from kanban.services.products import create_product


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Sample]:
    """The sample built once (through the services) into a database file to copy per test."""
    path = tmp_path_factory.mktemp("sample") / "kanban.db"
    db = open_database(str(path))
    sample = build_sample(db, create_product(db, "WEB", "Web shop"))
    db.close()
    return path, sample


@pytest.fixture
def sample(sample_template: tuple[Path, Sample], tmp_path: Path) -> Iterator[Sample]:
    """A fresh copy of the sample product in this test's own database file."""
    template, built = sample_template
    folder = tmp_path / "database"  # apart from the files a test writes into tmp_path
    folder.mkdir()
    target = folder / "kanban.db"
    for suffix in ("", "-wal"):
        if Path(f"{template}{suffix}").exists():
            shutil.copyfile(f"{template}{suffix}", f"{target}{suffix}")
    db = open_database(str(target))
    yield dataclasses.replace(built, db=db)
    db.close()
