"""Scores that suggest and never override (issue 13.4): the not-started items of a product
scored by WSJF or RICE (``kanban.metrics.scoring``), a proposed order the product owner reviews,
and applying it as one reorder (one transaction, one undo entry).

Only items that have not started (in a 'backlog' or 'to do' column, live, not epics) take
part; of them, only the scored ones move, into the places the scored ones hold, so everything
else keeps its rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, or_, select, update

from kanban.domain import SCORE_FIELDS, Category, ItemKind
from kanban.errors import ConflictError, NotFoundError
from kanban.metrics.scoring import FORMULAS, ScoreInputs, changed_ranks, check_method, propose
from kanban.services.common import find_product, gc_paused, log_activity
from kanban.services.items import load_items, read_cards
from kanban.services.records import Change, Reordered, ScoreProposal
from kanban.storage import tables
from kanban.storage.database import Database
from kanban.storage.models import BoardColumn, Item, Product

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

REORDERED = "reordered_by_score"
"""The activity action of a proposal applied (or taken back)."""
NOT_STARTED = (Category.BACKLOG, Category.TODO)


def _inputs(session: Session, product: Product) -> list[ScoreInputs]:
    rows = session.execute(
        select(
            Item.id,
            Item.number,
            Item.title,
            Item.rank,
            Item.business_value,
            *(_SCORES.c[name] for name in SCORE_FIELDS),
        )
        .join(BoardColumn, BoardColumn.id == Item.column_id)
        .outerjoin(_SCORES, _SCORES.c.item_id == Item.id)
        .where(
            Item.product_id == product.id,
            Item.archived.is_(False),
            Item.kind != ItemKind.EPIC,
            BoardColumn.category.in_(NOT_STARTED),
        )
        .order_by(Item.rank)
    )
    return [
        ScoreInputs(item_id, f"{product.key}-{number}", title, rank, *values)
        for item_id, number, title, rank, *values in rows
    ]


_ITEM = tables.items.c  # Core: the backlog reads scores on its first paint, without the ORM
_SCORES = tables.item_scores
_INPUT_COLUMNS = [_ITEM.business_value, *(_SCORES.c[name] for name in SCORE_FIELDS)]
_WITH_SCORES = tables.items.outerjoin(_SCORES, _SCORES.c.item_id == _ITEM.id)
_INPUTS = (
    select(_ITEM.id, _ITEM.number, _ITEM.title, _ITEM.rank, *_INPUT_COLUMNS)
    .select_from(_WITH_SCORES)
    .where(or_(_ITEM.business_value.is_not(None), _SCORES.c.item_id.is_not(None)))
)


def item_scores(
    db: Database, product_id: int, item_ids: Sequence[int] | None = None
) -> dict[int, ScoreInputs]:
    """The scoring inputs of a product's live items (or of just ``item_ids``) that have any,
    by item id, for the scores beside the backlog and on the value/effort matrix (an item
    left out has no input at all)."""
    query = _INPUTS.where(_ITEM.product_id == product_id, _ITEM.archived.is_(False))
    params: dict[str, object] = {}
    if item_ids is not None:
        query = query.where(_ITEM.id.in_(bindparam("item_ids", expanding=True)))
        params["item_ids"] = list(item_ids)
    with db.connect() as connection, gc_paused():
        key = _product_key(connection, product_id)
        result = connection.execute(query, params) if params else connection.execute(query)
        try:
            rows = result.cursor.fetchall()  # the driver's rows: a 10,000-row read in a third
        finally:
            result.close()
        prefix = f"{key}-"
        return {row[0]: ScoreInputs(row[0], f"{prefix}{row[1]}", *row[2:]) for row in rows}


def _product_key(connection: Connection, product_id: int) -> str:
    key: str | None = connection.execute(
        select(tables.products.c.key).where(tables.products.c.id == product_id)
    ).scalar()
    if key is None:
        raise NotFoundError(f"No product with id {product_id}: deleted, perhaps in another window")
    return key


def no_inputs(item_id: int, key: str, title: str, rank: str) -> ScoreInputs:
    """An item's inputs when it has none (what :func:`item_scores` leaves out)."""
    return ScoreInputs(item_id, key, title, rank, *(None,) * (1 + len(SCORE_FIELDS)))


def _proposal(session: Session, product: Product, method: str) -> ScoreProposal:
    chosen = check_method(method)
    rows = propose(_inputs(session, product), chosen)
    return ScoreProposal(product.key, chosen, FORMULAS[chosen], rows)


def score_proposal(db: Database, product_ref: str | int, method: str) -> ScoreProposal:
    """The product's not-started items scored by ``method``, in the proposed order."""
    with db.read() as session:
        return _proposal(session, find_product(session, product_ref), method)


def _set_ranks(session: Session, product_id: int, ranks: Mapping[int, str]) -> None:
    # Ranks are unique per product and a reorder swaps them: park the moving items on
    # temporary ranks first (above every real rank, "~" sorts after the rank digits).
    for item_id in ranks:
        session.execute(
            update(Item)
            .where(Item.id == item_id)
            .values(rank=f"~{item_id}")
            .execution_options(synchronize_session=False)
        )
    for item_id, rank in ranks.items():
        session.execute(
            update(Item)
            .where(Item.id == item_id)
            .values(rank=rank, version=Item.version + 1)
            .execution_options(synchronize_session=False)
        )
    session.expire_all()


def apply_proposal(db: Database, product_ref: str | int, method: str) -> Reordered:
    """Reorder the product's backlog as ``method``'s proposal says, in one transaction (the
    proposal is computed again inside it, from the data as it is)."""
    with db.write() as session:
        product = find_product(session, product_ref)
        proposal = _proposal(session, product, method)
        ranks = changed_ranks(proposal.rows)
        if not ranks:
            return Reordered(Change(), ())
        previous = tuple(
            (s.inputs.item_id, s.inputs.rank) for s in proposal.rows if s.inputs.item_id in ranks
        )
        _set_ranks(session, product.id, ranks)
        log_activity(
            session, product.id, REORDERED, f"{proposal.method.upper()}: {len(ranks)} item(s)"
        )
        session.flush()
        return Reordered(Change(cards=tuple(read_cards(session, list(ranks)))), previous)


def set_ranks(db: Database, ranks: Mapping[int, str]) -> Change:
    """Give items exact ranks again (the undo of :func:`apply_proposal`), in one transaction.

    Raises:
        ConflictError: A rank is taken by another item since.
    """
    with db.write() as session:
        items = load_items(session, list(ranks), "nothing was reordered")
        product_id = items[0].product_id
        columns = select(BoardColumn.id).where(BoardColumn.product_id == product_id)
        taken = session.execute(
            select(Item.id, Item.rank).where(  # column by column: the board's index
                Item.product_id == product_id,
                Item.column_id.in_(columns),
                Item.rank.in_(list(ranks.values())),
            )
        ).all()
        if any(item_id not in ranks for item_id, _ in taken):
            raise ConflictError("The backlog was reordered since; nothing was reordered")
        _set_ranks(session, product_id, ranks)
        log_activity(session, product_id, REORDERED, f"undone: {len(ranks)} item(s)")
        session.flush()
        return Change(cards=tuple(read_cards(session, list(ranks))))
