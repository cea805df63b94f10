"""A short run of the damaged-files and export-injection parts of `make torture`, and each
part's check shown to see what it looks for."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.torture import exports, oddfiles


def test_damaged_copies_of_a_real_file_are_refused_in_one_line_or_checked(
    tmp_path: Path,
) -> None:
    figures = oddfiles.torture(tmp_path, cases=24, seconds=120, seed=5)

    assert figures.ok, figures.line()
    assert figures.counts["cases"] == 24
    assert figures.counts["refused"] >= 1  # the damage was real: SQLite's checks saw some


def test_the_damage_check_counts_a_refused_file_that_was_changed_or_grew_a_neighbour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuses_after_writing(*args: str) -> tuple[int, str, str]:
        path = Path(args[1])
        path.write_bytes(b"changed")
        path.with_name(path.name + "-journal").write_bytes(b"")
        return 2, "", "kanban: refused\n"

    monkeypatch.setattr(oddfiles, "run_cli", refuses_after_writing)

    figures = oddfiles.torture(tmp_path, cases=3, seconds=60)

    assert (figures.corrupt, figures.counts["refused"]) == (6, 3)


def test_hostile_text_keeps_every_export_in_its_shape_and_comes_back_exact(
    tmp_path: Path,
) -> None:
    figures = exports.torture(tmp_path, rounds=2, seconds=120, seed=3)

    assert figures.ok, figures.line()
    assert figures.counts["rounds"] == 2


def test_the_injection_check_sees_an_element_an_attribute_and_a_link() -> None:
    page = exports.structure("<p>Story <b>x</b></p>")
    injected = exports.structure("<p>Story <img src=x onerror=alert(1)></p>")
    assert injected.shape != page.shape
    assert injected.dangers == ["<img onerror=...>"]
    assert exports.structure("<a href=' javascript:alert(1)'>x</a>").dangers
