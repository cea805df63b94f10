"""The window's start: it reads through Core, so its first paint loads no ORM (~0.15-0.5 s of a
cold start; the window loads it after it shows, Database.prepare_writes); it paints on one
thread; and what its imports made is out of the cycle collector's way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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
import gc, json, os
tasks = "/proc/self/task"
names = [open(f"{tasks}/{t}/comm").read().strip() for t in os.listdir(tasks)]
print(json.dumps({
    "loaded": sorted(m for m in ("sqlalchemy.orm", "alembic") if m in sys.modules),
    "pooled_threads": sum(name == "Thread (pooled)" for name in names),  # QThreadPool's
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
}))
"""


def first_paint(tmp_path: Path) -> dict[str, Any]:
    """What FIRST_PAINT finds at the second launch (the first creates the file and its
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
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_first_paint_loads_no_orm(tmp_path: Path) -> None:
    assert first_paint(tmp_path)["loaded"] == []


def test_the_first_paint_starts_no_painting_threads(tmp_path: Path) -> None:
    """Qt's raster engine would hand Fusion's gradient fills to QtGui's thread pool and wait:
    two threads and ~50 hand-offs on the first paint, which cost more than the fills."""
    assert first_paint(tmp_path)["pooled_threads"] == 0


def test_what_the_imports_made_is_out_of_the_collectors_way(tmp_path: Path) -> None:
    """A full collection walked the ~60,000 objects of the imports: ~40 ms each time, in use
    and at exit; frozen, it walks what the window made since."""
    found = first_paint(tmp_path)
    assert found["frozen"] > 10 * found["tracked"], found
