"""Links between items (blocks, relates to, duplicates) and links to outside resources.

``A blocks B`` is stored once, from A; B sees it as ``blocked_by``. A blocking link that would
close a loop (B already waits, directly or not, on A) is refused: nothing could ever start.
An item is *unfinished* while it is neither in a done column nor archived; only unfinished
blockers block.

Resource links point at a web page, a mail address or a local file or folder. Opening one never
runs anything: :func:`how_to_open` says what may be opened, and a program or launcher is only
ever shown in its folder.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote, urlsplit

from sqlalchemy import Connection, Select, bindparam, select

from kanban.domain import REVERSE_ROLE, Category, LinkRole, LinkType
from kanban.errors import NotFoundError, ValidationError
from kanban.services.common import (
    driver_rows,
    find_item,
    get_row,
    item_key,
    log_activity,
    require_text,
)
from kanban.services.records import LinkInfo, ResourceInfo
from kanban.storage import tables
from kanban.storage.database import Database
from kanban.storage.models import BoardColumn, Item, ItemLink, Product, ResourceLink

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kanban.metrics.status import BlockedChain

ROLE_NAMES = {role.value.replace("_", "-"): role for role in LinkRole}
"""How the command line spells a role: ``blocks``, ``blocked-by``, ``relates-to``..."""

ROLE_LABELS = {
    LinkRole.BLOCKS: "blocks",
    LinkRole.BLOCKED_BY: "is blocked by",
    LinkRole.RELATES_TO: "relates to",
    LinkRole.DUPLICATES: "duplicates",
    LinkRole.DUPLICATED_BY: "is duplicated by",
}
"""A role as a sentence says it (``WEB-3 is blocked by WEB-1``)."""

_STORED = {
    LinkRole.BLOCKS: (LinkType.BLOCKS, False),
    LinkRole.BLOCKED_BY: (LinkType.BLOCKS, True),
    LinkRole.RELATES_TO: (LinkType.RELATES_TO, False),
    LinkRole.DUPLICATES: (LinkType.DUPLICATES, False),
    LinkRole.DUPLICATED_BY: (LinkType.DUPLICATES, True),
}  # role -> (stored type, whether the item is the link's target)


def parse_role(text: str) -> LinkRole:
    """A role from its name (``blocks``, ``blocked-by``, ``relates_to``...)."""
    role = ROLE_NAMES.get(text.strip().lower().replace("_", "-"))
    if role is None:
        raise ValidationError(f"A link is one of {', '.join(ROLE_NAMES)}, not {text!r}")
    return role


# --- reading -------------------------------------------------------------------------------


def _finished(category: str | None, archived: bool) -> bool:
    return archived or category == Category.DONE


def item_links(session: Session, item_id: int) -> tuple[LinkInfo, ...]:
    """Every link of an item, as the item sees it: blockers first, then by the other's key."""
    from sqlalchemy.orm import aliased

    other = aliased(Item)
    found: list[LinkInfo] = []
    for mine, theirs, reverse in (
        (ItemLink.source_id, ItemLink.target_id, False),
        (ItemLink.target_id, ItemLink.source_id, True),
    ):
        query = (
            select(ItemLink.id, ItemLink.type, other.id, Product.key, other.number, other.title,
                   BoardColumn.category, other.archived)
            .join(other, other.id == theirs)
            .join(Product, Product.id == other.product_id)
            .join(BoardColumn, BoardColumn.id == other.column_id)
            .where(mine == item_id)
        )  # fmt: skip
        for link_id, type_, other_id, key, number, title, category, archived in session.execute(
            query
        ):
            role = REVERSE_ROLE[LinkType(type_)] if reverse else LinkRole(type_)
            found.append(
                LinkInfo(link_id, role, other_id, f"{key}-{number}", title,
                         _finished(category, archived))
            )  # fmt: skip
    order = list(LinkRole)
    order.insert(0, order.pop(order.index(LinkRole.BLOCKED_BY)))
    return tuple(sorted(found, key=lambda link: (order.index(LinkRole(link.role)), link.other_key)))


def list_links(db: Database, item_ref: str | int) -> list[LinkInfo]:
    """An item's links to other items, as it sees them."""
    with db.read() as session:
        return list(item_links(session, find_item(session, item_ref).id))


def unfinished_blockers(
    session: Session | Connection,
    item_ids: Iterable[int] | None = None,
    product_id: int | None = None,
) -> dict[int, tuple[str, ...]]:
    """Item id -> keys of the unfinished items that block it, for some items (``item_ids``)
    or else a product's (``product_id``).

    Core statements built once (the board read runs this on the window's first screen, before
    any ORM, and every move runs it for the moved card)."""
    if item_ids is not None:
        rows = driver_rows(session, _BLOCKERS_OF_ITEMS, {"item_ids": list(item_ids)})
    elif product_id is not None:
        rows = driver_rows(session, _BLOCKERS_IN_PRODUCT, {"product_id": product_id})
    else:
        raise TypeError("unfinished_blockers needs item_ids or product_id")
    found: dict[int, list[str]] = {}
    for target_id, key, number in rows:
        found.setdefault(target_id, []).append(f"{key}-{number}")
    return {item_id: tuple(keys) for item_id, keys in found.items()}


def _blockers_query() -> Select[Any]:
    link, product, column = tables.item_links.c, tables.products.c, tables.board_columns.c
    blocker = tables.items.alias("blocker")
    return (
        select(link.target_id, product.key, blocker.c.number)
        .select_from(tables.item_links)
        .join(blocker, blocker.c.id == link.source_id)
        .join(tables.products, product.id == blocker.c.product_id)
        .join(tables.board_columns, column.id == blocker.c.column_id)
        .where(
            link.type == LinkType.BLOCKS,
            blocker.c.archived.is_(False),
            column.category != Category.DONE,
        )
        .order_by(link.target_id, product.key, blocker.c.number)
    )


# Built once: building them took most of a card read's time (a move reads the moved card).
_BLOCKERS_OF_ITEMS = _blockers_query().where(
    tables.item_links.c.target_id.in_(bindparam("item_ids", expanding=True))
)
_BLOCKED = tables.items.alias("blocked")
_BLOCKERS_IN_PRODUCT = (
    _blockers_query()
    .join(_BLOCKED, _BLOCKED.c.id == tables.item_links.c.target_id)
    .where(_BLOCKED.c.product_id == bindparam("product_id"))
)


def blocked_by_these(db: Database, item_ids: Sequence[int]) -> list[int]:
    """The items that any of these items block (their verdicts follow these items' state)."""
    with db.read() as session:
        query = (
            select(ItemLink.target_id)
            .where(ItemLink.type == LinkType.BLOCKS, ItemLink.source_id.in_(list(item_ids)))
            .distinct()
        )
        return sorted(session.scalars(query))


def blocked_chains(db: Database, product_id: int) -> list[BlockedChain]:
    """The product's chains of unfinished items blocked by unfinished items (see
    :func:`chains_in`)."""
    with db.read() as session:
        return chains_in(session, product_id)


def chains_in(session: Session, product_id: int) -> list[BlockedChain]:
    """The product's longest chains of unfinished items blocked by unfinished items, in the
    caller's session: each starts at an item nothing unfinished waits on and follows its
    blockers, the longest chain behind each first."""
    from sqlalchemy.orm import aliased

    from kanban.metrics.status import BlockedChain  # loaded with the first report

    source, target = aliased(Item), aliased(Item)
    source_column, target_column = aliased(BoardColumn), aliased(BoardColumn)
    pairs = session.execute(
        select(ItemLink.source_id, ItemLink.target_id)
        .join(source, source.id == ItemLink.source_id)
        .join(target, target.id == ItemLink.target_id)
        .join(source_column, source_column.id == source.column_id)
        .join(target_column, target_column.id == target.column_id)
        .where(
            ItemLink.type == LinkType.BLOCKS,
            source.archived.is_(False),
            target.archived.is_(False),
            source_column.category != Category.DONE,
            target_column.category != Category.DONE,
        )
    ).all()
    edges: dict[int, list[int]] = {}
    for source_id, target_id in pairs:
        edges.setdefault(target_id, []).append(source_id)  # the target waits on the source
    ids = {i for pair in pairs for i in pair}
    live = {
        item_id: (f"{key}-{number}", title, owner)
        for item_id, key, number, title, owner in session.execute(
            select(Item.id, Product.key, Item.number, Item.title, Item.product_id)
            .join(Product, Product.id == Item.product_id)
            .where(Item.id.in_(ids))
        )
    }
    waited_on = {s for sources in edges.values() for s in sources}
    starts = [i for i in edges if live[i][2] == product_id and i not in waited_on]
    chains = []
    for start in sorted(starts, key=lambda i: live[i][0]):
        path = [start]
        while edges.get(path[-1]):
            # Follow the blocker with the longest chain behind it (a loop cannot be stored).
            path.append(max(edges[path[-1]], key=lambda s: (_depth(s, edges), live[s][0])))
        chains.append(
            BlockedChain(tuple(live[i][0] for i in path), tuple(live[i][1] for i in path))
        )
    return sorted(chains, key=lambda chain: (-len(chain.keys), chain.keys))


def _depth(item_id: int, edges: dict[int, list[int]]) -> int:
    return 1 + max((_depth(s, edges) for s in edges.get(item_id, ())), default=0)


def dependency_order(db: Database, product_id: int) -> list[int]:
    """A product's live items so that every item comes after the items that block it, and
    otherwise in priority (rank) order."""
    with db.read() as session:
        ranked = [
            row[0]
            for row in session.execute(
                select(Item.id)
                .where(Item.product_id == product_id, Item.archived.is_(False))
                .order_by(Item.rank)
            )
        ]
        mine = set(ranked)
        waits: dict[int, set[int]] = {}
        for source_id, target_id in session.execute(
            select(ItemLink.source_id, ItemLink.target_id).where(ItemLink.type == LinkType.BLOCKS)
        ):
            if source_id in mine and target_id in mine:
                waits.setdefault(target_id, set()).add(source_id)
    placed: list[int] = []
    done: set[int] = set()

    def place(item_id: int) -> None:
        if item_id in done:
            return
        done.add(item_id)
        rank = {i: n for n, i in enumerate(ranked)}
        for blocker in sorted(waits.get(item_id, ()), key=rank.__getitem__):
            place(blocker)
        placed.append(item_id)

    for item_id in ranked:
        place(item_id)
    return placed


def link_candidates(db: Database, product_id: int) -> list[tuple[str, str]]:
    """(key, title) of a product's live items, by key: what an item can be linked to."""
    with db.read() as session:
        rows = session.execute(
            select(Product.key, Item.number, Item.title)
            .join(Product, Product.id == Item.product_id)
            .where(Item.product_id == product_id, Item.archived.is_(False))
            .order_by(Item.number)
        ).all()
        return [(f"{key}-{number}", title) for key, number, title in rows]


# --- writing -------------------------------------------------------------------------------


def _ends(item: Item, role: LinkRole, other: Item) -> tuple[Item, Item, LinkType]:
    kind, reverse = _STORED[role]
    return (other, item, kind) if reverse else (item, other, kind)


def _find_link(session: Session, source: Item, target: Item, kind: LinkType) -> ItemLink | None:
    return session.scalars(
        select(ItemLink).where(
            ItemLink.type == kind, ItemLink.source_id == source.id, ItemLink.target_id == target.id
        )
    ).first()


def _waits_on(session: Session, start: int, wanted: int) -> bool:
    """Whether item ``start`` is blocked, directly or through others, by item ``wanted``."""
    seen, todo = {start}, [start]
    while todo:
        blockers = session.scalars(
            select(ItemLink.source_id).where(
                ItemLink.type == LinkType.BLOCKS, ItemLink.target_id.in_(todo)
            )
        ).all()
        if wanted in blockers:
            return True
        todo = [b for b in blockers if b not in seen]
        seen.update(todo)
    return False


def link_items(db: Database, item_ref: str | int, role: str, other_ref: str | int) -> LinkInfo:
    """Link an item to another: ``link_items(db, "WEB-3", "blocks", "WEB-7")``; returns the
    link as the first item sees it."""
    role = parse_role(role)
    with db.write() as session:
        item, other = find_item(session, item_ref), find_item(session, other_ref)
        source, target, kind = _ends(item, role, other)
        source_key, target_key = item_key(session, source), item_key(session, target)
        if source.id == target.id:
            raise ValidationError(f"{source_key} cannot be linked to itself")
        if _find_link(session, source, target, kind) is not None:
            raise ValidationError(f"{source_key} and {target_key} are linked that way already")
        if kind != LinkType.BLOCKS and _find_link(session, target, source, kind) is not None:
            said = f"{target_key} {ROLE_LABELS[LinkRole(kind)]} {source_key}"
            raise ValidationError(f"{said} already")
        if kind == LinkType.BLOCKS and _waits_on(session, source.id, target.id):
            raise ValidationError(
                f"{source_key} waits on {target_key} already (directly or through other "
                f"items): {source_key} blocking {target_key} would make a loop"
            )
        link = ItemLink(source_id=source.id, target_id=target.id, type=kind)
        session.add(link)
        session.flush()
        _log_link(session, "linked", source, target, kind, source_key, target_key)
        return next(x for x in item_links(session, item.id) if x.id == link.id)


def _log_link(
    session: Session,
    action: str,
    source: Item,
    target: Item,
    kind: LinkType,
    source_key: str,
    target_key: str,
) -> None:
    sentence = f"{source_key} {ROLE_LABELS[LinkRole(kind)]} {target_key}"
    log_activity(session, source.product_id, action, sentence, source.id)
    log_activity(session, target.product_id, action, sentence, target.id)


def unlink_items(db: Database, item_ref: str | int, role: str, other_ref: str | int) -> LinkInfo:
    """Remove a link between two items; returns it as the first item saw it."""
    role = parse_role(role)
    with db.write() as session:
        item, other = find_item(session, item_ref), find_item(session, other_ref)
        source, target, kind = _ends(item, role, other)
        link = session.scalars(
            select(ItemLink).where(
                ItemLink.source_id == source.id,
                ItemLink.target_id == target.id,
                ItemLink.type == kind,
            )
        ).first()
        if link is None:
            raise NotFoundError(
                f"{item_key(session, item)} {ROLE_LABELS[role]} {item_key(session, other)}: "
                "no such link"
            )
        return _remove(session, link, item.id)


def remove_link(db: Database, link_id: int, seen_from: int) -> LinkInfo:
    """Remove a link by id; returns it as item ``seen_from`` saw it (undo re-creates it)."""
    with db.write() as session:
        return _remove(session, get_row(session, ItemLink, link_id, "link"), seen_from)


def _remove(session: Session, link: ItemLink, seen_from: int) -> LinkInfo:
    info = next(x for x in item_links(session, seen_from) if x.id == link.id)
    source = get_row(session, Item, link.source_id, "item")
    target = get_row(session, Item, link.target_id, "item")
    kind = LinkType(link.type)
    session.delete(link)
    _log_link(
        session, "unlinked", source, target, kind, item_key(session, source),
        item_key(session, target),
    )  # fmt: skip
    return info


def restore_link(db: Database, item_id: int, link: LinkInfo) -> LinkInfo:
    """Re-create a removed link, with its id, as ``item_id`` saw it."""
    with db.write() as session:
        item = get_row(session, Item, item_id, "item")
        other = get_row(session, Item, link.other_id, "item")
        source, target, kind = _ends(item, LinkRole(link.role), other)
        if session.get(ItemLink, link.id) is not None or _find_link(session, source, target, kind):
            raise ValidationError("That link exists already")
        session.add(ItemLink(id=link.id, source_id=source.id, target_id=target.id, type=kind))
        session.flush()
        _log_link(
            session, "linked", source, target, kind, item_key(session, source),
            item_key(session, target),
        )  # fmt: skip
        return next(x for x in item_links(session, item.id) if x.id == link.id)


# --- resources -----------------------------------------------------------------------------

WEB_SCHEMES = ("http", "https")
LAUNCHERS = frozenset(
    [
        ".app",
        ".appimage",
        ".apk",
        ".bash",
        ".bat",
        ".bin",
        ".cmd",
        ".com",
        ".command",
        ".cpl",
        ".csh",
        ".deb",
        ".desktop",
        ".dmg",
        ".exe",
        ".hta",
        ".inf",
        ".jar",
        ".js",
        ".jse",
        ".ksh",
        ".lnk",
        ".msc",
        ".msi",
        ".msp",
        ".pif",
        ".pkg",
        ".pl",
        ".ps1",
        ".psm1",
        ".py",
        ".pyw",
        ".rb",
        ".reg",
        ".rpm",
        ".run",
        ".scf",
        ".scr",
        ".sh",
        ".url",
        ".vb",
        ".vbe",
        ".vbs",
        ".webloc",
        ".workflow",
        ".ws",
        ".wsf",
        ".wsh",
        ".zsh",
    ]
)
"""File name endings that a desktop would run (or hand to an interpreter) when opened."""


def _check_target(target: str) -> str:
    target = require_text(target, "A link's target (a URL or a path)")
    parts = urlsplit(target)
    scheme = parts.scheme.lower()
    if len(scheme) > 1:  # "C:\..." has a one-letter "scheme"
        if scheme in WEB_SCHEMES and parts.netloc:
            return target
        if scheme == "mailto" and parts.path:
            return target
        if scheme == "file":
            return target
        raise ValidationError(
            f"A resource link is a web address (http:// or https://), a mail address (mailto:) "
            f"or a local path, not {scheme}:"
        )
    path = Path(target).expanduser()
    if not path.is_absolute() and not (len(target) > 2 and target[1] == ":"):
        raise ValidationError(f"A local path must be absolute (such as ~/docs/spec.pdf): {target}")
    return target


def _resource(row: ResourceLink) -> ResourceInfo:
    return ResourceInfo(row.id, row.item_id, row.title, row.target)


def item_resources(session: Session, item_id: int) -> tuple[ResourceInfo, ...]:
    """An item's resource links, in the order they were added."""
    query = select(ResourceLink).where(ResourceLink.item_id == item_id).order_by(ResourceLink.id)
    return tuple(_resource(row) for row in session.scalars(query))


def list_resources(db: Database, item_ref: str | int) -> list[ResourceInfo]:
    """An item's resource links, in the order they were added."""
    with db.read() as session:
        return list(item_resources(session, find_item(session, item_ref).id))


def add_resource(db: Database, item_ref: str | int, target: str, title: str = "") -> ResourceInfo:
    """Link an item to a web page, a mail address or a local file or folder."""
    target = _check_target(target)
    title = " ".join(title.split())
    with db.write() as session:
        item = find_item(session, item_ref)
        row = ResourceLink(item_id=item.id, title=title, target=target)
        session.add(row)
        session.flush()
        detail = f"{item_key(session, item)}: {title or target} ({target})"
        log_activity(session, item.product_id, "resource_added", detail, item.id)
        return _resource(row)


def edit_resource(db: Database, resource_id: int, target: str, title: str) -> ResourceInfo:
    """Change a resource link's target or title; the old ones stay in the history."""
    target = _check_target(target)
    title = " ".join(title.split())
    with db.write() as session:
        row = get_row(session, ResourceLink, resource_id, "resource link")
        if (row.target, row.title) != (target, title):
            item = get_row(session, Item, row.item_id, "item")
            detail = f"{item_key(session, item)}: {row.title or row.target} ({row.target})"
            row.target, row.title = target, title
            log_activity(session, item.product_id, "resource_edited", detail, item.id)
        session.flush()
        return _resource(row)


def remove_resource(db: Database, resource_id: int) -> ResourceInfo:
    """Remove a resource link; returns it (undo puts it back)."""
    with db.write() as session:
        row = get_row(session, ResourceLink, resource_id, "resource link")
        item = get_row(session, Item, row.item_id, "item")
        info = _resource(row)
        session.delete(row)
        detail = f"{item_key(session, item)}: {row.title or row.target} ({row.target})"
        log_activity(session, item.product_id, "resource_removed", detail, item.id)
        return info


def restore_resource(db: Database, resource: ResourceInfo) -> ResourceInfo:
    """Put a removed resource link back, with its id."""
    with db.write() as session:
        item = get_row(session, Item, resource.item_id, "item")
        if session.get(ResourceLink, resource.id) is not None:
            raise ValidationError("That resource link exists already")
        row = ResourceLink(
            id=resource.id, item_id=item.id, title=resource.title, target=resource.target
        )
        session.add(row)
        session.flush()
        detail = f"{item_key(session, item)}: {row.title or row.target} ({row.target})"
        log_activity(session, item.product_id, "resource_added", detail, item.id)
        return _resource(row)


class Opening(NamedTuple):
    """What opening a resource link does: ``url`` opens a web or mail address, ``file`` a
    document in its application, ``folder`` shows a folder (a program's, never running it);
    ``refused`` opens nothing and ``message`` says why."""

    action: str
    location: str
    message: str = ""


def how_to_open(target: str) -> Opening:
    """Decide how a resource link opens, so that opening one never runs anything.

    Web (http, https) and mail addresses open as they are. A local path (or a ``file:`` URL)
    to a folder opens the folder; to a file that is not a program opens it; to a program, a
    script or a launcher (an execute permission bit, or an ending in :data:`LAUNCHERS`) shows
    the folder it is in. Anything else is refused with the reason.
    """
    parts = urlsplit(target.strip())
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES and parts.netloc:
        return Opening("url", target.strip())
    if scheme == "mailto":
        return Opening("url", target.strip())
    if scheme == "file":
        path = Path(unquote(parts.path))
    elif len(scheme) > 1:
        return Opening("refused", "", f"{scheme}: links are not opened")
    else:
        path = Path(target.strip()).expanduser()
    try:
        resolved = path.resolve(strict=True)
        mode = resolved.stat().st_mode
    except (OSError, RuntimeError):
        return Opening("refused", "", f"{path}: no such file or folder")
    if stat.S_ISDIR(mode):
        return Opening("folder", str(resolved))
    runnable = bool(mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH))
    launcher = any(p.suffix.lower() in LAUNCHERS for p in (path, resolved))
    if runnable or launcher or not stat.S_ISREG(mode):
        return Opening(
            "folder",
            str(resolved.parent),
            f"{resolved.name} is a program or a launcher: its folder is shown instead, "
            "nothing is run",
        )
    return Opening("file", str(resolved))
