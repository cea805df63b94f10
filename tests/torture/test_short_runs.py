"""A short run of each part of `make torture` (benchmarks/torture): the same code, smaller."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from benchmarks.torture import writers
from benchmarks.torture.common import Figures
from kanban.services import open_database


def test_concurrent_writers_lose_nothing_and_the_check_would_see_a_loss(
    db_target: str, backend: str, tmp_path: Path
) -> None:
    figures = writers.run_writers(db_target, backend, tmp_path, writers=3, ops=25, seed=7)
    assert figures.ok, figures
    assert figures.acknowledged > 50

    # The verification is not vacuous: one item changed behind the log's back is one loss.
    db = open_database(db_target)
    try:
        with db.write() as session:
            session.execute(text("UPDATE items SET title = 'behind the log' WHERE number = 1"))
    finally:
        db.close()
    again = Figures("check")
    writers.verify(db_target, sorted(tmp_path.glob("writer-*.jsonl")), again)
    assert (again.lost, again.corrupt) == (1, 0)
