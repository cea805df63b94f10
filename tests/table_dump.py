"""Every row of every table of a SQLite database, for exact round-trip comparisons."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

from kanban.storage.models import Base

SAMPLE_GAPS = frozenset({"imports", "item_fields"})
"""Tables the sample data (`kanban demo`) leaves empty; whoever makes the sample fill one takes
it out, so export/import round trips cover it. These two stay empty on purpose: ``imports``
logs files imported from elsewhere and ``item_fields`` keeps a foreign source's fields the app
has no column for; the sample is made, not imported (the importers' tests fill both)."""


def empty_tables(tables: dict[str, list[tuple[Any, ...]]]) -> set[str]:
    """The names of the tables of a dump that hold no row."""
    return {name for name, rows in tables.items() if not rows}


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as SQLite stores it, read with a raw connection."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = {}
        for table in Base.metadata.sorted_tables:
            keys = ", ".join(c.name for c in table.primary_key.columns)
            tables[table.name] = conn.execute(
                f"SELECT * FROM {table.name} ORDER BY {keys}"
            ).fetchall()
        return tables
