"""A product with no work items yet (issue 14.7): its report says so, never that every item
is done, and gives no forecast date."""

from __future__ import annotations

import re

from kanban.reports import model
from kanban.reports.export import render
from kanban.services import Database
from kanban.services.items import add_item, move_item
from kanban.services.products import create_product, list_columns

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_an_empty_product_has_no_forecast_and_is_not_all_done(db: Database) -> None:
    create_product(db, "NEW", "Brand new")
    report = model.build_status_report(db, "NEW")
    forecast = report.figures.forecast
    assert (forecast.remaining_items, forecast.when) == (0, None)
    markdown = render(report, "md").decode()
    assert "Every work item in scope is done" not in markdown
    outlook = markdown.split("## Outlook", 1)[1].split("##", 1)[0]
    sentence = outlook.strip().splitlines()[0]
    assert sentence.startswith("There are no work items yet")
    assert not DATE.search(sentence) and "| 85% |" not in outlook  # no finish dates
    (finish_row,) = [line for line in markdown.splitlines() if "Forecast finish" in line]
    assert not DATE.search(finish_row)


def test_a_product_whose_items_are_all_done_says_so(db: Database) -> None:
    product = create_product(db, "OLD", "All done")
    done = next(c for c in list_columns(db, product.id) if c.category == "done")
    move_item(db, add_item(db, "OLD", "The only item").id, column_id=done.id)
    markdown = render(model.build_status_report(db, "OLD"), "md").decode()
    assert "Every work item in scope is done." in markdown
