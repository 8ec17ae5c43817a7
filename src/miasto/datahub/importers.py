"""Import targets: ``generic`` plus the spine layers, each declared once in the registry of
:mod:`miasto.core.importing` (which holds the base classes).

A target declares its fields (name, type, required, how it is derived) and publishes a
version's table into its spine table with set-based SQL inside one transaction: update what
changed (by key), insert what is new, delete what disappeared (detaching or refusing rows of
other tables that still refer to it, as the Django ``on_delete`` of each relation says).

Field mapping: ``{target_field: source_column}``, saved on the dataset; a target field whose
name equals a source column (case-insensitive) is mapped automatically.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from concurrent.futures import Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models

from miasto.core.db import copy_rows, run_beside

# the base classes and the registry are core's (any module declares targets); re-exported
from miasto.core.importing import ImportTarget as ImportTarget
from miasto.core.importing import LookupsAhead as LookupsAhead
from miasto.core.importing import PublishPlan as PublishPlan
from miasto.core.importing import TargetField as TargetField
from miasto.core.importing import get_target as get_target
from miasto.core.importing import import_targets as import_targets
from miasto.core.jobs import JobError
from miasto.core.sql import execute
from miasto.datahub.quality import BATCH_WORK_MEM
from miasto.territory import models as tm

SRID = settings.MIASTO_SRID


# --------------------------------------------------------------------------- references


def _detach_references(model: type[models.Model], ids_sql: str, cursor: Any) -> None:
    """Emulate Django's ``on_delete`` for rows of ``model`` whose ids ``ids_sql`` selects."""
    for rel in model._meta.related_objects:
        if not (rel.one_to_many or rel.one_to_one):
            continue
        related = rel.related_model
        column = rel.field.column
        rtable = related._meta.db_table
        on_delete = rel.on_delete
        where = f'"{column}" IN ({ids_sql})'
        if on_delete is models.SET_NULL:
            cursor.execute(f'UPDATE "{rtable}" SET "{column}" = NULL WHERE {where}')
        elif on_delete is models.CASCADE:
            pk = related._meta.pk.column
            _detach_references(related, f'SELECT "{pk}" FROM "{rtable}" WHERE {where}', cursor)
            cursor.execute(f'DELETE FROM "{rtable}" WHERE {where}')
        elif on_delete in (models.PROTECT, models.RESTRICT):
            cursor.execute(f'SELECT count(*) FROM "{rtable}" WHERE {where}')
            n = cursor.fetchone()[0]
            if n:
                raise JobError(
                    f"Nie można usunąć obiektów, których nie ma w nowej wersji: odwołuje się "
                    f"do nich {n} obiektów „{related._meta.verbose_name_plural}”."
                )
        elif on_delete is models.DO_NOTHING:
            continue
        else:  # SET_DEFAULT, SET(...): be safe
            cursor.execute(f'SELECT count(*) FROM "{rtable}" WHERE {where}')
            if cursor.fetchone()[0]:
                raise JobError(
                    f"Nie można usunąć obiektów, do których odwołuje się "
                    f"„{related._meta.verbose_name_plural}”."
                )


def _count(cursor: Any, table: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {table}")
    return int(cursor.fetchone()[0])


#: inserting at least this many rows, and more than the spine table holds, rebuilds its
#: indexes instead of growing them row by row (:func:`_indexes_rebuilt`)
BULK_MIN_ROWS = 50_000


@contextmanager
def _indexes_rebuilt(cursor: Any, table: str) -> Iterator[None]:
    """Around a bulk insert into ``table`` (inside the publishing transaction): drop its
    indexes (but those of its primary key and unique constraints, and any other object
    depends on) and its foreign keys, then
    build the indexes again and add the foreign keys back, as they were (same names and
    definitions, read from the catalogue) — adding a foreign key checks every row with one
    join. The first parcels of a city (922 730): 30 s of inserting, then 3.7 s of deferred
    foreign-key checks at commit, become ≈ 12 s.

    The table is locked (``ACCESS EXCLUSIVE``) until the transaction ends, so this is only
    for a spine layer loaded (nearly) anew. Deferred constraint checks pending on it would
    block its DDL, so they are made now (``SET CONSTRAINTS ALL IMMEDIATE``; deferred again
    after)."""
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        # (nor one that something else needs, e.g. a foreign key of another table)
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refobjid = i.indexrelid "
        "AND d.deptype = 'n') ORDER BY 1",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    foreign = cursor.fetchall()
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, _definition in foreign:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _name, definition in indexes:
        cursor.execute(definition)
    for name, definition in foreign:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@dataclass
class SpineTarget(ImportTarget):
    """A spine layer: ``_src`` (temp table of target fields) is merged into ``model``'s table.

    ``columns`` maps spine columns to SQL over ``s`` (a ``_src`` row, possibly joined);
    ``match`` is the SQL condition pairing a spine row ``t`` with a source row ``s``.
    """

    #: extra ``_src`` columns computed from the target fields (``x.<field>``) when ``_src``
    #: is created — cheaper than ``ALTER TABLE`` + ``UPDATE`` (922 730 parcels: 6 s saved)
    derived: dict[str, str] = field(default_factory=dict)
    prepare_sql: tuple[str, ...] = ()  # run after ``_src`` exists (derive, create precincts…)
    src_from: str = "_src s"
    columns: dict[str, str] = field(default_factory=dict)
    match: str = ""  # condition pairing a spine row ``t`` with a source row ``v``
    #: (SQL returning the first bad ``fid, value``, Polish message with {0} fid, {1} value[,
    #: name of the quality check that tests the same (or stricter) condition on the mapped
    #: column: when the version's report counts 0 for it, the check is not run again])
    checks: tuple[tuple[str, ...], ...] = ()
    #: columns a source may not know (derived spatially, or absent from the format): a NULL in
    #: the new version keeps the spine's current value instead of erasing it
    keep_when_null: tuple[str, ...] = ()
    #: columns set only when a row is inserted (the spine keeps what other tools wrote)
    insert_only: dict[str, str] = field(default_factory=dict)
    #: ``_src`` as a temporary view over the version's table, not a copy of it, for a target
    #: whose ``prepare_sql`` only reads it (922 730 parcels: the copy and its ANALYZE, 2.4 s);
    #: such a target's rows are also classified ahead, beside the quality check
    src_view: bool = False
    #: SQL returning one value that changes when a table ``src_from`` joins changes (a plan
    #: made ahead is used only if these and the spine table are as they were)
    plan_lookups: tuple[str, ...] = ()
    #: for a target with ``prepare_sql``: ``src_from`` with its lookups outer-joined, and the
    #: SQL condition on such a row that ``prepare_sql`` must make its lookup first (a plan is
    #: made ahead only when no row needs that: then it is not run again)
    ahead_from: str = ""
    ahead_unready: str = ""
    #: the lookups ``prepare_sql`` creates, made before publishing (see :class:`LookupsAhead`)
    lookups: LookupsAhead | None = None

    def _src_sql(self, table: str, mapping: dict[str, str]) -> str:
        """The SELECT of ``_src``: the target fields and the derived columns."""
        select = self.source_select(table, mapping)
        if self.derived:
            extra = ", ".join(f'{sql} AS "{n}"' for n, sql in self.derived.items())
            select = f"SELECT x.*, {extra} FROM ({select}) x"
        return select

    def _sql_parts(self) -> tuple[list[str], str, str, str]:
        """(column names, ``v`` columns, their ``SET`` list, the condition "differs")."""
        names = list(self.columns)
        keep = set(self.keep_when_null)
        vcols = ", ".join(f'{self.columns[n]} AS "{n}"' for n in names)
        sets = ", ".join(
            f'"{n}" = COALESCE(v."{n}", t."{n}")' if n in keep else f'"{n}" = v."{n}"'
            for n in names
        )
        differ = " OR ".join(
            f'(v."{n}" IS NOT NULL AND t."{n}" IS DISTINCT FROM v."{n}")'
            if n in keep
            else f't."{n}" IS DISTINCT FROM v."{n}"'
            for n in names
        )
        return names, vcols, sets, differ

    def _plan_sql(self, ahead: bool = False) -> str:
        """SELECT classifying every row by one join of the spine with ``_src``: ``tid`` and
        ``fid`` both set (the row differs), ``fid`` NULL (gone), ``tid`` NULL (new); ``ahead``:
        from ``ahead_from``, with ``unready`` (the row's lookup is missing; such rows are kept
        whatever they are)."""
        assert self.model is not None
        spine = self.model._meta.db_table
        pk = self.model._meta.pk.column
        _names, vcols, _sets, differ = self._sql_parts()
        if not ahead:
            source = f"(SELECT s.fid, {vcols} FROM {self.src_from}) v"
            return (
                f"SELECT t.{pk} AS tid, v.fid FROM {spine} t FULL JOIN {source} "
                f"ON {self.match} WHERE t.{pk} IS NULL OR v.fid IS NULL OR ({differ})"
            )
        unready = f"COALESCE({self.ahead_unready or 'false'}, false)"
        source = (
            f"(SELECT s.fid, {vcols}, {unready} AS unready "
            f"FROM {self.ahead_from or self.src_from}) v"
        )
        return (
            f"SELECT t.{pk} AS tid, v.fid, v.unready FROM {spine} t FULL JOIN {source} "
            f"ON {self.match} WHERE t.{pk} IS NULL OR v.fid IS NULL OR ({differ}) OR v.unready"
        )

    def _plan_state(self, cursor: Any) -> tuple[Any, ...]:
        """What a plan made earlier depends on: the spine table's revision (bumped by every
        write, see :class:`miasto.core.models.TableRevision`) and a fingerprint of the lookups
        ``_src`` joins (``plan_lookups``)."""
        assert self.model is not None
        cursor.execute(
            'SELECT revision FROM core_tablerevision WHERE "table" = %s',
            [self.model._meta.db_table],
        )
        row = cursor.fetchone()
        state: list[Any] = [row[0] if row else None]
        for sql in self.plan_lookups:
            cursor.execute(sql)
            state.append(cursor.fetchone()[0])
        return tuple(state)

    @property
    def _classified_ahead(self) -> bool:
        """Can the rows be classified before publishing? ``_src`` must be a view (a copy is
        made in the publishing transaction), and a ``prepare_sql`` must have its lookups
        outer-joined (``ahead_from``) to tell the rows it would change."""
        return self.src_view and (not self.prepare_sql or bool(self.ahead_from))

    def published_state(self) -> list[Any] | None:
        """The spine's state (:meth:`_plan_state`) as a version leaves it when it is published:
        kept in its report (``published_state``), it tells a later import whether the spine
        still holds exactly that version (nothing has written to it since)."""
        with connection.cursor() as cursor:
            return list(self._plan_state(cursor))

    def plan_from_changes(
        self, table: str, mapping: dict[str, str], changed: str, spine_rows: int = 0
    ) -> PublishPlan | None:
        """The rows for :meth:`publish` classified into ``<table>_plan`` from ``changed`` — the
        table of the fids of ``table`` whose geometry and mapped attributes were not found
        together in the version the spine holds exactly, of ``spine_rows`` rows (its
        ``published_state`` is the spine's state now, with the same mapping and column types;
        the caller checks that, and that every row of ``table`` has a geometry: a row without
        one is neither changed nor unchanged).

        The other rows publish to what the spine holds already, so only the changed ones are
        looked up in the spine (by key: changed, or new), instead of one join of the whole
        spine with the whole version (922 730 parcels: ≈ 2.7 s of CPU). A spine row whose key
        is no longer in ``table`` (gone) exists only if fewer than ``spine_rows`` were found;
        only then is the spine joined whole, to find them. ``None`` (publishing classifies the
        rows itself) where :meth:`plan_ahead` would give none."""
        if not self._classified_ahead:
            return None
        assert self.model is not None
        spine = self.model._meta.db_table
        pk = self.model._meta.pk.column
        name = f"{table}_plan"
        _names, vcols, _sets, _differ = self._sql_parts()
        unready = f"COALESCE({self.ahead_unready or 'false'}, false)"
        with connection.cursor() as cursor:
            state = self._plan_state(cursor)  # (before the plan: a later write shows)
            cursor.execute("DROP VIEW IF EXISTS _src")
            execute(cursor, f"CREATE TEMP VIEW _src AS {self._src_sql(table, mapping)}")
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(
                f"CREATE UNLOGGED TABLE {name} AS SELECT t.{pk} AS tid, v.fid, v.unready "
                f"FROM (SELECT s.fid, {vcols}, {unready} AS unready "
                f"FROM {self.ahead_from or self.src_from} "
                f"WHERE s.fid IN (SELECT fid FROM {changed})) v "
                f"LEFT JOIN {spine} t ON {self.match}"
            )
            cursor.execute(
                f"SELECT count(*) FILTER (WHERE unready), count(tid), count(*), "
                f"(SELECT count(*) FROM {table}) FROM {name}"
            )
            n_unready, found, n_changed, total = cursor.fetchone()
            if n_unready:  # (new precincts: publishing makes them first)
                cursor.execute("DROP VIEW _src")
                cursor.execute(f"DROP TABLE {name}")
                return None
            if spine_rows != total - n_changed + found:
                # some spine rows are gone: the spine joined whole to find them
                cursor.execute(
                    f"INSERT INTO {name} SELECT t.{pk}, NULL, false FROM {spine} t "
                    f"WHERE NOT EXISTS (SELECT 1 FROM (SELECT s.fid, {vcols} "
                    f"FROM {self.src_from}) v WHERE {self.match})"
                )
            cursor.execute("DROP VIEW _src")
        return PublishPlan(name, state)

    def plan_ahead(self, table: str, mapping: dict[str, str]) -> Future[PublishPlan | None] | None:
        """Start classifying the rows for :meth:`publish` beside the quality check (a thread
        with its own connection) into ``<table>_plan``; ``None`` where that cannot be done
        (``_src`` is a copy changed by ``prepare_sql``, or inside a transaction).

        Rows whose lookup ``prepare_sql`` would make first (``ahead_unready``) leave no plan.
        The plan may be made before invalid geometries are repaired: the spine's geometries
        are valid (a check constraint), so an invalid one differs from its spine row before the
        repair as after it, and :meth:`publish` compares again what it updates."""
        if not self._classified_ahead:
            return None
        name = f"{table}_plan"

        def work() -> PublishPlan | None:
            with connection.cursor() as cursor:
                cursor.execute(f"SET work_mem = '{BATCH_WORK_MEM}'")  # a whole-layer hash join
                state = self._plan_state(cursor)  # before the plan: a later write shows
                execute(cursor, f"CREATE TEMP VIEW _src AS {self._src_sql(table, mapping)}")
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
                cursor.execute(f"CREATE UNLOGGED TABLE {name} AS {self._plan_sql(ahead=True)}")
                cursor.execute("DROP VIEW _src")
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {name} WHERE unready)")
                if cursor.fetchone()[0]:
                    return None  # (e.g. new precincts: publishing makes them first)
            return PublishPlan(name, state)

        return run_beside(work, "plan")

    def lookups_ahead(self, table: str, mapping: dict[str, str]) -> str | None:
        """Make the missing lookup rows of ``table`` (see :class:`LookupsAhead`) into the
        table ``<table>_lookups``, in two halves side by side; its name, or ``None`` when
        nothing is missing (or the target has no such lookups).

        Called outside a transaction, before the publishing one (whose ``prepare_sql`` then
        finds nothing left to make), so that both cores work: a half is a set of groups of
        about half the rows. Inside a transaction, the halves run one after the other."""
        ahead = self.lookups
        if ahead is None:
            return None
        name = f"{table}_lookups"
        keys = ", ".join(f"s.{k}" for k in ahead.keys)
        on = " AND ".join(f"k.{k} = s.{k}" for k in ahead.keys)
        src = f"CREATE TEMP VIEW _src AS {self._src_sql(table, mapping)}"
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW IF EXISTS _src")
            execute(cursor, src)
            cursor.execute(
                f"SELECT {keys}, count(*) FROM _src s WHERE {ahead.missing} "
                f"GROUP BY {keys} ORDER BY count(*) DESC, {keys}"
            )
            groups = cursor.fetchall()
            if not groups:
                cursor.execute("DROP VIEW _src")
                return None
            # each group to the half with fewer rows so far, biggest first
            rows = [0, 0]
            halves: list[tuple[Any, ...]] = []
            for *key, n in groups:
                side = 0 if rows[0] <= rows[1] else 1
                rows[side] += n
                halves.append((*key, side))
            cursor.execute(f"DROP TABLE IF EXISTS {name}_keys")
            cursor.execute(
                f"CREATE UNLOGGED TABLE {name}_keys ("
                + ", ".join(f"{k} text" for k in ahead.keys)
                + ", half integer)"
            )
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(
                f"CREATE UNLOGGED TABLE {name} AS SELECT {keys}, {ahead.values} "
                f"FROM _src s GROUP BY {keys} WITH NO DATA"
            )
            cursor.execute("DROP VIEW _src")
        copy_rows(f"COPY {name}_keys FROM STDIN", halves)
        make = (
            f"INSERT INTO {name} SELECT {keys}, {ahead.values} FROM _src s "
            f"JOIN {name}_keys k ON {on} AND k.half = %s GROUP BY {keys}"
        )

        def half(which: int) -> None:
            with connection.cursor() as cursor:
                cursor.execute("DROP VIEW IF EXISTS _src")
                execute(cursor, src)
                cursor.execute(make, [which])
                cursor.execute("DROP VIEW _src")

        other = run_beside(lambda: half(1), "lookups") if rows[1] else None
        try:
            half(0)
            if other is not None:
                other.result()
            elif rows[1]:  # (inside a transaction)
                half(1)
        finally:
            if other is not None:
                wait([other])  # (a failure here must not leave it working on)
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {name}_keys")
        return name

    def publish(
        self,
        table: str,
        mapping: dict[str, str],
        *,
        max_removed_share: float = 0.5,
        passed: Collection[str] = (),
        plan: PublishPlan | None = None,
        lookups: str | None = None,
    ) -> dict[str, int]:
        """Merge into the spine; refuse to delete more than ``max_removed_share`` of it (a
        partial delivery published as the whole layer would otherwise wipe the rest).

        ``passed``: quality checks that found nothing on this version (see ``checks``).
        ``plan``: made by :meth:`plan_ahead`; used when nothing it depends on has changed
        since (checked under a lock that holds back other writers of the spine table)."""
        assert self.model is not None
        spine = self.model._meta.db_table
        pk = self.model._meta.pk.column
        kind = "VIEW" if self.src_view else "TABLE"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP {kind} IF EXISTS _src")
            if self.src_view:  # (dropped below, or with the transaction's rollback)
                execute(cursor, f"CREATE TEMP VIEW _src AS {self._src_sql(table, mapping)}")
            else:
                execute(
                    cursor,
                    f"CREATE TEMP TABLE _src ON COMMIT DROP AS {self._src_sql(table, mapping)}",
                )
            if plan is not None:
                # hold back the spine's other writers (their statement trigger updates this
                # row) until this transaction ends, then see whether the plan still holds
                cursor.execute(
                    'SELECT 1 FROM core_tablerevision WHERE "table" = %s FOR UPDATE', [spine]
                )
                if self._plan_state(cursor) != plan.state:
                    plan = None
            self.validate(cursor, mapping, passed)
            if plan is None:  # (else nothing to prepare: see plan_ahead)
                if lookups is not None and self.lookups is not None:
                    cursor.execute(self.lookups.insert.format(lookups=lookups))
                for sql in self.prepare_sql:
                    cursor.execute(sql)
            for sql, message, *proof in self.checks:
                if proof and proof[0] in passed:
                    continue
                cursor.execute(sql)
                row = cursor.fetchone()
                if row:
                    raise JobError(message.format(*row))
            if not self.src_view:
                cursor.execute("ANALYZE _src")
            names, vcols, sets, differ = self._sql_parts()
            quoted = ", ".join(f'"{n}"' for n in names)
            match_v = self.match
            if plan is not None:
                cursor.execute(
                    f"CREATE TEMP TABLE _plan ON COMMIT DROP AS SELECT tid, fid FROM {plan.table}"
                )
            else:
                # one join classifies every row (changed, gone, new); the writes below touch
                # only those rows (922 730 parcels, nothing changed: three joins 8 s → one ≈3 s)
                cursor.execute(f"CREATE TEMP TABLE _plan ON COMMIT DROP AS {self._plan_sql()}")
            cursor.execute("ANALYZE _plan")

            # updates (only where something differs)
            def planned(which: str) -> str:
                return (
                    f"(SELECT s.fid, {vcols} FROM {self.src_from} WHERE s.fid IN "
                    f"(SELECT fid FROM _plan WHERE {which})) v"
                )

            cursor.execute(
                "SELECT count(*) FILTER (WHERE tid IS NOT NULL AND fid IS NOT NULL), "
                "count(*) FILTER (WHERE fid IS NULL), count(*) FILTER (WHERE tid IS NULL) "
                "FROM _plan"
            )
            n_differ, n_gone, n_new = cursor.fetchone()
            # (a statement with no row to write is not run: it would bump the table's revision,
            # and the spine would no longer look as the version it holds, see published_state)
            changed = removed = added = 0
            if n_differ:
                # (the tables are in memory: a few thousand rows are found by key, not by a
                # scan of the million, which the default cost of a random page makes the
                # planner prefer)
                cursor.execute("SET LOCAL random_page_cost = 1.1")
                cursor.execute(
                    f"UPDATE {spine} t SET {sets} "
                    f"FROM {planned('tid IS NOT NULL AND fid IS NOT NULL')} "
                    f"WHERE {match_v} AND ({differ}) AND t.{pk} IN "
                    f"(SELECT tid FROM _plan WHERE tid IS NOT NULL AND fid IS NOT NULL)"
                )
                changed = cursor.rowcount
                cursor.execute("SET LOCAL random_page_cost TO DEFAULT")
            # deletes (what disappeared)
            if n_gone:
                n_spine = _count(cursor, spine)
                if n_gone > max_removed_share * n_spine:
                    raise JobError(
                        f"Nowa wersja usunęłaby {n_gone} z {n_spine} obiektów warstwy "
                        f"„{self.label}” (ponad {max_removed_share:.0%}). Czy plik zawiera całą "
                        "warstwę? Jeśli tak, zmień regułę „max_removed_share” zbioru."
                    )
                cursor.execute(
                    "CREATE TEMP TABLE _gone ON COMMIT DROP AS "
                    "SELECT tid FROM _plan WHERE fid IS NULL"
                )
                _detach_references(self.model, "SELECT * FROM _gone", cursor)
                cursor.execute(f"DELETE FROM {spine} WHERE {pk} IN (SELECT * FROM _gone)")
                removed = cursor.rowcount
                cursor.execute("DROP TABLE _gone")
            # inserts (what is new)
            vquoted = ", ".join(f'v."{n}"' for n in names)
            for n, sql in self.insert_only.items():
                quoted += f', "{n}"'
                vquoted += f", {sql}"
            insert = (
                f"INSERT INTO {spine} ({quoted}) SELECT {vquoted} FROM {planned('tid IS NULL')}"
            )
            if n_new >= BULK_MIN_ROWS and n_new > _count(cursor, spine):
                with _indexes_rebuilt(cursor, spine):
                    cursor.execute(insert)
                    added = cursor.rowcount
            elif n_new:
                cursor.execute(insert)
                added = cursor.rowcount
            cursor.execute("DROP TABLE _plan")
            cursor.execute(f"DROP {kind} _src")
        return {"added": added, "changed": changed, "removed": removed}


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a field mapping ``{"target_field": "source_column"}`` from a JSON file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise JobError(f"Nie można odczytać pliku mapowania pól {path}: {exc}.") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise JobError('Plik mapowania pól musi zawierać obiekt JSON {"pole": "atrybut"}.')
    return data


# --------------------------------------------------------------------------- registry

PARCEL_ID_SQL = (
    r"^\d{6}_[1-9]\.\d{4}\.(AR_\d{1,3}\.)?[1-9]\d{0,5}(/[1-9]\d{0,3})?$"  # identifiers.py
)

import_targets.register("generic", ImportTarget(key="generic", label="dowolna warstwa"))

#: a new precinct's boundary: the union of its parcels
_PRECINCT_GEOM = "ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(s.geom)), 3))"
_NO_PRECINCT = (
    "NOT EXISTS (SELECT 1 FROM territory_precinct p WHERE p.unit = s.unit AND p.code = s.code)"
)

import_targets.register(
    "parcels",
    SpineTarget(
        key="parcels",
        label="działki",
        model=tm.Parcel,
        geometry="POLYGON",
        key_fields=("identifier",),
        fields=(
            TargetField("identifier", required=True, help="identyfikator EGiB WWPPGG_R.XXXX.NDZ"),
            TargetField(
                "area",
                "decimal",
                default_sql="round(ST_Area({geom})::numeric, 1)",
                help="pole z geometrii, gdy brak",
            ),
            TargetField("land_use", default_sql="''", help="pusty, gdy brak"),
        ),
        # precinct and number derived from the identifier
        derived={
            "unit": "split_part(x.identifier, '.', 1)",
            "code": "split_part(x.identifier, '.', 2)",
            "number": "split_part(x.identifier, '.', -1)",  # (a regex costs 0.8 s a million)
        },
        prepare_sql=(
            # create missing precincts from the union of their parcels
            "INSERT INTO territory_precinct (unit, code, name, geom) "
            f"SELECT s.unit, s.code, 'Obręb ' || s.code, {_PRECINCT_GEOM} "
            f"FROM _src s WHERE {_NO_PRECINCT} GROUP BY s.unit, s.code",
        ),
        # (made before publishing, on two connections)
        lookups=LookupsAhead(
            keys=("unit", "code"),
            missing=_NO_PRECINCT,
            values=f"{_PRECINCT_GEOM} AS geom",
            insert="INSERT INTO territory_precinct (unit, code, name, geom) "
            "SELECT l.unit, l.code, 'Obręb ' || l.code, l.geom FROM {lookups} l "
            "WHERE NOT EXISTS (SELECT 1 FROM territory_precinct p "
            "WHERE p.unit = l.unit AND p.code = l.code)",
        ),
        src_view=True,
        ahead_from="_src s LEFT JOIN territory_precinct p ON p.unit = s.unit AND p.code = s.code",
        ahead_unready="p.id IS NULL",
        src_from="_src s JOIN territory_precinct p ON p.unit = s.unit AND p.code = s.code",
        plan_lookups=(
            "SELECT md5(string_agg(concat_ws('|', id, unit, code), ',' ORDER BY id)) "
            "FROM territory_precinct",
        ),
        columns={
            "identifier": "s.identifier",
            "precinct_id": "p.id",
            "number": "s.number",
            "area": "round(s.area, 1)",
            "land_use": "left(s.land_use, 10)",
            # (ST_Multi copies a multi-polygon: 0.3 s for 922 730 parcels)
            "geom": "CASE WHEN GeometryType(s.geom) = 'MULTIPOLYGON' THEN s.geom "
            f"ELSE ST_Multi(s.geom) END::geometry(MultiPolygon, {SRID})",
        },
        match="t.identifier = v.identifier",
        checks=(
            (
                f"SELECT fid, identifier FROM _src WHERE identifier !~ '{PARCEL_ID_SQL}' "
                "ORDER BY fid LIMIT 1",
                "Obiekt nr {0}: błędny identyfikator działki „{1}” (oczekiwano "
                "WWPPGG_R.XXXX.NDZ, np. 146501_1.0001.123/4).",
                "invalid_keys",  # quality: the same pattern on the same column, untrimmed
            ),
        ),
    ),
)

_USES = tuple(tm.Building.Use.values)
import_targets.register(
    "buildings",
    SpineTarget(
        key="buildings",
        label="budynki",
        model=tm.Building,
        geometry="POLYGON",
        key_fields=("identifier",),
        fields=(
            TargetField("identifier", required=True, help="identyfikator budynku"),
            TargetField("use", "choice", default_sql="'utility'", choices=_USES),
            TargetField("storeys", "int", default_sql="1"),
            TargetField("height", "decimal", help="3 m na kondygnację, gdy brak"),
            TargetField("dwellings", "int", default_sql="0"),
            TargetField("residents", "int", default_sql="0"),
            TargetField("year_built", "int"),
        ),
        prepare_sql=(
            "UPDATE _src SET height = storeys * 3.0 WHERE height IS NULL",
            "ALTER TABLE _src ADD COLUMN parcel_id bigint",
            # parcel found spatially: the parcel holding a point inside the footprint
            "UPDATE _src s SET parcel_id = (SELECT p.id FROM territory_parcel p "
            "WHERE ST_Intersects(p.geom, ST_PointOnSurface(s.geom)) LIMIT 1)",
        ),
        columns={
            "identifier": "s.identifier",
            "parcel_id": "s.parcel_id",
            "use": "s.use",
            "storeys": "s.storeys",
            "height": "round(s.height, 1)",
            "dwellings": "s.dwellings",
            "residents": "s.residents",
            "year_built": "s.year_built",
            "geom": f"ST_GeometryN(ST_Multi(s.geom), 1)::geometry(Polygon, {SRID})",
        },
        match="t.identifier = v.identifier",
        keep_when_null=("parcel_id",),
        checks=(
            (
                "SELECT fid, ST_NumGeometries(geom) FROM _src WHERE ST_NumGeometries(geom) > 1 "
                "ORDER BY fid LIMIT 1",
                "Obiekt nr {0}: obrys budynku składa się z {1} części; budynek musi być "
                "jednym wielokątem.",
            ),
        ),
    ),
)

_KINDS = tuple(tm.Street.Kind.values)
import_targets.register(
    "streets",
    SpineTarget(
        key="streets",
        label="ulice",
        model=tm.Street,
        geometry="LINESTRING",
        key_fields=("kind", "name"),
        fields=(
            TargetField("name", required=True),
            TargetField("kind", "choice", default_sql="'ul.'", choices=_KINDS),
            TargetField("ulic", default_sql="''"),
            TargetField(
                "road_class", "choice", default_sql="'L'", choices=tuple(tm.Street.RoadClass.values)
            ),
        ),
        columns={
            "name": "s.name",
            "kind": "s.kind",
            "ulic": "left(s.ulic, 5)",
            "road_class": "s.road_class",
            "geom": f"ST_Multi(s.geom)::geometry(MultiLineString, {SRID})",
        },
        match="t.kind = v.kind AND t.name = v.name",
    ),
)

import_targets.register(
    "addresses",
    SpineTarget(
        key="addresses",
        label="adresy",
        model=tm.Address,
        geometry="POINT",
        promote_to_multi=False,
        key_fields=("street", "place", "number"),
        fields=(
            TargetField(
                "street", help="nazwa ulicy (z rejestru ulic), np. „Długa” lub „ul. Długa”"
            ),
            TargetField("place", default_sql="''", help="miejscowość, dla adresów bez ulicy"),
            TargetField("number", required=True),
            TargetField("postcode", required=True),
        ),
        prepare_sql=(
            "ALTER TABLE _src ADD COLUMN street_id bigint, ADD COLUMN label text, "
            "ADD COLUMN parcel_id bigint, ADD COLUMN building_id bigint",
            # the street by its name or its full name ("ul. Polna"), as an equi-join (an OR
            # of the two is a nested loop: 577 875 addresses × 12 339 streets ran for hours)
            "UPDATE _src s SET street_id = st.id, label = st.label "
            "FROM (SELECT id, name AS k, kind || ' ' || name AS label FROM territory_street "
            "UNION ALL SELECT id, kind || ' ' || name, kind || ' ' || name "
            "FROM territory_street) st WHERE s.street = st.k",
            "UPDATE _src SET label = place WHERE street IS NULL",
            "UPDATE _src s SET parcel_id = (SELECT p.id FROM territory_parcel p "
            "WHERE ST_Intersects(p.geom, s.geom) LIMIT 1), building_id = (SELECT b.id "
            "FROM territory_building b WHERE ST_Intersects(b.geom, s.geom) LIMIT 1)",
        ),
        columns={
            "street_id": "s.street_id",
            "place": "s.place",
            "number": "s.number",
            "postcode": "s.postcode",
            "parcel_id": "s.parcel_id",
            "building_id": "s.building_id",
            "label": "s.label || ' ' || s.number",
            "geom": f"ST_PointOnSurface(s.geom)::geometry(Point, {SRID})",
        },
        # COALESCE, not IS NOT DISTINCT FROM: an equality can be hash-joined (27 855 addresses:
        # 276 s as a nested loop, under a second as a hash join)
        match="COALESCE(t.street_id, 0) = COALESCE(v.street_id, 0) AND t.place = v.place "
        "AND t.number = v.number",
        keep_when_null=("parcel_id", "building_id"),
        checks=(
            (
                "SELECT fid, street FROM _src WHERE street IS NOT NULL AND street_id IS NULL "
                "ORDER BY fid LIMIT 1",
                "Obiekt nr {0}: nie ma w rejestrze ulicy „{1}” (zaimportuj najpierw ulice).",
            ),
            (
                "SELECT fid, postcode FROM _src WHERE postcode !~ '^\\d{2}-\\d{3}$' "
                "ORDER BY fid LIMIT 1",
                "Obiekt nr {0}: błędny kod pocztowy „{1}” (oczekiwano 00-000).",
            ),
        ),
    ),
)

import_targets.register(
    "services",
    SpineTarget(
        key="services",
        label="usługi publiczne",
        model=tm.PublicService,
        geometry=None,
        promote_to_multi=False,
        key_fields=("kind", "name"),
        fields=(
            TargetField(
                "kind", "choice", required=True, choices=tuple(tm.PublicService.Kind.values)
            ),
            TargetField("name", required=True),
            TargetField("capacity", "int"),
        ),
        columns={
            "kind": "s.kind",
            "name": "s.name",
            "capacity": "s.capacity",
            "geom": f"ST_PointOnSurface(s.geom)::geometry(Point, {SRID})",
            "area_geom": f"CASE WHEN ST_Dimension(s.geom) = 2 THEN ST_Multi(s.geom) END"
            f"::geometry(MultiPolygon, {SRID})",
        },
        match="t.kind = v.kind AND t.name = v.name",
        keep_when_null=("area_geom", "capacity"),
    ),
)

import_targets.register(
    "constraints",
    SpineTarget(
        key="constraints",
        label="ograniczenia",
        model=tm.Constraint,
        geometry="POLYGON",
        key_fields=("kind", "name"),
        fields=(
            TargetField("kind", "choice", required=True, choices=tuple(tm.Constraint.Kind.values)),
            TargetField("name", required=True),
            TargetField("legal_basis", default_sql="''"),
            TargetField("source", default_sql="''"),
        ),
        columns={
            "kind": "s.kind",
            "name": "s.name",
            "legal_basis": "left(s.legal_basis, 500)",
            "source": "left(s.source, 250)",
            "geom": f"ST_Multi(s.geom)::geometry(MultiPolygon, {SRID})",
        },
        match="t.kind = v.kind AND t.name = v.name",
        insert_only={"attributes": "'{}'::jsonb"},
    ),
)
