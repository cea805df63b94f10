"""Looking at a rendered chart from a test: pixels of the plot, the SVG's elements."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage

SVG = "{http://www.w3.org/2000/svg}"


def inked(image: QImage, area: QRect, background: str, tolerance: int = 24) -> int:
    """How many pixels in ``area`` (device pixels) differ from the background colour."""
    base = QColor(background)
    count = 0
    for y in range(area.top(), area.bottom() + 1, 2):
        for x in range(area.left(), area.right() + 1, 2):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - base.red())
                + abs(pixel.green() - base.green())
                + abs(pixel.blue() - base.blue())
                > tolerance
            ):
                count += 1
    return count


def coloured(image: QImage, color: str, tolerance: int = 30) -> int:
    """How many pixels (every other one, each way) are near a colour."""
    wanted = QColor(color)
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - wanted.red())
                + abs(pixel.green() - wanted.green())
                + abs(pixel.blue() - wanted.blue())
                <= tolerance
            ):
                count += 1
    return count


def svg_texts(data: bytes) -> list[str]:
    """The words of every <text> element of an SVG document (parsing it proves it is XML)."""
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]


def svg_count(data: bytes, tag: str) -> int:
    """How many elements of a tag (``path``, ``polyline``...) the SVG draws."""
    return sum(1 for _ in ET.fromstring(data).iter(f"{SVG}{tag}"))


def blended(color: str, background: str) -> str:
    """The colour a translucent ``#AARRGGBB`` shows over a background."""
    top, base = QColor(color), QColor(background)
    alpha = top.alphaF()
    mix = [
        round(alpha * a + (1 - alpha) * b)
        for a, b in zip(
            (top.red(), top.green(), top.blue()),
            (base.red(), base.green(), base.blue()),
            strict=True,
        )
    ]
    return QColor(*mix).name()
