"""Start-up: a fresh process to a painted main window, and to a command line's answer.

* **Window**: an empty database holding one empty product, as after the first launch, to the
  main window's first paint. Floor: a fresh process that imports SQLAlchemy and paints a bare
  PySide6 window (DESIGN section 6: the app may take 1.5 times that).
* **Command line**: ``kanban products`` on a file of 1,000 items, to its exit. Floor: a fresh
  process that imports SQLAlchemy and sqlite3 and reads the same rows with sqlite3 (the
  products, by name), printing them.

Each pair (floor, app) runs back to back, the pairs ``RUNS`` times; the figures are medians
and the verdict is the median of the pairs' ratios, so a load that comes and goes on this
shared machine weighs on both sides alike. Every process starts with an empty settings folder
(the window opens on its first page, whatever another run left) and the package's bytecode
compiled first, as an installed app's is (``pip`` compiles it at install; a source tree run
with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module in every process).
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kanban
from benchmarks.data import generate

RUNS = 9
BUDGET = 1.5
CLI_ITEMS = 1_000

# Both scripts print the seconds from process start (as the OS saw it) to the first paint.
_PAINTED = """
import time
from PySide6.QtCore import QObject, QEvent
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "done"):
            self.done = time.perf_counter()
            app.quit()
        return False
"""

FLOOR = (
    """
import time
t0 = time.perf_counter()
import sqlalchemy
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
"""
    + _PAINTED
    + """
window = QMainWindow(); window.resize(1280, 800)
watch = Watch(); window.installEventFilter(watch)
window.show(); app.exec()
print(watch.done - t0)
"""
)

APP = (
    """
import sys, time
t0 = time.perf_counter()
from kanban.services import open_database
from kanban.ui.app import application, create_window
app = application()
"""
    + _PAINTED
    + """
window = create_window(open_database(sys.argv[1]))
watch = Watch(); window.installEventFilter(watch)
window.show(); app.exec()
print(watch.done - t0)
"""
)

CLI_FLOOR = """
import sys, sqlalchemy, sqlite3
conn = sqlite3.connect(sys.argv[1])
for key, name, archived in conn.execute("SELECT key, name, archived FROM products ORDER BY name"):
    print(key, name, "(archived)" if archived else "")
conn.close()
"""

CLI_APP = """
import sys
from kanban.cli import main
sys.exit(main(["--db", sys.argv[1], "products"]))
"""


def _seconds(script: str, env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script, *args], check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def _pairs(floor: str, app: str, env: dict[str, str], *args: str) -> tuple[float, float, float]:
    """(app median, floor median, median of the app/floor ratios), seconds."""
    floors, apps = [], []
    for _ in range(RUNS):
        floors.append(_seconds(floor, env, *args))
        apps.append(_seconds(app, env, *args))
    ratios = [a / f for a, f in zip(apps, floors, strict=True)]
    return statistics.median(apps), statistics.median(floors), statistics.median(ratios)


def _line(name: str, app: float, floor: float, ratio: float) -> tuple[str, bool]:
    ok = ratio <= BUDGET
    text = (
        f"{name:<50}{app * 1000:8.0f} ms  floor {floor * 1000:6.0f} ms  {ratio:5.2f}x  "
        f"<= {BUDGET}x floor {'ok' if ok else 'MISSED'} (median of {RUNS} pairs)"
    )
    return text, ok


def main() -> int:
    """Print the start-up figures beside their floors; 1 when one is over budget."""
    compileall.compile_dir(Path(kanban.__file__).parent, quiet=1)  # as an installed app
    with tempfile.TemporaryDirectory() as folder:
        settings = Path(folder) / "settings"
        settings.mkdir()
        env = {**os.environ, "XDG_CONFIG_HOME": str(settings), "QT_QPA_PLATFORM": "offscreen"}
        env.pop("KANBAN_DB", None)
        empty = str(Path(folder) / "empty.db")
        _seconds(APP, env, empty)  # the first launch creates the file and its empty product
        items = Path(folder) / "items.db"
        generate(items, CLI_ITEMS)
        window = _line(
            "cold start to a painted window, empty database", *_pairs(FLOOR, APP, env, empty)
        )
        cli = _line(
            f"kanban products, {CLI_ITEMS:,} items: process to exit",
            *_pairs(CLI_FLOOR, CLI_APP, env, str(items)),
        )
    for text, _ok in (window, cli):
        print(text)
    return 0 if window[1] and cli[1] else 1


if __name__ == "__main__":
    sys.exit(main())
