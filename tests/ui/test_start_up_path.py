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
import os
tasks = "/proc/self/task"
names = [open(f"{tasks}/{t}/comm").read().strip() for t in os.listdir(tasks)]
print(sum(name == "Thread (pooled)" for name in names))  # QThreadPool's workers
"""


def first_paint(tmp_path: Path) -> list[str]:
    """The lines FIRST_PAINT prints at the second launch (the first creates the file and its
    first product), in a user's environment: no QT_NO_GUI_THREADPOOL (the app sets it)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "settings"),
    }
    env.pop("QT_NO_GUI_THREADPOOL", None)
    database = str(tmp_path / "kanban.db")
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_PAINT, database],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=True,
        )
    return done.stdout.strip().splitlines()


def test_the_first_paint_loads_no_orm(tmp_path: Path) -> None:
    assert first_paint(tmp_path)[-2] == "[]"


def test_the_first_paint_starts_no_painting_threads(tmp_path: Path) -> None:
    """Qt's raster engine would hand Fusion's gradient fills to QtGui's thread pool and wait:
    two threads and ~50 hand-offs on the first paint, which cost more than the fills."""
    assert first_paint(tmp_path)[-1] == "0"
