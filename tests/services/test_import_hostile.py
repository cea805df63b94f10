"""Hostile and rule-breaking export files (issue 8, item 2): each one gets one clear line
naming the place in the file, and writes nothing.

Each case here was a traceback or an accepted file on the first JSON importer: 999 nested
lists, a 4,301-digit number, a lone surrogate, a next number past 2**63; ranks the ranking
refuses, a next number not above the items', a key the app refuses, rows pointing into
another product, a status period that ends before it starts. The corpus at the end is about
the bytes: nesting, huge numbers, NUL, wrong types, a key twice, a cut file, UTF-16, Latin-1,
a BOM (read), a FIFO.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kanban.errors import ValidationError
from kanban.services import Database
from kanban.services.items import add_item
from kanban.services.transfer import import_file

pytestmark = pytest.mark.usefixtures("reading")  # every case, read here and read ahead
Snapshot = Callable[[], dict[str, list[tuple[Any, ...]]]]


@pytest.fixture(scope="module")
def sample_text(sample_export: tuple[Path, Path]) -> str:
    """The sample's export file, as text."""
    return sample_export[1].read_text(encoding="utf-8")


@pytest.fixture
def document(sample_text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(sample_text)
    return data


def refused(db: Database, tmp_path: Path, text: str, snapshot: Snapshot) -> str:
    """Import the text as a file: the one-line message, after checking nothing was written."""
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        import_file(db, path)
    assert snapshot() == before
    message = str(caught.value)
    assert "\n" not in message and len(message) <= 300, message
    assert message.startswith(f"{path}: ")
    return message[len(f"{path}: ") :]


def dumped(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> str:
    changed = copy.deepcopy(document)
    change(changed)
    return json.dumps(changed)  # ensure_ascii: a lone surrogate is written as \ud800


def web(document: dict[str, Any]) -> dict[str, Any]:
    product: dict[str, Any] = document["products"][0]
    assert product["key"] == "WEB"
    return product


def app(document: dict[str, Any]) -> dict[str, Any]:
    product: dict[str, Any] = document["products"][1]
    assert product["key"] == "APP"
    return product


# --- what used to be a traceback -------------------------------------------------------------


def test_999_nested_lists(
    db: Database, tmp_path: Path, sample_text: str, snapshot: Snapshot
) -> None:
    text = sample_text.replace('"labels": [', '"labels": ' + "[" * 999 + "]" * 999 + ', "x": [', 1)
    message = refused(db, tmp_path, text, snapshot)
    assert message.startswith("is not valid JSON (line ")
    assert "nested too deeply" in message


def test_a_number_of_4301_digits(
    db: Database, tmp_path: Path, sample_text: str, snapshot: Snapshot
) -> None:
    text = sample_text.replace('"next_number": ', '"next_number": ' + "1" * 4301 + ', "x": ', 1)
    message = refused(db, tmp_path, text, snapshot)
    assert message.startswith("is not valid JSON (line ")
    assert "4300 digits" in message


def test_a_lone_surrogate_in_a_name(
    db: Database, tmp_path: Path, document: dict[str, Any], snapshot: Snapshot
) -> None:
    text = dumped(document, lambda d: web(d).update(name="Web \ud800 shop"))
    message = refused(db, tmp_path, text, snapshot)
    assert message == (
        "products[0].name: the value is not valid Unicode (a lone surrogate): 'Web \\ud800 shop'"
    )


def test_a_next_number_past_2_to_the_63(
    db: Database, tmp_path: Path, document: dict[str, Any], snapshot: Snapshot
) -> None:
    text = dumped(document, lambda d: web(d).update(next_number=2**63))
    message = refused(db, tmp_path, text, snapshot)
    assert message.startswith("products[0].next_number: the value 9223372036854775808 is out")


def test_nan_and_infinity_are_not_numbers(
    db: Database, tmp_path: Path, sample_text: str, snapshot: Snapshot
) -> None:
    for constant in ("NaN", "Infinity", "-Infinity"):
        text = sample_text.replace('"points": 5.0', f'"points": {constant}', 1)
        assert refused(db, tmp_path, text, snapshot).endswith(
            f"{constant} is not a number JSON allows)"
        )


# --- what used to be accepted, and broke the app later ---------------------------------------


@pytest.mark.parametrize("rank", ["", "ä0", "a00", "a", "A" + "0" * 26, "a1" * 40])
def test_ranks_the_ranking_refuses(
    db: Database, tmp_path: Path, document: dict[str, Any], snapshot: Snapshot, rank: str
) -> None:
    text = dumped(document, lambda d: web(d)["items"][35].update(rank=rank))
    message = refused(db, tmp_path, text, snapshot)
    assert message.startswith("products[0].items[35].rank: rank ")
    assert "is not a valid rank" in message


def test_a_next_number_not_above_the_items(
    db: Database, tmp_path: Path, document: dict[str, Any], snapshot: Snapshot
) -> None:
    highest = max(item["number"] for item in web(document)["items"])
    text = dumped(document, lambda d: web(d).update(next_number=highest))
    message = refused(db, tmp_path, text, snapshot)
    assert message == (
        f"products[0].next_number: {highest} is not above the highest item number ({highest})"
    )


@pytest.mark.parametrize("key", ["ÄPP", "app", "1APP", "", "TOOLONGKEY1", "AP P"])
def test_product_keys_the_app_refuses(
    db: Database, tmp_path: Path, document: dict[str, Any], snapshot: Snapshot, key: str
) -> None:
    text = dumped(document, lambda d: app(d).update(key=key))
    message = refused(db, tmp_path, text, snapshot)
    assert message.startswith(f"products[1].key: product key {key!r} must be 1 to 10 letters")


def test_two_items_with_one_number(
    db: Database, tmp_path: Path, document: dict[str, Any], snapshot: Snapshot
) -> None:
    text = dumped(
        document, lambda d: web(d)["items"][4].update(number=web(d)["items"][3]["number"])
    )
    message = refused(db, tmp_path, text, snapshot)
    assert message.startswith("products[0].items[4].number: two items have the number ")


def test_product_names_the_app_refuses(
    db: Database, tmp_path: Path, document: dict[str, Any], snapshot: Snapshot
) -> None:
    text = dumped(document, lambda d: app(d).update(name="web SHOP"))
    message = refused(db, tmp_path, text, snapshot)
    assert message == "products[1].name: a product named 'web SHOP' (WEB) exists already"
    text = dumped(document, lambda d: app(d).update(name="   "))
    assert refused(db, tmp_path, text, snapshot) == "products[1].name: must not be empty"


def _other_product_ids(document: dict[str, Any], part: str) -> list[int]:
    return [row["id"] for row in web(document)[part]]


CROSSINGS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("item in a column of another product",
     lambda d: app(d)["items"][0].update(column_id=_other_product_ids(d, "columns")[0]),
     r"products[1].items[0].column_id: no column {} in this product"),
    ("item in a sprint of another product",
     lambda d: app(d)["items"][0].update(sprint_id=_other_product_ids(d, "sprints")[0]),
     r"products[1].items[0].sprint_id: no sprint {} in this product"),
    ("item under an epic of another product",
     lambda d: app(d)["items"][1].update(epic_id=_other_product_ids(d, "items")[0]),
     r"products[1].items[1].epic_id: no item {} in this product"),
    ("transition into a column of another product",
     lambda d: app(d)["items"][2]["transitions"][0].update(
         to_column_id=_other_product_ids(d, "columns")[1]),
     r"products[1].items[2].transitions[0].to_column_id: no column {} in this product"),
    ("question about an item of another product",
     lambda d: app(d)["questions"][0].update(item_id=_other_product_ids(d, "items")[2]),
     r"products[1].questions[0].item_id: no item {} in this product"),
    ("activity of an item of another product",
     lambda d: app(d)["activities"][3].update(item_id=_other_product_ids(d, "items")[2]),
     r"products[1].activities[3].item_id: no item {} in this product"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "expected"), [c[1:] for c in CROSSINGS], ids=[c[0] for c in CROSSINGS]
)
def test_rows_pointing_into_another_product(
    db: Database,
    tmp_path: Path,
    document: dict[str, Any],
    snapshot: Snapshot,
    change: Callable[[dict[str, Any]], None],
    expected: str,
) -> None:
    changed = copy.deepcopy(document)
    change(changed)
    # The id it now names, found by diffing the two documents' APP product.
    names = {json.dumps(v) for v in _leaves(app(changed))} - {
        json.dumps(v) for v in _leaves(app(document))
    }
    (target,) = [json.loads(n)[1] for n in names]
    message = refused(db, tmp_path, json.dumps(changed), snapshot)
    assert message == expected.format(target)


def _leaves(obj: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(obj, dict):
        return [leaf for k, v in obj.items() for leaf in _leaves(v, f"{path}.{k}")]
    if isinstance(obj, list):
        return [leaf for i, v in enumerate(obj) for leaf in _leaves(v, f"{path}[{i}]")]
    return [(path, obj)]


def test_a_status_period_that_ends_before_it_starts(
    db: Database, tmp_path: Path, document: dict[str, Any], snapshot: Snapshot
) -> None:
    period = {"period_start": "2026-03-20", "period_end": "2026-03-01"}
    text = dumped(document, lambda d: web(d)["status_updates"][1].update(period))
    message = refused(db, tmp_path, text, snapshot)
    assert message == (
        "products[0].status_updates[1].period_end: a status period cannot end before it starts"
    )


def test_a_sprint_that_ends_before_it_starts_and_two_running_sprints(
    db: Database, tmp_path: Path, document: dict[str, Any], snapshot: Snapshot
) -> None:
    dates = {"start_date": "2026-03-20", "end_date": "2026-03-01"}
    text = dumped(document, lambda d: web(d)["sprints"][0].update(dates))
    assert refused(db, tmp_path, text, snapshot) == (
        "products[0].sprints[0].end_date: a sprint cannot end before it starts"
    )
    text = dumped(document, lambda d: [s.update(state="active") for s in web(d)["sprints"]])
    assert refused(db, tmp_path, text, snapshot) == (
        "products[0].sprints[1].state: a product runs one sprint at a time"
    )


def test_records_that_are_not_objects(
    db: Database, tmp_path: Path, document: dict[str, Any], snapshot: Snapshot
) -> None:
    for part in ("sprints", "columns", "items", "questions", "status_updates", "activities"):
        text = dumped(document, lambda d, p=part: web(d)[p].__setitem__(0, "Sprint 1"))
        assert refused(db, tmp_path, text, snapshot) == (
            f"products[0].{part}[0] must be an object, not str"
        )


def test_a_long_bad_value_is_quoted_shortened(
    db: Database, tmp_path: Path, document: dict[str, Any], snapshot: Snapshot
) -> None:
    text = dumped(document, lambda d: web(d)["items"][0].update(kind="x" * 5000))
    message = refused(db, tmp_path, text, snapshot)
    assert message.startswith("products[0].items[0].kind: item kind 'xxxxxxxx")
    assert "…" in message and len(message) < 200


def test_after_a_refusal_the_database_works(
    db: Database, tmp_path: Path, document: dict[str, Any], sample_text: str, snapshot: Snapshot
) -> None:
    text = dumped(document, lambda d: web(d)["items"][35].update(rank="a00"))
    refused(db, tmp_path, text, snapshot)
    path = tmp_path / "good.json"
    path.write_text(sample_text, encoding="utf-8")
    import_file(db, path)
    assert add_item(db, "WEB", "After a refused import").key.startswith("WEB-")


# --- an adversarial corpus: the file's bytes themselves ----------------------------------------


def _title_at(text: str) -> int:
    return text.index('"title": "')


CORPUS: list[tuple[str, Callable[[str], bytes], str]] = [
    ("deep lists", lambda t: t.replace('"labels": [', '"labels": ' + "[" * 999 + "]" * 999
                                       + ', "x": [', 1).encode(), "nested too deeply"),
    ("deep objects", lambda t: t.replace('"labels": [', '"labels": ' + '{"a": ' * 999 + "1"
                                         + "}" * 999 + ', "x": [', 1).encode(),
     "nested too deeply"),
    ("huge integer", lambda t: t.replace('"points": 5.0', '"points": ' + "9" * 5000, 1).encode(),
     "4300 digits"),
    ("float overflow", lambda t: t.replace('"points": 5.0', '"points": 1e400', 1).encode(),
     r"items\[\d+\].points: story points must be a number, not inf"),
    ("NUL byte", lambda t: (t[:50] + "\x00" + t[50:]).encode(), "Invalid control character"),
    ("title a number", lambda t: t.replace('"title": "', '"title": 12, "t": "', 1).encode(),
     r"products\[0\].items\[0\]: 'title' has the wrong type \(int: 12\)"),
    ("items an object", lambda t: t.replace('"items": [', '"items": {"a": [', 1).encode(),
     r"products\[0\]: 'items' is a dict, not a list"),
    ("id a boolean", lambda t: t.replace('"id": 1,', '"id": true,', 1).encode(),
     r"team_members\[0\]: 'id' has the wrong type \(bool: True\)"),
    ("a key twice in a record",
     lambda t: (t[: _title_at(t)] + '"title": "Other", ' + t[_title_at(t) :]).encode(),
     "the key 'title' comes twice in one object"),
    ("a key twice in the document",
     lambda t: t.rstrip().removesuffix("}").encode() + b', "products": []}',
     "the key 'products' comes twice in one object"),
    ("truncated", lambda t: t.encode()[: len(t) // 2], "Unterminated|expected|Expecting"),
    ("empty", lambda t: b"", r"line 1, column 1: Expecting value"),
    ("UTF-16", lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
     "is UTF-16 text; a kanban export is UTF-8"),
    ("Latin-1 byte", lambda t: t.encode().replace(b"Web Shop", b"Web Sh\xf6p", 1),
     r"is not UTF-8 text \(byte [\d,]+ is 0xF6\)"),
    ("lone surrogate", lambda t: t.replace('"Web Shop"', '"Web \\udc80Shop"', 1).encode(),
     r"products\[0\].name: the value is not valid Unicode"),
    ("not an object", lambda t: b"null", "no top-level object"),
    ("extra data", lambda t: t.encode() + b"x", "extra data after the document"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "expected"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_an_adversarial_file_gets_one_line_and_the_database_stays_byte_for_byte(
    db: Database,
    db_path: Path,
    tmp_path: Path,
    sample_text: str,
    snapshot: Snapshot,
    make: Callable[[str], bytes],
    expected: str,
) -> None:
    path = tmp_path / "hostile.json"
    path.write_bytes(make(sample_text))
    before, files, digest = snapshot(), sorted(tmp_path.iterdir()), sha256(db_path)
    with pytest.raises(ValidationError) as caught:
        import_file(db, path)
    message = str(caught.value)
    assert "\n" not in message and len(message) <= 300, message
    assert message.startswith(f"{path}: ") and re.search(expected, message), message
    assert snapshot() == before and sha256(db_path) == digest
    assert sorted(tmp_path.iterdir()) == files


def test_a_bom_is_read_as_utf8(db: Database, tmp_path: Path, sample_text: str) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + sample_text.encode())
    import_file(db, path)
    assert add_item(db, "WEB", "After a file with a BOM").key.startswith("WEB-")


def test_a_fifo_is_refused_before_it_is_opened(db: Database, tmp_path: Path) -> None:
    fifo = tmp_path / "export.json"
    os.mkfifo(fifo)
    with pytest.raises(ValidationError, match=r"export\.json: is not a regular file$"):
        import_file(db, fifo)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
