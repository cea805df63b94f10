"""Releases (issue 13.1): items assigned, a target with its history, a forecast of their own,
release notes drafted from the done items; each change one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from written_history import write_history

from kanban.domain import ReleaseState
from kanban.errors import ConflictError, NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.items import add_item, delete_items, get_item, item_history, restore_items
from kanban.services.products import create_product, list_columns
from kanban.services.records import ProductInfo
from kanban.services.releases import (
    create_release,
    delete_release,
    edit_release,
    find_release,
    list_releases,
    release_notes,
    release_outlooks,
    restore_release,
    revert_release_target,
    set_items_release,
    set_release_target,
)
from kanban.storage.models import TargetChange

SUNDAY = dt.date(2024, 6, 30)


def test_a_release_holds_items_and_counts_the_done_ones(db: Database, product: ProductInfo) -> None:
    release = create_release(db, "WEB", " 2.0 ", target=dt.date(2027, 3, 1), description="Big")
    assert (release.name, release.state, release.target_date) == (
        "2.0",
        "planned",
        dt.date(2027, 3, 1),
    )
    a = add_item(db, "WEB", "Checkout", points=3)
    b = add_item(db, "WEB", "Search", points=5)
    done = next(c for c in list_columns(db, product.id) if c.category == "done")
    c = add_item(db, "WEB", "Login", points=2, column=done.id)
    change = set_items_release(db, {a.id: release.id, b.id: release.id, c.id: release.id})
    assert [card.key for card in change.cards] == ["WEB-1", "WEB-2", "WEB-3"]
    assert [d.release_id for d in change.previous] == [None, None, None]
    (found,) = list_releases(db, "WEB")
    assert (found.items, found.done_items, found.points, found.done_points) == (3, 1, 10.0, 2.0)
    assert get_item(db, a.id).release_id == release.id
    assert "none → 2.0" in [h.detail for h in item_history(db, a.id)]
    # the undo puts each item back where it was; the same call again changes nothing
    set_items_release(db, {d.id: d.release_id for d in change.previous})
    assert list_releases(db, "WEB")[0].items == 0
    assert set_items_release(db, {a.id: None}).cards == ()


def test_an_item_joins_only_a_release_of_its_own_product(
    db: Database, product: ProductInfo
) -> None:
    create_product(db, "APP", "App")
    other = create_release(db, "APP", "1.0")
    mine = add_item(db, "WEB", "Checkout")
    theirs = add_item(db, "WEB", "Search")
    with pytest.raises(ValidationError, match=r"its own product\. Nothing was assigned"):
        set_items_release(db, {mine.id: create_release(db, "WEB", "1.0").id, theirs.id: other.id})
    assert get_item(db, mine.id).release_id is None  # all or nothing


def test_names_are_unique_per_product_any_case(db: Database, product: ProductInfo) -> None:
    create_release(db, "WEB", "Spring")
    with pytest.raises(ValidationError, match="already"):
        create_release(db, "WEB", "SPRING")
    with pytest.raises(ValidationError, match="name"):
        create_release(db, "WEB", "  ")
    assert find_release(db, "WEB", "spring").name == "Spring"
    with pytest.raises(NotFoundError, match=r"No release 'Summer' in WEB \(releases: Spring\)"):
        find_release(db, "WEB", "Summer")


def test_a_target_that_moves_needs_a_reason_and_is_kept_in_the_history(
    db: Database, product: ProductInfo
) -> None:
    release = create_release(db, "WEB", "2.0", target=dt.date(2027, 3, 1))
    with pytest.raises(ValidationError, match="needs a reason"):
        set_release_target(db, release.id, dt.date(2027, 4, 1))
    move = set_release_target(db, release.id, dt.date(2027, 4, 1), "Payments slipped")
    assert move.release.target_date == dt.date(2027, 4, 1)
    assert move.previous == dt.date(2027, 3, 1)
    with db.read() as session:
        rows = session.execute(
            select(TargetChange.previous, TargetChange.target, TargetChange.reason)
            .where(TargetChange.release_id == release.id)
            .order_by(TargetChange.id)
        ).all()
    assert rows == [
        (None, dt.date(2027, 3, 1), ""),
        (dt.date(2027, 3, 1), dt.date(2027, 4, 1), "Payments slipped"),
    ]
    # the product's own date history is not the release's
    assert set_release_target(db, release.id, dt.date(2027, 4, 1)).change_id is None
    assert revert_release_target(db, move).target_date == dt.date(2027, 3, 1)
    with db.read() as session:
        assert (
            session.scalar(select(TargetChange.id).where(TargetChange.id == move.change_id)) is None
        )


def test_an_undo_of_a_target_move_refuses_a_later_move(db: Database, product: ProductInfo) -> None:
    release = create_release(db, "WEB", "2.0", target=dt.date(2027, 3, 1))
    move = set_release_target(db, release.id, dt.date(2027, 4, 1), "late")
    set_release_target(db, release.id, dt.date(2027, 5, 1), "later")
    with pytest.raises(ConflictError, match="moved again"):
        revert_release_target(db, move)
    assert find_release(db, "WEB", "2.0").target_date == dt.date(2027, 5, 1)


def test_released_and_back_to_planned(db: Database, product: ProductInfo) -> None:
    release = create_release(db, "WEB", "1.0")
    shipped = edit_release(db, release.id, state="released", released_on=dt.date(2026, 11, 2))
    assert (shipped.state, shipped.released_on) == (ReleaseState.RELEASED, dt.date(2026, 11, 2))
    again = edit_release(db, release.id, state="planned", name="1.0.1")
    assert (again.state, again.released_on, again.name) == ("planned", None, "1.0.1")
    with pytest.raises(ValidationError, match="planned or released"):
        edit_release(db, release.id, state="shipped")


def test_delete_refuses_a_release_with_items_and_restore_keeps_the_id(
    db: Database, product: ProductInfo
) -> None:
    release = create_release(db, "WEB", "2.0", target=dt.date(2027, 3, 1))
    item = add_item(db, "WEB", "Checkout")
    set_items_release(db, {item.id: release.id})
    with pytest.raises(ValidationError, match="still holds 1 item"):
        delete_release(db, release.id)
    set_items_release(db, {item.id: None})
    gone = delete_release(db, release.id)
    assert list_releases(db, "WEB") == []
    back = restore_release(db, gone)
    assert (back.id, back.name, back.target_date) == (release.id, "2.0", dt.date(2027, 3, 1))


def test_a_deleted_item_comes_back_in_its_release(db: Database, product: ProductInfo) -> None:
    release = create_release(db, "WEB", "2.0")
    item = add_item(db, "WEB", "Checkout")
    set_items_release(db, {item.id: release.id})
    deleted = delete_items(db, [item.id]).deleted
    restore_items(db, deleted)
    assert get_item(db, item.id).release_id == release.id


def test_each_release_has_its_own_forecast_against_its_target(
    db: Database, product: ProductInfo
) -> None:
    """Three items finished every week for 12 weeks: 6 open items take two weeks, 12 four."""
    open_ids = write_history(db, product, [3] * 12, SUNDAY, 18)
    soon = create_release(db, "WEB", "Soon", target=SUNDAY + dt.timedelta(weeks=2))
    later = create_release(db, "WEB", "Later", target=SUNDAY + dt.timedelta(weeks=3))
    shipped = create_release(db, "WEB", "Old")
    edit_release(db, shipped.id, state="released")
    set_items_release(db, {i: soon.id for i in open_ids[:6]})
    set_items_release(db, {i: later.id for i in open_ids[6:18]})
    by_name = {o.release.name: o for o in release_outlooks(db, "WEB", as_of=SUNDAY)}
    assert by_name["Soon"].remaining == 6
    assert by_name["Soon"].p85 == SUNDAY + dt.timedelta(weeks=2)
    assert (by_name["Soon"].late_days, by_name["Soon"].late) == (0, False)
    assert by_name["Later"].p85 == SUNDAY + dt.timedelta(weeks=4)
    assert (by_name["Later"].late_days, by_name["Later"].late) == (7, True)
    assert (by_name["Old"].p85, by_name["Old"].reason) == (None, "")


def test_release_notes_are_drafted_from_the_done_items_by_kind(
    db: Database, product: ProductInfo
) -> None:
    release = create_release(db, "WEB", "2.0")
    done = next(c for c in list_columns(db, product.id) if c.category == "done")
    ids = [
        add_item(db, "WEB", "One-click checkout", column=done.id).id,
        add_item(db, "WEB", "Crash on empty cart", kind="bug", column=done.id).id,
        add_item(db, "WEB", "Not yet").id,
    ]
    set_items_release(db, dict.fromkeys(ids, release.id))
    notes = release_notes(db, "WEB", "2.0")
    assert notes.drafted
    assert notes.markdown == (
        "# Web shop 2.0\n\n## New\n\n- One-click checkout (WEB-1)\n\n"
        "## Fixed\n\n- Crash on empty cart (WEB-2)\n"
    )
    edit_release(db, release.id, notes="# 2.0\n\nEdited by hand.")
    edited = release_notes(db, "WEB", "2.0")
    assert (edited.drafted, edited.markdown) == (False, "# 2.0\n\nEdited by hand.")
