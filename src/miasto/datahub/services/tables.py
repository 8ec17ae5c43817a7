"""The tables of the data hub's schema (``datahub_data``) as SQL names, their columns, dropping."""

from __future__ import annotations

from psycopg import sql

from miasto.core import db
from miasto.datahub.selectors import table_sql as table_sql  # (re-exported)


def table_columns(table: str) -> list[tuple[str, str]]:
    """``(name, type)`` of every column of ``table`` (``schema.table``), in order."""
    schema, name = table.split(".")
    return [
        (column, data_type)
        for column, data_type in db.fetch_all(
            "SELECT column_name, CASE WHEN data_type = 'USER-DEFINED' THEN udt_name "
            "ELSE data_type END FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = %s ORDER BY ordinal_position",
            [schema, name],
        )
    ]


def drop_table(table: str) -> None:
    """Drop ``table`` (``schema.table``) if it exists."""
    db.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table_sql(table)))
