"""Backlog items: add, edit, move, archive, delete, and the board read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import BindParameter, Connection, bindparam, delete, func, select, true, update

from kanban.domain import SCORE_FIELDS, Category, Definition, ItemKind, QuestionState, is_started
from kanban.errors import ConflictError, NotFoundError, ValidationError
from kanban.ranking import rank_between
from kanban.services.checklists import apply_templates
from kanban.services.common import (
    column_infos,
    driver_rows,
    find_column,
    find_item,
    find_product,
    gc_paused,
    get_row,
    item_key,
    log_activity,
    product_infos,
    require_text,
    to_datetime,
)
from kanban.services.readiness import BoardRefinement, record_overrides
from kanban.services.records import (
    Board,
    Card,
    Change,
    HistoryEntry,
    ItemDetail,
    LabelInfo,
    Moved,
)
from kanban.services.refinement import restore_rows, save_rows
from kanban.services.rules import TITLE_LENGTH, check_kind, check_points, check_score
from kanban.storage import tables
from kanban.storage.database import Database
from kanban.storage.models import (
    Activity,
    BoardColumn,
    Item,
    Label,
    Question,
    Release,
    Sprint,
    Stakeholder,
    TeamMember,
    Transition,
    item_labels,
    utcnow,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

EDITABLE_FIELDS = frozenset(
    {
        "title",
        "kind",
        "description",
        "points",
        "business_value",
        "sprint_id",
        "epic_id",
        "assignee_id",
        "requested_by_id",
        "due_date",
        "blocked_reason",
        "labels",
        "release_id",
        *SCORE_FIELDS,
    }
)


SCORE_INPUTS = frozenset({"business_value", *SCORE_FIELDS})
"""The fields a WSJF or RICE score is computed from (their changes are logged old to new)."""

_PLAIN_FIELDS = EDITABLE_FIELDS - {"labels"}
"""The fields a move can change with it (a swimlane's)."""

_ITEM = tables.items.c  # module-level statements are Core: the ORM maps on first session


# --- reading -------------------------------------------------------------------------------
# The board read is Core (kanban.storage.tables), so the window's first screen needs no ORM.


def _card_select(product_id: int | None, include_archived: bool = False) -> Any:
    """The cards' columns: of one product (``product_id``), its people as ids, looked up in
    :func:`_people` (no join, no product column); else of any items, ``product_id`` second
    and the people's names joined in, for :func:`read_cards`."""
    item = tables.items.c
    live = true() if include_archived else item.archived.is_(False)
    if product_id is not None:
        return select(
            item.id, item.number, item.kind, item.title, item.points, item.business_value,
            item.column_id, item.rank, item.sprint_id, item.assignee_id, item.requested_by_id,
            item.blocked_reason, item.column_since, item.version, item.epic_id, item.release_id,
        ).where(item.product_id == product_id, live)  # fmt: skip
    assignee = tables.team_members.alias("assignee")
    requester = tables.stakeholders.alias("requester")
    return (
        select(
            item.id,
            item.product_id,
            item.number,
            item.kind,
            item.title,
            item.points,
            item.business_value,
            item.column_id,
            item.rank,
            item.sprint_id,
            assignee.c.name,
            requester.c.name,
            item.blocked_reason,
            item.column_since,
            item.version,
            item.epic_id,
            item.release_id,
        )
        .select_from(tables.items)
        .outerjoin(assignee, item.assignee_id == assignee.c.id)
        .outerjoin(requester, item.requested_by_id == requester.c.id)
        .where(live)
    )


_MEMBER_NAMES = select(tables.team_members.c.id, tables.team_members.c.name)
_STAKEHOLDER_NAMES = select(tables.stakeholders.c.id, tables.stakeholders.c.name)


def _people(connection: Connection) -> tuple[dict[int, str], dict[int, str]]:
    """Team member and stakeholder id -> name (archived ones too): a product's cards name
    them by id. Joined to 100,000 items, SQLite looked each one up twice a row, and each
    card held its own copies of the names."""
    return dict(driver_rows(connection, _MEMBER_NAMES)), dict(
        driver_rows(connection, _STAKEHOLDER_NAMES)
    )


def _labels_by_item(
    connection: Session | Connection, product_id: int, item_ids: Iterable[int] | None = None
) -> dict[int, tuple[str, ...]]:
    links, label = tables.item_labels.c, tables.labels.c
    if item_ids is None:
        return _product_labels(connection, product_id)
    query = (
        select(links.item_id, label.name)
        .join(tables.labels, label.id == links.label_id)
        .where(label.product_id == product_id, links.item_id.in_(list(item_ids)))
        .order_by(label.name)
    )
    return _group_labels(driver_rows(connection, query))


def _product_labels(
    connection: Session | Connection, product_id: int
) -> dict[int, tuple[str, ...]]:
    """Item id -> its label names (in name order), for every item of a product.

    One pass over the links: joined to the labels, SQLite scanned every link once per label
    of the product (the links are indexed by item alone since revision 0007).
    """
    names = dict(driver_rows(connection, _LABEL_NAMES, {"product_id": product_id}))
    if not names:
        return {}
    position = {label_id: place for place, label_id in enumerate(names)}  # in name order
    by_item: dict[int, list[int]] = {}
    for item_id, label_id in driver_rows(connection, _LABEL_LINKS, {"product_id": product_id}):
        by_item.setdefault(item_id, []).append(label_id)
    same: dict[tuple[int, ...], tuple[str, ...]] = {}  # one tuple per set of labels
    grouped = {}
    for item_id, ids in by_item.items():
        found = same.get(key := tuple(ids))
        if found is None:
            found = same[key] = tuple(names[i] for i in sorted(ids, key=position.__getitem__))
        grouped[item_id] = found
    return grouped


_LABEL_NAMES = (
    select(tables.labels.c.id, tables.labels.c.name)
    .where(tables.labels.c.product_id == bindparam("product_id"))
    .order_by(tables.labels.c.name)
)
_LABEL_LINKS = select(tables.item_labels.c.item_id, tables.item_labels.c.label_id).where(
    tables.item_labels.c.label_id.in_(
        select(tables.labels.c.id).where(tables.labels.c.product_id == bindparam("product_id"))
    )
)


def _group_labels(rows: Iterable[tuple[int, str]]) -> dict[int, tuple[str, ...]]:
    labels: dict[int, list[str]] = {}
    for item_id, name in rows:
        labels.setdefault(item_id, []).append(name)
    same: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per set of labels
    grouped = {}
    for item_id, names in labels.items():
        found = tuple(names)
        grouped[item_id] = same.setdefault(found, found)
    return grouped


def _open_questions_by_item(
    connection: Connection, product_id: int, item_ids: Iterable[int] | None = None
) -> dict[int, int]:
    question = tables.questions.c
    query = (
        select(question.item_id, func.count())
        .where(
            question.product_id == product_id,
            question.state == QuestionState.OPEN,
            question.item_id.is_not(None),
        )
        .group_by(question.item_id)
    )
    if item_ids is not None:
        query = query.where(question.item_id.in_(list(item_ids)))
    return dict(driver_rows(connection, query))


def _cards(connection: Connection, product_id: int, query: Any, key: str) -> list[Card]:
    # Rows are turned into cards a chunk at a time, so a 100,000-card read never holds every
    # driver row and every card at once (17 MiB less at the peak).
    result = connection.execute(query)
    try:
        rows = result.cursor.fetchmany(_SMALL + 1)
        if not rows:  # no cards: nothing to read about them (a new file's first screen)
            return []
        ids = None if len(rows) > _SMALL else [row[0] for row in rows]
        labels = _labels_by_item(connection, product_id, ids)
        questions = _open_questions_by_item(connection, product_id, ids)
        refinement = BoardRefinement(connection, product_id, ids, questions)
        members, stakeholders = _people(connection)
        shared: dict[Any, Any] = {}
        facts = (product_id, key, members.get, stakeholders.get, labels, questions, refinement)
        cards = _make_cards(rows, *facts, shared)
        while rows := result.cursor.fetchmany(5000):
            cards += _make_cards(rows, *facts, shared)
        return cards
    finally:
        result.close()


_card_rank = attrgetter("rank")
_STORED_MOMENTS = frozenset({int, float, dt.datetime})
"""What a card keeps as its ``since`` (Card.column_since converts it when read); older files'
ISO text is converted at once."""
_SMALL = 500  # up to this many cards, labels and questions are read for those cards only


def _make_cards(
    rows: Sequence[Any],
    product_id: int,
    key: str,
    assignee_of: Callable[[Any], str | None],
    requester_of: Callable[[Any], str | None],
    labels: dict[int, tuple[str, ...]],
    questions: dict[int, int],
    refinement: BoardRefinement,
    shared: dict[Any, Any] | None = None,
) -> list[Card]:
    """Cards of one product from rows of :func:`_card_select`'s columns without the product;
    ``assignee_of`` and ``requester_of`` name the people as the rows give them."""
    prefix = f"{key}-"
    make = Card._make
    # The driver gives each row its own copy of a kind, a number of points: cards share one
    # of each instead (``same``: 11 MiB less at 100,000 cards, with the people's names).
    same = ({} if shared is None else shared).setdefault
    # Most cards have no refinement rows: their fields are one of a table of four, inline
    # (a call per card cost 60 ms at 100,000 cards).
    tail, special, plain, started = (
        refinement.tail,
        refinement.special,
        refinement.plain,
        refinement.started,
    )
    epic = ItemKind.EPIC.value
    # fmt: off
    return [
        make((
            id_, product_id, prefix + str(number), same(kind, kind), title, same(points, points),
            value, column_id, rank, sprint_id, assignee_of(assignee), requester_of(requester),
            blocked, since if since.__class__ in _STORED_MOMENTS else to_datetime(since),
            version, labels.get(id_, ()), questions.get(id_, 0),
            tail(id_, kind, points, column_id, questions.get(id_, 0)) if id_ in special
            else plain[points is None][kind != epic and column_id not in started],
            epic_id, release_id,
        ))
        for (
            id_, number, kind, title, points, value, column_id, rank, sprint_id,
            assignee, requester, blocked, since, version, epic_id, release_id,
        ) in rows
    ]
    # fmt: on


def load_board(db: Database, product_ref: str | int) -> Board:
    """A product's columns and all its live cards, in rank order, in one read."""
    with db.connect() as connection:
        (product,) = product_infos(connection, product_ref)
        columns = column_infos(connection, product.id)
        # Column by column, as the board's index holds them (unique per column since revision
        # 0007): in the product's rank order SQLite sorted all the rows in a temporary b-tree
        # first (a tenth of the read at 100,000 cards); Python's sort merges the columns' runs.
        query = _card_select(product.id).order_by(tables.items.c.column_id, tables.items.c.rank)
        with gc_paused():
            cards = _cards(connection, product.id, query, product.key)
            cards.sort(key=_card_rank)
        return Board(product, tuple(columns), tuple(cards))


def list_labels(db: Database, product_ref: str | int) -> list[LabelInfo]:
    """A product's labels, by name."""
    with db.read() as session:
        product = find_product(session, product_ref)
        query = select(Label).where(Label.product_id == product.id).order_by(Label.name)
        return [LabelInfo(x.id, x.product_id, x.name, x.color) for x in session.scalars(query)]


def get_card(db: Database, item_ref: str | int) -> Card:
    """One item as the board shows it."""
    with db.read() as session:
        return read_cards(session, [find_item(session, item_ref).id])[0]


def get_cards(db: Database, item_ids: Sequence[int]) -> list[Card]:
    """Several items as the board shows them, in one read (see :func:`read_cards`)."""
    with db.read() as session:
        return read_cards(session, item_ids)


def read_cards(session: Session, item_ids: Sequence[int]) -> list[Card]:
    """The cards of these items (archived ones too) in the order given, in the caller's
    transaction; ids of items that do not exist are left out.

    One item (every move and edit) runs three prepared statements; more run three IN queries.
    """
    params: dict[str, Any]
    if len(item_ids) == 1:
        params = {"item_id": item_ids[0]}
        rows = driver_rows(session, _ONE_CARD, params)
        labels = _group_labels(driver_rows(session, _ONE_CARD_LABELS, params))
        questions = dict(driver_rows(session, _ONE_CARD_QUESTIONS, params))
    else:
        params = {"item_ids": list(item_ids)}
        rows = driver_rows(session, _SOME_CARDS, params)
        labels = _group_labels(driver_rows(session, _SOME_CARDS_LABELS, params))
        questions = dict(driver_rows(session, _SOME_CARDS_QUESTIONS, params))
    by_product: dict[int, list[Any]] = {}
    for row in rows:  # without the product, and the people as named
        by_product.setdefault(row[1], []).append(row[:1] + row[2:])
    cards = {}
    for product_id, product_rows in by_product.items():
        ids = [row[0] for row in product_rows]
        refinement = BoardRefinement(session, product_id, ids, questions)
        key = _product_key(session, product_id)
        found = (product_id, key, _as_named, _as_named, labels, questions, refinement)
        for card in _make_cards(product_rows, *found):
            cards[card.id] = card
    return [cards[item_id] for item_id in item_ids if item_id in cards]


def _as_named(name: str | None) -> str | None:
    return name


def _product_key(session: Session, product_id: int) -> str:
    """A product's key, read once per session (a move needs it twice)."""
    cache = session.info.setdefault("product_keys", {})
    if product_id not in cache:
        cache[product_id] = str(session.scalar(_PRODUCT_KEY, {"product_id": product_id}))
    return str(cache[product_id])


# One card by id, for every move and edit. Built once: SQLAlchemy caches the SQL of a statement
# it has seen, but building the statement objects took a millisecond per move.
_ONE_CARD = _card_select(None, include_archived=True).where(
    tables.items.c.id == bindparam("item_id")
)
_ONE_CARD_LABELS = (
    select(tables.item_labels.c.item_id, tables.labels.c.name)
    .join(tables.labels, tables.labels.c.id == tables.item_labels.c.label_id)
    .where(tables.item_labels.c.item_id == bindparam("item_id"))
    .order_by(tables.labels.c.name)
)
_PRODUCT_KEY = select(tables.products.c.key).where(tables.products.c.id == bindparam("product_id"))
_ONE_CARD_QUESTIONS = (
    select(tables.questions.c.item_id, func.count())
    .where(
        tables.questions.c.item_id == bindparam("item_id"),
        tables.questions.c.state == QuestionState.OPEN,
    )
    .group_by(tables.questions.c.item_id)
)
_SOME_IDS: BindParameter[Any] = bindparam("item_ids", expanding=True)
_SOME_CARDS = _card_select(None, include_archived=True).where(_ITEM.id.in_(_SOME_IDS))
_SOME_CARDS_LABELS = (
    select(tables.item_labels.c.item_id, tables.labels.c.name)
    .join(tables.labels, tables.labels.c.id == tables.item_labels.c.label_id)
    .where(tables.item_labels.c.item_id.in_(_SOME_IDS))
    .order_by(tables.labels.c.name)
)
_SOME_CARDS_QUESTIONS = (
    select(tables.questions.c.item_id, func.count())
    .where(
        tables.questions.c.item_id.in_(_SOME_IDS),
        tables.questions.c.state == QuestionState.OPEN,
    )
    .group_by(tables.questions.c.item_id)
)


def list_epics(db: Database, product_ref: str | int) -> list[Card]:
    """A product's live epics in rank order (the parents an item can belong to)."""
    with db.connect() as connection:
        (product,) = product_infos(connection, product_ref)
        query = _card_select(product.id).where(_ITEM.kind == ItemKind.EPIC).order_by(_ITEM.rank)
        return _cards(connection, product.id, query, product.key)


def get_item(db: Database, item_ref: str | int) -> ItemDetail:
    """Every field of one item, by id or key."""
    with db.read() as session:
        return read_detail(session, find_item(session, item_ref))


def read_detail(session: Session, item: Item) -> ItemDetail:
    """Every field of one item, in the caller's transaction."""
    column_name = session.scalar(select(BoardColumn.name).where(BoardColumn.id == item.column_id))
    labels = _labels_by_item(session, item.product_id, [item.id]).get(item.id, ())
    return ItemDetail(
        id=item.id,
        product_id=item.product_id,
        key=item_key(session, item),
        number=item.number,
        kind=item.kind,
        title=item.title,
        description=item.description,
        points=item.points,
        business_value=item.business_value,
        column_id=item.column_id,
        column_name=str(column_name),
        rank=item.rank,
        sprint_id=item.sprint_id,
        epic_id=item.epic_id,
        assignee_id=item.assignee_id,
        requested_by_id=item.requested_by_id,
        due_date=item.due_date,
        blocked_reason=item.blocked_reason,
        labels=tuple(labels),
        created_at=item.created_at,
        updated_at=item.updated_at,
        column_since=item.column_since,
        started_at=item.started_at,
        done_at=item.done_at,
        archived=item.archived,
        version=item.version,
        release_id=item.release_id,
        **{name: getattr(item, name) for name in SCORE_FIELDS},
    )


def item_history(db: Database, item_ref: str | int) -> list[HistoryEntry]:
    """An item's audit trail, oldest first."""
    with db.read() as session:
        item = find_item(session, item_ref)
        rows = session.scalars(
            select(Activity).where(Activity.item_id == item.id).order_by(Activity.at, Activity.id)
        )
        return [HistoryEntry(a.at, a.actor, a.action, a.detail) for a in rows]


# --- validation ----------------------------------------------------------------------------


def _set_labels(session: Session, item: Item, names: Sequence[str]) -> None:
    wanted = sorted({n.strip() for n in names if n.strip()}, key=str.lower)
    ids = []
    for name in wanted:
        label = session.scalar(
            select(Label).where(Label.product_id == item.product_id, Label.name == name)
        )
        if label is None:
            label = Label(product_id=item.product_id, name=name)
            session.add(label)
            session.flush()
        ids.append(label.id)
    session.execute(item_labels.delete().where(item_labels.c.item_id == item.id))
    if ids:
        session.execute(item_labels.insert(), [{"item_id": item.id, "label_id": i} for i in ids])


def _check_refs(session: Session, item_product_id: int, values: dict[str, Any]) -> None:
    sprint_id = values.get("sprint_id")
    if sprint_id is not None:
        sprint = get_row(session, Sprint, sprint_id, "sprint")
        if sprint.product_id != item_product_id:
            raise ValidationError("The sprint belongs to another product")
    epic_id = values.get("epic_id")
    if epic_id is not None:
        epic = get_row(session, Item, epic_id, "epic")
        if epic.product_id != item_product_id or epic.kind != ItemKind.EPIC:
            raise ValidationError("The parent must be an epic of the same product")
    if values.get("assignee_id") is not None:
        get_row(session, TeamMember, values["assignee_id"], "team member")
    if values.get("requested_by_id") is not None:
        get_row(session, Stakeholder, values["requested_by_id"], "stakeholder")
    release_id = values.get("release_id")
    if release_id is not None:
        release = get_row(session, Release, release_id, "release")
        if release.product_id != item_product_id:
            raise ValidationError("The release belongs to another product")


# --- ranks ---------------------------------------------------------------------------------


# A rank is unique in its product, and the one index holding ranks is the board's, column by
# column (tables.items): a product-wide rank question asks each of the product's columns
# (one index probe each) and takes the answer of all of them.
_COLUMN = tables.board_columns.alias("rank_column")
_PRODUCT_COLUMNS = select(tables.board_columns.c.id).where(
    tables.board_columns.c.product_id == bindparam("product_id")
)


def _per_column(aggregate: Any, *conditions: Any) -> Any:
    """``aggregate`` (``func.min`` or ``func.max``) of the ranks of a product's items that
    meet ``conditions``, asked column by column."""
    in_column = (
        select(aggregate(_ITEM.rank))
        .where(
            _ITEM.product_id == bindparam("product_id"),
            _ITEM.column_id == _COLUMN.c.id,
            *conditions,
        )
        .scalar_subquery()
    )
    return select(aggregate(in_column)).where(_COLUMN.c.product_id == bindparam("product_id"))


_RANK_OWNER = select(_ITEM.id).where(
    _ITEM.product_id == bindparam("product_id"),
    _ITEM.column_id.in_(_PRODUCT_COLUMNS),
    _ITEM.rank == bindparam("rank"),
)
# Built once, as every move runs one of them (see _ONE_CARD).
_NEXT_RANK = _per_column(func.min, _ITEM.rank > bindparam("rank"), _ITEM.id != bindparam("exclude"))
_PREVIOUS_RANK = _per_column(
    func.max, _ITEM.rank < bindparam("rank"), _ITEM.id != bindparam("exclude")
)
_LAST_RANK = _per_column(func.max)
_FIRST_RANK = _per_column(func.min)


def _rank_owner(session: Session, product_id: int, rank: str) -> int | None:
    owner: int | None = session.scalar(_RANK_OWNER, {"product_id": product_id, "rank": rank})
    return owner


def _next_rank(session: Session, product_id: int, rank: str, exclude: int) -> str | None:
    found: str | None = session.scalar(
        _NEXT_RANK, {"product_id": product_id, "rank": rank, "exclude": exclude}
    )
    return found


def _previous_rank(session: Session, product_id: int, rank: str, exclude: int) -> str | None:
    params = {"product_id": product_id, "rank": rank, "exclude": exclude}
    found: str | None = session.scalar(_PREVIOUS_RANK, params)
    return found


def _bottom_rank(session: Session, product_id: int) -> str:
    last: str | None = session.scalar(_LAST_RANK, {"product_id": product_id})
    return rank_between(last, None)


def _top_rank(session: Session, product_id: int) -> str:
    first: str | None = session.scalar(_FIRST_RANK, {"product_id": product_id})
    return rank_between(None, first)


# --- writing -------------------------------------------------------------------------------


def add_item(
    db: Database,
    product_ref: str | int,
    title: str,
    *,
    kind: str = "story",
    points: float | None = None,
    column: str | int | None = None,
    top: bool = False,
    labels: Sequence[str] = (),
    **fields: Any,
) -> Card:
    """Add an item to a product: at the bottom of the backlog (or the top), in a column.

    ``column`` is a column id or name; by default the product's first column.
    Other keyword fields are those of :func:`edit_item`.
    """
    title = require_text(title, "A title", TITLE_LENGTH)
    check_kind(kind)
    check_points(points)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"Unknown item field(s): {', '.join(sorted(unknown))}")
    check_scores({n: v for n, v in fields.items() if n in SCORE_FIELDS})
    with db.write() as session:
        product = find_product(session, product_ref)
        if column is None:
            target = session.scalars(
                select(BoardColumn)
                .where(BoardColumn.product_id == product.id)
                .order_by(BoardColumn.position)
            ).first()
            if target is None:
                raise ValidationError(f"Product {product.key} has no columns")
        else:
            target = find_column(session, product.id, column)
        _check_refs(session, product.id, fields)
        now = utcnow()
        item = Item(
            product_id=product.id,
            number=product.next_number,
            kind=kind,
            title=title,
            points=points,
            column_id=target.id,
            rank=_top_rank(session, product.id) if top else _bottom_rank(session, product.id),
            created_at=now,
            updated_at=now,
            column_since=now,
            started_at=now if is_started(target.category) else None,
            done_at=now if target.category == Category.DONE else None,
            **fields,
        )
        product.next_number += 1
        session.add(item)
        session.flush()
        session.add(
            Transition(item_id=item.id, to_column_id=target.id, to_category=target.category, at=now)
        )
        if labels:
            _set_labels(session, item, labels)
        apply_templates(session, item)
        key = f"{product.key}-{item.number}"
        log_activity(session, product.id, "created", f"{key} {title}", item.id)
        return read_cards(session, [item.id])[0]


# --- several items at once: one transaction, one Change ---------------------------------------
#
# Every function below takes several items, does the whole change in one write transaction
# (all or nothing: an item that is gone, stale or refused rolls everything back) and returns
# one Change. The one-item functions after them are thin wrappers for the command line and the
# tests.

ItemEdit = tuple[int, int, Mapping[str, Any]]
"""``(item id, version the caller saw, changes)``: one item's part of :func:`edit_each`."""

LABEL_CHANGES = frozenset({"add_labels", "remove_labels"})


def load_items(session: Session, item_ids: Sequence[int], nothing: str) -> list[Item]:
    """The items with these ids, in the order given (each once), in the caller's write
    transaction.

    Raises NotFoundError naming the missing ids and saying that ``nothing`` happened
    (e.g. "nothing was archived").
    """
    wanted = list(dict.fromkeys(item_ids))
    if len(wanted) == 1:
        item = session.get(Item, wanted[0])
        found = {} if item is None else {item.id: item}
    else:
        query = select(Item).where(Item.id.in_(_SOME_IDS))
        found = {item.id: item for item in session.scalars(query, {"item_ids": wanted})}
    missing = [item_id for item_id in wanted if item_id not in found]
    if missing:
        ids = ", ".join(map(str, missing))
        what = f"No item with id {ids}" if len(missing) == 1 else f"No items with ids {ids}"
        raise NotFoundError(f"{what}: deleted, perhaps in another window. {nothing.capitalize()}.")
    return [found[item_id] for item_id in wanted]


def check_scores(values: Mapping[str, float | None]) -> None:
    """Refuse scoring inputs no score can use (:func:`kanban.services.rules.check_score`)."""
    for name, value in values.items():
        check_score(name, value)


def _check_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes validated and normalised (before any transaction starts)."""
    unknown = set(changes) - EDITABLE_FIELDS - LABEL_CHANGES
    if unknown:
        raise ValidationError(f"Unknown item field(s): {', '.join(sorted(unknown))}")
    checked = dict(changes)
    if "title" in checked:
        checked["title"] = require_text(checked["title"], "A title", TITLE_LENGTH)
    if "kind" in checked:
        check_kind(checked["kind"])
    if "points" in checked:
        check_points(checked["points"])
    if checked.get("blocked_reason") is not None and not checked["blocked_reason"].strip():
        checked["blocked_reason"] = None
    check_scores({n: v for n, v in checked.items() if n in SCORE_FIELDS})
    return checked


def edit_items(
    db: Database, item_ids: Sequence[int], expected_versions: Sequence[int], **changes: Any
) -> Change:
    """Make the same change to several items, each last seen at its expected version.

    ``changes`` are fields of :data:`EDITABLE_FIELDS` (``labels`` replaces an item's labels),
    plus ``add_labels`` / ``remove_labels`` (names added to or taken from each item's own).
    Raises ConflictError, writing nothing, when any item changed since its version.
    Returns a Change with every item's ``cards``, ``details`` (as now) and ``previous``
    (as before, for an undo through :func:`edit_each`).
    """
    if len(item_ids) != len(expected_versions):
        raise ValueError("one expected version per item")
    pairs = zip(item_ids, expected_versions, strict=True)
    return edit_each(db, [(item_id, version, changes) for item_id, version in pairs])


def edit_each(db: Database, edits: Sequence[ItemEdit]) -> Change:
    """Change fields of several items, each in its own way, in one transaction.

    Each edit is ``(item id, version the caller saw, changes)``, the changes as for
    :func:`edit_items`; an undo of a bulk edit writes each item's old values back this way.
    """
    checked = [(item_id, version, _check_changes(changes)) for item_id, version, changes in edits]
    with db.write() as session:
        items = load_items(session, [item_id for item_id, _, _ in checked], "nothing was saved")
        if len(items) != len(checked):
            raise ValidationError("An item can only be edited once in one change")
        for item, (_, version, _) in zip(items, checked, strict=True):
            _check_version(session, item, version)
        previous = [read_detail(session, item) for item in items]
        for item, (_, _, changes) in zip(items, checked, strict=True):
            _edit(session, item, changes)
        _record_sprint_overrides(session, items, previous)
        session.flush()
        return Change(
            cards=tuple(read_cards(session, [item.id for item in items])),
            details=tuple(read_detail(session, item) for item in items),
            previous=tuple(previous),
        )


def _record_sprint_overrides(
    session: Session, items: Sequence[Item], previous: Sequence[ItemDetail]
) -> None:
    """Items an edit put into a sprint while not Ready: the override goes into the history."""
    joined: dict[int, list[Item]] = {}
    for item, before in zip(items, previous, strict=True):
        if item.sprint_id is not None and item.sprint_id != before.sprint_id:
            joined.setdefault(item.sprint_id, []).append(item)
    for sprint_id, members in joined.items():
        sprint = get_row(session, Sprint, sprint_id, "sprint")
        record_overrides(session, members, Definition.READY, f"into {sprint.name}")


def _edit(session: Session, item: Item, changes: dict[str, Any]) -> None:
    _check_refs(session, item.product_id, changes)
    if changes.get("epic_id") == item.id:
        raise ValidationError("An item cannot be its own epic")
    fields = {n: v for n, v in changes.items() if n != "labels" and n not in LABEL_CHANGES}
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    labels = _wanted_labels(session, item, changes)
    if labels is not None:
        changed.append("labels")
    if not changed:
        return
    detail = ", ".join(changed) + _score_changes(item, changed, fields)
    # Every field before the labels: their queries flush the item, once (one version step).
    for name in changed:
        if name != "labels":
            setattr(item, name, fields[name])
    item.updated_at = utcnow()
    if labels is not None:
        _set_labels(session, item, labels)
    log_activity(session, item.product_id, "edited", detail, item.id)


def _score_changes(item: Item, changed: Sequence[str], fields: Mapping[str, Any]) -> str:
    """The scoring inputs changed, old to new (``"; job size 3 → 5, reach — → 500"``): the
    history keeps every earlier score's inputs."""

    def shown(value: float | None) -> str:
        return "—" if value is None else f"{value:g}"

    parts = [
        f"{name.replace('_', ' ')} {shown(getattr(item, name))} → {shown(fields[name])}"
        for name in changed
        if name in SCORE_INPUTS
    ]
    return f"; {', '.join(parts)}" if parts else ""


def _wanted_labels(session: Session, item: Item, changes: dict[str, Any]) -> list[str] | None:
    """The labels an item should have after a change; None when its labels stay as they are."""
    if "labels" not in changes and not (LABEL_CHANGES & set(changes)):
        return None
    if "labels" in changes:
        names = list(changes["labels"])
    else:
        names = list(_labels_by_item(session, item.product_id, [item.id]).get(item.id, ()))
    removed = {n.strip().casefold() for n in changes.get("remove_labels", ())}
    names = [n for n in names if n.strip().casefold() not in removed]
    names += list(changes.get("add_labels", ()))
    return names


def _check_version(session: Session, item: Item, expected_version: int) -> None:
    if item.version != expected_version:
        raise ConflictError(
            f"{item_key(session, item)} was changed elsewhere since you opened it "
            f"(now version {item.version}, yours {expected_version}). Nothing was saved; "
            "reload the item and apply your change again."
        )


def move_items(
    db: Database,
    item_ids: Sequence[int],
    *,
    column_id: int | None = None,
    after_id: int | None = None,
    before_id: int | None = None,
    ranks: Mapping[int, str] | None = None,
    changes: Mapping[str, Any] | None = None,
) -> Change:
    """Move items, in order, to a column (default: each its own) and one place in the order.

    The first goes just after ``after_id`` or just before ``before_id`` (neither: the bottom
    of the target column), each next one just below the one before, so the selection keeps
    its order. ``ranks`` asks for an exact rank per item (a keyboard move that keeps the
    priority, a redo), used when free. Ranks are computed here, from the neighbours as they
    are inside the write transaction. Each card that moves writes one item row and one
    activity row, plus a transition when its column changes.

    ``changes`` (fields as for :func:`edit_items`) are made to every item in the same
    transaction: a card dropped into another swimlane of the board takes that lane's epic,
    assignee, release or kind as part of the move. Items already so are left as they are.

    Returns a Change whose ``cards`` are the cards that moved (or changed), as they are now,
    and whose ``moves`` say where each came from (:func:`revert_moves` takes them back
    exactly, and with ``restore`` the changed fields too); with ``changes``, ``previous``
    holds every item's fields as before and ``details`` as after. All are empty when every
    card was already in its place, and so.
    """
    wanted_ranks = ranks or {}
    checked = _check_changes(changes) if changes else None
    if checked and set(checked) - _PLAIN_FIELDS:
        raise ValueError("a move changes plain fields only (not labels)")
    if not item_ids:
        return Change()
    with db.write() as session:
        items = load_items(session, item_ids, "nothing was moved")
        target = None
        if column_id is not None:
            target = find_column(session, items[0].product_id, column_id)
        previous = [read_detail(session, item) for item in items] if checked else []
        origins = []
        finishing = []  # items entering a done column: checked against the Definition of Done
        after, before = after_id, before_id
        for item in items:
            source = session.get(BoardColumn, item.column_id)
            assert source is not None
            if target is not None and target.product_id != item.product_id:
                raise ValidationError("Cannot move an item to a column of another product")
            dest = target or source
            new_rank = _new_rank(session, item, dest, after, before, wanted_ranks.get(item.id))
            # The next card goes just below this one, keeping the selection's order.
            after, before = item.id, None
            if new_rank == item.rank and dest.id == source.id:
                continue
            # Before any change: a query after one would flush the item early (two UPDATEs).
            key = f"{_product_key(session, item.product_id)}-{item.number}"
            origin = (item, source, item.rank, item.column_since, item.started_at, item.done_at)
            item.rank = new_rank
            transition = None
            if dest.id != source.id:
                transition = enter_column(session, item, source, dest)
                if dest.category == Category.DONE and source.category != Category.DONE:
                    finishing.append(item)
                move = f"{key}: {source.name} → {dest.name}"
                log_activity(session, item.product_id, "moved", move, item.id)
            else:
                log_activity(session, item.product_id, "reprioritized", key, item.id)
            origins.append((origin, transition))
        edited = []
        if checked:
            for item, was in zip(items, previous, strict=True):
                if any(getattr(was, name) != value for name, value in checked.items()):
                    _edit(session, item, dict(checked))
                    edited.append(item.id)
        if not origins and not edited:
            return Change()
        if target is not None:
            record_overrides(session, finishing, Definition.DONE, f"into {target.name}")
        session.flush()
        moves = tuple(
            Moved(
                item.id, source.id, rank, since, started, done, item.column_id, item.rank,
                None if transition is None else transition.id,
            )
            for (item, source, rank, since, started, done), transition in origins
        )  # fmt: skip
        touched = [m.item_id for m in moves]
        touched += [i for i in edited if i not in touched]
        cards = tuple(read_cards(session, touched))
        if not checked:
            return Change(cards=cards, moves=moves)
        return Change(
            cards=cards,
            moves=moves,
            details=tuple(read_detail(session, item) for item in items),
            previous=tuple(previous),
        )


def revert_moves(
    db: Database, moves: Sequence[Moved], restore: Mapping[int, Mapping[str, Any]] | None = None
) -> Change:
    """Take moves back exactly: each card returns to its old column at its old rank (when
    free), with its old ``column_since``, ``started_at`` and ``done_at``; the transition the
    move wrote is deleted, so the card's age and the flow metrics are as before the move.

    ``restore`` (item id -> fields and their old values) writes back what a move changed with
    it (``move_items(..., changes=...)``), in the same transaction.

    Raises ConflictError, changing nothing, when a card has since left the column the move
    put it in (someone else moved it). Returns a Change with the cards as they are now.
    """
    restore = restore or {}
    ids = [m.item_id for m in moves]
    ids += [item_id for item_id in restore if item_id not in ids]
    with db.write() as session:
        undo_moves(session, moves)
        if restore:
            changed = load_items(session, list(restore), "nothing was undone")
            for item in changed:
                _edit(session, item, _check_changes(restore[item.id]))
            session.flush()
        return Change(cards=tuple(read_cards(session, ids)))


def undo_moves(session: Session, moves: Sequence[Moved]) -> None:
    """:func:`revert_moves` in the caller's transaction (a sprint's start taken back)."""
    items = load_items(session, [m.item_id for m in moves], "nothing was undone")
    by_id = {item.id: item for item in items}
    for move in reversed(moves):
        item = by_id[move.item_id]
        key = f"{_product_key(session, item.product_id)}-{item.number}"
        if item.column_id != move.to_column_id:
            raise ConflictError(
                f"{key} was moved elsewhere since; nothing was undone. Move it yourself."
            )
        source = session.get(BoardColumn, item.column_id)
        dest = session.get(BoardColumn, move.from_column_id)
        assert source is not None
        if dest is None:
            raise NotFoundError(f"The column {key} came from no longer exists")
        item.rank = _new_rank(session, item, dest, None, None, move.from_rank)
        if dest.id == source.id:
            log_activity(session, item.product_id, "reprioritized", key, item.id)
            continue
        item.column_id = dest.id
        item.column_since = move.from_column_since
        item.started_at = move.from_started_at
        item.done_at = move.from_done_at
        item.updated_at = utcnow()
        if move.transition_id is not None:
            session.execute(
                delete(Transition)
                .where(Transition.id == move.transition_id, Transition.item_id == item.id)
                .execution_options(synchronize_session=False)
            )
        undone = f"{key}: {source.name} → {dest.name} (move undone)"
        log_activity(session, item.product_id, "moved", undone, item.id)
    session.flush()


def archive_items(db: Database, item_ids: Sequence[int], archived: bool = True) -> Change:
    """Archive items (off the board and backlog, kept for reports), or bring them back.

    Returns a Change: archived, the ids in ``removed``; brought back, the ``cards``.
    """
    nothing = "nothing was archived" if archived else "nothing was brought back"
    with db.write() as session:
        items = load_items(session, item_ids, nothing)
        now = utcnow()
        for item in items:
            item.archived = archived
            item.updated_at = now
            action = "archived" if archived else "restored"
            log_activity(session, item.product_id, action, "", item.id)
        session.flush()
        ids = tuple(item.id for item in items)
        if archived:
            return Change(removed=ids)
        return Change(cards=tuple(read_cards(session, ids)))


def delete_items(db: Database, item_ids: Sequence[int]) -> Change:
    """Delete items for good. Returns a Change with their ids in ``removed`` and their last
    state in ``deleted``, from which :func:`restore_items` re-creates them."""
    with db.write() as session:
        items = load_items(session, item_ids, "nothing was deleted")
        details = tuple(
            read_detail(session, item)._replace(saved=save_rows(session, item.id)) for item in items
        )
        ids = [item.id for item in items]
        session.execute(
            update(Question)
            .where(Question.item_id.in_(ids))
            .values(item_id=None)
            .execution_options(synchronize_session=False)
        )
        for item, detail in zip(items, details, strict=True):
            session.delete(item)
            log_activity(session, detail.product_id, "deleted", f"{detail.key} {detail.title}")
        return Change(removed=tuple(ids), deleted=details)


_REFERENCES: dict[str, type[Any]] = {
    "sprint_id": Sprint,
    "epic_id": Item,
    "assignee_id": TeamMember,
    "requested_by_id": Stakeholder,
    "release_id": Release,
}


def restore_items(db: Database, details: Sequence[ItemDetail]) -> Change:
    """Re-create deleted items with their ids, numbers, ranks (when free), fields and
    ``column_since``. Returns a Change with the cards."""
    with db.write() as session:
        restored = [_restore(session, detail) for detail in details]
        return Change(cards=tuple(read_cards(session, [item.id for item in restored])))


def _restore(session: Session, detail: ItemDetail) -> Item:
    if session.get(Item, detail.id) is not None:
        raise ValidationError(f"{detail.key} exists already")
    if session.get(BoardColumn, detail.column_id) is None:
        raise NotFoundError(f"The column of {detail.key} no longer exists")
    taken = _rank_owner(session, detail.product_id, detail.rank)
    rank = detail.rank if taken is None else _bottom_rank(session, detail.product_id)
    names = EDITABLE_FIELDS - {"labels"} | {"created_at", "column_since", "started_at", "done_at"}
    fields = {name: getattr(detail, name) for name in names}
    # Another window may have deleted the epic (or other row) it pointed to meanwhile.
    for name, model in _REFERENCES.items():
        if fields[name] is not None and session.get(model, fields[name]) is None:
            fields[name] = None
    item = Item(
        id=detail.id,
        product_id=detail.product_id,
        number=detail.number,
        column_id=detail.column_id,
        rank=rank,
        archived=detail.archived,
        **fields,
    )
    session.add(item)
    session.flush()
    _set_labels(session, item, detail.labels)
    restore_rows(session, detail.saved)
    log_activity(session, item.product_id, "restored", detail.key, item.id)
    return item


# --- one item: thin wrappers -----------------------------------------------------------------


def edit_item(db: Database, item_id: int, expected_version: int, **changes: Any) -> ItemDetail:
    """Change fields of one item last seen at ``expected_version`` (see :func:`edit_items`)."""
    return edit_items(db, [item_id], [expected_version], **changes).details[0]


def move_item(
    db: Database,
    item_id: int,
    *,
    column_id: int | None = None,
    after_id: int | None = None,
    before_id: int | None = None,
    rank: str | None = None,
) -> Change:
    """Move one item (see :func:`move_items`); ``rank`` asks for an exact rank, when free."""
    ranks = None if rank is None else {item_id: rank}
    return move_items(
        db, [item_id], column_id=column_id, after_id=after_id, before_id=before_id, ranks=ranks
    )


def archive_item(db: Database, item_id: int, archived: bool = True) -> None:
    """Archive one item, or bring it back (see :func:`archive_items`)."""
    archive_items(db, [item_id], archived)


def delete_item(db: Database, item_id: int) -> ItemDetail:
    """Delete one item; its last state, from which :func:`restore_item` re-creates it."""
    return delete_items(db, [item_id]).deleted[0]


def restore_item(db: Database, detail: ItemDetail) -> Card:
    """Re-create one deleted item (see :func:`restore_items`)."""
    return restore_items(db, [detail]).cards[0]


# --- ranks and columns, shared with the other services -------------------------------------


def _new_rank(
    session: Session,
    item: Item,
    target: BoardColumn,
    after_id: int | None,
    before_id: int | None,
    rank: str | None,
) -> str:
    product_id = item.product_id
    if rank is not None and _rank_owner(session, product_id, rank) in (None, item.id):
        return rank
    low: str | None
    if after_id is not None and after_id != item.id:
        low = anchor = _anchor_rank(session, after_id, product_id)
        high = _next_rank(session, product_id, anchor, item.id)
    elif before_id is not None and before_id != item.id:
        high = _anchor_rank(session, before_id, product_id)
        low = _previous_rank(session, product_id, high, item.id)
    else:
        low = session.scalar(
            select(func.max(Item.rank)).where(
                Item.product_id == product_id,
                Item.column_id == target.id,
                Item.archived.is_(False),
                Item.id != item.id,
            )
        )
        if low is None:
            return item.rank  # an empty column: the item keeps its priority
        high = _next_rank(session, product_id, low, item.id)
    if (low is None or item.rank > low) and (high is None or item.rank < high):
        return item.rank  # already in the wanted gap: no rank to write
    return rank_between(low, high)


def _anchor_rank(session: Session, item_id: int, product_id: int) -> str:
    anchor = session.execute(_ANCHOR, {"item_id": item_id}).first()
    if anchor is None:
        raise NotFoundError(f"No item with id {item_id}")
    if anchor.product_id != product_id:
        raise ValidationError("Cannot place an item next to an item of another product")
    return str(anchor.rank)


_ANCHOR = select(_ITEM.rank, _ITEM.product_id).where(_ITEM.id == bindparam("item_id"))


def enter_column(
    session: Session, item: Item, source: BoardColumn, target: BoardColumn
) -> Transition:
    """Put an item into another column now, in the caller's transaction: its timestamps
    follow the column's category; returns the transition written."""
    now = utcnow()
    item.column_id = target.id
    item.column_since = now
    item.updated_at = now
    if is_started(target.category) and item.started_at is None:
        item.started_at = now
    item.done_at = now if target.category == Category.DONE else None
    transition = Transition(
        item_id=item.id,
        from_column_id=source.id,
        to_column_id=target.id,
        from_category=source.category,
        to_category=target.category,
        at=now,
    )
    session.add(transition)
    return transition


def relocate_items(session: Session, source: BoardColumn, target: BoardColumn) -> None:
    """Move every item of one column into another, in the caller's transaction."""
    for item in session.scalars(select(Item).where(Item.column_id == source.id)):
        enter_column(session, item, source, target)
        log_activity(session, item.product_id, "moved", f"{source.name} → {target.name}", item.id)
