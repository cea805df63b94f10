"""Export and import (issue 13.8) of releases, their target history and the items' scoring
inputs: row for row the same database; a document made before releases were exported (no
"releases" list) still imports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from table_dump import dump

from kanban.services import Database, open_database
from kanban.services.items import add_item, edit_item
from kanban.services.records import ProductInfo
from kanban.services.releases import create_release, set_items_release, set_release_target
from kanban.services.transfer import export_data, import_data, import_file, write_export


def test_releases_their_history_and_scores_round_trip(
    db: Database, db_path: Path, product: ProductInfo, tmp_path: Path
) -> None:
    release = create_release(db, "WEB", "2.0", target=dt.date(2027, 3, 1), description="Big")
    set_release_target(db, release.id, dt.date(2027, 4, 1), "Payments slipped")
    card = add_item(db, "WEB", "Checkout")
    edit_item(db, card.id, card.version, business_value=8, time_criticality=5.0,
              risk_reduction=3.0, job_size=2.0, reach=500.0, impact=2.0, confidence=0.8,
              effort=3.0)  # fmt: skip
    set_items_release(db, {card.id: release.id})
    document = export_data(db)
    web = document["products"][0]
    assert [r["name"] for r in web["releases"]] == ["2.0"]
    assert [c["reason"] for c in web["target_changes"]] == ["", "Payments slipped"]
    assert web["items"][0]["release_id"] == release.id and web["items"][0]["confidence"] == 0.8
    export = tmp_path / "export.json"
    write_export(db, export)
    db.close()
    restored = tmp_path / "restored.db"
    copy_db = open_database(str(restored))
    try:
        import_file(copy_db, export)
    finally:
        copy_db.close()
    assert dump(restored) == dump(db_path)


def test_a_document_without_releases_still_imports(
    db: Database, product: ProductInfo, tmp_path: Path
) -> None:
    add_item(db, "WEB", "Checkout")
    document = export_data(db)
    for part in ("releases", "target_changes"):
        del document["products"][0][part]
    target = open_database(str(tmp_path / "old.db"))
    try:
        import_data(target, document)
        assert export_data(target)["products"][0]["releases"] == []
    finally:
        target.close()
