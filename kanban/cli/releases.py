"""`kanban releases`, `kanban release`, `kanban release-notes`: a product's releases, their
items, target dates and forecasts, and their notes.

``kanban release PRODUCT NAME`` creates the release when the product has none of that name,
else changes it: ``--target DATE`` (a target that moves needs ``--reason``), ``--add KEY ...``
and ``--remove KEY ...`` (items in or out), ``--description``, ``--released [DATE]`` or
``--planned``. ``kanban releases PRODUCT --json`` prints a JSON list (by target date, none
last), a stable contract; ``kanban release ... --json`` prints one such object::

    {
      "id": 2, "name": "2.0", "state": "planned" | "released",
      "description": "...",
      "target": "2027-03-01" | null, "released_on": "2027-03-03" | null,
      "items": 14, "done_items": 9,         # live work items assigned (no epics); done ones
      "points": 42.0, "done_points": 27.0,
      "remaining": 5,                       # open items the forecast is about
      "p50": "2027-02-14" | null,           # the release's own forecast (kanban forecast
      "p85": "2027-02-28" | null,           #   --release NAME: default window, runs, seed)
      "late_days": -1 | null,               # the 85% date's days past the target
      "late": false,                        # the 85% date misses the target
      "reason": ""                          # why there is no forecast ('' when there is)
    }

A released release has no forecast (``remaining`` 0, dates null, ``reason`` ""). New keys may
be added; existing ones keep their meaning.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from kanban.cli.common import (
    EXIT_OK,
    AddCommand,
    JsonObject,
    database,
    echo,
    echo_document,
    echo_json,
    one_line,
    table,
)
from kanban.cli.forecast import day
from kanban.cli.items import points_text
from kanban.domain import ReleaseState, delay_text, plural
from kanban.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from kanban.services.records import ReleaseInfo, ReleaseOutlook
    from kanban.storage.database import Database

NOTE_FORMATS = ("md", "html")


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    releases = add(
        "releases", _releases, "list a product's releases with their items and forecasts"
    )
    releases.add_argument("product", metavar="PRODUCT", help="product key or name")
    releases.add_argument("--json", action="store_true", help="print JSON (a stable shape)")

    release = add(
        "release",
        _release,
        "create or change a release: its target date, its items, its state",
    )
    release.add_argument("product", metavar="PRODUCT", help="product key or name")
    release.add_argument("name", metavar="NAME", help="the release (created when new)")
    when = release.add_mutually_exclusive_group()
    when.add_argument("--target", type=day, metavar="YYYY-MM-DD", help="its target date")
    when.add_argument("--clear-target", action="store_true", help="remove its target date")
    release.add_argument("--reason", default="", help="why the target moves (needed once set)")
    release.add_argument("--description", help="what the release is about")
    release.add_argument("--add", nargs="+", default=[], metavar="KEY", help="items to assign")
    release.add_argument("--remove", nargs="+", default=[], metavar="KEY", help="items to take out")
    state = release.add_mutually_exclusive_group()
    state.add_argument(
        "--released",
        nargs="?",
        const="today",
        metavar="YYYY-MM-DD",
        help="mark it released (default: today)",
    )
    state.add_argument("--planned", action="store_true", help="mark it planned again")
    release.add_argument("--json", action="store_true", help="print JSON (see 'releases')")

    notes = add("release-notes", _notes, "a release's notes: its done items by kind (or as edited)")
    notes.add_argument("product", metavar="PRODUCT", help="product key or name")
    notes.add_argument("release", metavar="RELEASE", help="the release's name")
    notes.add_argument("--format", choices=NOTE_FORMATS, default="md", help="default: md")
    notes.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")


def _day(value: object) -> str | None:
    return value.isoformat() if value is not None else None  # type: ignore[attr-defined]


def release_json(outlook: ReleaseOutlook) -> JsonObject:
    """One release in the stable `releases --json` shape (see the module docstring)."""
    r = outlook.release
    return {
        "id": r.id,
        "name": r.name,
        "state": r.state,
        "description": r.description,
        "target": _day(r.target_date),
        "released_on": _day(r.released_on),
        "items": r.items,
        "done_items": r.done_items,
        "points": r.points,
        "done_points": r.done_points,
        "remaining": outlook.remaining,
        "p50": _day(outlook.p50),
        "p85": _day(outlook.p85),
        "late_days": outlook.late_days,
        "late": outlook.late,
        "reason": outlook.reason,
    }


def outlook_text(outlook: ReleaseOutlook) -> str:
    """The forecast of a release in words: '85% by 2027-02-28, 3 days late'."""
    if outlook.release.state == ReleaseState.RELEASED:
        return f"released {_day(outlook.release.released_on) or ''}".strip()
    if outlook.p85 is None:
        return one_line(outlook.reason) or "no forecast"
    text = f"85% by {outlook.p85.isoformat()}"
    return text if outlook.late_days is None else f"{text}, {delay_text(outlook.late_days)}"


def _releases(args: argparse.Namespace) -> int:
    from kanban.services.products import get_product
    from kanban.services.releases import release_outlooks

    with database(args, must_exist=True) as db:
        product = get_product(db, args.product)
        found = release_outlooks(db, product.id)
    if args.json:
        echo_json([release_json(o) for o in found])
        return EXIT_OK
    if not found:
        echo(f"No releases in {product.key} yet (kanban release {product.key} NAME adds one).")
        return EXIT_OK
    header = ("NAME", "STATE", "TARGET", "DONE", "POINTS DONE", "FORECAST")
    rows = [
        (
            o.release.name,
            o.release.state,
            _day(o.release.target_date) or "-",
            f"{o.release.done_items}/{o.release.items}",
            f"{points_text(o.release.done_points)}/{points_text(o.release.points)}",
            outlook_text(o),
        )
        for o in found
    ]
    echo(table(header, rows))
    return EXIT_OK


def _item_ids(db: Database, product_id: int, product_key: str, keys: list[str]) -> list[int]:
    from kanban.services.items import get_item

    ids = []
    for key in keys:
        item = get_item(db, key)
        if item.product_id != product_id:
            raise NotFoundError(f"{item.key} is not an item of {product_key}")
        ids.append(item.id)
    return ids


def _released_on(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"--released takes a date (YYYY-MM-DD), not {text!r}") from None


def _check_removable(
    db: Database, product_id: int, release: ReleaseInfo | None, name: str, keys: dict[int, str]
) -> None:
    """Refuse to take out of ``release`` an item that is not in it (it would leave another
    release, or a mistyped name would create a release on the way)."""
    from kanban.services import releases

    if not keys:
        return
    names = {r.id: r.name for r in releases.list_releases(db, product_id)}
    for item_id, release_id in releases.releases_of(db, list(keys)).items():
        if release is None or release_id != release.id:
            where = names.get(release_id, "") if release_id is not None else "no release"
            raise ValidationError(f"{keys[item_id]} is not in {name} (it is in {where})")


def _release(args: argparse.Namespace) -> int:
    from kanban.services import releases
    from kanban.services.products import get_product

    on = None if args.released in (None, "today") else _released_on(args.released)
    with database(args, must_exist=True) as db:
        product = get_product(db, args.product)
        add = _item_ids(db, product.id, product.key, args.add)
        remove = _item_ids(db, product.id, product.key, args.remove)
        if set(add) & set(remove):
            raise ValidationError("An item cannot be both added and taken out")
        said = []
        try:
            found: ReleaseInfo | None = releases.find_release(db, product.id, args.name)
        except NotFoundError:
            found = None
        typed = dict(zip(remove, args.remove, strict=True))
        _check_removable(db, product.id, found, args.name, typed)
        if found is None:
            info = releases.create_release(
                db, product.id, args.name, target=args.target, description=args.description or ""
            )
            said.append(f"Created release {info.name} in {product.key}")
        else:
            info = found
            if args.target is not None or args.clear_target:
                move = releases.set_release_target(db, info.id, args.target, args.reason)
                if move.change_id is not None:
                    said.append(
                        f"Target of {info.name}: {_day(move.release.target_date) or 'none'}"
                    )
            if args.description is not None:
                releases.edit_release(db, info.id, description=args.description)
        if args.released is not None:
            releases.edit_release(db, info.id, state=ReleaseState.RELEASED, released_on=on)
        elif args.planned:
            releases.edit_release(db, info.id, state=ReleaseState.PLANNED)
        wanted = {**dict.fromkeys(remove), **dict.fromkeys(add, info.id)}
        if wanted:
            change = releases.set_items_release(db, wanted)
            moved = {c.id: c.key for c in change.cards}
            if added := [moved[i] for i in add if i in moved]:
                said.append(f"Added to {info.name}: {', '.join(added)}")
            if taken := [moved[i] for i in remove if i in moved]:
                said.append(f"Taken out of {info.name}: {', '.join(taken)}")
        outlook = next(
            o for o in releases.release_outlooks(db, product.id) if o.release.id == info.id
        )
    if args.json:
        echo_json(release_json(outlook))
        return EXIT_OK
    r = outlook.release
    said.append(
        f"{r.name} ({r.state}): target {_day(r.target_date) or 'none'}, "
        f"{r.done_items}/{plural(r.items, 'item')} done; {outlook_text(outlook)}"
    )
    echo("\n".join(said))
    return EXIT_OK


def _notes(args: argparse.Namespace) -> int:
    from kanban.files import write_atomically
    from kanban.reports.release_notes import render_notes
    from kanban.services.releases import release_notes

    with database(args, must_exist=True) as db:
        notes = release_notes(db, args.product, args.release)
    content = render_notes(notes, args.format).encode("utf-8")
    if args.output is None:
        echo_document(content)
    else:
        write_atomically(args.output, content)
        echo(f"Wrote {args.output}")
    return EXIT_OK
