"""The README's screenshots, made from the sample data: ``make screenshots``.

Builds the sample products (``kanban demo``) in a temporary database file, opens the real main
window on it at 1280x800 with the offscreen Qt platform (or under Xvfb when ``DISPLAY`` is set
and ``QT_QPA_PLATFORM=xcb``), and saves what the window shows:

* ``board.png``: the Web shop's board;
* ``status.png``: its Status screen, with the report preview.

Preferences (theme, your name) come from a temporary settings folder, so the pictures do not
depend on the user's, and the user's are left alone. ``--dark`` draws the dark theme;
``--out DIR`` (default: ``docs/images``) is where the PNGs go.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap

SIZE = (1280, 800)
PRODUCT = "WEB"


def main(argv: list[str] | None = None) -> int:
    """Make the screenshots; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "images")
    parser.add_argument("--dark", action="store_true", help="the dark theme")
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="kanban-screenshots-"))
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")  # QSettings: not the user's
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("KANBAN_USER", "Paula Owner")

    from PySide6.QtCore import QSettings

    from kanban.services import open_database
    from kanban.services.demo import create_demo
    from kanban.ui.app import application, create_window
    from kanban.ui.board.screen import BoardScreen
    from kanban.ui.preferences import THEME_KEY, Theme
    from kanban.ui.status.screen import StatusScreen

    db = open_database(str(home / "sample.db"))
    products = {product.key: product for product in create_demo(db)}
    QSettings("kanban", "kanban").setValue(THEME_KEY, str(Theme.DARK if args.dark else Theme.LIGHT))
    app = application()

    def settle(done: Callable[[], bool] = lambda: True, timeout: float = 10.0) -> None:
        """Let the window lay out and paint, until ``done`` (a script, not a test: it polls)."""
        deadline = time.monotonic() + timeout
        while True:
            for _ in range(5):
                app.processEvents()
            if done() or time.monotonic() > deadline:
                return
            time.sleep(0.05)

    window = create_window(db)
    window.resize(*SIZE)
    window.show()
    window.select_product(products[PRODUCT])
    args.out.mkdir(parents=True, exist_ok=True)

    board = window.show_screen(BoardScreen)
    assert isinstance(board, BoardScreen)
    settle(lambda: len(board.store) > 0)
    settle()
    save(window.grab(), args.out / "board.png")

    status = window.show_screen(StatusScreen)
    assert isinstance(status, StatusScreen)
    name = products[PRODUCT].name
    settle(lambda: name in status.preview.toPlainText())
    settle()
    save(window.grab(), args.out / "status.png")

    window.close()
    db.close()
    return 0


def save(picture: QPixmap, path: Path) -> None:
    """Write a grabbed picture as PNG and say where."""
    if not picture.save(str(path), "PNG"):
        raise SystemExit(f"screenshots: cannot write {path}")
    print(path)


if __name__ == "__main__":
    sys.exit(main())
