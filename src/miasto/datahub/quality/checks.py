"""The quality check of a version's table, as named steps over one :class:`CheckContext`.

:func:`quality_check` (the import's entry) builds a :class:`QualityRun` and runs
:func:`run_checks`: the context (:func:`context`: attribute types, the city, the baseline's
changed features), one aggregate counting every problem (:func:`count_problems`), the
repair of invalid geometries (:func:`repair`), duplicates and keys (:func:`duplicate_checks`),
the city and the CRS, and for parcels the overlaps and gaps (:func:`parcel_checks`).
"""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Required, TypedDict, Unpack

from psycopg import sql

from miasto.core.db import execute, fetch_all, fetch_one, fetch_value, load_sql, run_beside
from miasto.datahub import coverage
from miasto.datahub.quality.baseline import Baseline, SameKey, changed_features
from miasto.datahub.quality.crs import Box, city_fingerprint, crs_check
from miasto.datahub.quality.duplicates import (
    any_repeated,
    duplicate_geometries,
    duplicate_keys,
    duplicate_keys_report,
    duplicates_report,
)
from miasto.datahub.quality.overlaps import OverlapCheck, gaps, overlaps, start_edge_match
from miasto.datahub.quality.rules import blocking, score
from miasto.datahub.quality.tables import (
    LIVE,
    attribute_types,
    batch_session,
    drop,
    drop_work_tables,
    ident,
)


class QualityOptions(TypedDict, total=False):
    """The keyword arguments of :func:`quality_check` (see :class:`QualityRun`)."""

    key_columns: Required[list[str]]
    rules: Required[dict[str, Any]]
    parcels: bool
    key_regex: str | None
    previous_table: str | None
    previous_key: str | None
    previous_city: str | None
    previous_unique: bool
    edges: Future[coverage.EdgeMatch] | None
    index: Future[Any] | None
    same_columns: Collection[str]


@dataclass(frozen=True)
class QualityRun:
    """What a quality check is asked to do.

    ``table``: the version's (staging) table; ``key_columns``: its key; ``rules``: the
    blocking rules (:func:`~miasto.datahub.quality.rules.rules_for`); ``parcels``: test
    overlaps and gaps; ``key_regex``: the pattern a (single) key must match.

    ``baseline``: an earlier version whose report found no overlaps (at a tolerance not above
    this one) and no unrepairable geometry, so every geometry there is valid. The geometries
    found in it unchanged (the others: ``<table>_changed``) need no validity test, and for
    parcels only the pairs of new or changed geometries are tested for overlaps (``overlaps.mode``
    ``changed``: the other pairs did not overlap there). Otherwise the overlap check starts
    from the edges that do not match a neighbour's (``edges``, see
    :mod:`~miasto.datahub.coverage`), or tests every pair whose boxes meet (``full``) when a
    geometry stayed invalid after repair or the layer has more vertices than the matching holds
    in memory (``coverage.MAX_VERTICES``). With the baseline's ``key`` (every key valid with this
    ``key_regex``), a feature counts as unchanged only with its geometry and its key found
    together there, and needs no key format test either. With its ``city`` (the city's
    fingerprint, :func:`city_fingerprint`, when nothing lay outside the city), if the city is
    still the same, the unchanged features need no test of that. With ``unique`` (no geometry
    there twice) and ``key``, duplicate geometries are looked for only from the changed features
    (:func:`~miasto.datahub.quality.duplicates.duplicate_geometries`).

    ``index``: the table's GiST index being built beside the checks (waited for before the
    checks that need it).

    ``same_columns``: the mapped attributes of a spine layer; ``<table>_diff`` (kept after
    the check, for the caller to drop) then lists every row not found in the baseline with its
    geometry, key and those attributes — every row whose publishing may differ
    (:meth:`~miasto.datahub.importers.SpineTarget.plan_from_changes`).
    """

    table: str
    key_columns: list[str]
    rules: dict[str, Any]
    parcels: bool = False
    key_regex: str | None = None
    baseline: Baseline = field(default_factory=Baseline)
    edges: Future[coverage.EdgeMatch] | None = None
    index: Future[Any] | None = None
    same_columns: Collection[str] = ()

    @classmethod
    def of(cls, table: str, options: QualityOptions) -> QualityRun:
        """The run :func:`quality_check` is asked for with ``options``."""
        baseline = Baseline(
            table=options.get("previous_table"),
            key=options.get("previous_key"),
            city=options.get("previous_city"),
            unique=options.get("previous_unique", False),
        )
        return cls(
            table=table,
            key_columns=options["key_columns"],
            rules=options["rules"],
            parcels=options.get("parcels", False),
            key_regex=options.get("key_regex"),
            baseline=baseline,
            edges=options.get("edges"),
            index=options.get("index"),
            same_columns=options.get("same_columns", ()),
        )

    @property
    def limit(self) -> int:
        """How many items a list of the report holds at most."""
        return int(self.rules.get("list_limit") or 100)

    @property
    def regex_key(self) -> str | None:
        """The key column tested against ``key_regex`` (a single key only)."""
        return self.key_columns[0] if self.key_regex and len(self.key_columns) == 1 else None


#: types whose text form is never blank: "filled in" is "not NULL" (the cast to text of a
#: million numbers costs more than the rest of the check)
_NEVER_BLANK = ("integer", "bigint", "smallint", "double precision", "real", "numeric", "date")


def filled(column: str, data_type: str) -> sql.Composable:
    """SQL: the attribute ``column`` of ``t`` holds a value (not NULL nor blank)."""
    value = sql.Identifier("t", column)
    if data_type in _NEVER_BLANK or data_type.startswith("timestamp"):
        return sql.SQL("{} IS NOT NULL").format(value)
    return sql.SQL("NULLIF(trim({}::text), '') IS NOT NULL").format(value)


@dataclass(frozen=True)
class CheckContext:
    """What the steps of a check share: the run, and what was found before the first count
    (the attributes' types, the city, the features changed since the baseline)."""

    run: QualityRun
    types: dict[str, str]
    n_city: int  # polygons of the city
    city: str | None  # its fingerprint
    changed: int | None  # features in ``<table>_changed``, None: every feature checked
    same_key: SameKey | None

    @property
    def table(self) -> sql.Identifier:
        return ident(self.run.table)

    @property
    def attrs(self) -> list[str]:
        return list(self.types)

    def outside(self) -> sql.Composable:
        """SQL: the feature ``t`` lies outside the city."""
        if not self.n_city:
            return sql.SQL("false")
        if self.n_city == 1:
            # the city's geometry as one parameter (an InitPlan): PostGIS prepares it once
            test = sql.SQL("NOT ST_Intersects((SELECT c.geom FROM territory_city c), t.geom)")
        else:
            test = sql.SQL(
                "NOT EXISTS (SELECT 1 FROM territory_city c WHERE ST_Intersects(c.geom, t.geom))"
            )
        return sql.SQL("({} AND {})").format(LIVE, test)

    def key_ok(self) -> sql.Composable:
        """SQL: the key of ``t`` matches the pattern (parameters: :attr:`key_params`)."""
        key = self.run.regex_key
        if not key:
            return sql.SQL("true")
        column = sql.Identifier("t", key)
        return sql.SQL('({} IS NOT NULL AND {}::text COLLATE "C" ~ %s)').format(column, column)

    @property
    def key_params(self) -> list[str]:
        return [self.run.key_regex] if self.run.regex_key and self.run.key_regex else []

    def valid(self) -> sql.Composable:
        """SQL: the geometry of ``t`` is valid (or unchanged since the baseline)."""
        if self.changed is None:
            return sql.SQL("ST_IsValid(t.geom)")
        return sql.SQL("(c.fid IS NULL OR ST_IsValid(t.geom))")

    def source(self) -> sql.Composable:
        """SQL: the table as ``t`` (with ``c``, its changed features, where known)."""
        if self.changed is None:
            return sql.SQL("{} t").format(self.table)
        return sql.SQL("{} t LEFT JOIN {} c USING (fid)").format(
            self.table, ident(self.run.table, "_changed")
        )

    def key_counted(self) -> sql.Composable:
        """SQL: the key of ``t`` counts as valid (an unchanged one was valid in the baseline;
        the key list reads the table alone: the unchanged keys are valid all the same)."""
        if self.changed is not None and self.same_key:
            return sql.SQL("(c.fid IS NULL AND {} OR {})").format(LIVE, self.key_ok())
        return self.key_ok()

    def outside_counted(self) -> sql.Composable:
        """SQL: ``t`` counts as outside the city (an unchanged one was not, if the city is
        the one of the baseline)."""
        previous = self.run.baseline.city
        if self.changed is not None and previous and previous == self.city:
            return sql.SQL("(c.fid IS NOT NULL AND {})").format(self.outside())
        return self.outside()

    def fids(self, where: sql.Composable) -> list[Any]:
        """The first fids (up to the list limit) of the features matching ``where``."""
        query = sql.SQL("SELECT t.fid FROM {} t WHERE {} ORDER BY t.fid LIMIT {}").format(
            self.table, where, sql.Literal(self.run.limit)
        )
        return [r[0] for r in fetch_all(query)]


def context(run: QualityRun) -> CheckContext:
    """The context of ``run``; fills ``<table>_changed`` (and ``_diff``) from the baseline."""
    types = attribute_types(run.table)
    n_city = int(fetch_value("SELECT count(*) FROM territory_city"))
    regex_key, baseline = run.regex_key, run.baseline
    same_key = SameKey(regex_key, baseline.key) if regex_key and baseline.key else None
    changed = changed_features(run.table, baseline.table, same_key, run.same_columns)
    city = city_fingerprint() if n_city else None
    return CheckContext(run, types, n_city, city, changed, same_key)


@dataclass(frozen=True)
class Counts:
    """What the one aggregate over the table counted."""

    total: int
    null: int
    empty: int
    invalid: int
    bad_keys: int
    outside: int
    extent: Box
    filled: dict[str, int]


def count_problems(ctx: CheckContext) -> Counts:
    """One aggregate over the table (on parallel workers) counting every problem — null,
    empty and invalid geometries, bad keys, features outside the city — the extent, and the
    features with each attribute filled."""
    sums = [
        sql.SQL("count(*)"),
        sql.SQL("count(*) FILTER (WHERE t.geom IS NULL)"),
        sql.SQL("count(*) FILTER (WHERE ST_IsEmpty(t.geom))"),
        sql.SQL("count(*) FILTER (WHERE NOT {})").format(ctx.valid()),
        sql.SQL("count(*) FILTER (WHERE NOT {})").format(ctx.key_counted()),
        sql.SQL("count(*) FILTER (WHERE {})").format(ctx.outside_counted()),
        *(
            sql.SQL("{}(ST_Extent(t.geom))").format(sql.SQL(f))
            for f in ("ST_XMin", "ST_YMin", "ST_XMax", "ST_YMax")
        ),
        *(sql.SQL("count(*) FILTER (WHERE {})").format(filled(a, t)) for a, t in ctx.types.items()),
    ]
    query = sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(sums), ctx.source())
    row = fetch_one(query, ctx.key_params)
    assert row is not None
    return Counts(
        total=row[0],
        null=row[1],
        empty=row[2],
        invalid=row[3],
        bad_keys=row[4],
        outside=row[5],
        extent=tuple(row[6:10]),
        filled=dict(zip(ctx.attrs, row[10:], strict=True)),
    )


def missing_geometries(ctx: CheckContext, counts: Counts) -> dict[str, Any]:
    """The null and empty geometries (as loaded, before any repair)."""
    return {
        "null_geometries": {
            "count": counts.null,
            "items": ctx.fids(sql.SQL("t.geom IS NULL")) if counts.null else [],
        },
        "empty_geometries": {
            "count": counts.empty,
            "items": ctx.fids(sql.SQL("ST_IsEmpty(t.geom)")) if counts.empty else [],
        },
    }


@dataclass(frozen=True)
class Repair:
    """What :func:`repair` did: the invalid geometries listed (fid, reason), how many stayed
    invalid or empty, whether one stayed invalid (``broken``), and the features outside the
    city counted again."""

    items: list[tuple[Any, ...]]
    unrepairable: int
    broken: bool
    outside: int

    def report(self, invalid: int) -> dict[str, Any]:
        return {
            "count": invalid,
            "repaired": invalid - self.unrepairable,
            "unrepairable": self.unrepairable,
            "items": [{"fid": f, "reason": r} for f, r in self.items],
        }


def _broken(table: str) -> bool:
    """A geometry ST_MakeValid could not repair (of the repaired rows, in ``_invalid``):
    orientation means nothing there."""
    return bool(
        fetch_value(
            sql.SQL(
                "SELECT EXISTS (SELECT 1 FROM {} t JOIN _invalid USING (fid) "
                "WHERE NOT ST_IsEmpty(t.geom) AND NOT ST_IsValid(t.geom))"
            ).format(ident(table))
        )
    )


def repair(ctx: CheckContext, counts: Counts) -> Repair:
    """List the invalid geometries, repair them in place keeping the family
    (``ST_MakeValid``, ``ST_CollectionExtract``), count what stays broken — and what depends
    on the geometry, the features outside the city, again."""
    if not counts.invalid:
        return Repair([], 0, False, counts.outside)
    drop(sql.Identifier("_invalid"))
    execute(
        sql.SQL("CREATE TEMP TABLE _invalid AS SELECT t.fid FROM {} WHERE NOT {}").format(
            ctx.source(), ctx.valid()
        )
    )
    execute("CREATE UNIQUE INDEX ON _invalid (fid)")
    execute("ANALYZE _invalid")
    items = fetch_all(
        sql.SQL(
            "SELECT t.fid, ST_IsValidReason(t.geom) FROM {} t JOIN _invalid USING (fid) "
            "ORDER BY t.fid LIMIT {}"
        ).format(ctx.table, sql.Literal(ctx.run.limit))
    )
    execute(sql.SQL(load_sql("miasto.datahub", "quality_repair")).format(table=ctx.table))
    unrepairable = fetch_value(
        sql.SQL(
            "SELECT count(*) FROM {} t JOIN _invalid USING (fid) "
            "WHERE ST_IsEmpty(t.geom) OR NOT ST_IsValid(t.geom)"
        ).format(ctx.table)
    )
    broken = _broken(ctx.run.table)
    outside = 0
    if ctx.n_city:
        outside = fetch_value(
            sql.SQL("SELECT count(*) FROM {} t WHERE {}").format(ctx.table, ctx.outside())
        )
    execute("DROP TABLE _invalid")
    return Repair(items, unrepairable, broken, outside)


def edge_match(
    ctx: CheckContext, counts: Counts, fixed: Repair
) -> Future[coverage.EdgeMatch] | None:
    """The edge matching of the overlap check, which reads the geometries as repaired:
    started by the caller right after loading, it is started again when geometries were
    repaired; it runs beside the checks (the database works while NumPy does)."""
    edges = ctx.run.edges
    if ctx.run.parcels and ctx.changed is None and (edges is None or counts.invalid):
        return None if fixed.broken else start_edge_match(ctx.run.table)
    return edges


def invalid_keys(ctx: CheckContext, counts: Counts) -> dict[str, Any]:
    """The keys not matching the pattern (counted in the aggregate, listed here)."""
    key = ctx.run.regex_key
    assert key is not None
    bad = (
        fetch_all(
            sql.SQL("SELECT t.fid, {}::text FROM {} t WHERE NOT {} ORDER BY t.fid LIMIT {}").format(
                sql.Identifier("t", key), ctx.table, ctx.key_ok(), sql.Literal(ctx.run.limit)
            ),
            ctx.key_params,
        )
        if counts.bad_keys
        else []
    )
    return {
        "count": counts.bad_keys,
        "items": [{"fid": f, "key": k} for f, k in bad],
        "pattern": ctx.run.key_regex,  # (a later version checked against this one needs it)
    }


def duplicate_checks(
    ctx: CheckContext, counts: Counts
) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """Duplicate geometries, duplicate and invalid keys: the checks, and the groups of
    duplicate geometries (``[fids]``).

    Whether a key is repeated is found beside the duplicate geometries (and the overlap
    check); the duplicate geometries only from the changed features, where that finds them
    all (see :func:`~miasto.datahub.quality.duplicates.duplicate_geometries`)."""
    run, checks = ctx.run, {}
    keys = run.key_columns
    repeated_keys = run_beside(lambda: any_repeated(run.table, keys), "keys") if keys else None
    from_changed = ctx.changed is not None and ctx.same_key is not None and run.baseline.unique
    if from_changed and run.index is not None:
        run.index.result()  # (they are looked for through it)
    groups = duplicate_geometries(run.table, from_changed)
    checks["duplicate_geometries"] = duplicates_report(groups, run.limit)
    if not keys:
        return checks, groups
    repeated = repeated_keys.result() if repeated_keys else any_repeated(run.table, keys)
    if repeated and from_changed:  # (a repeated key: looked for over the whole layer)
        groups = duplicate_geometries(run.table, False)
        checks["duplicate_geometries"] = duplicates_report(groups, run.limit)
    dup_keys = duplicate_keys(run.table, keys) if repeated else []
    checks["duplicate_keys"] = duplicate_keys_report(keys, dup_keys, run.limit)
    if run.regex_key:
        checks["invalid_keys"] = invalid_keys(ctx, counts)
    return checks, groups


def outside_city(ctx: CheckContext, counts: Counts, outside: int) -> dict[str, Any]:
    """The features outside the city (``outside``: counted after any repair)."""
    total = counts.total
    return {
        "count": outside,
        "share": round(outside / total, 4) if total else 0.0,
        "items": ctx.fids(ctx.outside()) if outside else [],
        "city": ctx.city,  # (a later version checked against this one needs it)
    }


@dataclass(frozen=True)
class ParcelInput:
    """What the parcel checks take from the earlier steps."""

    total: int
    broken: bool
    groups: list[tuple[Any, ...]]  # of duplicate geometries
    edges: Future[coverage.EdgeMatch] | None


def parcel_checks(ctx: CheckContext, found: ParcelInput) -> dict[str, Any]:
    """Parcel overlaps and gaps (the gaps, union-based, skipped above ``gaps_max_features``)."""
    run = ctx.run
    if run.index is not None:
        run.index.result()
    check = OverlapCheck(
        table=run.table,
        tolerance=float(run.rules.get("overlap_tolerance_m2") or 0),
        total=found.total,
        limit=run.limit,
        broken=found.broken,
        changed=ctx.changed,
        dups=tuple(sorted({f for g in found.groups for f in g[0]})),
        edges=found.edges,
    )
    checks = {"overlaps": overlaps(check)}
    gtol = float(run.rules.get("gap_tolerance_m2") or 0)
    if found.total <= int(run.rules.get("gaps_max_features") or 0):
        checks["gaps"] = gaps(run.table, gtol, run.limit)
    else:
        checks["gaps"] = {"count": None, "skipped": True, "tolerance_m2": gtol}
    return checks


def run_checks(run: QualityRun) -> dict[str, Any]:
    """The checks of ``run`` (in a batch session; the caller drops the work tables): the
    report with ``score`` and ``blocking``. The lists of problem features are read only for
    the problems the one aggregate found."""
    ctx = context(run)
    counts = count_problems(ctx)
    report: dict[str, Any] = {"checks": {}, "rules": run.rules, "feature_count": counts.total}
    checks = report["checks"]
    checks.update(missing_geometries(ctx, counts))
    fixed = repair(ctx, counts)
    checks["invalid_geometries"] = fixed.report(counts.invalid)
    edges = edge_match(ctx, counts, fixed)
    duplicates, groups = duplicate_checks(ctx, counts)
    checks.update(duplicates)
    total = counts.total
    report["completeness"] = (
        {a: round(n / total, 4) for a, n in counts.filled.items()} if total else {}
    )
    report["filled"] = dict(counts.filled)  # (exact: publishing uses it)
    if ctx.n_city:
        checks["outside_city"] = outside_city(ctx, counts, fixed.outside)
    checks["crs"] = crs_check(run.table, None if counts.invalid else counts.extent)
    if run.parcels:
        checks.update(parcel_checks(ctx, ParcelInput(total, fixed.broken, groups, edges)))
    report["blocking"] = blocking(report, run.rules)
    report["score"] = score(report)
    return report


def quality_check(table: str, **options: Unpack[QualityOptions]) -> dict[str, Any]:
    """Check (and repair) a version's table; return the report with ``score`` and ``blocking``.

    The options are the fields of :class:`QualityRun`, the baseline's given as
    ``previous_table``, ``previous_key``, ``previous_city`` and ``previous_unique``. The
    tables made beside ``table`` are dropped at the end (``<table>_diff`` excepted, see
    :class:`QualityRun`)."""
    try:
        with batch_session():
            return run_checks(QualityRun.of(table, options))
    finally:
        drop_work_tables(table)
