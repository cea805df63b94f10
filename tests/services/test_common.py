"""Helpers shared by the services: who acts, look-ups by the names users type (services.common)."""

from __future__ import annotations

import getpass

import pytest

from kanban.errors import NotFoundError, ValidationError
from kanban.services import Database
from kanban.services.common import current_actor, find_column, find_item, find_product
from kanban.services.items import add_item
from kanban.services.products import create_product
from kanban.services.records import ProductInfo


def test_the_actor_is_kanban_user_else_the_login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KANBAN_USER", "Pat")
    assert current_actor() == "Pat"
    monkeypatch.setenv("KANBAN_USER", "")
    assert current_actor() == getpass.getuser()


def test_find_a_product_by_key_name_or_id(db: Database, product: ProductInfo) -> None:
    create_product(db, "APP", "Web app")
    with db.read() as session:
        assert find_product(session, " web ").id == product.id
        assert find_product(session, "Web shop").id == product.id
        assert find_product(session, "web SHOP").id == product.id  # as a user types it
        assert find_product(session, product.id).key == "WEB"
        with pytest.raises(NotFoundError, match="No product 'web store'"):
            find_product(session, "web store")


@pytest.mark.parametrize("ref", ["WEB-2", "web-2", " Web-2 "])
def test_find_an_item_by_key(db: Database, product: ProductInfo, ref: str) -> None:
    add_item(db, "WEB", "One")
    two = add_item(db, "WEB", "Two")
    with db.read() as session:
        assert find_item(session, ref).id == two.id
        assert find_item(session, two.id).title == "Two"


@pytest.mark.parametrize(
    ("ref", "error", "message"),
    [
        ("WEB2", ValidationError, "'WEB2' is not an item key"),
        ("-2", ValidationError, "not an item key"),
        ("WEB-3", NotFoundError, "No item WEB-3"),
        ("NOPE-1", NotFoundError, "No item NOPE-1"),
        (99, NotFoundError, "No item with id 99"),
    ],
)
def test_an_item_that_is_not_there(
    db: Database, product: ProductInfo, ref: str | int, error: type, message: str
) -> None:
    add_item(db, "WEB", "One")
    with db.read() as session, pytest.raises(error, match=message):
        find_item(session, ref)


def test_find_a_column_by_name_or_id_within_its_product(db: Database, product: ProductInfo) -> None:
    other = create_product(db, "APP", "App")
    with db.read() as session:
        doing = find_column(session, product.id, " in progress ")
        assert doing.name == "In Progress"
        assert find_column(session, product.id, doing.id) is doing
        with pytest.raises(NotFoundError, match="No column with id"):
            find_column(session, other.id, doing.id)
        with pytest.raises(
            NotFoundError, match="No column 'Review'; the columns are: Backlog, To Do, In Prog"
        ):
            find_column(session, product.id, "Review")
