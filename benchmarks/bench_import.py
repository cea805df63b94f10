"""`kanban import trello` of a 10,000-card board with 50,000 actions, beside its floor.

The board is generated as Trello writes it: every action with its ``memberCreator``,
``data.board``, ``data.card`` and lists, every card with its badges, labels and custom field
items; 10,000 ``createCard`` and 40,000 ``updateCard`` moves (each card four moves on average,
across six lists and back), newest first. Budget (issue 11.8): under 5 s and under 300 MiB of
peak memory for the whole process (reading, checking, writing, one transaction).

The floor, measured in the same run on the same file: one ``json.load`` of the file plus an
``executemany`` of the same item and transition rows into an empty database file, in one
transaction. Each figure is the median of three rounds, ours and the floor's interleaved,
each in a fresh process. Run: ``python -m benchmarks.bench_import``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.memory import PEAK_MB_SOURCE
from kanban.services import open_database

CARDS = 10_000
ACTIONS = 50_000
SECONDS_BUDGET = 5.0
MEMORY_BUDGET_MB = 300.0
ROUNDS = 3
LISTS = ("Backlog", "To Do", "Doing", "Review", "Done", "Archive")

_MEASURE = (
    """
import json, resource, sys, time
def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
"""
    + PEAK_MB_SOURCE
)

IMPORT = (
    _MEASURE
    + """
from pathlib import Path
from benchmarks.memory import PEAK_MB_SOURCE
from kanban.services import open_database
from kanban.services.importing import read_import, run_import
db = open_database(sys.argv[1])
before = rss_mb(); start = time.perf_counter(); cpu0 = cpu()
result = run_import(db, read_import("trello", Path(sys.argv[2])))
assert result.items == int(sys.argv[3]), result
print(json.dumps({"s": time.perf_counter() - start, "cpu": cpu() - cpu0, "peak": peak_mb(),
                  "mb": peak_mb() - before, "moves": result.transitions}))
"""
)

FLOOR = (
    _MEASURE
    + """
import sqlite3
target, source = sys.argv[1], sys.argv[2]
before = rss_mb(); start = time.perf_counter(); cpu0 = cpu()
with open(source, encoding="utf-8") as f:
    board = json.load(f)
lists = {one["id"]: n + 1 for n, one in enumerate(board["lists"])}
cards = {card["id"]: n + 1 for n, card in enumerate(board["cards"])}
conn = sqlite3.connect(target)
conn.execute("PRAGMA foreign_keys=ON"); conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA synchronous=FULL"); conn.isolation_level = None
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO products (id, key, name, vision, archived, next_number, created_at, "
             "points_scale) VALUES (1, 'F', 'Floor', '', 0, 1, '2024-01-01', 'fibonacci')")
conn.executemany("INSERT INTO board_columns (id, product_id, name, position, category) "
                 "VALUES (?, 1, ?, ?, 'todo')",
                 [(n, one["name"], n) for one, n in zip(board["lists"], lists.values())])
stamp = "2024-01-01 00:00:00.000000"
conn.executemany(
    "INSERT INTO items (id, product_id, number, kind, title, description, column_id, rank, "
    "created_at, updated_at, column_since, archived, version) "
    "VALUES (?, 1, ?, 'story', ?, ?, ?, ?, ?, ?, ?, 0, 1)",
    [(cards[c["id"]], cards[c["id"]], c["name"], c["desc"], lists[c["idList"]],
      f"a{cards[c['id']]:08d}", stamp, stamp, stamp) for c in board["cards"]])
def column(data):
    return lists[(data.get("listAfter") or data["list"])["id"]]
moves = [(cards[a["data"]["card"]["id"]], column(a["data"]), a["date"].replace("T", " ")[:-1])
         for a in board["actions"] if a["type"] in ("createCard", "updateCard")]
conn.executemany("INSERT INTO transitions (item_id, to_column_id, to_category, at) "
                 "VALUES (?, ?, 'todo', ?)", moves)
conn.execute("COMMIT")
print(json.dumps({"s": time.perf_counter() - start, "cpu": cpu() - cpu0, "peak": peak_mb(),
                  "mb": peak_mb() - before, "moves": len(moves)}))
"""
)


def _id(moment: dt.datetime, serial: int) -> str:
    return f"{int(moment.replace(tzinfo=dt.UTC).timestamp()):08x}{serial:016x}"


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def generate_board(path: Path, cards: int = CARDS, actions: int = ACTIONS, seed: int = 7) -> None:
    """Write a Trello board export of ``cards`` cards and ``actions`` actions."""
    rng = random.Random(seed)
    start = dt.datetime(2023, 1, 2, 9, 0)
    board_id = _id(start, 1)
    board_ref = {"id": board_id, "name": "Big board", "shortLink": "bIgB0ard"}
    member = {"id": _id(start, 2), "fullName": "Ana Silva", "username": "anasilva"}
    creator = {**member, "activityBlocked": False, "avatarHash": None, "avatarUrl": None,
               "idMemberReferrer": None, "initials": "AS", "nonPublic": {},
               "nonPublicAvailable": True}  # fmt: skip
    lists = [
        {"id": _id(start, 10 + n), "name": name, "closed": False, "idBoard": board_id,
         "pos": 16384 * (n + 1), "subscribed": False, "softLimit": None}
        for n, name in enumerate(LISTS)
    ]  # fmt: skip
    labels = [
        {"id": _id(start, 30 + n), "idBoard": board_id, "name": name, "color": color, "uses": 0}
        for n, (name, color) in enumerate((("api", "blue"), ("ui", "green"), ("bug", "red")))
    ]  # fmt: skip
    points_field = {"id": _id(start, 40), "idModel": board_id, "modelType": "board",
                    "name": "Story Points", "type": "number", "pos": 16384}  # fmt: skip
    moves_left = actions - cards
    all_actions: list[tuple[dt.datetime, dict[str, Any]]] = []
    card_rows = []
    for n in range(cards):
        created = start + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 600))
        card_id = _id(created, 1000 + n)
        short = f"c{n:07d}"
        ref = {"id": card_id, "name": f"Card {n}", "idShort": n + 1, "shortLink": short}
        place = rng.randrange(0, 2)
        at = created
        all_actions.append((at, {
            "id": _id(at, 10**6 + n), "idMemberCreator": member["id"], "type": "createCard",
            "date": _stamp(at), "appCreator": None, "limits": None, "memberCreator": creator,
            "data": {"card": ref, "list": {"id": lists[place]["id"], "name": LISTS[place]},
                     "board": board_ref},
        }))  # fmt: skip
        moves = moves_left // (cards - n) if n < cards - 1 else moves_left
        moves = min(moves, rng.randrange(0, 9) if n < cards - 1 else moves)
        moves_left -= moves
        for step in range(moves):
            at += dt.timedelta(minutes=rng.randrange(30, 60 * 24 * 5))
            target = min(len(LISTS) - 2, place + 1) if rng.random() < 0.8 else max(0, place - 1)
            if target == place:
                target = place - 1 if place else place + 1
            all_actions.append((at, {
                "id": _id(at, 2 * 10**6 + n * 16 + step), "idMemberCreator": member["id"],
                "type": "updateCard", "date": _stamp(at), "appCreator": None, "limits": None,
                "memberCreator": creator,
                "data": {"card": {**ref, "idList": lists[target]["id"]},
                         "old": {"idList": lists[place]["id"]}, "board": board_ref,
                         "listBefore": {"id": lists[place]["id"], "name": LISTS[place]},
                         "listAfter": {"id": lists[target]["id"], "name": LISTS[target]}},
            }))  # fmt: skip
            place = target
        card_rows.append({
            "id": card_id, "name": ref["name"], "desc": "As a shopper I want " + "x" * 80,
            "closed": rng.random() < 0.05, "idList": lists[place]["id"], "idBoard": board_id,
            "pos": float(rng.randrange(1, 5000)) * 1024, "shortLink": short,
            "shortUrl": f"https://trello.com/c/{short}", "due": None, "dueComplete": False,
            "idMembers": [member["id"]] if rng.random() < 0.7 else [],
            "idLabels": [labels[rng.randrange(3)]["id"]], "idChecklists": [],
            "dateLastActivity": _stamp(at), "descData": {"emoji": {}},
            "badges": {"votes": 0, "comments": 0, "attachments": 0, "checkItems": 0,
                       "checkItemsChecked": 0, "description": True, "due": None},
            "customFieldItems": [{"id": _id(at, 3 * 10**6 + n), "value": {"number": "3"},
                                  "idCustomField": points_field["id"], "idModel": card_id,
                                  "modelType": "card"}],
        })  # fmt: skip
    all_actions.sort(key=lambda pair: pair[0], reverse=True)
    document = {
        "id": board_id, "name": "Big board", "desc": "", "closed": False,
        "actions": [action for _at, action in all_actions], "cards": card_rows,
        "labels": labels, "lists": lists, "members": [member], "checklists": [],
        "customFields": [points_field],
    }  # fmt: skip
    with path.open("w", encoding="utf-8") as out:
        json.dump(document, out)


def _run(script: str, *args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", script, *args], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> int:
    """Print the Trello import's time and memory beside the floor; 1 when a budget is missed."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        board, empty, target = base / "board.json", base / "empty.db", base / "target.db"
        generate_board(board)
        open_database(str(empty)).close()
        ours: list[dict[str, float]] = []
        floors: list[dict[str, float]] = []
        for _round in range(ROUNDS):  # interleaved, so a busy spell hits both sides
            shutil.copyfile(empty, target)
            ours.append(_run(IMPORT, str(target), str(board), str(CARDS)))
            shutil.copyfile(empty, target)
            floors.append(_run(FLOOR, str(target), str(board)))
        size = board.stat().st_size / 2**20
    measured, floor = _median(ours), _median(floors)
    ratio = measured["s"] / floor["s"]
    ok = measured["s"] < SECONDS_BUDGET and measured["peak"] < MEMORY_BUDGET_MB
    print(
        f"Trello import, {CARDS:,} cards, {ACTIONS:,} actions ({size:.0f} MB file, "
        f"{measured['moves']:,.0f} moves written), medians of {ROUNDS} rounds"
    )
    print(
        f"import trello {measured['s']:5.2f} s (< {SECONDS_BUDGET:.0f} s)  floor "
        f"{floor['s']:5.2f} s  {ratio:4.2f}x (CPU {measured['cpu']:4.1f} s / "
        f"{floor['cpu']:4.1f} s = {measured['cpu'] / floor['cpu']:4.2f}x)  peak "
        f"{measured['peak']:3.0f} MiB (< {MEMORY_BUDGET_MB:.0f}; floor {floor['peak']:3.0f})  "
        f"{'ok' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
