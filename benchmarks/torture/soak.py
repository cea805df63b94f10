"""The window and the terminal together (issue 8.1, 8.8): the soak that found the corruption.

A main window (offscreen) is open on a file and polls it as the app does (its own timer), and
writes to it now and then (a question, through its context, as a dialog would), while several
`kanban` processes (the real command line, each its own process) add, edit, move and ask on
the same file. Every few seconds the window goes through File > Open Recent: to another file
and back (a real reopen of the file the commands write), or to the file it already shows (the
path that once dropped SQLite's locks). Throughout, SQLite's ``integrity_check`` runs in
another process and the ``-wal`` must be there whenever the window holds the file. At the
end the window must have seen every acknowledged question (its own read, after its poll
said something changed), and a fresh open must find every acknowledged change.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.torture.common import REPO, Figures, Timer, environment, integrity, is_traceback

PRODUCT = "SOAK"
ITEMS = 12
COLUMNS = ("Backlog", "To Do", "In Progress", "Done")
CHECK = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(sys.argv[1], timeout=30)\n"
    "print('; '.join(r[0] for r in c.execute('PRAGMA integrity_check')))\n"
    "c.close()\n"
)


@dataclass
class _Command:
    process: subprocess.Popen[str]
    op: str
    key: str | None
    token: str


@dataclass
class _State:
    """What the soak did and saw."""

    acked_questions: set[str] = field(default_factory=set)
    acked_adds: set[str] = field(default_factory=set)
    titles: dict[str, set[str]] = field(default_factory=dict)
    """Per item, the titles it may hold: its first and every acknowledged edit."""
    commands: int = 0
    refused: int = 0
    reopens: int = 0
    checks: int = 0
    heard: int = 0
    window_writes: int = 0


def setup(path: Path, other: Path) -> None:
    """The soaked file (a product with a few items) and the other file Open Recent visits."""
    from kanban.services import open_database
    from kanban.services.items import add_item
    from kanban.services.products import create_product

    for target, key in ((path, PRODUCT), (other, "OTHER")):
        db = open_database(str(target))
        try:
            create_product(db, key, f"{key.title()} product")
            if target == path:
                for number in range(1, ITEMS + 1):
                    add_item(db, PRODUCT, f"Item {number}")
        finally:
            db.close()


def soak(path: Path, other: Path, seconds: float, writers: int = 3, seed: int = 1) -> Figures:
    """Soak ``path`` (made by :func:`setup`) for ``seconds``; the figures."""
    from PySide6.QtCore import QEventLoop, QTimer

    from kanban.services import open_database
    from kanban.services.questions import ask_question, list_questions
    from kanban.ui.app import application, create_window

    figures = Figures(f"window + {writers} kanban processes, SQLite ({seconds:.0f} s)")
    state = _State()
    for number in range(1, ITEMS + 1):
        state.titles[f"{PRODUCT}-{number}"] = {f"Item {number}"}
    rng = random.Random(seed)
    application()
    window = create_window(open_database(str(path)))
    window.remember_recent(path)  # as the app does for the file it opens with
    window.select_product(_product(window, PRODUCT))
    window.show()
    window.start_daily_backup()
    listened: list[Any] = []

    def listen() -> None:  # each open makes a new context: hear its external changes too
        if not listened or listened[-1] is not window.ctx:
            listened[:] = [window.ctx]
            window.ctx.events.external_change.connect(
                lambda: setattr(state, "heard", state.heard + 1)
            )

    listen()
    wal = path.with_name(path.name + "-wal")
    running: list[_Command] = []
    checking: list[subprocess.Popen[str]] = []
    start = time.monotonic()
    last = {"reopen": start, "check": start, "write": start}
    loop = QEventLoop()
    n = 0
    seconds_left = [seconds]

    def on_soaked_file() -> bool:
        return window.ctx.db.path is not None and window.ctx.db.path.samefile(path)

    def launch() -> None:
        nonlocal n
        n += 1
        token = f"t{seed}n{n}"
        op = rng.choice(("ask", "ask", "add", "edit", "move"))
        key = None
        if op == "ask":
            args = ["ask", PRODUCT, f"{token}?"]
        elif op == "add":
            args = ["add", PRODUCT, token]
        else:
            key = f"{PRODUCT}-{rng.randint(1, ITEMS)}"
            args = (
                ["edit", key, "--title", token]
                if op == "edit"
                else ["move", key, rng.choice(COLUMNS)]
            )
        process = subprocess.Popen(
            [sys.executable, "-m", "kanban", "--db", str(path), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
            env=environment(),
        )  # fmt: skip
        running.append(_Command(process, op, key, token))

    def collect(command: _Command) -> None:
        out, err = command.process.communicate()
        state.commands += 1
        if command.process.returncode != 0:
            state.refused += 1
            if is_traceback(err):
                figures.tracebacks += 1
            figures.note(f"kanban {command.op} exited {command.process.returncode}: {err[-200:]}")
            return
        figures.acknowledged += 1
        if command.op == "ask":
            state.acked_questions.add(f"{command.token}?")
        elif command.op == "add":
            state.acked_adds.add(out.strip())
            state.titles[out.strip()] = {command.token}
        elif command.op == "edit" and command.key is not None:
            state.titles[command.key].add(command.token)

    def reopen() -> None:
        state.reopens += 1
        menu = window.recent_menu
        if on_soaked_file() and rng.random() < 0.7:
            window.open_file(other)  # away, then back below through the menu
        menu.aboutToShow.emit()
        (action,) = [a for a in menu.actions() if Path(a.text()) == path.resolve()]
        action.trigger()  # File > Open Recent > the soaked file
        if not on_soaked_file():
            figures.corrupt += 1
            figures.note("File > Open Recent did not open the soaked file")
            return
        window.select_product(_product(window, PRODUCT))
        listen()

    def tick() -> None:
        try:
            step()
        except BaseException:  # never leave the loop running on a failure: count it, stop
            figures.tracebacks += 1
            figures.note(traceback.format_exc()[-600:])
            for command in running:
                command.process.kill()
                command.process.communicate()
            running.clear()
            seconds_left[0] = 0.0

    def step() -> None:
        now = time.monotonic()
        for command in [c for c in running if c.process.poll() is not None]:
            running.remove(command)
            collect(command)
        for checker in [c for c in checking if c.poll() is not None]:
            checking.remove(checker)
            verdict, err = checker.communicate()
            state.checks += 1
            if verdict.strip() != "ok":
                figures.corrupt += 1
                figures.note(f"integrity_check after {now - start:.0f} s: {verdict.strip()}{err}")
        if on_soaked_file() and not wal.exists():
            figures.corrupt += 1
            figures.note(f"the -wal vanished under the window after {now - start:.1f} s")
        if now - start >= seconds_left[0]:
            if not running and not checking:
                loop.quit()
            return
        while len(running) < writers:
            launch()
        if now - last["check"] >= 2 and not checking:
            last["check"] = now
            checking.append(
                subprocess.Popen(
                    [sys.executable, "-c", CHECK, str(path)],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        if now - last["write"] >= 1.5 and on_soaked_file():
            last["write"] = now
            state.window_writes += 1
            text = f"window{seed}n{state.window_writes}?"
            window.ctx.write(ask_question, PRODUCT, text)
            figures.acknowledged += 1
            state.acked_questions.add(text)
        if now - last["reopen"] >= 5:
            last["reopen"] = now
            reopen()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(tick)
    try:
        with Timer(figures):
            timer.start()
            loop.exec()
            timer.stop()
            # The window's own view: once its poll has said the file changed, it reads
            # every acknowledged question (the symptom of the corruption: it stopped seeing).
            if not on_soaked_file():
                reopen()
            window.ctx.check_for_external_changes()
            seen = {q.text for q in window.ctx.read(list_questions, PRODUCT)}
            unseen = state.acked_questions - seen
            if unseen:
                figures.lost += len(unseen)
                figures.note(f"the window does not see {len(unseen)} acknowledged question(s)")
    finally:
        window.wait_for_backup()
        window.close()
        window.ctx.close()
        window.ctx.db.close()
        window.deleteLater()  # gone with its menus once the event loop (or a test) runs
    _verify(path, state, figures)
    figures.counts.update(
        commands=state.commands, refused=state.refused, window_writes=state.window_writes,
        reopens=state.reopens, checks=state.checks, heard=state.heard,
    )  # fmt: skip
    figures.note(
        f"{state.commands} kanban commands ({state.refused} refused), {state.window_writes} "
        f"window writes, {state.reopens} File > Open Recent, {state.checks} integrity checks "
        f"during, {state.heard} external changes heard"
    )
    return figures


def _product(window: Any, key: str) -> Any:
    from kanban.services.products import list_products
    from kanban.services.records import ProductInfo

    (product,) = [p for p in window.ctx.read(list_products) if p.key == key]
    assert isinstance(product, ProductInfo)
    return product


def _verify(path: Path, state: _State, figures: Figures) -> None:
    from kanban.services import open_database
    from kanban.services.items import load_board
    from kanban.services.questions import list_questions

    verdict = integrity(path)
    state.checks += 1
    if verdict != "ok":
        figures.corrupt += 1
        figures.note(f"integrity_check at the end: {verdict}")
    db = open_database(str(path))
    try:
        cards = {c.key: c for c in load_board(db, PRODUCT).cards}
        questions = {q.text for q in list_questions(db, PRODUCT)}
    finally:
        db.close()
    missing = state.acked_questions - questions
    figures.lost += len(missing) + len(state.acked_adds - set(cards))
    for key, titles in state.titles.items():
        if key in cards and cards[key].title not in titles:
            figures.lost += 1
            figures.note(f"{key}: {cards[key].title!r}, acknowledged {sorted(titles)[:4]}")


def run(*, seconds: float = 180, writers: int = 3, seed: int = 1) -> list[Figures]:
    """The soak on a new file in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="kanban-soak-") as name:
        path, other = Path(name) / "soaked.db", Path(name) / "other.db"
        setup(path, other)
        return [soak(path, other, seconds, writers=writers, seed=seed)]
