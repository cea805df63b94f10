"""The Trello parser on an export file written to mirror Trello's own (tests/importers/files)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from kanban.domain import Category
from kanban.importers.records import ImportFileError, SourceBoard
from kanban.importers.trello import read_trello

FILES = Path(__file__).parent / "files"
BOARD = FILES / "trello_board.json"


@pytest.fixture(scope="module")
def board() -> SourceBoard:
    return read_trello(BOARD)


def _item(board: SourceBoard, title: str) -> Any:
    return next(item for item in board.items if item.title == title)


def test_lists_become_columns_in_pos_order_with_guessed_categories(board: SourceBoard) -> None:
    assert [(c.name, c.category, c.archived) for c in board.columns] == [
        ("Backlog", Category.BACKLOG, False),
        ("To Do", Category.TODO, False),
        ("Doing", Category.DOING, False),
        ("Review", Category.DOING, False),
        ("Done", Category.DONE, False),
        ("Old ideas", Category.BACKLOG, True),
    ]
    assert board.columns[3].reason == 'the name has "review"'
    # A closed list with no card and no move is not a column, and says so.
    assert ('list "Parking lot"', "closed, with no card and no move") in board.skipped


def test_cards_in_list_order_then_pos_then_id_for_equal_pos(board: SourceBoard) -> None:
    titles = [item.title for item in board.items]
    assert titles == [
        "Copied card",
        "Tidy CSS",  # pos 65535 like "Write docs": the older id first
        "Write docs",
        "Search — résumé 検索 🔍",
        "Checkout page",
        "Login bug",
        "Old idea",
    ]


def test_moves_across_lists_and_back_at_their_dates(board: SourceBoard) -> None:
    checkout = _item(board, "Checkout page")
    names = {c.ref: c.name for c in board.columns}
    assert [(m.at, names[m.column]) for m in checkout.moves] == [
        (dt.datetime(2024, 3, 4, 9, 0), "To Do"),  # createCard's list
        (dt.datetime(2024, 3, 5, 10, 0), "Doing"),
        (dt.datetime(2024, 3, 7, 15, 0), "Review"),
        (dt.datetime(2024, 3, 8, 9, 0), "Doing"),
        (dt.datetime(2024, 3, 8, 16, 0), "Review"),
        (dt.datetime(2024, 3, 11, 11, 0), "Done"),
    ]
    assert checkout.created_at == dt.datetime(2024, 3, 4, 9, 0)


def test_card_fields(board: SourceBoard) -> None:
    checkout = _item(board, "Checkout page")
    assert checkout.description == "Pay by card & see the **total**."
    assert checkout.labels == ("frontend", "api")
    assert checkout.assignee == "Ana Silva"
    assert checkout.points == 5.0  # the number custom field "Story Points"
    assert dict(checkout.fields) == {"Team": "Payments", "Priority": "High", "Reviewed": "yes"}
    assert [(c.text, c.done) for c in checkout.checklist] == [
        ("Acceptance: Shows the total", False),
        ("Acceptance: Pays by card", True),
        ("Release: Feature flag on", False),
    ]
    assert [(c.author, c.at, c.text) for c in checkout.comments] == [
        ("Ben Okafor", dt.datetime(2024, 3, 6, 14, 30), "Use the new payments API ✓"),
        (
            "Ana Silva",
            dt.datetime(2024, 3, 8, 9, 5),
            "Back to Doing: the total is wrong for €0.10 items",
        ),
    ]
    assert checkout.external_key == "Sh000001"


def test_unicode_several_members_unnamed_label_and_due(board: SourceBoard) -> None:
    search = _item(board, "Search — résumé 検索 🔍")
    assert search.assignee == "Ana Silva"
    assert dict(search.fields)["Trello members"] == "Ana Silva, Ben Okafor"
    assert search.labels == ("red",)  # a label without a name is named by its colour
    assert search.due_date == dt.date(2024, 3, 20)
    assert any("several members" in note for note in board.notes)


def test_creation_from_the_id_without_a_create_action(board: SourceBoard) -> None:
    tidy = _item(board, "Tidy CSS")
    assert tidy.created_at == dt.datetime(2024, 3, 4, 12, 0)
    assert [m.at for m in tidy.moves] == [dt.datetime(2024, 3, 4, 12, 0)]
    docs = _item(board, "Write docs")  # missing optional fields (no badges, no desc data)
    assert docs.description == "" and docs.due_date is None and docs.points is None


def test_archived_cards_and_cards_of_closed_lists(board: SourceBoard) -> None:
    assert _item(board, "Login bug").archived
    assert _item(board, "Old idea").archived
    assert not _item(board, "Checkout page").archived


def test_a_move_before_the_creation_is_left_out_and_listed(board: SourceBoard) -> None:
    copied = _item(board, "Copied card")
    assert [m.at for m in copied.moves] == [dt.datetime(2024, 3, 8, 10, 0)]
    assert any(
        entry.what.startswith('card "Copied card"') and "earlier than" in entry.why
        for entry in board.skipped
    )


def test_how_far_back_the_history_goes(board: SourceBoard) -> None:
    assert board.history_from == dt.datetime(2024, 3, 2, 10, 0)
    assert "The history goes back to 2024-03-02 (18 actions)." in board.notes


def test_a_capped_export_says_the_older_history_is_missing(tmp_path: Path) -> None:
    data = json.loads(BOARD.read_text())
    action = data["actions"][0]
    data["actions"] = [dict(action, id=f"{n:024x}") for n in range(1000)]
    path = tmp_path / "capped.json"
    path.write_text(json.dumps(data))
    notes = " ".join(read_trello(path).notes)
    assert "Trello stops an export at 1,000 actions" in notes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"name": "x", "cards": [], "lists": [', "is not valid JSON (line 1"),
        ("[1, 2]", "not a Trello board export"),
        ('{"name": "x"}', "no cards and no lists"),
        (
            '{"cards": [{"id": "a", "name": 5, "idList": "l"}], "lists": []}',
            'card 1: "name" is a number',
        ),
        ('{"cards": {"a": 1}, "lists": []}', '"cards" is an object, not a list'),
        (
            '{"lists": [], "cards": [{"id": "a", "name": "n", "idList": "l"}]}',
            "its list 'l' is not on the board",
        ),
        (
            '{"actions": [{"type": "updateCard", "date": "yesterday", "data": {}}], '
            '"cards": [], "lists": []}',
            "action 1: \"date\" 'yesterday' is not a date",
        ),
        ('{"cards": [], "lists": [{"id": "l", "name": "A", "pos": "top"}]}', "\"pos\" 'top'"),
    ],
)
def test_hostile_files_get_one_line_naming_the_place(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "board.json"
    path.write_text(text)
    with pytest.raises(ImportFileError) as error:
        read_trello(path)
    assert message in str(error.value)
    assert str(error.value).startswith(str(path))
    assert "\n" not in str(error.value)


def test_not_utf8_and_too_large_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"name": "Caf\xe9", "cards": [], "lists": []}'.encode("latin-1"))
    with pytest.raises(ImportFileError, match="not UTF-8"):
        read_trello(path)
    big = tmp_path / "big.json"
    with big.open("wb") as out:
        out.truncate(257 * 1024 * 1024)  # sparse: no disk used
    with pytest.raises(ImportFileError, match="larger than the import limit of 256 MiB"):
        read_trello(big)
