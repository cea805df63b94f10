"""Releases (versions) of a product: items assigned to one, a target date with its history, a
forecast of its own, and release notes drafted from its done items.

A release's target moves like a product's (``kanban.services.targets``): each move is a
``target_changes`` row naming the release, with a reason once a target exists, so the date
history of a release is kept. Every function is one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import case, delete, func, select

from kanban.domain import Category, ItemKind, ReleaseState, today_utc
from kanban.errors import ConflictError, NotFoundError, ValidationError
from kanban.metrics.forecast import Forecast, Scope, ScopeKind, forecasts
from kanban.metrics.history import long_day
from kanban.metrics.records import Flow
from kanban.services.common import (
    current_actor,
    find_product,
    gc_paused,
    get_row,
    log_activity,
    require_text,
)
from kanban.services.figures import CardTally, read_flow
from kanban.services.items import load_items, read_cards, read_detail
from kanban.services.records import (
    Change,
    NoteLine,
    ReleaseInfo,
    ReleaseNotes,
    ReleaseOutlook,
    ReleaseTargetMove,
    RoadmapLine,
)
from kanban.storage.database import Database
from kanban.storage.models import BoardColumn, Item, Product, Release, TargetChange

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NOTHING = "nothing was assigned"
RELEASE_SET = "release_set"
"""The activity action of items assigned to (or taken out of) a release."""
RELEASE_TARGET_SET = "release_target_set"
"""The activity action of a release's target date moving."""
NAME_LIMIT = 200
Counts = dict[int, tuple[int, int, float, float]]
"""Per release id: live work items, done ones, their points, done points."""


# --- reading -------------------------------------------------------------------------------


def _counts(session: Session, release_ids: Sequence[int]) -> Counts:
    """Per release: live work items, done ones, their points, done points."""
    if not release_ids:
        return {}
    done = BoardColumn.category == Category.DONE
    points = func.coalesce(Item.points, 0.0)
    rows = session.execute(
        select(
            Item.release_id,
            func.count(),
            func.sum(case((done, 1), else_=0)),
            func.sum(points),
            func.sum(case((done, points), else_=0.0)),
        )
        .join(BoardColumn, BoardColumn.id == Item.column_id)
        .where(
            Item.release_id.in_(release_ids),
            Item.archived.is_(False),
            Item.kind != ItemKind.EPIC,
        )
        .group_by(Item.release_id)
    )
    return {rid: (int(n), int(d or 0), float(p or 0), float(dp or 0)) for rid, n, d, p, dp in rows}


def _info(release: Release, counts: tuple[int, int, float, float] | None = None) -> ReleaseInfo:
    items, done_items, points, done_points = counts or (0, 0, 0.0, 0.0)
    return ReleaseInfo(
        id=release.id,
        product_id=release.product_id,
        name=release.name,
        description=release.description,
        target_date=release.target_date,
        state=release.state,
        released_on=release.released_on,
        notes=release.notes,
        items=items,
        done_items=done_items,
        points=points,
        done_points=done_points,
    )


def read_release(session: Session, release: Release) -> ReleaseInfo:
    """One release with its counts, in the caller's transaction."""
    return _info(release, _counts(session, [release.id]).get(release.id))


def read_releases(session: Session, product_id: int) -> list[ReleaseInfo]:
    """A product's releases, by target date (none last), then as created."""
    rows = list(
        session.scalars(
            select(Release)
            .where(Release.product_id == product_id)
            .order_by(Release.target_date.is_(None), Release.target_date, Release.id)
        )
    )
    counts = _counts(session, [r.id for r in rows])
    return [_info(r, counts.get(r.id)) for r in rows]


def list_releases(db: Database, product_ref: str | int) -> list[ReleaseInfo]:
    """A product's releases, by target date (none last), then as created."""
    with db.read() as session:
        return read_releases(session, find_product(session, product_ref).id)


def _find(session: Session, product: Product, ref: str | int) -> Release:
    if isinstance(ref, int):
        row = session.get(Release, ref)
    else:
        row = session.scalar(
            select(Release).where(
                Release.product_id == product.id,
                func.lower(Release.name) == ref.strip().lower(),
            )
        )
    if row is None or row.product_id != product.id:
        names = session.scalars(
            select(Release.name).where(Release.product_id == product.id).order_by(Release.id)
        ).all()
        there = f" (releases: {', '.join(names)})" if names else " (it has no releases yet)"
        raise NotFoundError(f"No release {ref!r} in {product.key}{there}")
    return row


def find_release(db: Database, product_ref: str | int, ref: str | int) -> ReleaseInfo:
    """A product's release by name (any case) or id."""
    with db.read() as session:
        return read_release(session, _find(session, find_product(session, product_ref), ref))


def get_release(db: Database, release_id: int) -> ReleaseInfo:
    """One release by id."""
    with db.read() as session:
        return read_release(session, get_row(session, Release, release_id, "release"))


def release_counts(tallies: Sequence[CardTally], done_columns: Collection[int]) -> Counts:
    """Per release: live work items, done ones, their points, done points (from a pass over
    the items, ``figures.read_paces``; ``done_columns``: the ids of 'done' columns)."""
    counts: dict[int, list[float]] = {}
    for tally in tallies:
        if tally.release_id is not None and tally.work:
            total = counts.setdefault(tally.release_id, [0, 0, 0.0, 0.0])
            done = tally.column_id in done_columns
            total[0] += tally.work
            total[1] += tally.work if done else 0
            total[2] += tally.points
            total[3] += tally.points if done else 0.0
    return {r: (int(n), int(d), float(p), float(dp)) for r, (n, d, p, dp) in counts.items()}


def releases_of_products(
    session: Session, product_ids: Sequence[int], counts: Counts
) -> dict[int, list[ReleaseInfo]]:
    """Each product's releases, by target date (none last), then as created, with the given
    counts."""
    found: dict[int, list[ReleaseInfo]] = {p: [] for p in product_ids}
    for row in session.scalars(
        select(Release)
        .where(Release.product_id.in_(product_ids))
        .order_by(Release.target_date.is_(None), Release.target_date, Release.id)
    ):
        found[row.product_id].append(_info(row, counts.get(row.id)))
    return found


def scope_of(release: ReleaseInfo) -> Scope:
    """The forecast scope of a release's items."""
    return Scope(ScopeKind.RELEASE, f"release {release.name}", release.id)


NO_ITEMS = "No items in it yet"
"""The reason a release without items has no forecast."""


def outlook_of(release: ReleaseInfo, found: Forecast | None) -> ReleaseOutlook:
    """A release with its forecast (None, or a released release: none)."""
    if found is None or release.state == ReleaseState.RELEASED:
        return ReleaseOutlook(release, 0, None, None, None, "")
    if not release.items:  # nothing to do is not "on time by today": no forecast yet
        return ReleaseOutlook(release, 0, None, None, None, NO_ITEMS)
    return ReleaseOutlook(
        release,
        found.remaining_items,
        found.finish_50,
        found.finish_85,
        found.delay_days,
        found.reason,
    )


def outlooks(releases: Sequence[ReleaseInfo], flow: Flow, as_of: dt.date) -> list[ReleaseOutlook]:
    """Each release's forecast from one flow read and one simulation (a released release gets
    none)."""
    planned = [r for r in releases if r.state != ReleaseState.RELEASED]
    with gc_paused():
        found = forecasts(flow, as_of, [(scope_of(r), r.target_date) for r in planned])
    by_id = {r.id: f for r, f in zip(planned, found, strict=True)}
    return [outlook_of(r, by_id.get(r.id)) for r in releases]


def release_outlooks(
    db: Database, product_ref: str | int, as_of: dt.date | None = None
) -> list[ReleaseOutlook]:
    """A product's releases, each with its own Monte Carlo forecast (default window, runs and
    seed, as ``kanban forecast --release``) against its target date."""
    as_of = as_of or today_utc()
    with db.read() as session:
        product = find_product(session, product_ref)
        releases = read_releases(session, product.id)
        if not releases:
            return []
        flow = read_flow(session, product.id, product.key)
    return outlooks(releases, flow, as_of)


# --- writing -------------------------------------------------------------------------------


def _check_name(session: Session, product_id: int, name: str, own_id: int | None) -> str:
    name = " ".join(require_text(name, "A release's name").split())
    if len(name) > NAME_LIMIT:
        raise ValidationError(f"A release's name takes at most {NAME_LIMIT} characters")
    clash = session.scalar(
        select(Release.id).where(
            Release.product_id == product_id, func.lower(Release.name) == name.lower()
        )
    )
    if clash is not None and clash != own_id:
        raise ValidationError(f"There is a release named {name!r} already")
    return name


def create_release(
    db: Database,
    product_ref: str | int,
    name: str,
    *,
    target: dt.date | None = None,
    description: str = "",
) -> ReleaseInfo:
    """Add a release to a product (its first target, if any, starts its date history)."""
    with db.write() as session:
        product = find_product(session, product_ref)
        release = Release(
            product_id=product.id,
            name=_check_name(session, product.id, name, None),
            description=description.strip(),
            target_date=target,
            state=ReleaseState.PLANNED,
            notes="",
        )
        session.add(release)
        session.flush()
        if target is not None:
            _target_row(session, release, None, target, "")
        log_activity(session, product.id, "release_created", release.name)
        return read_release(session, release)


def restore_release(db: Database, info: ReleaseInfo) -> ReleaseInfo:
    """Re-create a deleted release with its id (the redo of an added release)."""
    with db.write() as session:
        if session.get(Release, info.id) is not None:
            raise ValidationError(f"Release {info.name!r} exists already")
        release = Release(
            id=info.id,
            product_id=info.product_id,
            name=_check_name(session, info.product_id, info.name, None),
            description=info.description,
            target_date=info.target_date,
            state=info.state,
            released_on=info.released_on,
            notes=info.notes,
        )
        session.add(release)
        session.flush()
        if info.target_date is not None:
            _target_row(session, release, None, info.target_date, "")
        log_activity(session, info.product_id, "release_created", release.name)
        return read_release(session, release)


def delete_release(db: Database, release_id: int) -> ReleaseInfo:
    """Delete a release that holds no item (its date history goes with it); returns it as it
    was.

    Raises:
        ValidationError: Items are still assigned to it.
    """
    with db.write() as session:
        release = get_row(session, Release, release_id, "release")
        info = read_release(session, release)
        held = session.scalar(select(func.count()).where(Item.release_id == release.id))
        if held:
            raise ValidationError(
                f"Release {release.name!r} still holds {held} item(s): take them out first"
            )
        session.execute(delete(TargetChange).where(TargetChange.release_id == release.id))
        session.delete(release)
        log_activity(session, info.product_id, "release_deleted", info.name)
        return info


def edit_release(
    db: Database,
    release_id: int,
    *,
    name: str | None = None,
    description: str | None = None,
    notes: str | None = None,
    state: str | None = None,
    released_on: dt.date | None = None,
) -> ReleaseInfo:
    """Change a release's name, description, notes or state (released: on ``released_on``,
    default today; planned again: the day is cleared). The target moves with
    :func:`set_release_target`."""
    with db.write() as session:
        release = get_row(session, Release, release_id, "release")
        changed = []
        if name is not None:
            new = _check_name(session, release.product_id, name, release.id)
            if new != release.name:
                release.name = new
                changed.append("name")
        if description is not None and description.strip() != release.description:
            release.description = description.strip()
            changed.append("description")
        if notes is not None and notes != release.notes:
            release.notes = notes
            changed.append("notes")
        if state is not None:
            if state not in tuple(ReleaseState):
                raise ValidationError(f"A release is {' or '.join(ReleaseState)}, not {state!r}")
            if state != release.state:
                release.state = state
                changed.append("state")
            day = (released_on or today_utc()) if state == ReleaseState.RELEASED else None
            if day != release.released_on:
                release.released_on = day
                if "state" not in changed:
                    changed.append("released_on")
        if changed:
            log_activity(
                session,
                release.product_id,
                "release_edited",
                f"{release.name}: {', '.join(changed)}",
            )
            session.flush()
        return read_release(session, release)


def _target_row(
    session: Session,
    release: Release,
    previous: dt.date | None,
    target: dt.date | None,
    reason: str,
) -> int:
    row = TargetChange(
        product_id=release.product_id,
        release_id=release.id,
        previous=previous,
        target=target,
        reason=reason,
        actor=current_actor(),
    )
    session.add(row)
    session.flush()
    return int(row.id)


def set_release_target(
    db: Database, release_id: int, target: dt.date | None, reason: str = ""
) -> ReleaseTargetMove:
    """Move (or, with None, clear) a release's target date, kept in its date history.

    A target that moves needs a reason (a first one does not), as a product's does. Returns
    what :func:`revert_release_target` needs to take the move back exactly.

    Raises:
        ValidationError: The target moves without a reason.
    """
    reason = " ".join(reason.split())
    with db.write() as session:
        release = get_row(session, Release, release_id, "release")
        previous = release.target_date
        if previous == target:
            return ReleaseTargetMove(read_release(session, release), None, previous)
        if previous is not None and not reason:
            moved = f"to {long_day(target)}" if target else "away (cleared)"
            raise ValidationError(
                f"A target that moves needs a reason: say why {release.name} moves from "
                f"{long_day(previous)} {moved}"
            )
        release.target_date = target
        change_id = _target_row(session, release, previous, target, reason)
        detail = f"{release.name}: {previous or 'none'} → {target or 'none'}"
        log_activity(
            session,
            release.product_id,
            RELEASE_TARGET_SET,
            detail + (f": {reason}" if reason else ""),
        )
        return ReleaseTargetMove(read_release(session, release), change_id, previous)


def revert_release_target(db: Database, move: ReleaseTargetMove) -> ReleaseInfo:
    """Take a target move back: the target it had, and its history row gone (an undo).

    Raises:
        ConflictError: The target moved again since (someone else's change is kept).
    """
    with db.write() as session:
        release = get_row(session, Release, move.release.id, "release")
        if move.change_id is None:
            return read_release(session, release)
        if release.target_date != move.release.target_date:
            raise ConflictError(
                f"The target of {release.name} moved again since (now "
                f"{long_day(release.target_date) if release.target_date else 'none'}); "
                "nothing was undone"
            )
        release.target_date = move.previous
        session.execute(delete(TargetChange).where(TargetChange.id == move.change_id))
        log_activity(
            session,
            release.product_id,
            RELEASE_TARGET_SET,
            f"{release.name}: back to {move.previous or 'none'} (undone)",
        )
        session.flush()
        return read_release(session, release)


def set_items_release(db: Database, release_of: Mapping[int, int | None]) -> Change:
    """Assign each item to its release (None: to none), in one transaction.

    An item joins only a release of its own product. Returns a Change with the items whose
    release changed: ``cards`` as now and ``previous`` as before (an undo passes
    ``{d.id: d.release_id for d in previous}``). Each assignment is in the item's history.
    """
    with db.write() as session:
        items = load_items(session, list(release_of), NOTHING)
        releases: dict[int, Release] = {}
        for release_id in {*release_of.values(), *(i.release_id for i in items)}:
            if release_id is not None:
                releases[release_id] = get_row(session, Release, release_id, "release")
        changed = [item for item in items if item.release_id != release_of[item.id]]
        for item in changed:
            target = release_of[item.id]
            if target is not None and releases[target].product_id != item.product_id:
                raise ValidationError(
                    f"An item can only join a release of its own product. {NOTHING.capitalize()}."
                )
        previous = tuple(read_detail(session, item) for item in changed)
        for item in changed:
            before, after = item.release_id, release_of[item.id]
            item.release_id = after
            was = releases[before].name if before is not None else "none"
            now = releases[after].name if after is not None else "none"
            log_activity(session, item.product_id, RELEASE_SET, f"{was} → {now}", item.id)
        session.flush()
        cards = read_cards(session, [item.id for item in changed]) if changed else []
        return Change(cards=tuple(cards), previous=previous)


def release_items(db: Database, release_id: int) -> list[tuple[int, str, str, str, bool]]:
    """A release's live items in backlog order: ``(id, key, kind, title, done)``."""
    with db.read() as session:
        release = get_row(session, Release, release_id, "release")
        key = session.scalar(select(Product.key).where(Product.id == release.product_id))
        rows = session.execute(
            select(Item.id, Item.number, Item.kind, Item.title, BoardColumn.category)
            .join(BoardColumn, BoardColumn.id == Item.column_id)
            .where(Item.release_id == release.id, Item.archived.is_(False))
            .order_by(Item.rank)
        )
        return [
            (i, f"{key}-{n}", kind, title, cat == Category.DONE) for i, n, kind, title, cat in rows
        ]


# --- release notes -------------------------------------------------------------------------

KIND_HEADINGS = {
    ItemKind.STORY: "New",
    ItemKind.BUG: "Fixed",
    ItemKind.TASK: "Changed",
    ItemKind.SPIKE: "Explored",
    ItemKind.EPIC: "Epics",
}
"""The heading of each kind's group in drafted release notes."""


def draft_notes(title: str, groups: Sequence[tuple[str, Sequence[NoteLine]]]) -> str:
    """Release notes in Markdown: a heading, then each kind's done items."""
    lines = [f"# {title}", ""]
    if not groups:
        lines += ["No item of this release is done yet.", ""]
    for kind, entries in groups:
        lines += [f"## {KIND_HEADINGS.get(ItemKind(kind), kind.title())}", ""]
        lines += [f"- {line.title} ({line.key})" for line in entries]
        lines.append("")
    return "\n".join(lines)


def release_notes(db: Database, product_ref: str | int, release_ref: str | int) -> ReleaseNotes:
    """A release's notes: its done items by kind, and the edited text (else the draft)."""
    with db.read() as session:
        product = find_product(session, product_ref)
        release = _find(session, product, release_ref)
        rows = session.execute(
            select(Item.number, Item.kind, Item.title)
            .join(BoardColumn, BoardColumn.id == Item.column_id)
            .where(
                Item.release_id == release.id,
                Item.archived.is_(False),
                BoardColumn.category == Category.DONE,
            )
            .order_by(Item.rank)
        )
        by_kind: dict[str, list[NoteLine]] = {}
        for number, kind, title in rows:
            by_kind.setdefault(kind, []).append(NoteLine(f"{product.key}-{number}", kind, title))
        groups = tuple((k.value, tuple(by_kind[k])) for k in ItemKind if k in by_kind)
        info = read_release(session, release)
        title = f"{product.name} {release.name}"
        drafted = not release.notes.strip()
        text = draft_notes(title, groups) if drafted else release.notes
        return ReleaseNotes(product.key, product.name, info, groups, text, drafted)


def releases_of(db: Database, item_ids: Sequence[int]) -> dict[int, int | None]:
    """Each item's release id (None: no release)."""
    if not item_ids:
        return {}
    with db.read() as session:
        rows = session.execute(select(Item.id, Item.release_id).where(Item.id.in_(item_ids)))
        return {item_id: release_id for item_id, release_id in rows}


# --- the roadmap ---------------------------------------------------------------------------

RELEASE_LINE = "release"
EPIC_LINE = "epic"


def roadmap(
    db: Database, product_ref: str | int, as_of: dt.date | None = None
) -> list[RoadmapLine]:
    """A product's releases, then its live epics, each with its own forecast (one flow read):
    what the Roadmap screen draws."""
    with db.read() as session:
        product = find_product(session, product_ref)
        found, epics = _roadmap_rows(session, product)
        flow = read_flow(session, product.id, product.key)
    return _roadmap_lines(product.key, found, epics, flow, as_of or today_utc())


def roadmap_from(
    db: Database, product_ref: str | int, flow: Flow, as_of: dt.date
) -> list[RoadmapLine]:
    """The roadmap (see :func:`roadmap`) forecast from a flow already read, e.g. a status
    report's: only the releases and the epics are read (nothing more without any)."""
    with db.read() as session:
        product = find_product(session, product_ref)
        found, epics = _roadmap_rows(session, product)
    return _roadmap_lines(product.key, found, epics, flow, as_of)


_EpicRow = tuple[int, int, str, dt.date | None]


def _roadmap_rows(session: Session, product: Product) -> tuple[list[ReleaseInfo], list[_EpicRow]]:
    """A product's releases and its live epics (id, number, title, due date), in roadmap
    order."""
    found = read_releases(session, product.id)
    epics = session.execute(
        select(Item.id, Item.number, Item.title, Item.due_date)
        .where(
            Item.product_id == product.id,
            Item.kind == ItemKind.EPIC,
            Item.archived.is_(False),
        )
        .order_by(Item.due_date.is_(None), Item.due_date, Item.rank)
    ).all()
    return found, [(i, n, t, d) for i, n, t, d in epics]


def _roadmap_lines(
    key: str, found: list[ReleaseInfo], epics: list[_EpicRow], flow: Flow, as_of: dt.date
) -> list[RoadmapLine]:
    if not found and not epics:
        return []
    epic_scopes = [
        (Scope(ScopeKind.EPIC, f"epic {key}-{number}", epic_id), due)
        for epic_id, number, _title, due in epics
    ]
    planned = [r for r in found if r.state != ReleaseState.RELEASED]
    with gc_paused():  # one simulation for every release and epic
        results = forecasts(
            flow, as_of, [(scope_of(r), r.target_date) for r in planned] + epic_scopes
        )
    by_release = {r.id: f for r, f in zip(planned, results, strict=False)}
    lines = []
    for release in found:
        o = outlook_of(release, by_release.get(release.id))
        lines.append(
            RoadmapLine(
                RELEASE_LINE,
                o.release.id,
                o.release.name,
                o.release.target_date,
                o.p50,
                o.p85,
                o.late_days,
                o.remaining,
                o.reason,
                o.release.state == ReleaseState.RELEASED,
            )
        )
    for (epic_id, number, title, due), result in zip(epics, results[len(planned) :], strict=True):
        lines.append(
            RoadmapLine(
                EPIC_LINE,
                epic_id,
                f"{key}-{number} {title}",
                due,
                result.finish_50 if result.remaining_items else None,
                result.finish_85 if result.remaining_items else None,
                result.delay_days if result.remaining_items else None,
                result.remaining_items,
                result.reason,
                result.remaining_items == 0,
            )
        )
    return lines
