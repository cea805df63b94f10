"""Importers: Trello, Jira and spreadsheet files read into plain records, no database.

Each parser turns a file into one :class:`~kanban.importers.records.SourceBoard` (pure:
a file in, records out, one-line :class:`~kanban.importers.records.ImportFileError` naming the
place otherwise); :mod:`kanban.services.importing` previews and writes it through the one bulk
writer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from kanban.importers.records import ImportFileError, SourceBoard

SOURCES = ("trello", "jira", "csv")
"""The formats ``kanban import`` reads besides its own JSON."""

Progress = Callable[[int, int], None]
"""Told (bytes read, file size) as a file is read."""


def read_source(
    source: str,
    path: Path,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> SourceBoard:
    """Read a file of one of :data:`SOURCES` (``mapping``: a spreadsheet's ``--map``)."""
    if source == "trello":
        from kanban.importers.trello import read_trello

        return read_trello(path, progress)
    if source == "jira":
        from kanban.importers.jira import read_jira

        return read_jira(path)
    if source == "csv":
        from kanban.importers.spreadsheet import read_csv

        return read_csv(path, mapping)
    raise ImportFileError(f"no importer for {source!r}: there are " + ", ".join(SOURCES))
