"""Rendering by format name and writing report files atomically."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from report_helpers import Sample

from kanban import files
from kanban.errors import KanbanError, ValidationError
from kanban.reports import export
from kanban.reports.export import ExportError, render_report, write_report


def test_each_text_format_is_written_to_its_file(sample: Sample, tmp_path: Path) -> None:
    for fmt in export.TEXT_FORMATS:
        target = tmp_path / f"report.{fmt}"
        data = write_report(sample.db, "WEB", fmt, target)
        assert target.read_bytes() == data
        assert "Checkout page" in data.decode("utf-8")
        if fmt != "md":  # Markdown written to a file links its charts' PNG files
            assert data == render_report(sample.db, "WEB", fmt)
    # The reports and what they bring beside them; no temporary file is left.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("report")) == [
        "report-burndown.png",
        "report-cfd.png",
        "report-cycle-time.png",
        "report-figures.csv",  # no forecast: the sample has no whole week of history
        "report-throughput.png",
        "report.csv",
        "report.html",
        "report.md",
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_written_report_gets_the_usual_file_permissions(sample: Sample, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    write_report(sample.db, "WEB", "md", target)
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_without_output_the_bytes_come_back_and_nothing_is_written(
    sample: Sample, tmp_path: Path
) -> None:
    before = set(tmp_path.iterdir())
    assert write_report(sample.db, "WEB", "csv", None).startswith(b"key,title,kind")
    assert set(tmp_path.iterdir()) == before


def test_a_pdf_needs_a_file_and_formats_are_checked(sample: Sample) -> None:
    with pytest.raises(ValidationError, match="needs an output file"):
        write_report(sample.db, "WEB", "pdf", None)
    with pytest.raises(ValidationError, match="md, html, pdf, csv"):
        render_report(sample.db, "WEB", "docx")


def test_a_pdf_is_written_to_its_file(sample: Sample, tmp_path: Path, qapp: object) -> None:
    target = tmp_path / "report.pdf"
    data = write_report(sample.db, "WEB", "pdf", target)
    assert target.read_bytes() == data and data.startswith(b"%PDF-")


def _unwritable_folder(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    # root writes through permission bits; sysfs refuses new files even to root.
    if not Path("/sys/kernel").is_dir():
        pytest.skip("no folder that root cannot write to")
    return Path("/sys/kernel")


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        (lambda tmp: tmp / "missing" / "report.md", "does not exist"),
        (lambda tmp: tmp / "a-file" / "report.md", "is not a folder"),
        (lambda tmp: tmp / "a-folder", "it is a folder"),
        (lambda tmp: _unwritable_folder(tmp) / "report.md", "permission denied"),
    ],
)
def test_an_unwritable_path_gives_a_clear_error_and_leaves_nothing(
    sample: Sample, tmp_path: Path, where, reason: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a-file").write_text("not a folder")
    (out / "a-folder").mkdir()
    target = where(out)
    before = sorted(out.rglob("*"))
    with pytest.raises(ExportError, match=reason) as caught:
        write_report(sample.db, "WEB", "md", target)
    assert isinstance(caught.value, KanbanError)
    assert str(target) in str(caught.value)
    assert sorted(out.rglob("*")) == before
    if target.parent.is_dir():
        assert not [p for p in target.parent.iterdir() if p.name.startswith(".report.md.")]


def test_a_failed_rename_keeps_the_old_file_whole_and_removes_the_temporary(
    sample: Sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("last week's report")

    def refuse(source: str, destination: str) -> None:
        raise PermissionError(13, "Permission denied", destination)

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(ExportError, match="permission denied"):
        write_report(sample.db, "WEB", "md", target)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(("report", ".report"))] == [
        "report.md"
    ]
    assert target.read_text() == "last week's report"
