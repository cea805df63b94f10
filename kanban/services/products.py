"""Products and their board columns."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update

from kanban.domain import Category, plural
from kanban.errors import ValidationError
from kanban.services.common import (
    column_info,
    find_column,
    find_product,
    get_row,
    log_activity,
    product_info,
    product_infos,
    require_text,
)
from kanban.services.records import ColumnInfo, ProductInfo
from kanban.services.rules import (
    COLUMN_NAME_LENGTH,
    NAME_LENGTH,
    check_category,
    check_wip,
    normalize_product_key,
)
from kanban.storage.database import Database
from kanban.storage.models import (
    BoardColumn,
    Item,
    Product,
    Question,
    Sprint,
    StatusUpdate,
    stakeholder_products,
)

DEFAULT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Backlog", "backlog"),
    ("To Do", "todo"),
    ("In Progress", "doing"),
    ("Done", "done"),
)


def create_product(db: Database, key: str, name: str, vision: str = "") -> ProductInfo:
    """Create a product with the default columns Backlog, To Do, In Progress and Done."""
    key = normalize_product_key(key)
    name = require_text(name, "A product name", NAME_LENGTH)
    with db.write() as session:
        clash = session.scalar(
            select(Product).where((Product.key == key) | (func.lower(Product.name) == name.lower()))
        )
        if clash is not None:
            raise ValidationError(f"A product named {clash.name!r} ({clash.key}) already exists")
        product = Product(key=key, name=name, vision=vision)
        session.add(product)
        session.flush()
        for position, (column_name, category) in enumerate(DEFAULT_COLUMNS):
            session.add(
                BoardColumn(
                    product_id=product.id, name=column_name, position=position, category=category
                )
            )
        log_activity(session, product.id, "product_created", f"{key} {name}")
        return product_info(product)


def list_products(db: Database, include_archived: bool = False) -> list[ProductInfo]:
    """Every product, by name."""
    with db.connect() as connection:
        found = product_infos(connection)
    return found if include_archived else [p for p in found if not p.archived]


def get_product(db: Database, ref: str | int) -> ProductInfo:
    """A product by id, key or name."""
    with db.connect() as connection:
        return product_infos(connection, ref)[0]


def update_product(
    db: Database, ref: str | int, *, name: str | None = None, vision: str | None = None
) -> ProductInfo:
    """Rename a product or change its vision."""
    with db.write() as session:
        product = find_product(session, ref)
        if name is not None:
            name = require_text(name, "A product name", NAME_LENGTH)
            clash = session.scalar(
                select(Product.id).where(
                    func.lower(Product.name) == name.lower(), Product.id != product.id
                )
            )
            if clash is not None:
                raise ValidationError(f"A product named {name!r} already exists")
            product.name = name
        if vision is not None:
            product.vision = vision
        log_activity(session, product.id, "product_updated", product.name)
        return product_info(product)


def archive_product(db: Database, ref: str | int, archived: bool = True) -> ProductInfo:
    """Archive a product (hidden from the switcher, kept in the file), or restore it."""
    with db.write() as session:
        product = find_product(session, ref)
        product.archived = archived
        log_activity(session, product.id, "product_archived" if archived else "product_restored")
        return product_info(product)


def list_columns(db: Database, product_id: int) -> list[ColumnInfo]:
    """A product's columns, left to right."""
    with db.read() as session:
        return [
            column_info(c)
            for c in session.scalars(
                select(BoardColumn)
                .where(BoardColumn.product_id == product_id)
                .order_by(BoardColumn.position)
            )
        ]


def add_column(
    db: Database,
    product_id: int,
    name: str,
    category: str = "doing",
    wip_limit: int | None = None,
    position: int | None = None,
) -> ColumnInfo:
    """Add a column at a position (default: before the first 'done' column, else last)."""
    name = require_text(name, "A column name", COLUMN_NAME_LENGTH)
    check_category(category)
    check_wip(wip_limit)
    with db.write() as session:
        columns = list(
            session.scalars(
                select(BoardColumn)
                .where(BoardColumn.product_id == product_id)
                .order_by(BoardColumn.position)
            )
        )
        if any(c.name.lower() == name.lower() for c in columns):
            raise ValidationError(f"There is already a column named {name!r}")
        if position is None:
            done = [i for i, c in enumerate(columns) if c.category == Category.DONE]
            position = done[0] if done and category != Category.DONE else len(columns)
        position = max(0, min(position, len(columns)))
        column = BoardColumn(
            product_id=product_id, name=name, position=position, category=category,
            wip_limit=wip_limit,
        )  # fmt: skip
        for index, other in enumerate(columns[position:], start=position + 1):
            other.position = index
        session.add(column)
        session.flush()
        log_activity(session, product_id, "column_added", name)
        return column_info(column)


def update_column(
    db: Database,
    column_id: int,
    *,
    name: str | None = None,
    category: str | None = None,
) -> ColumnInfo:
    """Rename a column or change its category."""
    with db.write() as session:
        column = get_row(session, BoardColumn, column_id, "column")
        if name is not None:
            name = require_text(name, "A column name", COLUMN_NAME_LENGTH)
            clash = session.scalar(
                select(BoardColumn.id).where(
                    BoardColumn.product_id == column.product_id,
                    func.lower(BoardColumn.name) == name.lower(),
                    BoardColumn.id != column.id,
                )
            )
            if clash is not None:
                raise ValidationError(f"There is already a column named {name!r}")
            column.name = name
        if category is not None:
            check_category(category)
            column.category = category
        log_activity(session, column.product_id, "column_updated", column.name)
        return column_info(column)


def set_wip_limit(db: Database, column_id: int, wip_limit: int | None) -> ColumnInfo:
    """Set a column's WIP limit; None removes it."""
    check_wip(wip_limit)
    with db.write() as session:
        column = get_row(session, BoardColumn, column_id, "column")
        column.wip_limit = wip_limit
        log_activity(session, column.product_id, "wip_limit_set", f"{column.name}: {wip_limit}")
        return column_info(column)


def move_column(db: Database, column_id: int, position: int) -> list[ColumnInfo]:
    """Move a column to a new position (0 = leftmost); returns the columns in order."""
    with db.write() as session:
        column = get_row(session, BoardColumn, column_id, "column")
        columns = [
            c
            for c in session.scalars(
                select(BoardColumn)
                .where(BoardColumn.product_id == column.product_id)
                .order_by(BoardColumn.position)
            )
            if c.id != column_id
        ]
        columns.insert(max(0, min(position, len(columns))), column)
        for index, each in enumerate(columns):
            each.position = index
        log_activity(session, column.product_id, "column_moved", f"{column.name} to {position}")
        return [column_info(c) for c in columns]


def delete_column(
    db: Database, column_id: int, move_items_to: int | None = None
) -> tuple[int, ...]:
    """Delete a column; it must be empty unless its items are moved to another column.

    Returns the ids of the items moved out (archived ones too), for :func:`restore_column`.
    """
    from kanban.services.items import relocate_items  # the board's moves: loaded when used

    with db.write() as session:
        column = get_row(session, BoardColumn, column_id, "column")
        count = session.scalar(select(func.count()).where(Item.column_id == column_id)) or 0
        if count and move_items_to is None:
            raise ValidationError(
                f"Column {column.name!r} still holds {plural(count, 'item')}; move "
                f"{'it' if count == 1 else 'them'} first"
            )
        moved: tuple[int, ...] = ()
        if count:
            target = find_column(session, column.product_id, move_items_to)  # type: ignore[arg-type]
            if target.id == column.id:
                raise ValidationError("Cannot move a column's items into the column itself")
            moved = tuple(session.scalars(select(Item.id).where(Item.column_id == column_id)))
            relocate_items(session, column, target)
        product_id = column.product_id
        name = column.name
        session.delete(column)
        session.flush()
        session.execute(
            update(BoardColumn)
            .where(BoardColumn.product_id == product_id, BoardColumn.position > column.position)
            .values(position=BoardColumn.position - 1)
        )
        log_activity(session, product_id, "column_deleted", name)
        return moved


def restore_column(db: Database, column: ColumnInfo, item_ids: Sequence[int] = ()) -> ColumnInfo:
    """Re-create a deleted column with its id, name, category, WIP limit and position (undo).

    ``item_ids``: items that left the column when it was deleted; they move back into it.
    """
    from kanban.services.items import enter_column  # the board's moves: loaded when used

    with db.write() as session:
        if session.get(BoardColumn, column.id) is not None:
            raise ValidationError(f"Column {column.name!r} exists already")
        columns = list(
            session.scalars(
                select(BoardColumn)
                .where(BoardColumn.product_id == column.product_id)
                .order_by(BoardColumn.position)
            )
        )
        if any(c.name.lower() == column.name.lower() for c in columns):
            raise ValidationError(f"There is already a column named {column.name!r}")
        position = max(0, min(column.position, len(columns)))
        for index, other in enumerate(columns[position:], start=position + 1):
            other.position = index
        restored = BoardColumn(
            id=column.id, product_id=column.product_id, name=column.name, position=position,
            wip_limit=column.wip_limit, category=column.category,
        )  # fmt: skip
        session.add(restored)
        session.flush()
        for item_id in item_ids:
            item = get_row(session, Item, item_id, "item")
            source = session.get(BoardColumn, item.column_id)
            if source is not None and source.id != restored.id:
                enter_column(session, item, source, restored)
        log_activity(session, column.product_id, "column_restored", column.name)
        return column_info(restored)


def product_is_empty(db: Database, ref: str | int) -> bool:
    """Whether a product holds nothing yet: no item (archived ones count), sprint, question,
    status update or follower; its columns may have been renamed. The starter product of a
    new file is, until used."""
    with db.read() as session:
        product = find_product(session, ref)
        for table, column in (
            (Item.__table__, Item.product_id),
            (Sprint.__table__, Sprint.product_id),
            (Question.__table__, Question.product_id),
            (StatusUpdate.__table__, StatusUpdate.product_id),
            (stakeholder_products, stakeholder_products.c.product_id),
        ):
            if session.scalar(select(func.count()).select_from(table).where(column == product.id)):
                return False
        return True
