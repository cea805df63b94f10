"""The layers import one way: storage and services never import Qt, the UI never opens storage.

import-linter checks the same in `make test` (the `layers` contract in pyproject.toml, and the
route from the UI to SQLAlchemy); this test names each offending line, and checks that every
module of the package has its place in the layers.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kanban"

QT_FREE = (
    "storage",
    "services",
    "ranking.py",
    "readiness.py",
    "config.py",
    "errors.py",
    "domain.py",
    "files.py",
    "cli",
    "metrics",
    "reports/model.py",
    "reports/text.py",
    "reports/templates.py",
    "reports/markdown.py",
    "reports/html.py",
    "reports/csv.py",
    "reports/export.py",  # loads the PDF renderer (Qt) only when a PDF is asked for, lazily
)
QT = ("PySide6", "shiboken6")
UI_FORBIDDEN = ("kanban.storage", "sqlalchemy")


def modules(*places: str, root: Path = PACKAGE) -> list[Path]:
    """The Python files at these places under the package (folders walked, absent skipped)."""
    found: list[Path] = []
    for place in places:
        path = root / place
        if path.is_dir():
            found.extend(sorted(path.rglob("*.py")))
        elif path.exists():
            found.append(path)
    return found


def imported_names(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """Every module an import statement in the file names (relative ones resolved), by line."""
    package = [root.name, *path.relative_to(root).parts[:-1]]
    names: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*parts, node.module] if node.module else parts)
            names.append((node.lineno, base))
            names.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return names


def offences(paths: list[Path], forbidden: tuple[str, ...], root: Path = PACKAGE) -> list[str]:
    """One line per import of a forbidden module: ``kanban/x.py:12 imports PySide6.QtCore``."""
    return [
        f"{path.relative_to(root.parent)}:{line} imports {name}"
        for path in paths
        for line, name in imported_names(path, root)
        if any(name == f or name.startswith(f"{f}.") for f in forbidden)
    ]


def test_the_checked_modules_exist() -> None:
    """A walk over nothing would pass whatever the code did."""
    names = {p.relative_to(PACKAGE).as_posix() for p in modules(*QT_FREE)}
    assert {"storage/database.py", "services/items.py", "ranking.py", "errors.py"} <= names


def test_storage_services_and_headless_modules_never_import_qt() -> None:
    found = offences(modules(*QT_FREE), QT)
    assert not found, (
        "These modules must work without Qt (command line, tests, reports); "
        "move the Qt code into kanban/ui:\n" + "\n".join(found)
    )


def test_the_ui_never_imports_storage_or_sqlalchemy() -> None:
    ui = modules("ui")
    if not ui:
        pytest.skip("no kanban/ui modules yet")
    found = offences(ui, UI_FORBIDDEN)
    assert not found, (
        "The UI reaches the database only through kanban.services (plain records) and "
        "kanban.errors; never a session, a model or SQL:\n" + "\n".join(found)
    )


def test_the_checker_catches_every_form_of_import(tmp_path: Path) -> None:
    root = tmp_path / "kanban"
    probe = root / "ui" / "board" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        "import PySide6.QtCore\n"
        "from sqlalchemy import select\n"
        "from kanban import storage\n"
        "from ...storage.database import Database\n"
        "def later():\n"
        "    import kanban.storage.models as m\n"
        "from kanban.services import open_database\n"
        "from . import delegate\n"
    )
    assert offences(modules("ui", root=root), (*UI_FORBIDDEN, *QT), root) == [
        "kanban/ui/board/probe.py:1 imports PySide6.QtCore",
        "kanban/ui/board/probe.py:2 imports sqlalchemy",
        "kanban/ui/board/probe.py:2 imports sqlalchemy.select",
        "kanban/ui/board/probe.py:3 imports kanban.storage",
        "kanban/ui/board/probe.py:4 imports kanban.storage.database",
        "kanban/ui/board/probe.py:4 imports kanban.storage.database.Database",
        "kanban/ui/board/probe.py:6 imports kanban.storage.models",
    ]


def _layered_modules() -> set[str]:
    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = pyproject["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    return {
        name.strip().strip("()").removeprefix("kanban.")
        for layer in layers
        for name in layer.split("|")
    }


def test_every_module_of_the_package_has_a_layer() -> None:
    """A new top-level module or package must be placed in the layers contract."""
    entry_points = {"__init__", "__main__"}
    found = {p.stem for p in PACKAGE.iterdir() if p.suffix == ".py"} - entry_points
    found |= {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert found - _layered_modules() == set()
