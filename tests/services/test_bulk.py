"""The bulk writer (kanban/services/bulk.py): records in, one transaction, ids from the
database, the services' rules, progress and cancel."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from full_batch import at, full_batch
from table_dump import dump, empty_tables

from kanban.errors import CancelledError, NotFoundError, ValidationError
from kanban.services import Database, open_database
from kanban.services.bulk import (
    FLUSH_ROWS,
    ActivityRecord,
    ColumnRecord,
    ImportBatch,
    ImportSource,
    ItemRecord,
    LabelRecord,
    MemberRecord,
    ProductRecord,
    QuestionRecord,
    TransitionRecord,
    known_external_keys,
    previous_imports,
    write_batch,
)
from kanban.services.items import add_item, delete_item, get_item, load_board
from kanban.services.people import add_member, list_members
from kanban.services.products import create_product, list_columns
from kanban.services.transfer import import_file, write_export
from kanban.storage.models import Base

Rows = Callable[..., list[dict[str, Any]]]
Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


def board_product(key: str, titles: Iterator[str] | list[str], **fields: Any) -> ProductRecord:
    columns = (
        ColumnRecord(ref="b", name="Backlog", category="backlog"),
        ColumnRecord(ref="d", name="Doing", category="doing"),
    )
    items = (
        ItemRecord(
            ref=n, title=title, column_id="b",
            transitions=(TransitionRecord(at=at(n), to_column_id="b", to_category="backlog"),),
        )
        for n, title in enumerate(titles)
    )  # fmt: skip
    if isinstance(titles, list):  # a list is read again by each parametrised run
        items = tuple(items)  # type: ignore[assignment]
    return ProductRecord(
        ref=key, key=key, name=f"Product {key}", columns=columns, items=items, **fields
    )


def test_every_table_is_written_and_round_trips_through_json(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    summary = write_batch(db, full_batch())
    assert empty_tables(dump(db_path)) == set(), "the batch fills every table"
    assert [p.key for p in summary.products] == ["FULL"]
    assert summary.count("items") == 3 and summary.count("item_links") == 2
    assert set(summary.counts) == {t.name for t in Base.metadata.sorted_tables} - {
        "alembic_version"
    }
    export = tmp_path / "full.json"
    write_export(db, export)
    db.close()
    restored = tmp_path / "restored.db"
    copy = open_database(str(restored))
    try:
        import_file(copy, export)
    finally:
        copy.close()
    assert dump(restored) == dump(db_path)


def test_a_new_product_goes_into_a_database_that_has_others(
    db: Database, rows: Rows, snapshot: Snapshot
) -> None:
    create_product(db, "OLD", "Old product")
    old = add_item(db, "OLD", "Kept")
    gone = add_item(db, "OLD", "Deleted: its id is never given again")
    delete_item(db, gone.id)
    before = snapshot()
    summary = write_batch(db, ImportBatch(products=[board_product("NEW", ["one", "two"])]))
    after = snapshot()
    for table, old_rows in before.items():  # nothing that was there changed
        assert set(old_rows) <= set(after[table]), table
    new = load_board(db, "NEW")
    assert [c.key for c in new.cards] == ["NEW-1", "NEW-2"]
    assert min(c.id for c in new.cards) > gone.id, "ids come from the database's counter"
    assert summary.products[0].id == max(p["id"] for p in rows("products"))
    assert add_item(db, "NEW", "three").key == "NEW-3"
    assert get_item(db, old.id).title == "Kept"


def test_into_a_product_matches_columns_labels_and_people_by_name(db: Database, rows: Rows) -> None:
    create_product(db, "WEB", "Web shop")
    add_item(db, "WEB", "Already there")
    add_member(db, "Ana Silva")
    batch = ImportBatch(
        members=[MemberRecord(ref="a", name="ana silva")],
        products=[
            ProductRecord(
                ref=1, key="IGNORED", name="ignored",
                columns=(ColumnRecord(ref="x", name="to do", category="todo"),
                         ColumnRecord(ref="y", name="Review", category="doing")),
                labels=(LabelRecord(ref="l", name="imported"),),
                items=[ItemRecord(ref=1, title="From Trello", column_id="y", assignee_id="a",
                                  labels=("l",))],
            )
        ],
    )  # fmt: skip
    summary = write_batch(db, batch, into="WEB")
    assert [p.key for p in summary.products] == ["WEB"]
    assert [c.name for c in list_columns(db, summary.products[0].id)] == [
        "Backlog", "To Do", "In Progress", "Done", "Review",
    ]  # fmt: skip
    cards = load_board(db, "WEB").cards
    assert [(c.key, c.title) for c in cards] == [
        ("WEB-1", "Already there"),
        ("WEB-2", "From Trello"),
    ]
    assert cards[1].rank > cards[0].rank and cards[1].assignee == "Ana Silva"
    assert cards[1].labels == ("imported",)
    assert [m.name for m in list_members(db)] == ["Ana Silva"], "matched, not duplicated"
    assert summary.count("products") == 0 and summary.count("board_columns") == 1
    assert add_item(db, "WEB", "After").key == "WEB-3"
    with pytest.raises(NotFoundError, match="No product 'NOPE'"):
        write_batch(db, batch, into="NOPE")


def test_an_import_is_logged_with_what_it_made(db: Database, rows: Rows) -> None:
    source = ImportSource(source="trello", file_name="board.json", sha256="0" * 64)
    write_batch(db, ImportBatch(products=[board_product("NEW", ["a"])]), source=source)
    (log,) = rows("imports")
    assert (log["source"], log["file_name"], log["product_id"]) == ("trello", "board.json", 1)
    assert '"items": 1' in log["summary"]


def test_a_second_import_of_a_file_finds_the_first_and_its_items(db: Database) -> None:
    source = ImportSource("trello", "board.json", "ab" * 32, notes=("card 7: a move left out",))
    assert previous_imports(db, source.sha256) == ()
    product = board_product("NEW", ["a", "b"])
    items = [item._replace(external_key=f"trello:{item.ref}") for item in product.items]
    summary = write_batch(db, ImportBatch(products=[product._replace(items=items)]), source=source)
    assert summary.notes == ("card 7: a move left out",)
    (earlier,) = previous_imports(db, source.sha256)
    assert (earlier.source, earlier.file_name, earlier.product_id) == ("trello", "board.json", 1)
    assert earlier.summary["notes"] == ["card 7: a move left out"]
    assert earlier.summary["created"]["items"] == 2
    assert known_external_keys(db, "NEW") == {"trello:0", "trello:1"}
    add_item(db, "NEW", "typed in the app")  # no external key
    assert known_external_keys(db, "NEW") == {"trello:0", "trello:1"}


def test_an_activity_names_its_question_by_id(db: Database, rows: Rows) -> None:
    create_product(db, "OLD", "Old")  # the new questions' ids follow the database's
    product = board_product(
        "NEW", ["a"],
        questions=[QuestionRecord("Why?", at(1), ref="q")],
        activities=[ActivityRecord(at(2), "question_asked", "", "Why?", question_id="q"),
                    ActivityRecord(at(3), "question_answered", question_id="q")],
    )  # fmt: skip
    write_batch(db, ImportBatch(products=[product]))
    (question,) = rows("questions")
    details = [a["detail"] for a in rows("activities") if a["action"].startswith("question")]
    assert details == [f"#{question['id']} Why?", f"#{question['id']}"]
    unknown = board_product("TWO", ["a"], activities=[ActivityRecord(at(2), "x", question_id=1)])
    with pytest.raises(ValidationError, match=r"products\[0\].activities\[0\].question_id: no"):
        write_batch(db, ImportBatch(products=[unknown]))


@pytest.mark.parametrize(
    ("product", "message"),
    [
        (board_product("NEW", ["a", "  "]), r"products\[0\].items\[1\].title: must not be empty"),
        (board_product("NEW", ["a"], next_number=1),
         r"products\[0\].next_number: 1 is not above the highest item number \(1\)"),
        (ProductRecord(ref=1, key="NEW", name="x", columns=(
            ColumnRecord(ref="b", name="B", category="backlog"),),
            items=[ItemRecord(ref=1, title="a", column_id="b", rank="a1"),
                   ItemRecord(ref=2, title="b", column_id="b")]),
         r"products\[0\].items\[1\].rank: give every item of a product a rank, or none"),
        (ProductRecord(ref=1, key="NEW", name="x", columns=(
            ColumnRecord(ref="b", name="B", category="backlog"),),
            items=[ItemRecord(ref=1, title="a", column_id="b", origin="line 7"),
                   ItemRecord(ref=1, title="b", column_id="b", origin="line 8")]),
         r"products\[0\].items\[1\].id: two records of items have the reference 1 \(line 8\)"),
        (ProductRecord(ref=1, key="NEW", name="x", columns=(
            ColumnRecord(ref="b", name="B", category="backlog"),
            ColumnRecord(ref="c", name="b", category="todo"))),
         r"products\[0\].columns\[1\].name: there is already a column named 'b'"),
        (board_product("NEW", ["a"], followers=("nobody",)),
         r"products\[0\].followers\[0\]: no stakeholder 'nobody'"),
    ],
    ids=["blank title", "next number", "mixed ranks", "twice the same ref", "column names",
         "unknown follower"],
)  # fmt: skip
def test_records_that_break_a_rule_are_refused_and_nothing_is_written(
    db: Database, snapshot: Snapshot, product: ProductRecord, message: str
) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        write_batch(db, ImportBatch(products=[product]))
    assert snapshot() == before


def test_progress_is_told_and_a_cancel_writes_nothing(db: Database, snapshot: Snapshot) -> None:
    count = 3 * FLUSH_ROWS
    told: list[int] = []
    write_batch(db, ImportBatch(products=[board_product("ONE", map(str, range(count)))]),
                progress=told.append)  # fmt: skip
    assert told == sorted(told) and len(told) >= 4 and told[-1] == 2 * count + 3
    before = snapshot()

    def cancel_half_way(written: int) -> None:
        if written > count:
            raise CancelledError("Cancelled; nothing was imported")

    with pytest.raises(CancelledError):
        write_batch(db, ImportBatch(products=[board_product("TWO", map(str, range(count)))]),
                    progress=cancel_half_way)  # fmt: skip
    assert snapshot() == before


def test_a_nul_character_is_kept_on_sqlite_and_refused_with_its_place_on_postgresql(
    db: Database, backend: str, rows: Rows
) -> None:
    product = board_product("NEW", ["nul \x00 inside"])
    if backend == "postgresql":  # its text cannot hold U+0000
        with pytest.raises(ValidationError) as caught:
            write_batch(db, ImportBatch(products=[product]))
        assert str(caught.value) == (
            "products[0].items[0].title: the value cannot hold the NUL character (\\x00) on "
            "PostgreSQL"
        )
        assert rows("products") == []
        return
    write_batch(db, ImportBatch(products=[product]))
    assert [item["title"] for item in rows("items")] == ["nul \x00 inside"]
