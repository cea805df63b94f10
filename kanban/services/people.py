"""Team members (who ask questions and take cards) and stakeholders (who get reports)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select

from kanban.errors import UnknownNameError, ValidationError
from kanban.services.common import get_row, log_activity, require_text
from kanban.services.records import MemberInfo, StakeholderInfo
from kanban.services.rules import NAME_LENGTH
from kanban.storage.database import Database
from kanban.storage.models import Product, Stakeholder, TeamMember, stakeholder_products

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _member(member: TeamMember) -> MemberInfo:
    return MemberInfo(member.id, member.name, member.role, member.archived)


def list_members(db: Database, include_archived: bool = False) -> list[MemberInfo]:
    """The team, by name."""
    with db.read() as session:
        query = select(TeamMember).order_by(func.lower(TeamMember.name))
        if not include_archived:
            query = query.where(TeamMember.archived.is_(False))
        return [_member(m) for m in session.scalars(query)]


def member_named(session: Session, name: str, create: bool = True) -> TeamMember:
    """The team member of that name (case-insensitive), added on the fly when ``create``."""
    name = require_text(name, "A team member's name", NAME_LENGTH)
    member = session.scalar(select(TeamMember).where(func.lower(TeamMember.name) == name.lower()))
    if member is None:
        if not create:
            raise ValidationError(f"No team member named {name!r}")
        member = TeamMember(name=name)
        session.add(member)
        session.flush()
        log_activity(session, None, "member_added", name)
    return member


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:MAX_CANDIDATES])
    more = len(names) - MAX_CANDIDATES
    return f"{shown} and {more} more" if more > 0 else shown


MAX_CANDIDATES = 12
"""Names listed in a refusal; the rest are counted."""


def find_member(session: Session, name: str, *, new_member: bool = False) -> TeamMember:
    """The team member a typed name means, in the caller's transaction.

    The rule, for every place a person is named: the member of exactly that name, ignoring
    case; else, unless ``new_member``, the one member whose name starts with it ("Ana" for
    "Ana Silva"). An ambiguous name is refused with the members it matches, an unknown one
    with the team's names; with ``new_member`` an unknown name joins the team instead (a
    prefix never counts then: the user said the name is new). Archived members match only
    by their exact name.

    Raises:
        UnknownNameError: Ambiguous or unknown, nothing written.
    """
    name = require_text(name, "A team member's name")
    exact = session.scalar(select(TeamMember).where(func.lower(TeamMember.name) == name.lower()))
    if exact is not None:
        return exact
    if new_member:
        return member_named(session, name)
    team = session.scalars(
        select(TeamMember)
        .where(TeamMember.archived.is_(False))
        .order_by(func.lower(TeamMember.name), TeamMember.id)
    ).all()
    folded = name.casefold()
    matches = [m for m in team if m.name.casefold().startswith(folded)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UnknownNameError(
            f"{name!r} could be {_names([m.name for m in matches])}; type more of the name",
            unknown=False,
        )
    if not team:
        raise UnknownNameError(
            f"No team member named {name!r}; the team has no members yet", unknown=True
        )
    raise UnknownNameError(
        f"No team member named {name!r}; the team: {_names([m.name for m in team])}",
        unknown=True,
    )


def resolve_member(db: Database, name: str, *, new_member: bool = False) -> MemberInfo:
    """The team member a typed name means (:func:`find_member`: exact name, else unique
    prefix); with ``new_member``, an unknown name joins the team."""
    with db.write() if new_member else db.read() as session:
        return _member(find_member(session, name, new_member=new_member))


def add_member(db: Database, name: str, role: str = "") -> MemberInfo:
    """Add a team member; names are unique."""
    with db.write() as session:
        name = require_text(name, "A team member's name", NAME_LENGTH)
        if session.scalar(select(TeamMember).where(func.lower(TeamMember.name) == name.lower())):
            raise ValidationError(f"There is already a team member named {name!r}")
        member = member_named(session, name)
        member.role = role
        return _member(member)


def update_member(
    db: Database,
    member_id: int,
    *,
    name: str | None = None,
    role: str | None = None,
    archived: bool | None = None,
) -> MemberInfo:
    """Rename a team member, change the role, or archive them."""
    with db.write() as session:
        member = get_row(session, TeamMember, member_id, "team member")
        if name is not None:
            name = require_text(name, "A team member's name", NAME_LENGTH)
            clash = session.scalar(
                select(TeamMember.id).where(
                    func.lower(TeamMember.name) == name.lower(), TeamMember.id != member.id
                )
            )
            if clash is not None:
                raise ValidationError(f"There is already a team member named {name!r}")
            member.name = name
        if role is not None:
            member.role = role
        if archived is not None:
            member.archived = archived
        log_activity(session, None, "member_updated", member.name)
        return _member(member)


def _stakeholder(session: Session, person: Stakeholder) -> StakeholderInfo:
    products = session.scalars(
        select(stakeholder_products.c.product_id)
        .where(stakeholder_products.c.stakeholder_id == person.id)
        .order_by(stakeholder_products.c.product_id)
    )
    return StakeholderInfo(
        person.id,
        person.name,
        person.role,
        person.organization,
        person.contact,
        person.notes,
        person.archived,
        tuple(products),
        person.email,
    )


def list_stakeholders(
    db: Database, product_id: int | None = None, include_archived: bool = False
) -> list[StakeholderInfo]:
    """Stakeholders by name; only those following ``product_id`` when it is given."""
    with db.read() as session:
        query = select(Stakeholder).order_by(func.lower(Stakeholder.name))
        if not include_archived:
            query = query.where(Stakeholder.archived.is_(False))
        if product_id is not None:
            query = query.join(
                stakeholder_products, stakeholder_products.c.stakeholder_id == Stakeholder.id
            ).where(stakeholder_products.c.product_id == product_id)
        return [_stakeholder(session, s) for s in session.scalars(query)]


def _set_followed(session: Session, person: Stakeholder, product_ids: Sequence[int]) -> None:
    for product_id in product_ids:
        get_row(session, Product, product_id, "product")
    session.execute(
        delete(stakeholder_products).where(stakeholder_products.c.stakeholder_id == person.id)
    )
    rows = [{"stakeholder_id": person.id, "product_id": p} for p in sorted(set(product_ids))]
    if rows:
        session.execute(insert(stakeholder_products), rows)


EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+$")


def check_email(email: str) -> str:
    """An e-mail address stripped, or "" for none; ValidationError unless it looks like one
    (``name@example.com``: one @, a dot in the domain, no spaces or brackets)."""
    address = email.strip()
    if address and not EMAIL.match(address):
        raise ValidationError(f"{address!r} is not an e-mail address (such as ana@example.com)")
    return address


def add_stakeholder(
    db: Database,
    name: str,
    *,
    role: str = "",
    organization: str = "",
    contact: str = "",
    notes: str = "",
    product_ids: Sequence[int] = (),
    email: str = "",
) -> StakeholderInfo:
    """Add a stakeholder, following the given products."""
    with db.write() as session:
        person = Stakeholder(
            name=require_text(name, "A stakeholder's name", NAME_LENGTH),
            role=role,
            organization=organization,
            contact=contact,
            notes=notes,
            email=check_email(email),
        )
        session.add(person)
        session.flush()
        _set_followed(session, person, product_ids)
        log_activity(session, None, "stakeholder_added", person.name)
        return _stakeholder(session, person)


def update_stakeholder(
    db: Database,
    stakeholder_id: int,
    *,
    name: str | None = None,
    role: str | None = None,
    organization: str | None = None,
    contact: str | None = None,
    notes: str | None = None,
    archived: bool | None = None,
    product_ids: Sequence[int] | None = None,
    email: str | None = None,
) -> StakeholderInfo:
    """Change a stakeholder's details, followed products, or archive them."""
    with db.write() as session:
        person = get_row(session, Stakeholder, stakeholder_id, "stakeholder")
        if name is not None:
            person.name = require_text(name, "A stakeholder's name", NAME_LENGTH)
        for field, value in (
            ("role", role),
            ("organization", organization),
            ("contact", contact),
            ("notes", notes),
            ("archived", archived),
            ("email", None if email is None else check_email(email)),
        ):
            if value is not None:
                setattr(person, field, value)
        if product_ids is not None:
            _set_followed(session, person, product_ids)
        log_activity(session, None, "stakeholder_updated", person.name)
        return _stakeholder(session, person)
