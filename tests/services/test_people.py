"""Team members and stakeholders (kanban.services.people)."""

from __future__ import annotations

import pytest

from kanban.errors import NotFoundError, UnknownNameError, ValidationError
from kanban.services import Database
from kanban.services.people import (
    add_member,
    add_stakeholder,
    find_member,
    list_members,
    list_stakeholders,
    member_named,
    update_member,
    update_stakeholder,
)
from kanban.services.products import create_product
from kanban.services.records import MemberInfo, ProductInfo

# --- team members --------------------------------------------------------------------------


def test_add_and_list_members(db: Database) -> None:
    bob = add_member(db, " bob ", role="Tester")
    ada = add_member(db, "Ada", role="Developer")
    assert bob == MemberInfo(bob.id, "bob", "Tester", False)
    assert list_members(db) == [ada, bob]  # by name, whatever the case


def test_member_names_are_unique_whatever_the_case(db: Database, snapshot) -> None:
    add_member(db, "Ada")
    before = snapshot()
    with pytest.raises(ValidationError, match="already a team member named 'ADA'"):
        add_member(db, "ADA")
    with pytest.raises(ValidationError, match="name is required"):
        add_member(db, "  ")
    assert snapshot() == before


def test_member_named_gets_or_creates_case_insensitively(db: Database, count) -> None:
    with db.write() as session:
        created = member_named(session, "Ada")
        assert member_named(session, " ada ").id == created.id
        assert member_named(session, "ADA").id == created.id
    assert count("team_members") == 1
    assert [m.name for m in list_members(db)] == ["Ada"]  # the first spelling is kept


def test_member_named_without_create_refuses_a_stranger(db: Database, count) -> None:
    with pytest.raises(ValidationError, match="No team member named 'Eve'"), db.write() as session:
        member_named(session, "Eve", create=False)
    assert count("team_members") == 0


def test_update_a_member(db: Database) -> None:
    ada = add_member(db, "Ada")
    assert update_member(db, ada.id, name="Ada L.", role="Lead") == MemberInfo(
        ada.id, "Ada L.", "Lead", False
    )
    assert update_member(db, ada.id, archived=True).archived
    assert list_members(db) == []
    assert [m.name for m in list_members(db, include_archived=True)] == ["Ada L."]


def test_renaming_a_member_to_a_taken_name_is_refused(db: Database, snapshot) -> None:
    add_member(db, "Ada")
    bob = add_member(db, "Bob")
    before = snapshot()
    with pytest.raises(ValidationError, match="already a team member named 'ada'"):
        update_member(db, bob.id, name="ada")
    with pytest.raises(ValidationError, match="name is required"):
        update_member(db, bob.id, name=" ")
    with pytest.raises(NotFoundError, match="No team member with id 999"):
        update_member(db, 999, role="Ghost")
    assert snapshot() == before
    assert update_member(db, bob.id, name="BOB").name == "BOB"  # its own name, recased


# --- stakeholders --------------------------------------------------------------------------


def test_add_a_stakeholder_following_products(db: Database, product: ProductInfo) -> None:
    app = create_product(db, "APP", "App")
    grace = add_stakeholder(
        db,
        " Grace ",
        role="Sponsor",
        organization="Finance",
        contact="grace@example.org",
        notes="Prefers PDF",
        product_ids=[app.id, product.id, app.id],
    )
    assert (grace.name, grace.role, grace.organization) == ("Grace", "Sponsor", "Finance")
    assert (grace.contact, grace.notes, grace.archived) == (
        "grace@example.org",
        "Prefers PDF",
        False,
    )
    assert grace.product_ids == tuple(sorted({product.id, app.id}))
    assert list_stakeholders(db) == [grace]


def test_list_stakeholders_of_one_product(db: Database, product: ProductInfo) -> None:
    app = create_product(db, "APP", "App")
    zoe = add_stakeholder(db, "zoe", product_ids=[product.id])
    alan = add_stakeholder(db, "Alan", product_ids=[product.id, app.id])
    nobody = add_stakeholder(db, "Nobody")
    assert list_stakeholders(db) == [alan, nobody, zoe]
    assert list_stakeholders(db, product_id=product.id) == [alan, zoe]
    assert list_stakeholders(db, product_id=app.id) == [alan]


def test_a_stakeholder_needs_a_name_and_real_products(
    db: Database, product: ProductInfo, snapshot
) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match="name is required"):
        add_stakeholder(db, "")
    with pytest.raises(NotFoundError, match="No product with id 999"):
        add_stakeholder(db, "Grace", product_ids=[product.id, 999])
    assert snapshot() == before


def test_update_a_stakeholder(db: Database, product: ProductInfo, snapshot) -> None:
    app = create_product(db, "APP", "App")
    grace = add_stakeholder(db, "Grace", role="Sponsor", product_ids=[product.id])
    changed = update_stakeholder(db, grace.id, organization="Board", product_ids=[app.id])
    assert (changed.role, changed.organization, changed.product_ids) == (
        "Sponsor",  # untouched fields are kept
        "Board",
        (app.id,),
    )
    assert list_stakeholders(db, product_id=product.id) == []
    assert update_stakeholder(db, grace.id, product_ids=[]).product_ids == ()
    before = snapshot()
    with pytest.raises(NotFoundError, match="No product with id 999"):
        update_stakeholder(db, grace.id, name="Grace H.", product_ids=[999])
    with pytest.raises(ValidationError, match="name is required"):
        update_stakeholder(db, grace.id, name=" ")
    assert snapshot() == before


def test_archive_a_stakeholder(db: Database, product: ProductInfo) -> None:
    grace = add_stakeholder(db, "Grace", product_ids=[product.id])
    update_stakeholder(db, grace.id, archived=True)
    assert list_stakeholders(db) == []
    assert list_stakeholders(db, product_id=product.id) == []
    (archived,) = list_stakeholders(db, include_archived=True)
    assert archived.archived and archived.product_ids == (product.id,)


# --- naming a team member --------------------------------------------------------------------


@pytest.fixture
def team(db: Database) -> Database:
    for name in ("Ana Silva", "Andre Lima", "Ben Carter"):
        add_member(db, name)
    return db


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("ana silva", "Ana Silva"),
        ("ANA", "Ana Silva"),
        ("andr", "Andre Lima"),
        (" b ", "Ben Carter"),
    ],
)
def test_a_name_means_the_member_of_that_name_or_the_one_it_starts(
    team: Database, typed: str, meant: str
) -> None:
    with team.read() as session:
        assert find_member(session, typed).name == meant


@pytest.mark.parametrize(
    ("typed", "fragments"),
    [
        ("An", ("'An' could be Ana Silva, Andre Lima", "type more")),
        ("Zoe", ("No team member named 'Zoe'", "the team: Ana Silva, Andre Lima, Ben Carter")),
    ],
)
def test_an_ambiguous_or_unknown_name_is_refused_with_the_candidates(
    team: Database, snapshot, typed: str, fragments: tuple[str, ...]
) -> None:
    before = snapshot()
    with team.write() as session, pytest.raises(UnknownNameError) as refused:
        find_member(session, typed)
    for fragment in fragments:
        assert fragment in str(refused.value)
    assert refused.value.unknown == typed.startswith("Z")
    assert snapshot() == before


def test_a_new_member_joins_only_when_asked_and_a_prefix_does_not_count(team: Database) -> None:
    with team.write() as session:
        assert find_member(session, "Ana", new_member=True).name == "Ana"
    with team.write() as session:
        assert find_member(session, "ANA", new_member=True).name == "Ana"  # exact, not new
    assert [m.name for m in list_members(team)] == ["Ana", "Ana Silva", "Andre Lima", "Ben Carter"]


def test_an_archived_member_matches_by_exact_name_only(team: Database) -> None:
    ben = next(m for m in list_members(team) if m.name == "Ben Carter")
    update_member(team, ben.id, archived=True)
    with team.read() as session:
        assert find_member(session, "ben carter").id == ben.id
        with pytest.raises(UnknownNameError, match=r"the team: Ana Silva, Andre Lima$"):
            find_member(session, "Ben")
