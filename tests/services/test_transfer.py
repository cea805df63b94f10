"""Whole-database JSON export and import: an exact round trip, and clear refusals."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from table_dump import SAMPLE_GAPS, dump, empty_tables

from kanban.errors import FileWriteError, NotFoundError, ValidationError
from kanban.services import Database, open_database
from kanban.services.demo import create_demo
from kanban.services.items import add_item, delete_item, edit_item, get_item
from kanban.services.people import add_member
from kanban.services.products import archive_product, create_product
from kanban.services.transfer import VERSION, export_data, import_data, import_file, write_export
from kanban.storage.tables import read_moment

TODAY = dt.date(2026, 3, 12)
Snapshot = Callable[[], dict[str, list[dict[str, Any]]]]


@contextlib.contextmanager
def database(path: Path) -> Iterator[Database]:
    db = open_database(str(path))
    try:
        yield db
    finally:
        db.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding the sample data (made once; tests only read it)."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    with database(path) as db:
        create_demo(db, TODAY)
    return path


@pytest.fixture(scope="module")
def sample_export(sample: Path) -> dict[str, Any]:
    with database(sample) as db:
        return export_data(db)


@pytest.fixture
def exported(sample_export: dict[str, Any]) -> dict[str, Any]:
    """The sample's export document, this test's own copy."""
    return copy.deepcopy(sample_export)


@pytest.mark.usefixtures("reading")
def test_round_trip_restores_every_table_row_by_row(sample: Path, tmp_path: Path) -> None:
    export_file = tmp_path / "export.json"
    with database(sample) as db:
        write_export(db, export_file)
    restored = tmp_path / "restored.db"
    with database(restored) as db:
        import_file(db, export_file)
    original, copied = dump(sample), dump(restored)
    assert empty_tables(original) == SAMPLE_GAPS
    for name in original:
        assert copied[name] == original[name], name


def test_export_of_the_import_is_the_same_document(
    exported: dict[str, Any], tmp_path: Path
) -> None:
    with database(tmp_path / "restored.db") as db:
        import_data(db, exported)
        again = export_data(db)
    for document in (exported, again):
        document.pop("exported_at")
    assert again == exported
    assert exported["products"], "the comparison covers the sample"


def test_document_shape(exported: dict[str, Any]) -> None:
    assert exported["format"] == "kanban"
    assert exported["version"] == VERSION == 3
    assert dt.datetime.fromisoformat(exported["exported_at"]).tzinfo is not None
    web = exported["products"][0]
    assert (web["key"], web["name"]) == ("WEB", "Web Shop")
    assert [c["name"] for c in web["columns"]] == [
        "Backlog",
        "To Do",
        "In Progress",
        "Review",
        "Done",
    ]
    item = next(i for i in web["items"] if i["title"] == "Pay with PayPal")
    assert item["key"] == f"WEB-{item['number']}"
    assert item["labels"] == ["backend", "payments"]
    assert item["blocked_reason"].startswith("Waiting")
    assert item["transitions"][0]["from_column_id"] is None
    assert "item_id" not in item["transitions"][0] and "product_id" not in item
    update = web["status_updates"][0]
    assert isinstance(update["snapshot"], dict) and update["recipients"]
    assert all(s["products"] for s in exported["stakeholders"])
    assert {a["action"] for a in exported["activities"]} >= {"member_added"}
    json.dumps(exported)  # JSON-ready as it is


def test_round_trip_of_awkward_data(db: Database, db_path: Path, tmp_path: Path) -> None:
    product = create_product(db, "UX", "Ünïcode — “quotes” & <tags>", vision="line one\nline two")
    child = add_item(db, product.id, "Child made before its epic", points=0.5, labels=["a b"])
    epic = add_item(db, product.id, "Epic made later", kind="epic")
    edit_item(db, child.id, 1, epic_id=epic.id, blocked_reason="waiting ☕")
    gone = add_item(db, product.id, "Deleted, its history stays")
    delete_item(db, gone.id)
    add_member(db, "Zoë", "tester")
    create_product(db, "OLD", "Archived product")
    archive_product(db, "OLD")
    assert get_item(db, child.id).epic_id > child.id  # a reference to a later row
    export_file = tmp_path / "awkward.json"
    write_export(db, export_file)
    db.close()
    restored = tmp_path / "restored.db"
    with database(restored) as copy_db:
        import_file(copy_db, export_file)
    assert dump(restored) == dump(db_path)


def test_export_file_is_written_atomically(sample: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "kanban.json"
    target.write_text("old content")
    with database(sample) as db:
        write_export(db, target)
        assert json.loads(target.read_text(encoding="utf-8"))["format"] == "kanban"
        assert [p.name for p in folder.iterdir()] == ["kanban.json"]
        (folder / "taken").mkdir()
        with pytest.raises(FileWriteError, match="it is a folder"):
            write_export(db, folder / "taken")  # cannot replace a folder: nothing changes
    assert sorted(p.name for p in folder.iterdir()) == ["kanban.json", "taken"]
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "kanban"


def test_export_into_a_missing_folder_names_it(sample: Path, tmp_path: Path) -> None:
    with database(sample) as db, pytest.raises(FileWriteError, match="does not exist"):
        write_export(db, tmp_path / "nowhere" / "x.json")


def test_an_export_file_is_readable_like_any_file_the_user_creates(
    sample: Path, tmp_path: Path
) -> None:
    target = tmp_path / "kanban.json"
    with database(sample) as db:
        write_export(db, target)
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


# --- refusals --------------------------------------------------------------------------------


def test_import_refuses_a_database_with_products(
    exported: dict[str, Any], db: Database, snapshot: Snapshot
) -> None:
    create_product(db, "MINE", "My product")
    before = snapshot()
    with pytest.raises(ValidationError, match="not empty"):
        import_data(db, exported)
    assert snapshot() == before


def mutate(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    change(changed)
    return changed


def _items(document: dict[str, Any]) -> list[dict[str, Any]]:
    return document["products"][0]["items"]


def _update(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["products"][0]["status_updates"][0].update(**values)


BROKEN: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("not kanban", lambda d: d.update(format="trello"), "not a kanban export"),
    ("newer", lambda d: d.update(version=4), "version 4, from a newer kanban"),
    ("bad version", lambda d: d.update(version="1"), "unknown export version"),
    ("no products", lambda d: d.pop("products"), "'products' is missing"),
    ("products not a list", lambda d: d.update(products={}), "'products' is a dict, not a list"),
    ("missing title", lambda d: _items(d)[3].pop("title"),
     r"products\[0\].items\[3\]: 'title' is missing"),
    ("wrong type", lambda d: _items(d)[0].update(points="five"),
     r"items\[0\]: 'points' has the wrong type"),
    ("null not allowed", lambda d: _items(d)[1].update(rank=None), "'rank' must not be null"),
    ("bad date", lambda d: _items(d)[2].update(created_at="yesterday"),
     "'created_at' is not an ISO 8601 date"),
    ("unknown label", lambda d: _items(d)[0].update(labels=["nope"]), "label 'nope' is not among"),
    ("item not an object", lambda d: _items(d).append([1, 2]), r"items\[\d+\] must be an object"),
    ("bad recipients", _update(recipients=["x"]), "must hold ids"),
    ("bad snapshot", _update(snapshot="{}"), "'snapshot' must be an object"),
    ("missing transition field", lambda d: _items(d)[0]["transitions"][0].pop("at"),
     r"transitions\[0\]: 'at' is missing"),
    # A bad moment is named at its own place in its list, whatever the column's position.
    ("bad moment in a list", lambda d: d["products"][0]["activities"][5].update(at="noon"),
     r"products\[0\]\.activities\[5\]: 'at' is not an ISO 8601 date and time: 'noon'"),
    ("empty action of no product", lambda d: d["activities"].append(
        {"id": 99_999, "item_id": None, "at": "2026-03-01T10:00:00", "actor": "ana",
         "action": " ", "detail": ""}), r"^activities\[\d+\]\.action: must not be empty"),
    ("bad moment in an item's list",
     lambda d: _items(d)[4]["transitions"][0].update(at="2026-13-01T00:00:00"),
     r"products\[0\]\.items\[4\]\.transitions\[0\]: 'at' is not an ISO 8601"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_import_refuses_a_malformed_document_and_writes_nothing(
    exported: dict[str, Any],
    db: Database,
    snapshot: Snapshot,
    change: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        import_data(db, mutate(exported, change))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: _items(d)[0].update(column_id=999),
         r"products\[0\].items\[0\].column_id: no column 999 in this product"),
        (lambda d: _items(d)[1].update(rank=_items(d)[0]["rank"]),
         r"products\[0\].items\[1\].rank: two items have the rank"),
        (lambda d: _items(d)[1].update(epic_id=12345),
         r"products\[0\].items\[1\].epic_id: no item 12345 in this product"),
        (lambda d: _items(d)[0].update(kind="saga"),
         r"products\[0\].items\[0\].kind: item kind 'saga' must be one of story"),
    ],
    ids=["dangling column", "duplicate rank", "dangling epic", "unknown kind"],
)  # fmt: skip
def test_import_of_inconsistent_data_names_the_place_and_writes_nothing(
    exported: dict[str, Any],
    db: Database,
    snapshot: Snapshot,
    change: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match=message):
        import_data(db, mutate(exported, change))
    assert snapshot() == before


def test_reading_files(
    tmp_path: Path, exported: dict[str, Any], db: Database, snapshot: Snapshot
) -> None:
    before = snapshot()
    with pytest.raises(NotFoundError, match=r"missing\.json: no such file"):
        import_file(db, tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "kanban",\n "version": 1,,}', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"broken.json: is not valid JSON \(line 2"):
        import_file(db, broken)
    listed = tmp_path / "list.json"
    listed.write_text("[]", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"list\.json: is not a kanban export"):
        import_file(db, listed)
    binary = tmp_path / "photo.json"
    binary.write_bytes(b"\xff\xd8\xff\xe0 not text")
    with pytest.raises(ValidationError, match=r"photo\.json: is not UTF-8 text \(byte 0 is 0xFF\)"):
        import_file(db, binary)
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**exported, "version": 7}), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"newer\.json: the export is format version 7"):
        import_file(db, newer)
    assert snapshot() == before


# --- older versions --------------------------------------------------------------------------

ADDED_IN_3 = ("releases", "target_changes")
ITEM_LISTS_ADDED = ("checklist", "comments", "links", "resources", "sprint_entries",
                    "confirmations", "fields")  # fmt: skip


def _older(document: dict[str, Any], version: int) -> dict[str, Any]:
    """The document as an older version wrote it: products first, later lists left out."""
    older = copy.deepcopy(document)
    older["version"] = version
    older.pop("imports")
    for product in older["products"]:
        for key in ADDED_IN_3:
            product.pop(key)
        for sprint in product["sprints"]:
            sprint.pop("members", None)
        if version == 2:  # rules and templates came after the activities
            product["readiness_rules"] = product.pop("readiness_rules")
            product["checklist_templates"] = product.pop("checklist_templates")
        else:
            product.pop("readiness_rules")
            product.pop("checklist_templates")
        for item in product["items"]:
            for key in ITEM_LISTS_ADDED if version == 1 else ("sprint_entries", "fields"):
                item.pop(key, None)
            item.pop("release_id")  # the releases came in version 3
    return {"products": older.pop("products"), **older}


def test_a_version_1_document_is_read_criteria_becoming_checklist_lines(
    exported: dict[str, Any], db: Database, rows: Any
) -> None:
    older = _older(exported, 1)
    item = older["products"][0]["items"][0]
    item["acceptance_criteria"] = "- [x] Works on a phone\n- Works\n  offline\n\n---\n"
    for person in older["stakeholders"]:
        person.pop("email")  # fields revision 0003 added
    import_data(db, older)
    lines = rows("checklist_items", where=f"item_id = {item['id']}", order="position")
    assert [(line["text"], line["done"], line["position"]) for line in lines] == [
        ("Works on a phone", 1, 0), ("Works offline", 0, 1),
    ]  # fmt: skip
    done_at = lines[0]["done_at"]  # a datetime on PostgreSQL, Unix seconds on SQLite (raw)
    done_at = read_moment(done_at)
    assert done_at == dt.datetime.fromisoformat(item["updated_at"])
    assert {p["key"] for p in rows("products")} == {"WEB", "APP"}


def test_a_version_2_document_is_read_with_rules_after_the_items(
    exported: dict[str, Any], db: Database, rows: Any
) -> None:
    web = exported["products"][0]
    confirmed = {(c["rule_id"], i["id"]) for i in web["items"] for c in i.get("confirmations", ())}
    web["readiness_rules"].append(
        {"id": 700, "definition": "ready", "rule": "custom", "text": "Seen", "position": 99,
         "enabled": True}
    )  # fmt: skip
    item = web["items"][0]
    item.setdefault("confirmations", []).append(
        {"rule_id": 700, "at": "2026-03-01T10:00:00", "actor": "po"}
    )
    import_data(db, _older(exported, 2))
    written = {(r["rule_id"], r["item_id"]) for r in rows("rule_confirmations", order="rule_id")}
    assert written == confirmed | {(700, item["id"])}
    assert rows("releases") == []
