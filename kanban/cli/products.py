"""`kanban products`, `kanban product add|rename|archive|restore` and `kanban demo`.

``kanban products --json`` prints a JSON list by name, a stable contract; each object is::

    {
      "key": "WEB",                          # used in item keys (WEB-42) and as PRODUCT
      "name": "Web Shop",
      "vision": "...",
      "archived": false
    }

New keys may be added; existing ones keep their meaning.
"""

from __future__ import annotations

import argparse

from kanban.cli.common import EXIT_OK, AddCommand, database, echo, echo_json, one_line


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    add("demo", _demo, "create the sample products WEB and APP with eight weeks of history")
    listing = add("products", _products, "list the products (key and name)")
    listing.add_argument("--json", action="store_true", help="print JSON (a stable shape)")

    product = add("product", _product_usage, "add, rename, archive or restore a product")
    actions = product.add_subparsers(dest="action", metavar="ACTION")
    new = _action(actions, "add", _add, "add a product with the default columns")
    new.add_argument("new_key", metavar="KEY", help="1 to 10 letters or digits, such as WEB")
    new.add_argument("name", metavar="NAME", help="such as 'Web Shop'")
    new.add_argument("--vision", default="", help="what the product is for")
    rename = _action(actions, "rename", _rename, "give a product another name")
    rename.add_argument("product", metavar="PRODUCT", help="product key or name")
    rename.add_argument("name", metavar="NAME", help="the new name")
    archive = _action(actions, "archive", _archive, "hide a product (its data stays)")
    archive.add_argument("product", metavar="PRODUCT", help="product key or name")
    restore = _action(actions, "restore", _restore, "bring an archived product back")
    restore.add_argument("product", metavar="PRODUCT", help="product key or name")


def _action(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: object,
    text: str,
) -> argparse.ArgumentParser:
    parser = actions.add_parser(name, help=text, description=text)
    # --db after the action, too (kanban product add WEB "Web" --db shop.db).
    parser.add_argument(
        "--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help="the database"
    )
    parser.set_defaults(handler=handler)
    return parser


def _product_usage(args: argparse.Namespace) -> int:
    from kanban.errors import ValidationError

    raise ValidationError("say what to do: kanban product add|rename|archive|restore ...")


def _demo(args: argparse.Namespace) -> int:
    from kanban.services.demo import create_demo

    with database(args) as db:
        products = create_demo(db)
    names = " and ".join(f"{p.key} ({p.name})" for p in products)
    echo(f"Created the sample products {names}.")
    echo(f"Try: kanban questions {products[0].key} --open")
    return EXIT_OK


def _products(args: argparse.Namespace) -> int:
    from kanban.services.products import list_products

    with database(args, must_exist=True) as db:
        products = list_products(db, include_archived=True)
    if args.json:
        echo_json(
            [
                {"key": p.key, "name": p.name, "vision": p.vision, "archived": p.archived}
                for p in products
            ]
        )
        return EXIT_OK
    if not products:
        echo("No products yet. Add one with: kanban product add KEY NAME (or: kanban demo)")
    width = max((len(p.key) for p in products), default=0)
    for product in products:
        archived = "  (archived)" if product.archived else ""
        echo(f"{product.key:<{width}}  {one_line(product.name)}{archived}")
    return EXIT_OK


def _add(args: argparse.Namespace) -> int:
    from kanban.services.products import create_product

    with database(args) as db:
        product = create_product(db, args.new_key, args.name, args.vision)
    echo(f"Added {product.key} ({one_line(product.name)}): Backlog, To Do, In Progress, Done")
    return EXIT_OK


def _rename(args: argparse.Namespace) -> int:
    from kanban.services.products import get_product, update_product

    with database(args, must_exist=True) as db:
        before = get_product(db, args.product)
        product = update_product(db, before.id, name=args.name)
    echo(f"{product.key}: {one_line(before.name)} → {one_line(product.name)}")
    return EXIT_OK


def _archive(args: argparse.Namespace) -> int:
    return _set_archived(args, True)


def _restore(args: argparse.Namespace) -> int:
    return _set_archived(args, False)


def _set_archived(args: argparse.Namespace, archived: bool) -> int:
    from kanban.services.products import archive_product

    with database(args, must_exist=True) as db:
        product = archive_product(db, args.product, archived)
    what = "archived (kanban product restore brings it back)" if archived else "restored"
    echo(f"{product.key} ({one_line(product.name)}): {what}")
    return EXIT_OK
