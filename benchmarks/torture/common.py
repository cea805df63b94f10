"""What every torture part shares: its figures, the real command line, integrity checks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
POSTGRES_ENV = "KANBAN_TEST_POSTGRES_URL"


@dataclass
class Figures:
    """One part's result: what was done to the app and what it lost."""

    part: str
    kills: int = 0
    acknowledged: int = 0
    """Writes the app said were saved (exit 0, a returned record)."""
    lost: int = 0
    """Acknowledged writes not found afterwards."""
    corrupt: int = 0
    """Integrity or consistency failures found."""
    tracebacks: int = 0
    """Unexpected exceptions: a Python traceback where a one-line message belongs."""
    busy: int = 0
    """Writes refused because another writer held the database past the busy timeout:
    nothing saved and the writer told so (not a loss), but not a commit either."""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    """What else was counted (cases, conflicts...), and the first few failures."""
    counts: dict[str, int] = field(default_factory=dict)
    """What else was counted, by name (the notes say it in words)."""

    @property
    def ok(self) -> bool:
        """Nothing lost, nothing corrupt, no traceback."""
        return self.lost == 0 and self.corrupt == 0 and self.tracebacks == 0

    def note(self, text: str, limit: int = 8) -> None:
        """Keep a line for the report (failures beyond ``limit`` are only counted)."""
        if len(self.notes) < limit:
            self.notes.append(text)

    def line(self) -> str:
        """The figures on one line, then the notes indented below."""
        head = (
            f"{self.part}: {self.kills} kills, {self.acknowledged} acknowledged, {self.lost} "
            f"lost, {self.corrupt} corrupt, {self.tracebacks} tracebacks, {self.busy} busy, "
            f"{self.seconds:.0f} s"
        )
        return "\n".join([head, *(f"    {note}" for note in self.notes)])


def table(results: list[Figures]) -> str:
    """The figures of every part as a Markdown table (the README keeps one)."""
    rows = [
        "| part | kills | acknowledged | lost | corrupt | tracebacks | busy | seconds | notes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for f in results:
        notes = "; ".join(f.notes).replace("|", "\\|").replace("\n", " ")
        rows.append(
            f"| {f.part} | {f.kills} | {f.acknowledged} | {f.lost} | {f.corrupt} | "
            f"{f.tracebacks} | {f.busy} | {f.seconds:.0f} | {notes} |"
        )
    return "\n".join(rows)


class Timer:
    """``with Timer(figures): ...`` sets ``figures.seconds``."""

    def __init__(self, figures: Figures) -> None:
        self.figures = figures

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.figures.seconds += time.perf_counter() - self.start


def environment() -> dict[str, str]:
    """The environment of a child process running this source tree."""
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "KANBAN_USER": os.environ.get("KANBAN_USER", "torture"),
    }


def kanban(
    target: str | Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real command line in another process, as a teammate runs it."""
    return subprocess.run(
        [sys.executable, "-m", "kanban", "--db", str(target), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=environment(),
        check=False,
    )


def python(code: str, *args: str) -> subprocess.Popen[str]:
    """Python code in another process (this source tree importable), its pipes open."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=environment(),
    )


def is_traceback(stderr: str) -> bool:
    """Whether a process printed a Python traceback (not a one-line message)."""
    return "Traceback (most recent call last)" in stderr


def integrity(path: Path) -> str:
    """SQLite's full integrity check and foreign key check of a file ("ok" when sound)."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        lines = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    if lines != ["ok"]:
        return "; ".join(lines[:3])
    return "ok" if not broken else f"{len(broken)} broken reference(s), first {broken[0]}"


def postgres_server() -> str | None:
    """The PostgreSQL server to torture, if one is given ($KANBAN_TEST_POSTGRES_URL)."""
    return os.environ.get(POSTGRES_ENV) or None


def new_postgres_database(server: str, name: str) -> str:
    """A new, empty database on the server (dropped first if it exists); its URL."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(server: str, url: str) -> None:
    """Drop a database made by :func:`new_postgres_database`."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        admin.dispose()
