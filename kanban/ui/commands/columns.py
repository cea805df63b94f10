"""Undoable board column commands: add, rename, set the WIP limit, reorder, delete."""

from __future__ import annotations

from kanban.services import products
from kanban.services.records import ColumnInfo
from kanban.ui.commands.items import ServiceCommand
from kanban.ui.context import AppContext


class ColumnCommand(ServiceCommand):
    """A change to a product's columns; each step tells ``ctx.columns_changed``."""

    def __init__(self, ctx: AppContext, product_id: int, text: str) -> None:
        super().__init__(ctx, text)
        self.product_id = product_id

    def redo(self) -> None:
        super().redo()
        self.ctx.columns_changed(self.product_id)

    def undo(self) -> None:
        super().undo()
        self.ctx.columns_changed(self.product_id)


class AddColumnCommand(ColumnCommand):
    """Add a column; undo deletes it (it is empty then), redo re-creates it with the same id."""

    def __init__(
        self,
        ctx: AppContext,
        product_id: int,
        name: str,
        category: str = "doing",
        wip_limit: int | None = None,
        position: int | None = None,
    ) -> None:
        super().__init__(ctx, product_id, f"Add column “{name}”")
        self.name = name
        self.category = category
        self.wip_limit = wip_limit
        self.position = position
        self.column: ColumnInfo | None = None

    def do(self) -> None:
        if self.column is None:
            self.column = self.ctx.write(
                products.add_column,
                self.product_id,
                self.name,
                self.category,
                self.wip_limit,
                self.position,
            )
        else:
            self.ctx.write(products.restore_column, self.column)

    def undo_change(self) -> None:
        assert self.column is not None
        self.ctx.write(products.delete_column, self.column.id)


class RenameColumnCommand(ColumnCommand):
    """Rename a column; undo gives the old name back."""

    def __init__(self, ctx: AppContext, column: ColumnInfo, name: str) -> None:
        super().__init__(ctx, column.product_id, f"Rename column “{column.name}” to “{name}”")
        self.column_id = column.id
        self.old_name = column.name
        self.name = name

    def do(self) -> None:
        self.ctx.write(products.update_column, self.column_id, name=self.name)

    def undo_change(self) -> None:
        self.ctx.write(products.update_column, self.column_id, name=self.old_name)


class SetWipLimitCommand(ColumnCommand):
    """Set (or with None remove) a column's WIP limit; undo restores the old one."""

    def __init__(self, ctx: AppContext, column: ColumnInfo, wip_limit: int | None) -> None:
        what = f"to {wip_limit}" if wip_limit is not None else "off"
        super().__init__(ctx, column.product_id, f"WIP limit of “{column.name}” {what}")
        self.column_id = column.id
        self.old_limit = column.wip_limit
        self.wip_limit = wip_limit

    def do(self) -> None:
        self.ctx.write(products.set_wip_limit, self.column_id, self.wip_limit)

    def undo_change(self) -> None:
        self.ctx.write(products.set_wip_limit, self.column_id, self.old_limit)


class MoveColumnCommand(ColumnCommand):
    """Move a column to another position (0 = leftmost); undo moves it back."""

    def __init__(self, ctx: AppContext, column: ColumnInfo, position: int) -> None:
        super().__init__(ctx, column.product_id, f"Move column “{column.name}”")
        self.column_id = column.id
        self.old_position = column.position
        self.position = position

    def do(self) -> None:
        self.ctx.write(products.move_column, self.column_id, self.position)

    def undo_change(self) -> None:
        self.ctx.write(products.move_column, self.column_id, self.old_position)


class DeleteColumnCommand(ColumnCommand):
    """Delete a column, moving its items to another first when it has any; undo re-creates
    the column with its id and moves those items back."""

    def __init__(
        self, ctx: AppContext, column: ColumnInfo, move_items_to: int | None = None
    ) -> None:
        super().__init__(ctx, column.product_id, f"Delete column “{column.name}”")
        self.column = column
        self.move_items_to = move_items_to
        self.moved: tuple[int, ...] = ()

    def do(self) -> None:
        self.moved = self.ctx.write(products.delete_column, self.column.id, self.move_items_to)

    def undo_change(self) -> None:
        self.ctx.write(products.restore_column, self.column, self.moved)
