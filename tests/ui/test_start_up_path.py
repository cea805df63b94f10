"""The window's start reads through Core: its first paint loads no ORM (~0.15-0.5 s of a cold
start; the window loads it after it shows, Database.prepare_writes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIRST_PAINT = """
import sys
from PySide6.QtCore import QEvent, QObject
from kanban.services import open_database
from kanban.ui.app import application, create_window
app = application()
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            app.quit()
        return False
window = create_window(open_database(sys.argv[1]))
watch = Watch()
window.installEventFilter(watch)
window.show()
app.exec()
print(sorted(m for m in ("sqlalchemy.orm", "alembic") if m in sys.modules))
"""


def test_the_first_paint_loads_no_orm(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "settings"),
    }
    database = str(tmp_path / "kanban.db")
    for _ in range(2):  # the first launch creates the file and its first product
        done = subprocess.run(
            [sys.executable, "-c", FIRST_PAINT, database],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=True,
        )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
