"""Migrations under SIGKILL (issue 8.8): every released schema revision's fixture database
(tests/storage/fixtures) is upgraded with its data intact, and a kill at any moment of the
upgrade leaves the old revision or the newest, never half of one.

Per fixture: a file is made from its dump and opened by `kanban` once to the end (the clean
upgrade: every table's rows kept, `kanban check` sound). Then, again and again, a fresh copy
is opened by a `kanban` process that is killed with SIGKILL at a random moment of its open
(timed from the process saying it is about to open, up to 1.3 times a clean open's length).
After each kill: the file passes ``integrity_check``; its revision is the fixture's (and then
its content is exactly the fixture's) or the newest (and then every row is there); and a copy
taken before the migration (``NAME.before-REV-STAMP.bak``), if one was finished, holds
exactly the original: the same bytes apart from SQLite's header counters, the same dump.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.torture.common import REPO, Figures, environment, integrity, is_traceback, kanban
from kanban.storage.database import head_revision

FIXTURES = REPO / "tests" / "storage" / "fixtures"
OPEN = (
    "import sys\n"
    "from kanban import cli\n"
    "print('opening', flush=True)\n"
    "sys.exit(cli.main(['--db', sys.argv[1], 'products']))\n"
)
HEADER_COUNTERS = (range(24, 28), range(40, 44), range(92, 100))
"""The header fields SQLite's backup API sets anew: change counter, schema cookie, version."""


def revisions() -> list[str]:
    """The released revisions older than the head that keep a fixture database."""
    stems = sorted(p.stem.removeprefix("schema_") for p in FIXTURES.glob("schema_*.sql"))
    return [revision for revision in stems if revision != head_revision()]


def make_old_file(path: Path, revision: str) -> None:
    """A database file of a released revision, from its fixture dump."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript((FIXTURES / f"schema_{revision}.sql").read_text(encoding="utf-8"))
        conn.commit()
    finally:
        conn.close()


def revision_of(path: Path) -> str:
    """The file's schema revision, read through SQLite."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def dump(path: Path) -> list[str]:
    """The file's content as SQL, in SQLite's order."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def same_bytes(original: bytes, copy: bytes) -> bool:
    """Whether a backup copy holds the original's bytes, SQLite's header counters aside."""
    if len(original) != len(copy):
        return False
    skip = {i for r in HEADER_COUNTERS for i in r}
    first = bytes(b for i, b in enumerate(original[:100]) if i not in skip)
    return original[100:] == copy[100:] and first == bytes(
        b for i, b in enumerate(copy[:100]) if i not in skip
    )


def _open_killed(path: Path, delay: float | None) -> tuple[float, int | None, str]:
    """Open ``path`` with `kanban` in another process, killed ``delay`` s after it says it is
    opening (None: let it finish). Its open time, exit code (None when killed), stderr."""
    process = subprocess.Popen(
        [sys.executable, "-c", OPEN, str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=environment(),
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.readline()  # "opening": the imports are done
    start = time.perf_counter()
    if delay is None:
        _, err = process.communicate(timeout=600)
        return time.perf_counter() - start, process.returncode, err
    try:
        _, err = process.communicate(timeout=delay)
        return time.perf_counter() - start, process.returncode, err
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return time.perf_counter() - start, None, ""


def torture_revision(
    revision: str, folder: Path, kills: int, seconds: float, rng: random.Random
) -> Figures:
    """The clean upgrade of one fixture, then ``kills`` killed ones (or ``seconds``' worth)."""
    from kanban.storage.database import SCHEMA_HEAD

    figures = Figures(f"migration {revision} -> {SCHEMA_HEAD} under SIGKILL")
    start = time.perf_counter()
    pristine = folder / f"pristine-{revision}.db"
    make_old_file(pristine, revision)
    original = pristine.read_bytes()
    original_dump = dump(pristine)
    original_rows = row_counts(pristine)

    clean = folder / f"clean-{revision}.db"
    clean.write_bytes(original)
    length, code, err = _open_killed(clean, None)
    checked = kanban(clean, "check")
    if code != 0 or checked.returncode != 0:
        figures.corrupt += 1
        figures.tracebacks += int(is_traceback(err) or is_traceback(checked.stderr))
        figures.note(f"the clean upgrade failed: {err.strip()[-300:]} {checked.stdout[-300:]}")
    elif any(row_counts(clean).get(t, -1) < n for t, n in original_rows.items()):
        figures.lost += 1
        figures.note(f"the clean upgrade lost rows: {original_rows} -> {row_counts(clean)}")
    figures.acknowledged += sum(original_rows.values())

    outcomes = {"old": 0, "new": 0, "copies": 0}
    deadline = time.monotonic() + seconds
    while figures.kills < kills and time.monotonic() < deadline:
        target = folder / f"killed-{revision}-{figures.kills}.db"
        target.write_bytes(original)
        _, code, err = _open_killed(target, rng.uniform(0, 1.3 * length))
        if code is None:
            figures.kills += 1
        elif code != 0:
            figures.tracebacks += int(is_traceback(err))
            figures.note(f"an open exited {code}: {err.strip()[-300:]}")
        check_after(target, revision, original, original_dump, original_rows, figures, outcomes)
        for path in [*folder.glob(f"{target.name}*"), *folder.glob(f".{target.name}*")]:
            path.unlink()
    figures.counts.update(outcomes)
    figures.note(
        f"after the kills: {outcomes['old']} at {revision}, {outcomes['new']} at "
        f"{SCHEMA_HEAD}, never between; {outcomes['copies']} finished copies, each exactly "
        f"the original; {sum(original_rows.values())} rows in the fixture"
    )
    figures.seconds = time.perf_counter() - start
    return figures


def check_after(
    path: Path,
    revision: str,
    original: bytes,
    original_dump: list[str],
    original_rows: dict[str, int],
    figures: Figures,
    outcomes: dict[str, int],
) -> None:
    """Check a file after a killed open (see the module docstring); count what is wrong."""
    from kanban.storage.database import SCHEMA_HEAD

    verdict = integrity(path)
    if verdict != "ok":
        figures.corrupt += 1
        figures.note(f"integrity_check after a kill: {verdict}")
        return
    now = revision_of(path)
    if now == revision:
        outcomes["old"] += 1
        if dump(path) != original_dump:
            figures.corrupt += 1
            figures.note(f"still at {revision}, but no longer the fixture's content")
    elif now == SCHEMA_HEAD:
        outcomes["new"] += 1
        rows = row_counts(path)
        if any(rows.get(t, -1) < n for t, n in original_rows.items()):
            figures.lost += 1
            figures.note(f"migrated, rows lost: {original_rows} -> {rows}")
    else:
        figures.corrupt += 1
        figures.note(f"left at revision {now}: half a migration")
    for copy in path.parent.glob(f"{path.name}.before-{revision}-*.bak"):
        outcomes["copies"] += 1
        if not same_bytes(original, copy.read_bytes()) or dump(copy) != original_dump:
            figures.corrupt += 1
            figures.note(f"{copy.name} is not the original (sha256 {_sha(copy)})")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def run(*, seconds: float = 120, kills: int = 60, seed: int = 1) -> list[Figures]:
    """Each released revision's fixture: the clean upgrade, then the kills."""
    rng = random.Random(seed)
    names = revisions()
    with tempfile.TemporaryDirectory(prefix="kanban-migrations-") as name:
        return [
            torture_revision(revision, Path(name), kills, seconds / len(names), rng)
            for revision in names
        ]
