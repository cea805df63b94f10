"""Property-based fuzzing of each parser: any input gives a board or one ImportFileError line.

Inputs are the fixture exports cut short or with bytes changed, and structures built from
each format's own vocabulary with values of every JSON type, so the parsers meet the shapes
they expect holding the wrong things.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kanban.importers.jira import read_jira
from kanban.importers.records import ImportFileError, SourceBoard
from kanban.importers.spreadsheet import read_csv
from kanban.importers.trello import read_trello

FILES = Path(__file__).parent / "files"
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TRELLO_KEYS = (
    "id", "name", "desc", "closed", "idList", "pos", "type", "date", "data", "card", "list",
    "listBefore", "listAfter", "text", "memberCreator", "fullName", "idMembers", "idLabels",
    "labels", "color", "checkItems", "state", "idCard", "customFieldItems", "idCustomField",
    "value", "number", "idValue", "options", "due", "shortLink",
)  # fmt: skip
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "2024-03-04T09:00:00.000Z",
            "65e58f000000000000000001",
            "updateCard",
            "createCard",
            "commentCard",
            "complete",
            "number",
        ]
    )
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(_TRELLO_KEYS), inner, max_size=6)
    ),
    max_leaves=25,
)


def _outcome(read: Callable[[Path], SourceBoard], content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"file{suffix}"
        path.write_bytes(content)
        try:
            board = read(path)
        except ImportFileError as error:
            message = str(error)
            assert message and "\n" not in message
            return
        assert isinstance(board, SourceBoard)
        refs = {column.ref for column in board.columns}
        assert all(item.column in refs for item in board.items)
        assert all(move.column in refs for item in board.items for move in item.moves)


def _mutated(original: bytes) -> st.SearchStrategy[bytes]:
    cut = st.integers(0, len(original)).map(lambda n: original[:n])
    flips = st.lists(
        st.tuples(st.integers(0, len(original) - 1), st.integers(0, 255)), min_size=1, max_size=4
    ).map(lambda changes: _apply(original, changes))
    return cut | flips


def _apply(original: bytes, changes: list[tuple[int, int]]) -> bytes:
    data = bytearray(original)
    for index, byte in changes:
        data[index] = byte
    return bytes(data)


_TRELLO = (FILES / "trello_board.json").read_bytes()
_JIRA_CSV = (FILES / "jira_export.csv").read_bytes()
_JIRA_XML = (FILES / "jira_export.xml").read_bytes()
_SHEET = (FILES / "spreadsheet.csv").read_bytes()


@SETTINGS
@given(_mutated(_TRELLO))
def test_trello_cut_or_changed(content: bytes) -> None:
    _outcome(read_trello, content, ".json")


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "name",
                "actions",
                "cards",
                "lists",
                "labels",
                "members",
                "checklists",
                "customFields",
                "prefs",
            ]
        ),
        st.lists(_VALUES, max_size=5) | _VALUES,
        max_size=8,
    )
)
def test_trello_wrong_types(document: dict[str, Any]) -> None:
    _outcome(read_trello, json.dumps(document).encode(), ".json")


@SETTINGS
@given(_mutated(_JIRA_CSV))
def test_jira_csv_cut_or_changed(content: bytes) -> None:
    _outcome(read_jira, content, ".csv")


@SETTINGS
@given(_mutated(_JIRA_XML))
def test_jira_xml_cut_or_changed(content: bytes) -> None:
    _outcome(read_jira, content, ".xml")


_HEADER = b"Summary,Issue key,Status,Created,Resolved,Custom field (Story Points),Labels,Sprint\n"


@SETTINGS
@given(st.lists(st.lists(st.text(max_size=10), min_size=0, max_size=9), max_size=6))
def test_jira_csv_any_cells(rows: list[list[str]]) -> None:
    lines = [",".join(json.dumps(cell) for cell in row) for row in rows]
    _outcome(read_jira, _HEADER + "\n".join(lines).encode("utf-8", "surrogatepass"), ".csv")


@SETTINGS
@given(_mutated(_SHEET) | st.binary(max_size=200))
def test_spreadsheet_cut_changed_or_random(content: bytes) -> None:
    _outcome(read_csv, content, ".csv")


@SETTINGS
@given(
    st.lists(
        st.lists(
            st.text(max_size=10) | st.sampled_from(["2024-03-04", "12/Mar/24 3:15 PM", "-1"]),
            max_size=8,
        ),
        max_size=6,
    )
)
def test_spreadsheet_any_cells(rows: list[list[str]]) -> None:
    header = b"title;type;points;status;labels;created;started;done\n"
    lines = [";".join(cell.replace(";", ",") for cell in row) for row in rows]
    _outcome(read_csv, header + "\n".join(lines).encode("utf-8", "surrogatepass"), ".csv")
