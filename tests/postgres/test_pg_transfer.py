"""`export json` / `import json` with PostgreSQL: a SQLite file moves to a shared server
intact, and a server database round-trips into another one table by table."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from full_batch import full_batch
from sqlalchemy import create_engine, text
from table_dump import SAMPLE_GAPS

from kanban.reports.export import render_report
from kanban.services import Database, open_database
from kanban.services.bulk import write_batch
from kanban.services.demo import create_demo
from kanban.services.items import add_item, move_item
from kanban.services.products import create_product, list_columns
from kanban.services.questions import ask_question
from kanban.services.transfer import export_data, import_file, write_export
from kanban.storage.models import Base

TODAY = dt.date(2026, 3, 12)


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, by primary key, read with a plain engine."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table.name: [
                    tuple(row)
                    for row in conn.execute(
                        text(
                            f"SELECT * FROM {table.name} ORDER BY "
                            + ", ".join(c.name for c in table.primary_key.columns)
                        )
                    )
                ]
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def without_time(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "exported_at"}


def test_a_sqlite_board_moves_to_postgresql_whole(
    tmp_path: Path, new_database: Callable[..., str]
) -> None:
    local = open_database(str(tmp_path / "kanban.db"))
    shared = Database.open(new_database())
    try:
        create_demo(local, TODAY)
        export = tmp_path / "export.json"
        write_export(local, export)
        original = json.loads(export.read_text(encoding="utf-8"))
        import_file(shared, export)
        assert without_time(export_data(shared)) == without_time(original)
        for product in ("WEB", "APP"):
            for fmt in ("md", "csv"):
                on_server = render_report(shared, product, fmt, today=TODAY)
                assert on_server == render_report(local, product, fmt, today=TODAY)
    finally:
        local.close()
        shared.close()


def test_a_round_trip_between_servers_restores_every_table_and_ids_go_on(
    tmp_path: Path, new_database: Callable[..., str]
) -> None:
    source_url, target_url = new_database(), new_database()
    source, target = Database.open(source_url), Database.open(target_url)
    try:
        create_demo(source, TODAY)
        export = tmp_path / "export.json"
        write_export(source, export)
        import_file(target, export)
        original, copied = dump(source_url), dump(target_url)
        assert {name for name, rows in original.items() if not rows} == SAMPLE_GAPS
        for name in original:
            assert copied[name] == original[name], name

        # The sequences were moved past the imported ids: new rows of every kind fit in.
        highest = {name: max(row[0] for row in rows) for name, rows in copied.items() if rows}
        web = next(row for row in copied["products"] if row[1] == "WEB")
        product = create_product(target, "NEW", "New product")
        card = add_item(target, "WEB", "After the import")
        doing = next(c.id for c in list_columns(target, web[0]) if c.category == "doing")
        move_item(target, card.id, column_id=doing)
        question = ask_question(target, "WEB", "Still numbered?", item_ref=card.key)
        assert card.key == f"WEB-{web[5]}"  # products.next_number came along
        assert product.id > highest["products"]
        assert card.id > highest["items"]
        assert question.id > highest["questions"]
        after = dump(target_url)
        for name in ("board_columns", "transitions", "activities"):
            assert max(row[0] for row in after[name]) > highest[name], name
    finally:
        source.close()
        target.close()


def test_the_bulk_writer_adds_a_product_beside_others_with_ids_from_the_sequences(
    tmp_path: Path, new_database: Callable[..., str]
) -> None:
    url, copy_url = new_database(), new_database()
    db = Database.open(url)
    try:
        create_product(db, "OLD", "Old product")
        old = add_item(db, "OLD", "Before the import")
        summary = write_batch(db, full_batch())
        (full,) = summary.products
        assert full.id > 1
        card = add_item(db, full.key, "After the import")  # the sequences moved past the batch
        assert card.key == "FULL-4" and card.id > old.id + 3
        export = tmp_path / "export.json"
        write_export(db, export)
    finally:
        db.close()
    copy = Database.open(copy_url)
    try:
        import_file(copy, export)
    finally:
        copy.close()
    original, copied = dump(url), dump(copy_url)
    assert all(original[name] for name in original if name != "alembic_version")
    for name in original:
        assert copied[name] == original[name], name
