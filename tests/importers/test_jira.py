"""The Jira parser on CSV and XML exports written to mirror Jira's (tests/importers/files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kanban.domain import Category, ItemKind
from kanban.importers.jira import read_jira
from kanban.importers.records import ImportFileError, SourceBoard, SourceItem

FILES = Path(__file__).parent / "files"


@pytest.fixture(scope="module")
def csv_board() -> SourceBoard:
    return read_jira(FILES / "jira_export.csv")


@pytest.fixture(scope="module")
def xml_board() -> SourceBoard:
    return read_jira(FILES / "jira_export.xml")


def _item(board: SourceBoard, key: str) -> SourceItem:
    return next(item for item in board.items if item.ref == key)


def test_csv_statuses_become_columns_by_status_category(csv_board: SourceBoard) -> None:
    assert csv_board.name == "Web Shop"
    assert [(c.name, c.category) for c in csv_board.columns] == [
        ("To Do", Category.TODO),
        ("Backlog", Category.TODO),  # Jira's status category says "To Do"
        ("In Progress", Category.DOING),
        ("In Review", Category.DOING),
        ("Done", Category.DONE),
    ]
    assert csv_board.columns[3].reason == 'Jira status category "In Progress"'


def test_csv_order_is_the_rank_as_text(csv_board: SourceBoard) -> None:
    # 0|i00001: < 0|i00002: < ... ; SHOP-6 has no rank and comes last.
    assert [item.ref for item in csv_board.items] == [
        "SHOP-2",
        "SHOP-4",
        "SHOP-3",
        "SHOP-5",
        "SHOP-1",
        "SHOP-6",
    ]


def test_csv_fields_and_repeated_columns(csv_board: SourceBoard) -> None:
    pay = _item(csv_board, "SHOP-2")
    assert pay.title == "Pay by card"
    assert pay.external_key == "SHOP-2"
    assert pay.kind == ItemKind.STORY
    assert pay.points == 5.0
    assert pay.labels == ("frontend", "api")  # three Labels columns, one empty
    assert pay.sprint == "Sprint 2"  # the last of the Sprint columns
    assert pay.assignee == "Ana Silva" and pay.reporter == "Maria Keller"
    assert pay.created_at == dt.datetime(2024, 3, 4, 9, 15)  # 04/Mar/24 9:15 AM
    assert pay.done_at == dt.datetime(2024, 3, 11, 11, 0)
    assert pay.due_date == dt.date(2024, 3, 15)
    assert pay.epic == "SHOP-1"  # Custom field (Epic Link)
    assert pay.description == 'Cards <b>Visa</b> "and" Mastercard'  # HTML entities decoded
    assert dict(pay.fields)["Watchers"] == "Ana Silva, Ben Okafor"
    assert dict(pay.fields)["Team"] == "Payments"
    assert [(c.author, c.at, c.text) for c in pay.comments] == [
        ("ben", dt.datetime(2024, 3, 6, 14, 30), "Use the new API; it is faster"),
        ("ana", dt.datetime(2024, 3, 8, 9, 5), "Totals off for €0.10"),
    ]
    assert csv_board.sprints == ("Sprint 1", "Sprint 2")


def test_csv_epics_parents_unicode_and_multiline(csv_board: SourceBoard) -> None:
    epic = _item(csv_board, "SHOP-1")
    assert epic.kind == ItemKind.EPIC and epic.title == "Checkout & payments"
    search = _item(csv_board, "SHOP-3")
    assert search.title == "Search résumé 検索"
    assert search.kind == ItemKind.BUG
    assert search.epic == "SHOP-1"  # its Parent is the epic's issue id 10001
    assert search.description == "Line one\nline two, with a comma"
    assert search.started_at == dt.datetime(2024, 3, 12, 10, 0)  # status category changed
    assert _item(csv_board, "SHOP-6").kind == ItemKind.SPIKE
    assert any("no status history" in note for note in csv_board.notes)


def test_xml_export(xml_board: SourceBoard) -> None:
    assert xml_board.name == "Web Shop"
    assert [item.ref for item in xml_board.items] == ["SHOP-2", "SHOP-4", "SHOP-3", "SHOP-1"]
    pay = _item(xml_board, "SHOP-2")
    assert pay.created_at == dt.datetime(2024, 3, 4, 9, 15)  # 10:15 +0100 in UTC
    assert pay.description == "Cards Visa & Mastercard\n\n- 3-D Secure"
    assert pay.points == 5.0 and pay.sprint == "Sprint 2"
    assert pay.labels == ("frontend", "api")
    assert pay.epic == "SHOP-1"  # <parent> is an epic
    assert [c.text for c in pay.comments] == ["Use the new API & retry"]
    assert _item(xml_board, "SHOP-3").assignee is None  # "Unassigned"
    assert _item(xml_board, "SHOP-3").epic == "SHOP-1"  # Epic Link
    assert _item(xml_board, "SHOP-1").title == "Checkout & payments"  # &amp;amp; in the file
    assert [(c.name, c.category) for c in xml_board.columns][-1] == ("Done", Category.DONE)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", "Summary,Status\nx,Done\n", 'no "Issue key" column'),
        ("a.csv", "Summary,Issue key,Status,Created\nx,A-1,Done,yesterday\n", 'line 2, "Created"'),
        (
            "a.csv",
            "Summary,Issue key,Status,Custom field (Story Points)\nx,A-1,Done,many\n",
            "'many' is not a number",
        ),
        ("a.csv", "Summary,Issue key,Status\nx,A-1,Done\ny,A-1,Done\n", "A-1 comes twice"),
        ("a.csv", 'Summary,Issue key,Status\n"x,A-1,Done\n', "line"),
        ("a.xml", "<rss><channel><item><key>A-1</key>", "not valid XML (line 1"),
        ("a.xml", "<rss><channel></channel></rss>", "no <item>"),
        (
            "a.xml",
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>',
            "document type declaration",
        ),
        ("a.xml", "<rss><channel><item><summary>x</summary></item></channel></rss>", "no <key>"),
    ],
)
def test_bad_files_get_one_line_naming_the_place(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError) as error:
        read_jira(path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
