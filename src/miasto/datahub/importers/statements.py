"""A spine target's declaration and the builder turning it into its publishing statements.

:class:`SpineDeclaration` holds what a spine layer declares (the spine table by its Django
model, the spine columns as expressions over a ``_src`` row, the key pairing a spine row with a
source row, the lookups joined, the checks…); its methods compose the statements
:class:`~miasto.datahub.importers.spine.SpineTarget` runs, with ``psycopg.sql`` only. Why each
statement has its shape is told in ``docs/datahub.md`` ("Publishing: why the statements are
shaped as they are"); the short reasons are kept next to them here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from psycopg import sql

from miasto.core.importing import ImportTarget, qualified
from miasto.core.importing.expressions import Expr
from miasto.datahub.importers.declarations import (
    Check,
    Join,
    Located,
    NullAs,
    Step,
    match_condition,
    pk_of,
    table_of,
)

#: the rows of ``_plan`` a statement writes (a fixed set)
DIFFER = sql.SQL("tid IS NOT NULL AND fid IS NOT NULL")
NEW = sql.SQL("tid IS NULL")


def _names(names: list[str] | tuple[str, ...], row: str | None = None) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(row, n) if row else sql.Identifier(n) for n in names)


@dataclass
class SpineDeclaration(ImportTarget):
    """A spine layer: ``_src`` (the version's rows as target fields) merged into ``model``'s
    table by ``match``."""

    #: extra ``_src`` columns computed from the target fields (over ``x``, a row of them)
    #: when ``_src`` is made — cheaper than adding and filling them afterwards
    derived: dict[str, Expr] = field(default_factory=dict)
    #: the spine columns as expressions over ``s`` (a ``_src`` row; a lookup by its alias)
    columns: dict[str, Expr] = field(default_factory=dict)
    #: the spine columns pairing a spine row with a source row (equal values)
    match: tuple[str | NullAs, ...] = ()
    #: the lookup every source row joins (and makes when it is missing)
    join: Join | None = None
    #: ``_src`` columns found spatially, and custom statements, run on ``_src`` before the
    #: spine is written (they change ``_src``: such a target's ``_src`` is a table)
    located: tuple[Located, ...] = ()
    steps: tuple[Step, ...] = ()
    checks: tuple[Check, ...] = ()
    #: columns a source may not know (derived spatially, or absent from the format): a NULL in
    #: the new version keeps the spine's current value instead of erasing it
    keep_when_null: tuple[str, ...] = ()
    #: columns set only when a row is inserted (the spine keeps what other tools wrote)
    insert_only: dict[str, Expr] = field(default_factory=dict)
    #: ``_src`` as a temporary view over the version's table, not a copy of it (for a target
    #: that does not change ``_src``); such a target's rows are also classified ahead, beside
    #: the quality check
    src_view: bool = False

    # --- names -----------------------------------------------------------------------------

    @property
    def spine(self) -> sql.Identifier:
        assert self.model is not None
        return table_of(self.model)

    @property
    def pk(self) -> sql.Identifier:
        assert self.model is not None
        return sql.Identifier(pk_of(self.model))

    @property
    def prepares(self) -> bool:
        """Is there anything to make before the spine is written?"""
        return bool((self.join and self.join.create) or self.located or self.steps)

    # --- the source ----------------------------------------------------------------------

    def _src_sql(self, table: str, mapping: dict[str, str]) -> sql.Composable:
        """The SELECT of ``_src``: the target fields and the derived columns."""
        select = self.source_select(table, mapping)
        if not self.derived:
            return select
        extra = sql.SQL(", ").join(
            sql.SQL("{} AS {}").format(e.render("x"), sql.Identifier(n))
            for n, e in self.derived.items()
        )
        return sql.SQL("SELECT x.*, {} FROM ({}) x").format(extra, select)

    def src_statement(self, table: str, mapping: dict[str, str]) -> sql.Composable:
        """``_src`` made: a temporary view, or a table dropped with the transaction."""
        made = (
            "CREATE TEMP VIEW _src AS {}"
            if self.src_view
            else "CREATE TEMP TABLE _src ON COMMIT DROP AS {}"
        )
        return sql.SQL(made).format(self._src_sql(table, mapping))

    @property
    def src_kind(self) -> sql.SQL:
        return sql.SQL("VIEW" if self.src_view else "TABLE")

    def _src_from(self, ahead: bool = False) -> sql.Composable:
        """``_src s`` with its lookup joined (``ahead``: outer-joined, the rows whose lookup
        is missing kept)."""
        if self.join is None:
            return sql.SQL("_src s")
        return self.join.source("LEFT JOIN" if ahead else "JOIN")

    def _unready(self) -> sql.Composable:
        """True on a row (outer-joined) whose lookup publishing must make first."""
        if self.join is None or not self.join.create:
            return sql.SQL("false")
        return sql.SQL("COALESCE({}, false)").format(self.join.absent())

    # --- rows compared -------------------------------------------------------------------

    def _vcols(self) -> sql.Composable:
        """The source row's spine columns (``v``)."""
        return sql.SQL(", ").join(
            sql.SQL("{} AS {}").format(e.render("s"), sql.Identifier(n))
            for n, e in self.columns.items()
        )

    def _sets(self) -> sql.Composable:
        keep = set(self.keep_when_null)
        return sql.SQL(", ").join(
            sql.SQL("{n} = COALESCE({v}, {t})" if n in keep else "{n} = {v}").format(
                n=sql.Identifier(n), v=sql.Identifier("v", n), t=sql.Identifier("t", n)
            )
            for n in self.columns
        )

    def _differ(self) -> sql.Composable:
        """True when the spine row ``t`` differs from the source row ``v``."""
        keep = set(self.keep_when_null)
        return sql.SQL(" OR ").join(
            sql.SQL(
                "({v} IS NOT NULL AND {t} IS DISTINCT FROM {v})"
                if n in keep
                else "{t} IS DISTINCT FROM {v}"
            ).format(v=sql.Identifier("v", n), t=sql.Identifier("t", n))
            for n in self.columns
        )

    def _match(self) -> sql.Composable:
        return match_condition(self.match)

    # --- classifying the rows ------------------------------------------------------------

    def _plan_sql(self, ahead: bool = False) -> sql.Composable:
        """SELECT classifying every row by one join of the spine with ``_src``: ``tid`` and
        ``fid`` both set (the row differs), ``fid`` NULL (gone), ``tid`` NULL (new); ``ahead``:
        the lookup outer-joined, with ``unready`` (the row's lookup is missing; such rows are
        kept whatever they are)."""
        if not ahead:
            return sql.SQL(
                "SELECT t.{pk} AS tid, v.fid FROM {spine} t FULL JOIN "
                "(SELECT s.fid, {vcols} FROM {src}) v ON {match} "
                "WHERE t.{pk} IS NULL OR v.fid IS NULL OR ({differ})"
            ).format(
                pk=self.pk,
                spine=self.spine,
                vcols=self._vcols(),
                src=self._src_from(),
                match=self._match(),
                differ=self._differ(),
            )
        return sql.SQL(
            "SELECT t.{pk} AS tid, v.fid, v.unready FROM {spine} t FULL JOIN "
            "(SELECT s.fid, {vcols}, {unready} AS unready FROM {src}) v ON {match} "
            "WHERE t.{pk} IS NULL OR v.fid IS NULL OR ({differ}) OR v.unready"
        ).format(
            pk=self.pk,
            spine=self.spine,
            vcols=self._vcols(),
            unready=self._unready(),
            src=self._src_from(ahead=True),
            match=self._match(),
            differ=self._differ(),
        )

    def _changed_plan_sql(self, name: str, changed: str) -> sql.Composable:
        """The plan table ``name`` of the rows whose fids ``changed`` lists, looked up in the
        spine by key (changed, or new)."""
        return sql.SQL(
            "CREATE UNLOGGED TABLE {name} AS SELECT t.{pk} AS tid, v.fid, v.unready "
            "FROM (SELECT s.fid, {vcols}, {unready} AS unready FROM {src} "
            "WHERE s.fid IN (SELECT fid FROM {changed})) v "
            "LEFT JOIN {spine} t ON {match}"
        ).format(
            name=qualified(name),
            pk=self.pk,
            vcols=self._vcols(),
            unready=self._unready(),
            src=self._src_from(ahead=True),
            changed=qualified(changed),
            spine=self.spine,
            match=self._match(),
        )

    def _gone_rows_sql(self, name: str) -> sql.Composable:
        """Add to the plan table ``name`` the spine rows no source row pairs with."""
        return sql.SQL(
            "INSERT INTO {name} SELECT t.{pk}, NULL, false FROM {spine} t "
            "WHERE NOT EXISTS (SELECT 1 FROM (SELECT s.fid, {vcols} FROM {src}) v WHERE {match})"
        ).format(
            name=qualified(name),
            pk=self.pk,
            spine=self.spine,
            vcols=self._vcols(),
            src=self._src_from(),
            match=self._match(),
        )

    def _state_queries(self) -> list[sql.Composable]:
        """SELECTs of one value each that changes when a lookup ``_src`` joins changes."""
        return [self.join.fingerprint()] if self.join is not None else []

    # --- writing -------------------------------------------------------------------------

    def _planned(self, which: sql.SQL) -> sql.Composable:
        """The source rows (``v``, as spine columns) that ``_plan`` lists as ``which``."""
        return sql.SQL(
            "(SELECT s.fid, {vcols} FROM {src} "
            "WHERE s.fid IN (SELECT fid FROM _plan WHERE {which})) v"
        ).format(vcols=self._vcols(), src=self._src_from(), which=which)

    def _update_sql(self) -> sql.Composable:
        """The spine rows that differ updated (compared again: a plan may be made before
        invalid geometries were repaired)."""
        return sql.SQL(
            "UPDATE {spine} t SET {sets} FROM {planned} WHERE {match} AND ({differ}) "
            "AND t.{pk} IN (SELECT tid FROM _plan WHERE {which})"
        ).format(
            spine=self.spine,
            sets=self._sets(),
            planned=self._planned(DIFFER),
            match=self._match(),
            differ=self._differ(),
            pk=self.pk,
            which=DIFFER,
        )

    def _delete_sql(self) -> sql.Composable:
        return sql.SQL("DELETE FROM {spine} WHERE {pk} IN (SELECT * FROM _gone)").format(
            spine=self.spine, pk=self.pk
        )

    def _insert_sql(self) -> sql.Composable:
        """The new rows inserted (with the columns set only then)."""
        names = list(self.columns)
        values: list[sql.Composable] = [sql.Identifier("v", n) for n in names]
        values += [e.render("v") for e in self.insert_only.values()]
        return sql.SQL("INSERT INTO {spine} ({columns}) SELECT {values} FROM {planned}").format(
            spine=self.spine,
            columns=_names([*names, *self.insert_only]),
            values=sql.SQL(", ").join(values),
            planned=self._planned(NEW),
        )

    # --- before writing ------------------------------------------------------------------

    def _prepare_sql(self) -> list[sql.Composable]:
        """What is made before the spine is written, in order: the missing lookups, the
        ``_src`` columns filled (added first), by the custom steps and spatially."""
        statements: list[sql.Composable] = []
        if self.join is not None and self.join.create:
            statements.append(self._create_lookups_sql())
        added = [c for step in self.steps for c in step.fills]
        added += [(loc.column, "bigint") for loc in self.located]
        if added:
            statements.append(
                sql.SQL("ALTER TABLE _src {}").format(
                    sql.SQL(", ").join(
                        sql.SQL("ADD COLUMN {} {}").format(sql.Identifier(n), sql.SQL(t))
                        for n, t in added
                    )
                )
            )
        statements += [step.statement() for step in self.steps]
        if self.located:
            statements.append(
                sql.SQL("UPDATE _src s SET {}").format(
                    sql.SQL(", ").join(loc.assignment() for loc in self.located)
                )
            )
        return statements

    def _create_lookups_sql(self) -> sql.Composable:
        """The missing lookup rows made from their groups of ``_src`` rows."""
        join = self.join
        assert join is not None
        return sql.SQL(
            "INSERT INTO {table} ({columns}) SELECT {keys}, {created} FROM _src s "
            "WHERE {missing} GROUP BY {keys}"
        ).format(
            table=join.table,
            columns=join.insert_columns(),
            keys=join.keys("s"),
            created=join.created(),
            missing=join.missing("s"),
        )

    # --- lookups made ahead --------------------------------------------------------------

    def _lookup_groups_sql(self) -> sql.Composable:
        """The keys of the missing lookups and their numbers of rows, biggest first."""
        join = self.join
        assert join is not None
        return sql.SQL(
            "SELECT {keys}, count(*) FROM _src s WHERE {missing} "
            "GROUP BY {keys} ORDER BY count(*) DESC, {keys}"
        ).format(keys=join.keys("s"), missing=join.missing("s"))

    def _lookup_tables_sql(self, name: str) -> list[sql.Composable]:
        """The table of the lookups made ahead, ``name``, and of their keys dealt to two
        halves, ``name_keys`` (both empty)."""
        join = self.join
        assert join is not None
        keys_table = qualified(f"{name}_keys")
        key_columns = sql.SQL(", ").join(
            sql.SQL("{} text").format(sql.Identifier(k)) for k in join.on
        )
        return [
            sql.SQL("DROP TABLE IF EXISTS {}").format(keys_table),
            sql.SQL("CREATE UNLOGGED TABLE {} ({}, half integer)").format(keys_table, key_columns),
            sql.SQL("DROP TABLE IF EXISTS {}").format(qualified(name)),
            sql.SQL(
                "CREATE UNLOGGED TABLE {name} AS SELECT {keys}, {created} FROM _src s "
                "GROUP BY {keys} WITH NO DATA"
            ).format(name=qualified(name), keys=join.keys("s"), created=join.created()),
        ]

    def _lookup_half_sql(self, name: str) -> sql.Composable:
        """The lookups of one half (``%s``) made into ``name``."""
        join = self.join
        assert join is not None
        on = sql.SQL(" AND ").join(
            sql.SQL("{} = {}").format(sql.Identifier("k", k), sql.Identifier("s", k))
            for k in join.on
        )
        return sql.SQL(
            "INSERT INTO {name} SELECT {keys}, {created} FROM _src s "
            "JOIN {keys_table} k ON {on} AND k.half = %s GROUP BY {keys}"
        ).format(
            name=qualified(name),
            keys=join.keys("s"),
            created=join.created(),
            keys_table=qualified(f"{name}_keys"),
            on=on,
        )

    def _insert_lookups_sql(self, lookups: str) -> sql.Composable:
        """The lookups made ahead (table ``lookups``) that are still missing, inserted."""
        join = self.join
        assert join is not None
        return sql.SQL(
            "INSERT INTO {table} ({columns}) SELECT {values} FROM {lookups} l WHERE {missing}"
        ).format(
            table=join.table,
            columns=join.insert_columns(),
            values=_names([*join.on, *join.create], "l"),
            lookups=qualified(lookups),
            missing=join.missing("l"),
        )
