"""The column model alone: Qt's model contract, the drag payload, and Qt's quirks pinned."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from kanban.services.records import Card
from kanban.ui.board.model import (
    CARD_ROLE,
    ITEM_ID_ROLE,
    MIME_TYPE,
    ColumnModel,
    decode_ids,
    encode_ids,
)

COLUMN = 7


def card(item_id: int, rank: str, title: str = "", column_id: int = COLUMN) -> Card:
    return Card(
        item_id, 1, f"WEB-{item_id}", "story", title or f"Card {item_id}", 3.0, None, column_id,
        rank, None, None, None, None, dt.datetime(2026, 1, 1), 1,
    )  # fmt: skip


class Drops:
    """Records what the model asks the board to do on a drop."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[int, ...], int, int | None, int | None]] = []

    def __call__(self, ids: tuple[int, ...], column_id: int, after: int | None, before: int | None):
        self.calls.append((ids, column_id, after, before))
        return True


@pytest.fixture
def drops() -> Drops:
    return Drops()


@pytest.fixture
def model(drops: Drops) -> ColumnModel:
    column = ColumnModel(COLUMN, drops)
    column.reset([card(1, "a1"), card(2, "a3"), card(3, "a5"), card(4, "a7")])
    return column


def ids(model: ColumnModel) -> list[int]:
    return [c.id for c in model.cards]


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester, model: ColumnModel) -> None:
    qtmodeltester.check(model, force_py=True)
    model.insert(card(5, "a4"))
    model.replace(card(1, "a1"), card(1, "a6"))
    model.remove(card(2, "a3"))
    model.apply(card(3, "a5"), card(3, "a8", title="Moved down"))
    model.apply(None, card(8, "a2"))
    model.apply(card(4, "a7"), None)
    qtmodeltester.check(model, force_py=True)
    assert ids(model) == [8, 5, 1, 3]


def test_reset_is_one_reset_whether_the_list_shrinks_or_grows(
    qtmodeltester: ModelTester, model: ColumnModel
) -> None:
    qtmodeltester.check(model, force_py=True)
    signals: list[str] = []
    model.modelReset.connect(lambda: signals.append("reset"))
    model.rowsInserted.connect(lambda *_: signals.append("inserted"))
    model.rowsRemoved.connect(lambda *_: signals.append("removed"))
    for cards in ([card(7, "b1")], [card(n, f"c{n}") for n in range(1, 7)], []):
        model.reset(cards)
        assert model.rowCount() == len(cards)
        assert [model.index(row).data(ITEM_ID_ROLE) for row in range(len(cards))] == [
            c.id for c in cards
        ]
    assert signals == ["reset"] * 3
    qtmodeltester.check(model, force_py=True)


def test_data_roles(model: ColumnModel) -> None:
    index = model.index(1)
    assert index.data(CARD_ROLE).id == 2
    assert index.data(ITEM_ID_ROLE) == 2
    assert index.data(Qt.ItemDataRole.DisplayRole) == "WEB-2 Card 2"
    assert model.rowCount(index) == 0  # a list: cards have no children


def test_tooltip_escapes_user_text(model: ColumnModel) -> None:
    model.reset([card(9, "b0", title='<img src="/etc/passwd"> & <b>bold</b>')])
    tip = model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "<b>" not in tip
    assert "&lt;img src=&quot;/etc/passwd&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in tip


def test_mime_data_carries_json_ids_in_row_order(model: ColumnModel) -> None:
    mime = model.mimeData([model.index(3), model.index(1)])
    assert mime.formats() == [MIME_TYPE]
    assert json.loads(bytes(mime.data(MIME_TYPE).data())) == [2, 4]
    assert decode_ids(mime) == (2, 4)


@pytest.mark.parametrize(
    "payload", [b"not json", b'{"ids": [1]}', b'[1, "2"]', b"[1.5]", b"[true]", b"\xff\xfe"]
)
def test_foreign_or_broken_payloads_are_refused(
    model: ColumnModel, drops: Drops, payload: bytes
) -> None:
    mime = QMimeData()
    mime.setData(MIME_TYPE, payload)
    assert decode_ids(mime) == ()
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert drops.calls == []


def test_text_drops_are_refused(model: ColumnModel, drops: Drops) -> None:
    mime = QMimeData()
    mime.setText("[1, 2]")
    assert not model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert drops.calls == []


def test_drop_between_two_cards_names_both_neighbours(model: ColumnModel, drops: Drops) -> None:
    assert model.dropMimeData(encode_ids([9]), Qt.DropAction.MoveAction, 2, 0, QModelIndex())
    assert drops.calls == [((9,), COLUMN, 2, 3)]


def test_drop_at_the_top(model: ColumnModel, drops: Drops) -> None:
    model.dropMimeData(encode_ids([9]), Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert drops.calls == [((9,), COLUMN, None, 1)]


def test_drop_below_the_last_card_arrives_as_row_minus_one(
    model: ColumnModel, drops: Drops
) -> None:
    # Qt's quirk: a drop on the empty part of the view (under the last card) comes with
    # row = -1 and an invalid parent; it means "at the bottom".
    model.dropMimeData(encode_ids([9]), Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert drops.calls == [((9,), COLUMN, 4, None)]


def test_drop_onto_a_card_is_refused(model: ColumnModel, drops: Drops) -> None:
    # Cards are not drop targets (no ItemIsDropEnabled), so Qt offers above/below instead.
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsDropEnabled
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled
    assert not model.dropMimeData(encode_ids([9]), Qt.DropAction.MoveAction, -1, 0, model.index(0))
    assert drops.calls == []


def test_neighbours_skip_the_dragged_cards(model: ColumnModel, drops: Drops) -> None:
    # Dragging cards 2 and 3 and dropping them between themselves: the place is between
    # the nearest cards that stay, 1 and 4.
    model.dropMimeData(encode_ids([2, 3]), Qt.DropAction.MoveAction, 2, 0, QModelIndex())
    assert drops.calls == [((2, 3), COLUMN, 1, 4)]


def test_empty_column_drop_has_no_neighbours(drops: Drops) -> None:
    empty = ColumnModel(COLUMN, drops)
    empty.dropMimeData(encode_ids([5]), Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert drops.calls == [((5,), COLUMN, None, None)]


def test_remove_rows_after_a_move_drag_does_nothing(model: ColumnModel) -> None:
    # After a drag ends in MoveAction, QAbstractItemView calls removeRows on the source
    # model for the dragged rows. The move command has already moved them: nothing to remove.
    assert model.removeRows(0, 2) is False
    assert ids(model) == [1, 2, 3, 4]


def test_move_rows_is_not_offered(model: ColumnModel) -> None:
    # QListView tries model.moveRow for a drop inside the same view; refusing it sends the
    # drop through dropMimeData, where the move command (and the database) decide.
    assert model.moveRow(QModelIndex(), 0, QModelIndex(), 3) is False
    assert ids(model) == [1, 2, 3, 4]


def test_moving_down_uses_qt_destination_one_past_the_new_row(
    qtbot: QtBot, model: ColumnModel
) -> None:
    with qtbot.waitSignal(model.rowsMoved) as moved:
        row = model.replace(card(1, "a1"), card(1, "a6"))  # between 3 (a5) and 4 (a7)
    assert row == 2
    assert ids(model) == [2, 3, 1, 4]
    _parent, start, end, _dest_parent, destination = moved.args
    assert (start, end, destination) == (0, 0, 3)  # Qt counts rows before the move


def test_moving_up_uses_the_new_row(qtbot: QtBot, model: ColumnModel) -> None:
    with qtbot.waitSignal(model.rowsMoved) as moved:
        row = model.replace(card(4, "a7"), card(4, "a2"))
    assert row == 1
    assert ids(model) == [1, 4, 2, 3]
    assert moved.args[1:3] + moved.args[4:] == [3, 3, 1]


def test_moving_to_the_same_row_updates_data_only(qtbot: QtBot, model: ColumnModel) -> None:
    with qtbot.assertNotEmitted(model.rowsMoved), qtbot.waitSignal(model.dataChanged):
        assert model.replace(card(2, "a3"), card(2, "a4", title="Renamed")) == 1
    assert model.card(1).title == "Renamed"


def test_insert_and_remove_keep_rank_order(model: ColumnModel) -> None:
    assert model.insert(card(5, "a0")) == 0
    assert model.insert(card(6, "a9")) == 5
    assert model.remove(card(3, "a5"))
    assert not model.remove(card(99, "a5"))
    assert model.replace(card(99, "a5"), card(99, "a6")) == -1
    assert ids(model) == [5, 1, 2, 4, 6]
    assert model.row_of(4, "a7") == 3
    assert model.row_of(4) == 3  # found without the rank too


def test_every_change_keeps_the_rows_and_the_cards_in_step(model: ColumnModel) -> None:
    # A view connected after the model reads the new rows once a change is done.
    seen: list[list[int]] = []
    for signal in (model.rowsInserted, model.rowsRemoved, model.rowsMoved, model.modelReset):
        signal.connect(lambda *_: seen.append([model.index(r).data(ITEM_ID_ROLE) for r in
                                               range(model.rowCount())]))  # fmt: skip
    model.insert(card(5, "a0"))
    model.replace(card(5, "a0"), card(5, "a9"))
    model.remove(card(1, "a1"))
    model.reset([card(7, "b1")])
    assert seen == [[5, 1, 2, 3, 4], [1, 2, 3, 4, 5], [2, 3, 4, 5], [7]]
    with pytest.raises(AssertionError, match="one change at a time"):
        model._change(lambda: model._change(lambda: None, lambda: None), lambda: None)
