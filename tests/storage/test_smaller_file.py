"""Revisions 0005 to 0008, a smaller file. 0005: the moves are indexed by item alone and the
sprint and epic indexes hold only the items in one; older files get the same indexes, keep
every row, and the lookups that need an index still find one. 0006: moments are Unix seconds
on SQLite (read back exactly as the datetimes written), the link tables have no rowid, a new
file has smaller pages; older files get the same and keep every moment. 0007: ranks are held
by the board's index alone, item_labels has no label index. 0008: the scoring inputs are
item_scores' (a row only for an item that has any)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sqlite3
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest
from alembic import command
from alembic.config import Config
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine

from kanban.domain import SCORE_FIELDS
from kanban.services import Database, items, open_database, products, sprints
from kanban.services.backups import restore_backup
from kanban.services.records import Card, ProductInfo
from kanban.storage.database import PAGE_SIZE
from kanban.storage.tables import is_moment, metadata, read_moment, stored_moment

FIXTURES = Path(__file__).parent / "fixtures"
MIGRATIONS = resources.files("kanban.storage") / "migrations"
NEW_INDEXES = {
    "ix_transitions_item_id": "CREATE INDEX ix_transitions_item_id ON transitions (item_id)",
    "ix_items_sprint_id": (
        "CREATE INDEX ix_items_sprint_id ON items (sprint_id) WHERE sprint_id IS NOT NULL"
    ),
    "ix_items_epic_id": (
        "CREATE INDEX ix_items_epic_id ON items (epic_id) WHERE epic_id IS NOT NULL"
    ),
}
OLD_INDEXES = {
    "ix_transitions_at": "CREATE INDEX ix_transitions_at ON transitions (at)",
    "ix_transitions_item_at": "CREATE INDEX ix_transitions_item_at ON transitions (item_id, at)",
    "ix_items_sprint_id": "CREATE INDEX ix_items_sprint_id ON items (sprint_id)",
    "ix_items_epic_id": "CREATE INDEX ix_items_epic_id ON items (epic_id)",
}


def indexes(path: Path, *tables: str) -> dict[str, str]:
    """The named indexes of these tables, each with its SQL (whitespace folded)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' for _ in tables)})",
            tables,
        ).fetchall()
    finally:
        conn.close()
    return {name: " ".join(sql.split()) for name, sql in rows}


def moves_indexes(path: Path) -> dict[str, str]:
    """The indexes revision 0005 changes."""
    found = indexes(path, "transitions", "items")
    return {n: s for n, s in found.items() if n in NEW_INDEXES or n in OLD_INDEXES}


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def old_file(path: Path, revision: str) -> Path:
    conn = sqlite3.connect(path)
    try:
        conn.executescript((FIXTURES / f"schema_{revision}.sql").read_text(encoding="utf-8"))
    finally:
        conn.close()
    return path


def plan(db: Database, sql: str, *params: object) -> str:
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    try:
        return " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    finally:
        conn.close()


def test_a_new_file_has_the_smaller_indexes(db: Database) -> None:
    assert db.path is not None
    assert moves_indexes(db.path) == NEW_INDEXES


@pytest.mark.parametrize("revision", ["0001", "0002"])
def test_an_older_file_gets_them_and_keeps_every_row(tmp_path: Path, revision: str) -> None:
    path = old_file(tmp_path / "kanban.db", revision)
    assert moves_indexes(path) == OLD_INDEXES
    before = counts(path)
    assert before["transitions"] > 50, "the fixture holds the sample's moves"
    open_database(str(path)).close()
    assert moves_indexes(path) == NEW_INDEXES
    after = counts(path)
    assert {t: after[t] for t in ("items", "transitions", "activities", "sprints")} == {
        t: before[t] for t in ("items", "transitions", "activities", "sprints")
    }
    assert_sound(path)


def assert_sound(path: Path, *, compacted: bool = False, rebuilt_items: bool = False) -> None:
    """The file passes SQLite's own checks (integrity, foreign keys); ``compacted``: it has no
    free pages; ``rebuilt_items``: the rebuilt items table kept AUTOINCREMENT."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        if compacted:
            assert conn.execute("PRAGMA freelist_count").fetchone() == (0,)
        if rebuilt_items:
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'items'").fetchone()
            assert "AUTOINCREMENT" in sql[0]
    finally:
        conn.close()


def _alembic(path: Path, target: str, up: bool) -> None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            with connection.begin():
                config = Config()
                config.set_main_option("script_location", str(MIGRATIONS))
                config.attributes["connection"] = connection
                (command.upgrade if up else command.downgrade)(config, target)
    finally:
        engine.dispose()


def test_downgrading_puts_the_old_indexes_back(tmp_path: Path) -> None:
    path = old_file(tmp_path / "kanban.db", "0002")
    _alembic(path, "0005", up=True)
    _alembic(path, "0004", up=False)
    assert moves_indexes(path) == OLD_INDEXES
    _alembic(path, "0005", up=True)
    assert moves_indexes(path) == NEW_INDEXES


def test_lookups_by_sprint_epic_and_item_use_an_index(db: Database, product: ProductInfo) -> None:
    epic = items.add_item(db, product.id, "Checkout", kind="epic")
    story = items.add_item(db, product.id, "Pay by card")
    items.edit_item(db, story.id, story.version, epic_id=epic.id)
    sprint = sprints.create_sprint(db, product.id, "Sprint 1")
    sprints.set_items_sprint(db, {story.id: sprint.id})
    items.move_item(db, story.id, column_id=items.load_board(db, product.id).columns[1].id)

    by_sprint = "SELECT id FROM items WHERE sprint_id = ?"
    assert "USING COVERING INDEX ix_items_sprint_id" in plan(db, by_sprint, sprint.id)
    assert "USING COVERING INDEX ix_items_epic_id" in plan(
        db, "SELECT id FROM items WHERE epic_id = ?", epic.id
    )
    assert "USING INDEX ix_transitions_item_id" in plan(
        db, "SELECT at FROM transitions WHERE item_id = ? ORDER BY at", story.id
    )
    # The rows the partial indexes hold are found through them.
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    try:
        assert conn.execute(by_sprint, (sprint.id,)).fetchall() == [(story.id,)]
        assert conn.execute("SELECT id FROM items WHERE epic_id = ?", (epic.id,)).fetchall() == [
            (story.id,)
        ]
    finally:
        conn.close()


# --- revision 0006: moments as Unix seconds, link tables without rowid ---------------------

LINK_TABLES = {
    "item_labels",
    "stakeholder_products",
    "status_update_recipients",
    "sprint_members",
    "rule_confirmations",
}
MOMENTS = {
    (table.name, column.name)
    for table in metadata.sorted_tables
    for column in table.columns
    if is_moment(column)
}


def without_rowid(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        return {name for name, sql in rows if "WITHOUT ROWID" in " ".join(sql.upper().split())}
    finally:
        conn.close()


def moments(path: Path) -> dict[tuple[str, str], list[object]]:
    """Every stored moment as the file holds it, by table and column, in key order."""
    conn = sqlite3.connect(path)
    try:
        present = {
            (table, column[1])
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            for column in conn.execute(f'PRAGMA table_info("{table}")')
        }
        return {
            (table, column): [
                value
                for (value,) in conn.execute(
                    f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY 1"
                )
            ]
            for table, column in MOMENTS
            if (table, column) in present
        }
    finally:
        conn.close()


@given(
    st.datetimes(min_value=dt.datetime(1698, 1, 1), max_value=dt.datetime(2242, 1, 1)),
)
def test_a_moment_reads_back_exactly(moment: dt.datetime) -> None:
    stored = stored_moment(moment)
    assert read_moment(stored) == moment
    assert type(stored) is (float if moment.microsecond else int)
    assert read_moment(stored_moment(moment.replace(tzinfo=dt.UTC))) == moment
    # A board's card keeps the stored number and converts it when read, the same way.
    card = Card(1, 1, "WEB-1", "story", "", None, None, 1, "a", None, None, None, None, stored, 1)
    assert card.column_since == moment == card._replace(since=moment).column_since


def test_moments_order_as_numbers_whatever_their_kind() -> None:
    ordered = [
        dt.datetime(1969, 12, 31, 23, 59, 59, 999999),
        dt.datetime(1970, 1, 1),
        dt.datetime(2026, 12, 1, 9, 30),
        dt.datetime(2026, 12, 1, 9, 30, 0, 1),
        dt.datetime(2026, 12, 1, 9, 30, 1),
    ]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (at DATETIME)")
    conn.executemany("INSERT INTO t VALUES (?)", [(stored_moment(m),) for m in reversed(ordered)])
    assert [read_moment(v) for (v,) in conn.execute("SELECT at FROM t ORDER BY at")] == ordered
    assert [t for (t,) in conn.execute("SELECT typeof(at) FROM t ORDER BY at")] == [
        "real", "integer", "integer", "real", "integer"
    ]  # fmt: skip


def test_a_new_file_stores_numbers_and_datetimes_come_back(db_path: Path) -> None:
    db = open_database(str(db_path))
    try:
        product = products.create_product(db, "WEB", "Web shop")
        card = items.add_item(db, product.id, "Pay by card", labels=["backend"])
        doing = items.load_board(db, product.id).columns[1].id
        items.move_item(db, card.id, column_id=doing)
        detail = items.get_item(db, card.id)
        shown = items.get_card(db, card.id)
    finally:
        db.close()
    assert isinstance(detail.created_at, dt.datetime) and detail.created_at.tzinfo is None
    assert detail.column_since == shown.column_since > detail.created_at
    stored = moments(db_path)
    assert stored[("items", "column_since")] == [stored_moment(detail.column_since)]
    assert {type(v) for values in stored.values() for v in values} <= {int, float}
    assert without_rowid(db_path) == LINK_TABLES
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA page_size").fetchone() == (PAGE_SIZE,)
    finally:
        conn.close()


@pytest.mark.parametrize("revision", ["0001", "0002", "0004", "0005"])
def test_an_older_file_gets_unix_seconds_and_keeps_every_moment(
    tmp_path: Path, revision: str
) -> None:
    path = old_file(tmp_path / "kanban.db", revision)
    before = moments(path)
    assert {type(v) for values in before.values() for v in values} == {str}
    open_database(str(path)).close()
    after = moments(path)
    assert {type(v) for values in after.values() for v in values} <= {int, float}
    assert {
        key: [read_moment(v) for v in values] for key, values in after.items() if key in before
    } == {
        key: sorted(dt.datetime.fromisoformat(v) for v in values) for key, values in before.items()
    }
    assert without_rowid(path) == LINK_TABLES
    assert_sound(path, compacted=True)


def test_downgrading_0006_gives_back_text_and_rowid_tables(tmp_path: Path) -> None:
    path = old_file(tmp_path / "kanban.db", "0005")
    original = moments(path)
    _alembic(path, "0006", up=True)
    numbers = moments(path)
    _alembic(path, "0005", up=False)
    assert without_rowid(path) == set()
    back = moments(path)
    assert {type(v) for values in back.values() for v in values} == {str}
    assert {k: [dt.datetime.fromisoformat(v) for v in vs] for k, vs in back.items()} == {
        k: [dt.datetime.fromisoformat(v) for v in vs] for k, vs in original.items()
    }
    _alembic(path, "0006", up=True)
    assert moments(path) == numbers
    assert without_rowid(path) == LINK_TABLES


def _revision_0006() -> ModuleType:
    path = Path(str(MIGRATIONS)) / "versions" / "0006_smaller_file.py"
    spec = importlib.util.spec_from_file_location("revision_0006", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REVISION_0006 = _revision_0006()


@given(
    st.datetimes(min_value=dt.datetime(1698, 1, 1), max_value=dt.datetime(2242, 1, 1)),
    st.sampled_from([" ", "T"]),
)
def test_the_migration_converts_as_the_app_stores(moment: dt.datetime, separator: str) -> None:
    """The migration's conversion of ISO text gives exactly the number the app binds for the
    same moment."""
    for text in (moment.isoformat(separator, "microseconds"), moment.isoformat(separator)):
        converted = REVISION_0006._seconds(text)
        expected = stored_moment(moment)
        assert converted == expected and type(converted) is type(expected)


def test_a_backup_of_another_page_size_is_restored(tmp_path: Path) -> None:
    """A file made before 0006 has 4 KiB pages, a new one 2 KiB: a backup of either restores
    into the other (a WAL file takes no pages of another size from SQLite's backup API)."""
    old = old_file(tmp_path / "old.db", "0005")  # 4 KiB pages, the sample's products
    new = tmp_path / "new.db"
    db = open_database(str(new))
    products.create_product(db, "NEW", "Made today")
    db.close()
    sizes = {path: page_size(path) for path in (old, new)}
    assert sizes == {old: 4096, new: PAGE_SIZE}
    new_keys, old_keys = product_keys(new), product_keys(old)

    restore_backup(new, old, replace=True, now=dt.datetime(2026, 12, 1, 9, 0))
    assert product_keys(new) == old_keys and page_size(new) == PAGE_SIZE
    again = open_database(str(new))  # at 0005 now: migrated on open
    again.close()
    assert product_keys(new) == old_keys
    aside = tmp_path / "backups" / "new-replaced-2026-12-01T090000.db"
    assert product_keys(aside) == new_keys

    open_database(str(old)).close()  # migrated, its 4 KiB pages kept
    restore_backup(old, aside, replace=True, now=dt.datetime(2026, 12, 1, 9, 1))
    assert product_keys(old) == new_keys and page_size(old) == 4096
    assert not [p for p in tmp_path.rglob("*.part*")]


def page_size(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()


def product_keys(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [key for (key,) in conn.execute("SELECT key FROM products ORDER BY key")]
    finally:
        conn.close()


# --- revision 0007: one index of ranks, none of labels' links ------------------------------

BOARD_INDEX = "CREATE UNIQUE INDEX ix_items_board ON items (product_id, column_id, rank)"
GONE = {"ix_item_labels_label_id", "sqlite_autoindex_items_2"}


def rank_indexes(path: Path) -> dict[str, str | None]:
    """Every index of items and item_labels, with its SQL (None: a constraint's own)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name IN ('items', 'item_labels')"
        ).fetchall()
    finally:
        conn.close()
    return {name: sql and " ".join(sql.split()) for name, sql in rows}


def unique_constraints(path: Path) -> list[list[str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("PRAGMA index_list(items)").fetchall()
        return sorted(
            [c[2] for c in conn.execute(f"PRAGMA index_info({row[1]})")]
            for row in rows
            if row[3] == "u"
        )
    finally:
        conn.close()


def test_a_new_file_holds_ranks_in_the_board_index_alone(db: Database) -> None:
    assert db.path is not None
    found = rank_indexes(db.path)
    assert found["ix_items_board"] == BOARD_INDEX
    assert not GONE & set(found)
    assert unique_constraints(db.path) == [["product_id", "number"]]


@pytest.mark.parametrize("revision", ["0005", "0006"])
def test_an_older_file_loses_the_second_rank_index_and_keeps_every_row(
    tmp_path: Path, revision: str
) -> None:
    path = old_file(tmp_path / "kanban.db", revision)
    assert set(rank_indexes(path)) >= GONE
    before = counts(path)
    conn = sqlite3.connect(path)
    ranks = conn.execute("SELECT id, product_id, number, rank FROM items ORDER BY id").fetchall()
    conn.close()
    open_database(str(path)).close()
    found = rank_indexes(path)
    assert found["ix_items_board"] == BOARD_INDEX and not GONE & set(found)
    after = counts(path)
    assert {table: after[table] for table in before} == before
    conn = sqlite3.connect(path)
    try:
        assert (
            conn.execute("SELECT id, product_id, number, rank FROM items ORDER BY id").fetchall()
            == ranks
        )
    finally:
        conn.close()
    assert_sound(path, compacted=True, rebuilt_items=True)


def test_downgrading_0007_puts_the_rank_and_label_indexes_back(tmp_path: Path) -> None:
    path = old_file(tmp_path / "kanban.db", "0006")
    old = rank_indexes(path)
    _alembic(path, "0007", up=True)
    new = rank_indexes(path)
    _alembic(path, "0006", up=False)
    assert rank_indexes(path) == old
    assert ["product_id", "rank"] in unique_constraints(path)
    _alembic(path, "0007", up=True)
    assert rank_indexes(path) == new


def test_product_wide_rank_questions_probe_the_board_index(
    db: Database, product: ProductInfo
) -> None:
    """The next and previous rank, the first and the last, and a rank's owner: each asks the
    board's index column by column (no scan of the product's items)."""
    from sqlalchemy.dialects import sqlite

    from kanban.services import items as service

    items.add_item(db, product.id, "Pay by card")
    params = {"product_id": product.id, "rank": "a", "exclude": 0}
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    try:
        for statement in (
            service._NEXT_RANK,
            service._PREVIOUS_RANK,
            service._FIRST_RANK,
            service._LAST_RANK,
            service._RANK_OWNER,
        ):
            compiled = statement.compile(dialect=sqlite.dialect())
            values = compiled.construct_params(params)
            assert compiled.positiontup is not None
            found = " ".join(
                row[3]
                for row in conn.execute(
                    f"EXPLAIN QUERY PLAN {compiled}", [values[k] for k in compiled.positiontup]
                )
            )
            assert "SCAN" not in found and "ix_items_board" in found, found
    finally:
        conn.close()


def test_a_card_moved_after_another_lands_before_the_next_card_of_any_column(
    db: Database, product: ProductInfo
) -> None:
    """Ranks order the whole product: the gap after a card ends at the next rank in the
    product, whichever column holds it."""
    todo, doing = (c.id for c in items.load_board(db, product.id).columns[:2])
    first = items.add_item(db, product.id, "First")
    second = items.add_item(db, product.id, "Second")
    third = items.add_item(db, product.id, "Third")
    items.move_item(db, second.id, column_id=doing, after_id=None)
    items.move_item(db, third.id, column_id=todo, after_id=first.id)
    board = {c.id: c for c in items.load_board(db, product.id).cards}
    assert board[first.id].rank < board[third.id].rank < board[second.id].rank
    top = items.add_item(db, product.id, "Top", top=True)
    bottom = items.add_item(db, product.id, "Bottom")
    ranks = [c.rank for c in items.load_board(db, product.id).cards]
    assert ranks == sorted(ranks) and len(set(ranks)) == 5
    assert ranks[0] == items.get_card(db, top.id).rank
    assert ranks[-1] == items.get_card(db, bottom.id).rank


# --- revision 0008: the scoring inputs in a table of their own -----------------------------

SCORES = list(SCORE_FIELDS)


def columns_of(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    finally:
        conn.close()


def stored_scores(path: Path) -> dict[int, tuple[float | None, ...]]:
    """Each scored item's inputs, wherever the file keeps them (the items' own columns before
    0008, item_scores from it on)."""
    table, key = (
        ("items", "id") if "reach" in columns_of(path, "items") else ("item_scores", "item_id")
    )
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(f"SELECT {key}, {', '.join(SCORES)} FROM {table} ORDER BY 1")
        return {row[0]: row[1:] for row in rows if any(v is not None for v in row[1:])}
    finally:
        conn.close()


def score_rows(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM item_scores").fetchone()[0])
    finally:
        conn.close()


def test_an_items_inputs_have_a_row_only_while_it_has_any(
    db: Database, product: ProductInfo
) -> None:
    assert db.path is not None
    assert not set(SCORES) & set(columns_of(db.path, "items"))
    card = items.add_item(db, product.id, "Pay by card", reach=500.0, confidence=0.8)
    plain = items.add_item(db, product.id, "Pay by invoice", business_value=5)
    assert stored_scores(db.path) == {card.id: (None, None, None, 500.0, None, 0.8, None)}
    detail = items.get_item(db, card.id)
    assert (detail.reach, detail.confidence, detail.effort) == (500.0, 0.8, None)
    assert items.get_item(db, plain.id).reach is None

    detail = items.edit_item(db, card.id, detail.version, reach=None, effort=3.0)
    assert (detail.reach, detail.effort, detail.version) == (None, 3.0, 2)
    assert stored_scores(db.path) == {card.id: (None, None, None, None, None, 0.8, 3.0)}
    detail = items.edit_item(db, card.id, detail.version, confidence=None, effort=None)
    assert score_rows(db.path) == 0  # the last input emptied: no row left

    items.edit_item(db, card.id, detail.version, job_size=8.0)
    deleted = items.delete_items(db, [card.id]).deleted
    assert score_rows(db.path) == 0  # deleted with its item
    items.restore_items(db, deleted)
    assert stored_scores(db.path) == {card.id: (None, None, 8.0, None, None, None, None)}


@pytest.mark.parametrize("revision", ["0004", "0006"])
def test_an_older_file_keeps_every_scoring_input(tmp_path: Path, revision: str) -> None:
    path = old_file(tmp_path / "kanban.db", revision)
    if not stored_scores(path):  # a sample made before the scores were: score a few
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("UPDATE items SET reach = id * 10, confidence = 0.5 WHERE id % 3 = 0")
            conn.execute("UPDATE items SET effort = 0.25 WHERE id % 5 = 0")
        conn.close()
    before = stored_scores(path)
    assert len(before) > 3
    open_database(str(path)).close()
    assert not set(SCORES) & set(columns_of(path, "items"))
    assert stored_scores(path) == before
    assert score_rows(path) == len(before)  # a row for each scored item, none for the others
    assert_sound(path, rebuilt_items=True)


def test_downgrading_0008_puts_the_inputs_back_in_the_items(tmp_path: Path) -> None:
    path = old_file(tmp_path / "kanban.db", "0006")
    before = stored_scores(path)
    _alembic(path, "0008", up=True)
    assert score_rows(path) == len(before)
    _alembic(path, "0007", up=False)
    assert "item_scores" not in counts(path)
    assert columns_of(path, "items")[-len(SCORES) :] == SCORES
    assert stored_scores(path) == before
    _alembic(path, "0008", up=True)
    assert stored_scores(path) == before
