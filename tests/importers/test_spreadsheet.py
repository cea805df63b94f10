"""The spreadsheet parser: header names and --map, encodings, separators, bad cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kanban.domain import Category, ItemKind
from kanban.importers.records import ImportFileError
from kanban.importers.spreadsheet import parse_mapping, read_csv

FILES = Path(__file__).parent / "files"


def test_a_semicolon_file_with_a_bom_mapped_by_header_names() -> None:
    board = read_csv(FILES / "spreadsheet.csv")
    assert [(c.name, c.category) for c in board.columns] == [
        ("Backlog", Category.BACKLOG),
        ("To Do", Category.TODO),
        ("In Progress", Category.DOING),
        ("Done", Category.DONE),
    ]
    first = board.items[0]
    assert first.title == "Checkout page"  # the BOM is not part of the "Title" header
    assert (first.points, first.labels, first.assignee) == (5.0, ("frontend", "api"), "Ana Silva")
    assert (first.created_at, first.started_at, first.done_at) == (
        dt.datetime(2024, 3, 4),
        dt.datetime(2024, 3, 5),
        dt.datetime(2024, 3, 11),
    )
    assert dict(first.fields) == {"Team": "Payments"}  # an unmapped column is kept as text
    assert board.items[2].points == 3.5  # "3,5": a decimal comma
    assert board.items[1].kind == ItemKind.BUG
    assert board.items[-1].kind == ItemKind.TASK and board.items[-1].title == "Café menu"
    assert ("line 6", "no title") in board.skipped
    origins = [item.origin for item in board.items]
    assert origins == ["line 2", "line 3", "line 4", "line 5", "line 7"]


def test_map_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("What,Where,Size\nLogin,Doing,3\nShip,Live,1\n")
    board = read_csv(path, parse_mapping(["title=What", "status=where", "points=Size"]))
    assert [(item.title, item.column, item.points) for item in board.items] == [
        ("Login", "Doing", 3.0),
        ("Ship", "Live", 1.0),
    ]
    assert [(c.name, c.category) for c in board.columns] == [
        ("Doing", Category.DOING),
        ("Live", Category.DONE),
    ]


def test_without_a_status_column_the_dates_choose_the_column(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("title,started,done\nA,,\nB,2024-03-01,\nC,2024-03-01,2024-03-04\n")
    board = read_csv(path)
    assert [item.column for item in board.items] == ["To Do", "In Progress", "Done"]


def test_windows_1252_and_utf16_files_are_read(tmp_path: Path) -> None:
    cp = tmp_path / "excel.csv"
    cp.write_bytes("Title,Status\nCafé,Done\n".encode("cp1252"))
    board = read_csv(cp)
    assert board.items[0].title == "Café"
    assert "The file was read as Windows-1252 (it is not UTF-8)." in board.notes
    wide = tmp_path / "unicode.csv"
    wide.write_bytes("Title\tStatus\n検索\tDone\n".encode("utf-16"))
    assert read_csv(wide).items[0].title == "検索"


@pytest.mark.parametrize(
    ("content", "pairs", "message"),
    [
        (b"Name,Status\n", [], "no row with a title"),
        (b"Foo,Bar\nx,y\n", [], "no column is the title"),
        (b"", [], "the file is empty"),
        (b"Title,Created\nA,03/04/2024\n", [], "line 2, \"Created\": '03/04/2024' could be"),
        (b"Title,Points\nA,-3\n", [], 'line 2, "Points"'),
        (b"Title,Points\nA,lots\n", [], 'line 2, "Points"'),
        (b"Title\nA\n", ["title=Nope"], "no column 'Nope'"),
        (b"Title\nA\nB\x00\n", [], "line 3"),
        ("Title\nCafé\n".encode() + "Thé\n".encode("cp1252"), [], "line 3: not UTF-8"),
        ("Title\nThé\n".encode("cp1252") + "Café\n".encode(), [], "line 3: UTF-8 text while"),
    ],
)
def test_bad_files_get_one_line_naming_the_place(
    tmp_path: Path, content: bytes, pairs: list[str], message: str
) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as error:
        read_csv(path, parse_mapping(pairs))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_an_unknown_map_field_is_refused() -> None:
    with pytest.raises(ImportFileError, match="no field 'colour'; the fields are title, key"):
        parse_mapping(["colour=Color"])
    with pytest.raises(ImportFileError, match="write FIELD=COLUMN"):
        parse_mapping(["title"])
