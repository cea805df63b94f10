"""Canary for the PySide6 hazard of DESIGN section 7: void Qt calls must not leak refs to None.

PySide6 6.12.0 on CPython 3.11 drops a reference to None on every call of a Qt method that
returns nothing; after about 5,000 calls the process aborts with ``none_dealloc``. On 3.12+
None is immortal, so its count never moves and the canary cannot fire, which is fine: the
crash cannot happen there either.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import PySide6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

CALLS = 20_000
# References to None also move for reasons of their own (caches, frames); a leak moves 20,000.
TOLERANCE = 100


def refs_after(target: object, calls: int, action: Callable[[str], object]) -> int:
    """How far ``calls`` calls of ``action`` move the reference count of ``target``."""
    before = sys.getrefcount(target)
    for _ in range(calls):
        action("canary")
    return sys.getrefcount(target) - before


def none_refs_after(calls: int, setter: Callable[[str], object]) -> int:
    return refs_after(None, calls, setter)


def test_the_measure_sees_a_leak_of_one_reference_per_call() -> None:
    # A mortal object: None's count cannot move at all from Python 3.12 (it is immortal).
    target = object()
    kept: list[object] = []
    assert refs_after(target, CALLS, lambda _text: kept.append(target)) >= CALLS


def test_a_void_qobject_setter_leaves_none_alone() -> None:
    obj = QObject()
    assert obj.setObjectName("warm-up") is None  # a void method: it returns None
    assert abs(none_refs_after(CALLS, obj.setObjectName)) < TOLERANCE


def test_a_void_widget_setter_leaves_none_alone(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    assert widget.setToolTip("warm-up") is None
    assert abs(none_refs_after(CALLS, widget.setToolTip)) < TOLERANCE


def test_the_installed_pyside6_is_not_the_one_that_crashes_on_311() -> None:
    crashing = sys.version_info < (3, 12) and PySide6.__version_info__[:2] == (6, 12)
    assert not crashing, (
        f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} leaks a reference to "
        "None per void Qt call and aborts with 'Fatal Python error: none_dealloc' after ~5,000 "
        "calls; pyproject.toml pins PySide6 below 6.12 for Python < 3.12: reinstall with "
        "`make clean test`"
    )
