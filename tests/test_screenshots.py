"""``make screenshots`` (docs/screenshots.py) makes the README's pictures from the sample."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_script_draws_the_board_and_the_status_screen_of_the_sample(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "screenshots.py"), "--out", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("board.png", "status.png"):
        assert png_size(tmp_path / name) == (1280, 800)
        assert (tmp_path / name).stat().st_size > 50_000  # a painted window, not a blank one
    assert "Traceback" not in done.stderr
