"""What publishing does around the spine table itself: the rows of other tables that refer to
deleted spine rows (as each relation's Django ``on_delete`` says), and the table's indexes and
foreign keys rebuilt around a bulk insert. Names come from the Django model's meta or the
catalogue, always as identifiers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models
from psycopg import sql

from miasto.core.db import execute, fetch_all, fetch_value, load_sql
from miasto.core.jobs import JobError
from miasto.datahub.importers.declarations import pk_of, table_of


def detach_references(model: type[models.Model], ids: sql.Composable) -> None:
    """Emulate Django's ``on_delete`` for the rows of ``model`` whose ids the SELECT ``ids``
    gives: set NULL, delete (and detach what refers to those, in turn), or refuse."""
    for rel in model._meta.related_objects:
        if rel.one_to_many or rel.one_to_one:
            _detach_relation(rel, ids)


def _detach_relation(rel: models.ForeignObjectRel, ids: sql.Composable) -> None:
    related = rel.related_model
    assert isinstance(related, type) and issubclass(related, models.Model)
    table = table_of(related)
    assert rel.field.column is not None
    column = sql.Identifier(rel.field.column)
    on_delete = rel.on_delete
    if on_delete is models.DO_NOTHING:
        return
    if on_delete is models.SET_NULL:
        execute(
            sql.SQL("UPDATE {table} SET {column} = NULL WHERE {column} IN ({ids})").format(
                table=table, column=column, ids=ids
            )
        )
    elif on_delete is models.CASCADE:
        selected = sql.SQL("SELECT {pk} FROM {table} WHERE {column} IN ({ids})").format(
            pk=sql.Identifier(pk_of(related)), table=table, column=column, ids=ids
        )
        detach_references(related, selected)
        execute(
            sql.SQL("DELETE FROM {table} WHERE {column} IN ({ids})").format(
                table=table, column=column, ids=ids
            )
        )
    else:
        _refuse_if_referred(related, rel.on_delete, column, ids)


def _refuse_if_referred(
    related: type[models.Model], on_delete: object, column: sql.Identifier, ids: sql.Composable
) -> None:
    """PROTECT, RESTRICT — and SET_DEFAULT or SET(…), to be safe: refuse while rows refer."""
    n = fetch_value(
        sql.SQL("SELECT count(*) FROM {table} WHERE {column} IN ({ids})").format(
            table=table_of(related), column=column, ids=ids
        )
    )
    if not n:
        return
    what = related._meta.verbose_name_plural
    if on_delete in (models.PROTECT, models.RESTRICT):
        raise JobError(
            f"Nie można usunąć obiektów, których nie ma w nowej wersji: odwołuje się "
            f"do nich {n} obiektów „{what}”."
        )
    raise JobError(f"Nie można usunąć obiektów, do których odwołuje się „{what}”.")


def _catalogue_sql(definition: str) -> sql.SQL:
    """A definition PostgreSQL wrote (``pg_get_indexdef``…), to run with a parameter list."""
    return sql.SQL(definition.replace("%", "%%"))


def count_rows(table: sql.Composable) -> int:
    return int(fetch_value(sql.SQL("SELECT count(*) FROM {}").format(table)))


@contextmanager
def indexes_rebuilt(table: str) -> Iterator[None]:
    """Around a bulk insert into ``table`` (inside the publishing transaction): drop its
    indexes (but those of its primary key and unique constraints, and any other object
    depends on) and its foreign keys, then build the indexes again and add the foreign keys
    back, as they were (same names and definitions, read from the catalogue) — adding a
    foreign key checks every row with one join, cheaper than a check per row inserted.

    The table is locked (``ACCESS EXCLUSIVE``) until the transaction ends, so this is only
    for a spine layer loaded (nearly) anew. Deferred constraint checks pending on it would
    block its DDL, so they are made now (``SET CONSTRAINTS ALL IMMEDIATE``; deferred again
    after)."""
    indexes = fetch_all(load_sql("miasto.datahub", "publish_droppable_indexes"), [table])
    foreign = fetch_all(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    name = sql.Identifier(table)
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    for constraint, _definition in foreign:
        execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(name, sql.Identifier(constraint))
        )
    for schema, index, _definition in indexes:
        execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(schema, index)))
    yield
    execute("SET LOCAL maintenance_work_mem = '512MB'")
    # (the definitions are PostgreSQL's own, read from the catalogue: made again as they were)
    for _schema, _index, definition in indexes:
        execute(_catalogue_sql(definition))
    for constraint, definition in foreign:
        execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                name, sql.Identifier(constraint), _catalogue_sql(definition)
            )
        )
    execute("SET CONSTRAINTS ALL DEFERRED")
