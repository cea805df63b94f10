"""kill -9 during writes (issue 8.8): a `kanban` writer killed again and again, nothing lost.

A master process (this module's ``master``, the kanban modules imported once) forks one writer
at a time; the writer runs `kanban` command lines one after another (``kanban.cli.main``, the
same code as the console script: open with its checks, one write, close) on one product:
``add``, ``edit --title``, ``move`` and ``ask``. Before each command it writes what it is about
to do to a pipe, after the command said it was saved (exit 0) the acknowledgement. The master
kills it with SIGKILL at a random moment (up to three commands' time after the fork), whatever
it is doing (opening, writing, committing, checkpointing on close), and forks the next one.

Afterwards every acknowledged change must be there: each acknowledged item exists with its
newest acknowledged title and column, or with what the one command in flight at a kill was
writing; each acknowledged question exists; nothing else appeared. SQLite's
``integrity_check`` runs every 50 kills and at the end, then `kanban check`.

``python -m benchmarks.torture.kills master TARGET KILLS SECONDS SEED`` prints the figures as
JSON; :func:`run` starts it (on a SQLite file, and on PostgreSQL when a server is given).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from benchmarks.torture.common import (
    REPO,
    Figures,
    environment,
    integrity,
    is_traceback,
    kanban,
)

PRODUCT = "KILL"
COLUMNS = ("Backlog", "To Do", "In Progress", "Done")
CHECK_EVERY = 50


def _writer(target: str, out: int, seed: int, keys: list[str]) -> None:
    """The forked writer: `kanban` commands until it is killed; intents and acks on ``out``."""
    from kanban import cli

    rng = random.Random(seed)
    keys = list(keys)
    n = 0
    while True:
        n += 1
        token = f"s{seed}n{n}"
        op = rng.choice(("add", "add", "edit", "move", "ask")) if keys else "add"
        entry: dict[str, Any] = {"op": op, "token": token}
        if op == "add":
            args = ["add", PRODUCT, token]
        elif op == "ask":
            args = ["ask", PRODUCT, f"{token}?"]
        else:
            entry["key"] = rng.choice(keys)
            if op == "edit":
                args = ["edit", entry["key"], "--title", token]
            else:
                entry["column"] = rng.choice(COLUMNS)
                args = ["move", entry["key"], entry["column"]]
        os.write(out, (json.dumps({"intent": entry}) + "\n").encode())
        printed, said = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(said):
            try:
                code = cli.main(["--db", target, *args])
            except Exception:  # a traceback where a one-line message belongs
                code = -1
                said.write(traceback.format_exc())
        if code != 0:
            os.write(out, (json.dumps({"failed": entry, "code": code, "err": said.getvalue()})
                           + "\n").encode())  # fmt: skip
            continue
        if op == "add":
            entry["key"] = printed.getvalue().strip()
            keys.append(entry["key"])
        os.write(out, (json.dumps({"ack": entry}) + "\n").encode())


def master(target: str, kills: int, seconds: float, seed: int) -> dict[str, Any]:
    """Fork, kill, repeat; then verify (see the module docstring). Returns the figures."""
    from kanban import cli

    sqlite = "://" not in target
    key = f"{PRODUCT}-1"
    warm_up = [  # every kind of command once, here: the writers fork with everything imported
        (["ask", PRODUCT, "How long does one take?"], None),
        (["add", PRODUCT, "warm-up"], {"op": "add", "token": "warm-up", "key": key}),
        (["edit", key, "--title", "warmed up"], {"op": "edit", "token": "warmed up", "key": key}),
        (["move", key, COLUMNS[1]], {"op": "move", "token": "", "key": key, "column": COLUMNS[1]}),
    ]
    entries: list[dict[str, Any]] = []
    timings = []
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(["--db", target, "product", "add", PRODUCT, "Killed writers"]) == 0
        for args, ack in warm_up:
            start = time.perf_counter()
            assert cli.main(["--db", target, *args]) == 0
            timings.append(time.perf_counter() - start)
            if ack is not None:
                entries.append({"ack": ack})
    span = 3 * sorted(timings)[len(timings) // 2]  # a writer lives for about 1.5 commands
    rng = random.Random(seed)
    keys = [key]
    figures: dict[str, Any] = {"span": span, "kills": 0, "mid_command": 0, "failed": 0, "checks": 0,
                               "bad_checks": [], "failures": []}  # fmt: skip
    deadline = time.monotonic() + seconds
    while figures["kills"] < kills and time.monotonic() < deadline:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the writer
            os.close(read)
            try:
                _writer(target, write, seed * 100_000 + figures["kills"], keys)
            finally:
                os._exit(1)
        os.close(write)
        time.sleep(rng.uniform(0, span))  # the moment of the kill, not a synchronisation
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        figures["kills"] += 1
        chunks = []
        while chunk := os.read(read, 65536):
            chunks.append(chunk)
        os.close(read)
        lines = [json.loads(line) for line in b"".join(chunks).decode().splitlines()]
        if lines and "intent" in lines[-1]:
            figures["mid_command"] += 1
        for line in lines:
            if "failed" in line:
                figures["failed"] += 1
                if len(figures["failures"]) < 5:
                    figures["failures"].append(line)
            elif "ack" in line and line["ack"]["op"] == "add":
                keys.append(line["ack"]["key"])
        entries.extend(lines)
        if sqlite and figures["kills"] % CHECK_EVERY == 0:
            figures["checks"] += 1
            verdict = integrity(Path(target))
            if verdict != "ok":
                figures["bad_checks"].append(f"after {figures['kills']} kills: {verdict}")
    figures.update(verify(target, entries))
    figures["acknowledged"] -= sum(1 for _, ack in warm_up if ack is not None)  # the writers'
    if sqlite:
        figures["checks"] += 1
        verdict = integrity(Path(target))
        if verdict != "ok":
            figures["bad_checks"].append(f"at the end: {verdict}")
    checked = kanban(target, "check")
    if checked.returncode != 0:
        figures["bad_checks"].append(f"kanban check: {checked.stdout.strip()[-300:]}")
        figures["traceback"] = is_traceback(checked.stderr)
    return figures


def verify(target: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Every acknowledged change present, nothing that no command wrote (module docstring)."""
    from kanban.services import open_database
    from kanban.services.items import load_board
    from kanban.services.questions import list_questions

    allowed: dict[str, dict[str, set[str]]] = {}  # key -> field -> values it may have now
    acked_questions: set[str] = set()
    tried_questions: set[str] = set()
    tried_titles: set[str] = set()
    acknowledged = lost = 0
    problems: list[str] = []
    pending: dict[str, Any] | None = None
    for line in entries:
        if "intent" in line:
            pending = line["intent"]
            tried_titles.add(pending["token"])
            if pending["op"] == "ask":
                tried_questions.add(f"{pending['token']}?")
            elif pending["op"] in ("edit", "move"):  # in flight at a kill: may have landed
                field = "title" if pending["op"] == "edit" else "column"
                value = pending["token"] if field == "title" else pending["column"]
                allowed.setdefault(pending["key"], {}).setdefault(field, set()).add(value)
            continue
        if "ack" not in line:
            pending = None
            continue
        ack = line["ack"]
        pending = None
        acknowledged += 1
        if ack["op"] == "ask":
            acked_questions.add(f"{ack['token']}?")
            continue
        fields = allowed.setdefault(ack["key"], {})
        if ack["op"] == "add":
            fields["title"] = {ack["token"]}
            fields["column"] = {COLUMNS[0]}
            fields["added"] = {"yes"}
        elif ack["op"] == "edit":
            fields["title"] = {ack["token"]}
        else:
            fields["column"] = {ack["column"]}

    db = open_database(target)
    try:
        cards = {card.key: card for card in load_board(db, PRODUCT).cards}
        columns = {column.id: column.name for column in load_board(db, PRODUCT).columns}
        questions = {q.text for q in list_questions(db, PRODUCT)}
    finally:
        db.close()
    for key, fields in allowed.items():
        card = cards.get(key)
        if card is None:
            if "added" in fields:
                lost += 1
                problems.append(f"{key}: acknowledged, not on the board")
            continue
        now = {"title": card.title, "column": columns[card.column_id]}
        for field, values in fields.items():
            if field in now and now[field] not in values:
                lost += 1
                problems.append(f"{key}: {field} {now[field]!r}, acknowledged {sorted(values)}")
    for key, card in cards.items():
        if key not in allowed and card.title not in tried_titles:
            problems.append(f"{key}: {card.title!r} was never written")
    missing = acked_questions - questions
    lost += len(missing)
    problems.extend(f"question {text!r} acknowledged, missing" for text in sorted(missing)[:3])
    phantoms = questions - tried_questions - {"How long does one take?"}
    problems.extend(f"question {text!r} was never asked" for text in sorted(phantoms)[:3])
    return {
        "acknowledged": acknowledged,
        "lost": lost,
        "phantoms": len(phantoms) + sum(1 for p in problems if "never written" in p),
        "problems": problems[:8],
        "items": len(cards),
        "questions": len(questions),
    }


def run_master(target: str, label: str, kills: int, seconds: float, seed: int) -> Figures:
    """One master in its own process (it forks; the caller may have Qt loaded)."""
    figures = Figures(f"kill -9 during writes, {label}")
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "benchmarks.torture.kills", "master", target, str(kills),
         str(seconds), str(seed)],
        capture_output=True, text=True, cwd=REPO, env=environment(), check=False,
        timeout=seconds + 600,
    )  # fmt: skip
    figures.seconds = time.perf_counter() - start
    if process.returncode != 0:
        figures.tracebacks += 1
        figures.note(f"the master exited {process.returncode}: {process.stderr.strip()[-400:]}")
        return figures
    result = json.loads(process.stdout)
    figures.kills = result["kills"]
    figures.acknowledged = result["acknowledged"]
    figures.lost = result["lost"]
    figures.corrupt = len(result["bad_checks"]) + result["phantoms"]
    figures.tracebacks = sum(1 for f in result["failures"] if is_traceback(f["err"]))
    figures.tracebacks += int(result.get("traceback", False))
    figures.note(
        f"{result['mid_command']} kills in the middle of a command, "
        f"{result['checks']} integrity checks, {result['items']} items and "
        f"{result['questions']} questions at the end, {result['failed']} commands refused"
    )
    for text in result["bad_checks"] + result["problems"]:
        figures.note(text)
    for failure in result["failures"]:
        figures.note(f"refused: {failure['failed']['op']}: {failure['err'].strip()[-200:]}")
    return figures


def run(*, seconds: float = 240, kills: int = 1000, seed: int = 1) -> list[Figures]:
    """The kills on a SQLite file, and a quarter as many on PostgreSQL when a server is given."""
    from benchmarks.torture.common import (
        drop_postgres_database,
        new_postgres_database,
        postgres_server,
    )

    results = []
    server = postgres_server()
    share = 0.75 if server else 1.0
    with tempfile.TemporaryDirectory(prefix="kanban-kills-") as folder:
        path = str(Path(folder) / "killed.db")
        results.append(run_master(path, "SQLite", kills, seconds * share, seed))
    if server is not None:
        url = new_postgres_database(server, "kanban_torture_kills")
        try:
            results.append(
                run_master(url, "PostgreSQL", max(1, kills // 4), seconds * (1 - share), seed)
            )
        finally:
            drop_postgres_database(server, url)
    return results


if __name__ == "__main__":
    if sys.argv[1:2] == ["master"]:
        _, _, target, kills, seconds, seed = sys.argv
        print(json.dumps(master(target, int(kills), float(seconds), int(seed))))
    else:
        for result in run(seconds=30, kills=50):
            print(result.line())
