"""`kanban products` and `kanban demo`."""

from __future__ import annotations

import argparse

from kanban.cli.common import EXIT_OK, AddCommand, database, echo, one_line


def register(add: AddCommand) -> None:
    """Add this module's sub-commands."""
    add("demo", _demo, "create the sample products WEB and APP with eight weeks of history")
    add("products", _products, "list the products (key and name)")


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
    if not products:
        echo("No products yet. Create the sample ones with: kanban demo")
    width = max((len(p.key) for p in products), default=0)
    for product in products:
        archived = "  (archived)" if product.archived else ""
        echo(f"{product.key:<{width}}  {one_line(product.name)}{archived}")
    return EXIT_OK
