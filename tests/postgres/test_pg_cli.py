"""The command line and a PostgreSQL server: a wrong password. (Every command-line test also
runs on PostgreSQL, tests/conftest.py.)"""

from __future__ import annotations

from cli_runner import Run
from sqlalchemy.engine import URL


def test_a_wrong_password_is_one_line_on_stderr_without_the_password(run: Run, server: URL) -> None:
    wrong = server.set(password="not-the-password").render_as_string(hide_password=False)
    result = run("--db", wrong, "products")
    assert result.code != 0 and result.out == ""
    assert result.err.startswith("kanban: ") and result.err.count("\n") == 1
    assert "cannot connect" in result.err and "not-the-password" not in result.err
