"""Rules of the source that ruff does not check (docs/architecture.md, "Small functions" and
"Running SQL"): no function longer than 100 lines, and no SQL written as an f-string — SQL is
composed with ``psycopg.sql`` (names as ``sql.Identifier``) or kept in ``<app>/sql/*.sql``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import miasto

SRC = Path(miasto.__file__).parent
MAX_LINES = 100
SQL_START = re.compile(
    r"^\s*(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|WITH|CREATE|DROP|ALTER|TRUNCATE|COPY)\b",
    re.IGNORECASE,
)


def _modules() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _first_text(node: ast.JoinedStr) -> str:
    for part in node.values:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            return part.value
        return ""
    return ""


def test_no_function_longer_than_100_lines() -> None:
    long = [
        f"{path.relative_to(SRC)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1})"
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_LINES
    ]
    assert long == []


def test_no_sql_in_f_strings() -> None:
    found = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr) and SQL_START.match(_first_text(node))
    ]
    assert found == []


def test_the_rules_see_the_code() -> None:
    """The checks above read the source tree (a wrong path would pass them vacuously)."""
    modules = _modules()
    assert len(modules) > 100
    assert any(path.name == "db.py" and path.parent.name == "core" for path, _ in modules)
    bad = ast.parse('q = f"SELECT * FROM {table} WHERE id = 1"')
    assert any(
        isinstance(node, ast.JoinedStr) and SQL_START.match(_first_text(node))
        for node in ast.walk(bad)
    )
