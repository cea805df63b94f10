"""A command's process: what its imports made is out of the cycle collector's way (a full
collection walked those ~40,000 objects, in a long command and several times at exit)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COMMAND = """
import gc, sys
from kanban.cli import main
main(["--db", sys.argv[1], "products"])
print(gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_a_command_freezes_what_its_imports_made(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", COMMAND, str(tmp_path / "kanban.db")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=True,
    )
    frozen, tracked = map(int, done.stdout.split()[-2:])
    assert frozen > 2 * tracked, done.stdout
