"""Damaged database files (issue 8.3, 8.8): a real kanban file mutated at random, opened.

Each case is a copy of a small real database (items, questions: tables and indexes) with one
kind of damage: bytes flipped anywhere, a byte of the header changed, a page zeroed, the file
cut short or grown with noise. `kanban products` then `kanban check` run on it (the command
line, ``kanban.cli.main``). A refused file must be refused in one line (``kanban: ...``,
exit 2), stay byte for byte as it was (sha256) with nothing created beside it; a file that
opens must be checked to the end, sound or damaged (exit 0 or 1); nothing may raise a
traceback. The named odd files (FIFOs, devices, half schemas...) are tests/storage's.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import random
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks.torture.common import Figures

PAGE = 4096


def real_file(path: Path) -> None:
    """A small real kanban database, closed: items, questions about them (an index)."""
    from kanban.services import open_database
    from kanban.services.items import add_item
    from kanban.services.products import create_product
    from kanban.services.questions import ask_question

    db = open_database(str(path))
    try:
        create_product(db, "WEB", "Web shop")
        for number in range(1, 41):
            add_item(db, "WEB", f"Story {number}", points=number % 8)
            ask_question(db, "WEB", f"Question {number}?", item_ref=f"WEB-{number}")
    finally:
        db.close()


def _flip(data: bytearray, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return "bytes flipped"


def _header(data: bytearray, rng: random.Random) -> str:
    data[rng.randrange(100)] = rng.randrange(256)
    return "a header byte changed"


def _zero_page(data: bytearray, rng: random.Random) -> str:
    page = rng.randrange(len(data) // PAGE)
    data[page * PAGE : (page + 1) * PAGE] = bytes(PAGE)
    return "a page zeroed"


def _cut(data: bytearray, rng: random.Random) -> str:
    del data[rng.randrange(len(data)) :]
    return "cut short"


def _grow(data: bytearray, rng: random.Random) -> str:
    data.extend(rng.randbytes(rng.choice((1, 100, PAGE, 3 * PAGE + 7))))
    return "grown with noise"


MUTATIONS: tuple[Callable[[bytearray, random.Random], str], ...] = (
    _flip, _flip, _header, _zero_page, _cut, _grow,
)  # fmt: skip


def run_cli(*args: str) -> tuple[int, str, str]:
    """The command line in this process: exit code, stdout, stderr (-1: it raised)."""
    from kanban import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except BaseException:
            code = -1
            err.write(traceback.format_exc())
    return code, out.getvalue(), err.getvalue()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def torture(folder: Path, cases: int, seconds: float, seed: int = 1) -> Figures:
    """``cases`` damaged copies (fewer if ``seconds`` run out first); the figures."""
    figures = Figures("damaged files opened")
    start = time.perf_counter()
    rng = random.Random(seed)
    real = folder / "real.db"
    real_file(real)
    pristine = real.read_bytes()
    outcome = {"refused": 0, "opened sound": 0, "opened, check found damage": 0}
    deadline = time.monotonic() + seconds
    n = 0
    while n < cases and time.monotonic() < deadline:
        n += 1
        case = folder / f"case-{n}"
        case.mkdir()
        path = case / "kanban.db"
        data = bytearray(pristine)
        kind = rng.choice(MUTATIONS)(data, rng)
        path.write_bytes(bytes(data))
        before = _sha(path)
        code, _, err = run_cli("--db", str(path), "products")
        if code == -1 or "Traceback" in err:
            figures.tracebacks += 1
            figures.note(f"{kind}: {err.strip().splitlines()[-1][:200]}")
        elif code != 0:
            outcome["refused"] += 1
            left = sorted(p.name for p in case.iterdir())
            if err.count("\n") != 1 or not err.startswith("kanban: "):
                figures.corrupt += 1
                figures.note(f"{kind}: refused, not in one line: {err[:200]!r}")
            if _sha(path) != before:
                figures.corrupt += 1
                figures.note(f"{kind}: refused, and changed: {err.strip()[:150]}")
            if left != ["kanban.db"]:
                figures.corrupt += 1
                figures.note(f"{kind}: refused, and left {left}")
        else:
            code, out, err = run_cli("--db", str(path), "check")
            if code == -1 or "Traceback" in err:
                figures.tracebacks += 1
                figures.note(f"{kind}: check: {err.strip().splitlines()[-1][:200]}")
            elif code == 0:
                outcome["opened sound"] += 1
            elif code == 1 and out.rstrip().endswith("problem(s) found."):
                outcome["opened, check found damage"] += 1
            else:
                figures.corrupt += 1
                figures.note(f"{kind}: opened, then check said {code}: {(out + err)[-200:]!r}")
        shutil.rmtree(case)
    figures.counts.update(outcome, cases=n)
    figures.note(
        f"{n} damaged copies of a {len(pristine) // 1024} KiB file: "
        + ", ".join(f"{v} {k}" for k, v in outcome.items())
    )
    figures.seconds = time.perf_counter() - start
    return figures


def run(*, seconds: float = 60, cases: int = 2000, seed: int = 1) -> list[Figures]:
    """The damaged copies, in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="kanban-oddfiles-") as name:
        return [torture(Path(name), cases, seconds, seed)]
