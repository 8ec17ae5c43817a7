"""Building capacity (*chłonność*) of the parcels and the housing balance.

Per parcel, for the zones of a :class:`~miasto.planning.zoneset.ZoneSet` — the same rule as
the totals of the parcel planning report (:mod:`miasto.planning.report`):

- the parts of the parcel in each zone are measured; a part counts only if it is at least
  ``report_min_area`` m² and ``report_min_share`` of the parcel (catalogue in force);
- each part of the parcel counts with the plan that binds it: the local-plan areas
  (``plan_area``) where they cover the parcel, the general-plan (POG) zones on the rest of it
  (the parcel minus the local plans' areas, when that rest is not a sliver) — ``basis`` is
  ``plan_area``, ``pog_zone`` or ``mixed``;
- allowed above-ground floor area = Σ part area × max intensity of the binding zones;
  existing floor area = Σ footprint × storeys of the parcel's buildings; remaining = allowed −
  existing, not below 0. A binding zone without a maximum intensity is unknown, not 0: its
  parts are ``unknown_area``, the parcel's figures are those of its known parts (a lower
  bound, marked incomplete) or null when no part is known. Parcels whose binding zones allow
  some floor area or leave it unknown are kept;
- residential floor area = remaining × (the residential part of the allowed floor area ÷
  allowed floor area), where a part is residential when its zone's symbol or land-use class
  is residential in the analysis configuration, weighted by ``residential_share`` for mixed
  zones; potential dwellings = ⌊residential floor area × usable/gross ÷ usable area per
  dwelling⌋ (whole dwellings per parcel); potential residents = dwellings × persons per
  dwelling.

The per-parcel figures are written by one ``INSERT … SELECT`` into
``planning_capacity_parcel`` under a *run* keyed by the zone set, the configuration and the
revisions of the input tables, so pages, CSV and map tiles read a stored result and a run is
computed again only when an input changed. Blocks, districts and the city are sums over it.

Housing balance: needed dwellings = (forecast population − current population) × (1 +
demand margin) ÷ persons per dwelling, compared with the potential dwellings. A forecast
given for the city is split between districts in proportion to their current population.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from psycopg import sql

from miasto.core.db import execute, fetch_all, fetch_value
from miasto.core.overlay import execute_overlay
from miasto.core.sql import as_text
from miasto.core.tilecache import revision_token
from miasto.planning.analyses.common import r1, share
from miasto.planning.analyses.config import AnalysisConfig, analysis_config_for
from miasto.planning.catalogue import catalogue_for
from miasto.planning.zoneset import ZoneSet
from miasto.territory.selectors import PARCEL_PIECE_VERTICES

#: tables whose changes make a stored run stale
INPUT_TABLES = ("planning_plan", "planning_zone", "territory_parcel", "territory_building")
#: runs kept (the newest); older ones are deleted when a new one is written
KEEP_RUNS = 12
MAX_PAGE_SIZE = 1000

RULE = (
    "Chłonność działki: suma (powierzchnia części działki w terenie × maksymalna intensywność "
    "zabudowy) terenów wiążących — terenów planów miejscowych, a na części działki poza nimi "
    "stref planu ogólnego — minus istniejąca powierzchnia całkowita budynków (powierzchnia "
    "zabudowy × liczba kondygnacji), nie mniej niż 0. Część działki w terenie bez ustalonej "
    "maksymalnej intensywności zabudowy ma chłonność nieustaloną (nie zero): wynik jest wtedy "
    "niepełny."
)

#: vertices per zone piece: small pieces stay out of TOAST and are prepared cheaply
PIECE_VERTICES = 32  # one of the sizes kept in planning_zone_piece (32, 256)

# Every step is an UNLOGGED table named after the run (``an_cap_<run>_…``), made by CREATE
# TABLE AS: unlike temporary tables (and INSERT … SELECT), that can run on parallel workers,
# and fresh statistics let the planner join the big tables by hash. They are dropped at the
# end; a failed run's transaction drops them with everything else. In the statements below,
# ``{piece}``, ``{cand}``… name the run's tables (see :func:`_run_tables`).
_SETTINGS = (
    "SET LOCAL jit = off",  # compiling these plans costs more than running them
    "SET LOCAL work_mem = '64MB'",  # hash joins of a million parcels in one batch
    # the zone pieces (a few MB) drive the costly joins: let workers share even small tables
    "SET LOCAL min_parallel_table_scan_size = '256kB'",
)
# pieces: ready-made (planning_zone_piece) for the stored zones, cut now for the zones a
# scenario's draft clips
_PIECES = (
    sql.SQL("""CREATE UNLOGGED TABLE {piece} AS
       WITH z AS MATERIALIZED (
           SELECT z.id, z.category, z.symbol, z.max_intensity, z.clipped,
                  CASE WHEN z.symbol = ANY(%(res_symbols)s)
                            OR z.land_use_classes ?| %(res_classes)s
                       THEN COALESCE((%(res_share)s::jsonb ->> z.symbol)::numeric, 1)
                       ELSE 0 END AS res_share,
                  CASE WHEN z.clipped THEN z.geom END AS geom
           FROM ({zs}) z WHERE NOT ST_IsEmpty(z.geom)
       )
       SELECT row_number() OVER () AS pid, *
       FROM (SELECT z.id, z.category, z.symbol, z.max_intensity, z.res_share, pc.geom
       FROM z JOIN planning_zone_piece pc ON pc.zone_id = z.id AND pc.size = {vertices}
       WHERE NOT z.clipped
       UNION ALL
       SELECT id, category, symbol, max_intensity, res_share, g
       FROM (SELECT z.*, miasto_pieces(z.geom, {vertices}) AS g FROM z
             WHERE z.clipped) s) pieces"""),
    sql.SQL("CREATE INDEX ON {piece} USING gist (geom)"),
    sql.SQL("CREATE UNIQUE INDEX ON {piece} (pid)"),
    sql.SQL("ANALYZE {piece}"),
)

# Parts of parcels in the zones of one category (plan / pog), in two steps:
# 1. ``cand``: every (parcel, zone piece) that meet, driven by the pieces (each piece prepared
#    once for the parcels its box meets — a probe per piece, not per parcel), with whether the
#    piece covers the parcel;
# 2. ``part``: a parcel inside a piece (most of them) is wholly in that zone, no overlay needed;
#    the others (across zone edges or piece cuts) are overlaid with each piece they meet. A
#    parcel of more than PARCEL_PIECE_VERTICES vertices (a road parcel of a whole precinct) is
#    overlaid through its ready-made pieces (``territory_parcel_piece``), or its overlay with
#    each zone piece it meets dominates.
# (Zones of one category overlap only in faulty data; a parcel inside a piece is then counted
# in that zone only.) General-plan zones are measured only for the parcels that no local-plan
# area binds (``skip``). Written with the safe ``miasto_*`` functions, run with the plain ones
# unless GEOS throws (:func:`~miasto.core.overlay.execute_overlay`).
_CANDIDATES = sql.SQL("""
CREATE UNLOGGED TABLE {cand} AS
SELECT p.id AS parcel_id, k.pid, k.id AS zone_id, miasto_covers(k.geom, p.geom) AS inside,
       ST_Area(p.geom) AS pa
FROM {piece} k
JOIN territory_parcel p ON p.geom && k.geom AND miasto_intersects(k.geom, p.geom)
WHERE k.category = %(category)s AND ST_NPoints(p.geom) <= {big} {skip}
""")
_PART = sql.SQL("""
CREATE UNLOGGED TABLE {part} AS
SELECT DISTINCT ON (parcel_id) parcel_id, zone_id, pa AS a FROM {cand} WHERE inside
UNION ALL
SELECT parcel_id, zone_id, sum(a) FROM (
    SELECT c.parcel_id, c.zone_id, ST_Area(miasto_intersection(p.geom, k.geom)) AS a
    FROM {cand} c
    JOIN territory_parcel p ON p.id = c.parcel_id
    JOIN {piece} k ON k.pid = c.pid
    WHERE NOT EXISTS (SELECT 1 FROM {cand} d WHERE d.parcel_id = c.parcel_id AND d.inside)
    UNION ALL
    SELECT p.parcel_id, k.id, ST_Area(miasto_intersection(p.geom, k.geom))
    FROM {piece} k
    JOIN territory_parcel_piece p ON p.geom && k.geom AND miasto_intersects(k.geom, p.geom)
    WHERE k.category = %(category)s {skip_piece}
) y GROUP BY 1, 2
""")
_SKIP_BOUND = sql.SQL("AND NOT EXISTS (SELECT 1 FROM {bound} b WHERE b.parcel_id = p.id)")
_SKIP_BOUND_PIECE = sql.SQL(
    "AND NOT EXISTS (SELECT 1 FROM {bound} b WHERE b.parcel_id = p.parcel_id)"
)
# a part counts only if it is not a sliver (as in the parcel planning report)
_NOT_SLIVER = sql.SQL("part.a >= %(min_area)s AND part.a >= %(min_share)s * ST_Area(p.geom)")
_PARTS = sql.SQL("""(SELECT parcel_id, zone_id, a, 'plan_area' AS category FROM {part_plan}
        UNION ALL SELECT parcel_id, zone_id, a, 'pog_zone' FROM {part_pog}
        UNION ALL SELECT parcel_id, zone_id, a, 'pog_zone' FROM {part_rest})""")

_BOUND = sql.SQL("""CREATE UNLOGGED TABLE {bound} AS
       SELECT part.parcel_id, sum(part.a) AS covered FROM {part_plan} part
       JOIN territory_parcel p ON p.id = part.parcel_id
       GROUP BY part.parcel_id HAVING bool_or({not_sliver})""")
# the rest of each parcel a local plan binds only in part: the parcel minus the local plans'
# areas, where the general plan's zones bind (a rest below the sliver tolerance is dropped)
_REST = sql.SQL("""CREATE UNLOGGED TABLE {rest} AS
       SELECT r.parcel_id, r.geom FROM (
           SELECT b.parcel_id, p.geom AS pgeom, miasto_difference(p.geom, (
                      SELECT ST_UnaryUnion(ST_Collect(k.geom)) FROM {piece} k
                      WHERE k.category = 'plan_area' AND k.geom && p.geom
                        AND miasto_intersects(k.geom, p.geom))) AS geom
           FROM {bound} b JOIN territory_parcel p ON p.id = b.parcel_id
           WHERE b.covered < ST_Area(p.geom) - %(min_area)s
             AND b.covered < (1 - %(min_share)s) * ST_Area(p.geom)) r
       WHERE ST_Area(r.geom) >= %(min_area)s
         AND ST_Area(r.geom) >= %(min_share)s * ST_Area(r.pgeom)""")
# the general plan's zones on those rests
_PART_REST = sql.SQL("""CREATE UNLOGGED TABLE {part_rest} AS
       SELECT r.parcel_id, k.id AS zone_id,
              sum(ST_Area(miasto_intersection(r.geom, k.geom))) AS a
       FROM {rest} r
       JOIN {piece} k ON k.geom && r.geom AND miasto_intersects(k.geom, r.geom)
       WHERE k.category = %(category)s
       GROUP BY 1, 2""")
_KEPT = sql.SQL("""CREATE UNLOGGED TABLE {kept} AS
       SELECT part.parcel_id, part.a, z.category, z.symbol, z.max_intensity, z.res_share
       FROM {parts} part
       JOIN (SELECT DISTINCT ON (id) id, category, symbol, max_intensity, res_share
             FROM {piece} ORDER BY id) z ON z.id = part.zone_id
       JOIN territory_parcel p ON p.id = part.parcel_id
       WHERE {not_sliver}""")
# the binding zones: local-plan areas where any, the general plan's on the rest (the kept
# parts are already just those); a part without a maximum intensity is unknown, not 0
_ALLOWED = sql.SQL("""CREATE UNLOGGED TABLE {allowed} AS
       SELECT k.parcel_id,
              CASE WHEN bool_or(k.category = 'plan_area') AND bool_or(k.category = 'pog_zone')
                        THEN 'mixed'
                   WHEN bool_or(k.category = 'plan_area') THEN 'plan_area'
                   ELSE 'pog_zone' END AS basis,
              string_agg(DISTINCT k.symbol, ', ' ORDER BY k.symbol) AS symbols,
              sum(k.a) AS area,
              sum(k.a * k.max_intensity) AS max_floor,
              sum(k.a * k.max_intensity * k.res_share) AS res_floor,
              COALESCE(sum(k.a) FILTER (WHERE k.max_intensity IS NULL), 0) AS unknown_area
       FROM {kept} k
       GROUP BY k.parcel_id
       HAVING sum(k.a * k.max_intensity) > 0 OR bool_or(k.max_intensity IS NULL)""")
_EXISTING = sql.SQL("""CREATE UNLOGGED TABLE {existing} AS
       SELECT b.parcel_id, sum(ST_Area(b.geom) * b.storeys) AS floor
       FROM territory_building b JOIN {allowed} a ON a.parcel_id = b.parcel_id
       GROUP BY b.parcel_id""")
#: the overlay steps by category, for the error message
_STEP_WHAT = {
    "plan_area": _lazy("parcels in the areas of local plans"),
    "pog_zone": _lazy("parcels in the zones of the general plan"),
}
_STEP_TABLES = (
    "piece", "cand_plan", "part_plan", "bound", "rest", "part_rest", "cand_pog", "part_pog",
    "kept", "allowed", "existing",
)  # fmt: skip

#: a step of the computation: the category of an overlay step (None: no overlay), statement
Step = tuple[str | None, sql.Composable]


def _run_tables(run_id: int) -> dict[str, sql.Identifier]:
    """The run's step tables (``an_cap_<run>_<step>``) by step name."""
    return {name: sql.Identifier(f"an_cap_{int(run_id)}_{name}") for name in _STEP_TABLES}


def _part_steps(category: str, c: str, tables: dict[str, sql.Identifier]) -> list[Step]:
    """The parts of parcels in the zones of ``category`` (``c``: plan / pog); general-plan
    zones skip the parcels a local plan binds."""
    skip = c == "pog"
    names = {
        "piece": tables["piece"],
        "cand": tables[f"cand_{c}"],
        "part": tables[f"part_{c}"],
        "bound": tables["bound"],
        "big": sql.Literal(PARCEL_PIECE_VERTICES),
    }
    return [
        (category, _CANDIDATES.format(
            **names, skip=_SKIP_BOUND.format(**names) if skip else sql.SQL(""))),
        (None, sql.SQL("ANALYZE {}").format(names["cand"])),
        (category, _PART.format(
            **names, skip_piece=_SKIP_BOUND_PIECE.format(**names) if skip else sql.SQL(""))),
    ]  # fmt: skip


def _steps(tables: dict[str, sql.Identifier]) -> list[Step]:
    """The steps after the pieces, in order: parts in local plans, the parcels they bind,
    the rests of the parcels they bind in part and the general plan's zones there, parts in
    the general plan of the other parcels, the kept parts, the allowed and the existing floor
    area."""
    names = {
        **tables,
        "not_sliver": _NOT_SLIVER,
        "parts": _PARTS.format(**tables),
    }
    return [
        *_part_steps("plan_area", "plan", tables),
        (None, _BOUND.format(**names)),
        (None, sql.SQL("CREATE UNIQUE INDEX ON {bound} (parcel_id)").format(**names)),
        (None, sql.SQL("ANALYZE {bound}").format(**names)),
        ("plan_area", _REST.format(**names)),
        ("pog_zone", _PART_REST.format(**names)),
        *_part_steps("pog_zone", "pog", tables),
        (None, _KEPT.format(**names)),
        (None, sql.SQL("ANALYZE {kept}").format(**names)),
        (None, _ALLOWED.format(**names)),
        (None, sql.SQL("ANALYZE {allowed}").format(**names)),
        (None, _EXISTING.format(**names)),
        (None, sql.SQL("ANALYZE {existing}").format(**names)),
    ]


# (a parcel whose binding parts all lack a maximum intensity keeps null figures: unknown)
_INSERT = sql.SQL("""
WITH figures AS (
    SELECT a.*, COALESCE(e.floor, 0) AS existing,
           CASE WHEN a.max_floor IS NOT NULL
                THEN GREATEST(a.max_floor - COALESCE(e.floor, 0), 0) END AS remaining
    FROM {allowed} a LEFT JOIN {existing} e ON e.parcel_id = a.parcel_id
),
housing AS (
    SELECT f.*, CASE WHEN f.max_floor > 0 THEN f.remaining * f.res_floor / f.max_floor
                     WHEN f.max_floor = 0 THEN 0 END AS res_remaining
    FROM figures f
)
INSERT INTO {partition} (
    run_id, parcel_id, district_id, block_id, basis, symbols, area, max_floor_area,
    existing_floor_area, remaining_floor_area, residential_floor_area, dwellings, residents,
    unknown_area)
SELECT %(run)s, h.parcel_id,
       COALESCE(bl.district_id, (
           SELECT d.id FROM territory_district d
           WHERE d.geom && p.geom AND ST_Intersects(d.geom, ST_PointOnSurface(p.geom))
           ORDER BY d.id LIMIT 1)),
       p.block_id, h.basis, h.symbols, h.area, h.max_floor, h.existing, h.remaining,
       h.res_remaining,
       floor(h.res_remaining * %(usable_to_gross)s / %(usable_per_dwelling)s)::int,
       floor(h.res_remaining * %(usable_to_gross)s / %(usable_per_dwelling)s)
           * %(persons)s,
       h.unknown_area
FROM housing h
JOIN territory_parcel p ON p.id = h.parcel_id
LEFT JOIN territory_block bl ON bl.id = p.block_id
ORDER BY h.parcel_id  -- the primary key and the parcel index are then built from sorted rows
""")
PARTITION = "planning_capacity_parcel_{run_id}"


def _zoneset_json(zones: ZoneSet) -> dict[str, Any]:
    return {
        "as_of": zones.as_of.isoformat(),
        "drafts": sorted(int(d) for d in zones.drafts),
        "overrides": {
            str(k): {f: (None if v is None else str(v)) for f, v in sorted(vals.items())}
            for k, vals in sorted(zones.overrides.items())
        },
    }


def _run_key(zones: ZoneSet, config: AnalysisConfig) -> str:
    catalogue = catalogue_for(zones.as_of)
    payload = json.dumps(
        {
            "zones": _zoneset_json(zones),
            "configuration": config.as_dict(),
            "catalogue": [catalogue.key, catalogue.report_min_area, catalogue.report_min_share],
            "revisions": revision_token(INPUT_TABLES),
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def capacity_run(zones: ZoneSet) -> dict[str, Any]:
    """The stored run for this zone set (computed now if inputs changed since the last one)."""
    config = analysis_config_for(zones.as_of)
    key = _run_key(zones, config)
    found = _find_run(key)
    if found:
        return found
    with transaction.atomic():
        # one computation per key at a time; the others wait and then find it
        execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"capacity:{key}"])
        if _find_run(key) is None:
            _compute_run(key, zones, config)
    found = _find_run(key)
    assert found is not None
    return found


def _compute_run(key: str, zones: ZoneSet, config: AnalysisConfig) -> None:
    """Compute and store the run ``key``: its row, the step tables, its partition of
    ``planning_capacity_parcel``; then forget old runs. Inside the caller's transaction."""
    started = time.monotonic()
    run_id = fetch_value(
        """INSERT INTO planning_capacity_run (key, as_of, scenario, zoneset, configuration)
           VALUES (%s, %s, %s, %s::jsonb, %s) RETURNING id""",
        [key, zones.as_of, zones.is_scenario, json.dumps(_zoneset_json(zones)), config.key],
    )
    tables = _run_tables(run_id)
    _run_steps(zones, config, tables)
    count = _write_partition(run_id, config, tables)
    execute(sql.SQL("DROP TABLE {}").format(sql.SQL(", ").join(tables[n] for n in _STEP_TABLES)))
    execute(
        "UPDATE planning_capacity_run SET duration_s = %s, parcels = %s WHERE id = %s",
        [round(time.monotonic() - started, 3), count, run_id],
    )
    execute(
        """DELETE FROM planning_capacity_run WHERE id NOT IN (
               SELECT id FROM planning_capacity_run ORDER BY computed_at DESC, id DESC
               LIMIT %s)""",
        [KEEP_RUNS],
    )
    _drop_stale_partitions()


def _run_steps(zones: ZoneSet, config: AnalysisConfig, tables: dict[str, sql.Identifier]) -> None:
    """The step tables of a run, up to the allowed and existing floor area per parcel."""
    catalogue = catalogue_for(zones.as_of)
    params = {
        **zones.params(),
        "res_symbols": list(config.residential_symbols),
        "res_classes": list(config.residential_classes),
        "res_share": json.dumps({k: str(v) for k, v in config.residential_share.items()}),
        "min_area": catalogue.report_min_area,
        "min_share": catalogue.report_min_share,
    }
    workers = int(getattr(settings, "MIASTO_BATCH_PARALLEL_WORKERS", 2))
    # a batch job may use both cores (the web's settings turn parallel query off)
    execute(sql.SQL("SET LOCAL max_parallel_workers_per_gather = {}").format(sql.Literal(workers)))
    for setting in _SETTINGS:
        execute(setting)
    pieces = {"zs": zones.query, "piece": tables["piece"], "vertices": sql.Literal(PIECE_VERTICES)}
    with connection.cursor() as cursor:
        for statement in _PIECES:
            execute_overlay(
                cursor, as_text(statement.format(**pieces)), params, what=_("zone pieces")
            )
        for category, step in _steps(tables):
            if category is not None:
                execute_overlay(
                    cursor, as_text(step), {**params, "category": category},
                    what=_STEP_WHAT[category],
                )  # fmt: skip
            else:
                execute(step, params)


def _write_partition(run_id: int, config: AnalysisConfig, tables: dict[str, sql.Identifier]) -> int:
    """The run's rows, in a bare table of its own (no index kept up row by row, no foreign-key
    check per row) attached afterwards as the run's partition; the number of rows."""
    partition = sql.Identifier(PARTITION.format(run_id=int(run_id)))
    execute(
        sql.SQL("CREATE TABLE {} (LIKE planning_capacity_parcel INCLUDING DEFAULTS)").format(
            partition
        )
    )
    count = execute(
        _INSERT.format(partition=partition, **tables),
        {
            "run": run_id,
            "usable_to_gross": config.usable_to_gross,
            "usable_per_dwelling": config.usable_area_per_dwelling,
            "persons": config.persons_per_dwelling,
        },
    )
    execute(
        sql.SQL(
            "ALTER TABLE planning_capacity_parcel ATTACH PARTITION {} FOR VALUES IN ({})"
        ).format(partition, sql.Literal(int(run_id)))
    )
    # (attaching fires no trigger of the parent: its revision is bumped here)
    execute(
        """INSERT INTO core_tablerevision ("table", revision)
           VALUES ('planning_capacity_parcel', nextval('miasto_revision'))
           ON CONFLICT ("table") DO UPDATE SET revision = EXCLUDED.revision"""
    )
    return count


def _drop_stale_partitions() -> None:
    """Drop the partitions of runs that are gone (deleted as old, or by hand)."""
    stale = fetch_all(
        """SELECT c.relname FROM pg_inherits i
           JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = 'planning_capacity_parcel'::regclass
             AND NOT EXISTS (SELECT 1 FROM planning_capacity_run r
                             WHERE c.relname = 'planning_capacity_parcel_' || r.id)"""
    )
    if stale:
        names = sql.SQL(", ").join(sql.Identifier(row[0]) for row in stale)
        execute(sql.SQL("DROP TABLE {}").format(names))


def capacity_stored(zones: ZoneSet) -> bool:
    """Whether a run for this zone set is stored and current (a computation takes minutes at
    a million parcels, so callers on the web start a job)."""
    return _find_run(_run_key(zones, analysis_config_for(zones.as_of))) is not None


def _find_run(key: str) -> dict[str, Any] | None:
    rows = fetch_all(
        """SELECT id, as_of, scenario, configuration, computed_at, duration_s, parcels
           FROM planning_capacity_run WHERE key = %s AND duration_s IS NOT NULL""",
        [key],
    )
    if not rows:
        return None
    r = rows[0]
    return {
        "id": r[0],
        "as_of": r[1].isoformat(),
        "scenario": r[2],
        "configuration": r[3],
        "computed_at": r[4].isoformat(),
        "duration_s": r[5],
        "parcels": r[6],
    }


def latest_run_id(as_of: dt.date | None = None) -> int | None:
    """The newest stored run of the plans in force (no scenario), for the map layer."""
    rows = fetch_all(
        """SELECT id FROM planning_capacity_run
           WHERE NOT scenario AND duration_s IS NOT NULL AND (%s::date IS NULL OR as_of = %s)
           ORDER BY computed_at DESC, id DESC LIMIT 1""",
        [as_of, as_of],
    )
    return rows[0][0] if rows else None


# --- aggregates -----------------------------------------------------------------------------

_SUMS = sql.SQL("""
    count(c.parcel_id) AS parcels, sum(c.area) AS area, sum(c.max_floor_area) AS max_floor,
    sum(c.existing_floor_area) AS existing, sum(c.remaining_floor_area) AS remaining,
    sum(c.residential_floor_area) AS residential, sum(c.dwellings) AS dwellings,
    sum(c.residents) AS residents,
    count(c.parcel_id) FILTER (WHERE c.unknown_area > 0) AS incomplete,
    sum(c.unknown_area) AS unknown_area""")

_FIGURES = (
    "parcels", "area", "max_floor_area", "existing_floor_area", "remaining_floor_area",
    "residential_floor_area", "potential_dwellings", "potential_residents",
)  # fmt: skip


def _figures(row: tuple | None) -> dict[str, Any]:
    """The sums of a set of parcels. Parts of parcels in areas without a maximum intensity are
    unknown: they add nothing to the floor areas and dwellings, which are then a lower bound —
    ``complete`` is false and ``parcels_incomplete`` / ``unknown_area`` say how much."""
    if row is None:
        row = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    parcels, area, max_floor, existing, remaining, residential, dwellings, residents = row[:8]
    incomplete, unknown_area = row[8:10]
    return {
        "parcels": int(parcels or 0),
        "area": r1(area or 0),
        "max_floor_area": r1(max_floor or 0),
        "existing_floor_area": r1(existing or 0),
        "remaining_floor_area": r1(remaining or 0),
        "residential_floor_area": r1(residential or 0),
        "potential_dwellings": int(dwellings or 0),
        "potential_residents": int(round(float(residents or 0))),
        "complete": not incomplete,
        "parcels_incomplete": int(incomplete or 0),
        "unknown_area": r1(unknown_area or 0),
    }


def _population() -> dict[int | None, int]:
    """Current residents per district (parcel → block → district, else by location);
    key ``None`` is the whole city."""
    rows = fetch_all(
        """
        WITH b AS (
            SELECT b.residents, COALESCE(bl.district_id, (
                SELECT d.id FROM territory_district d
                WHERE d.geom && b.geom AND ST_Intersects(d.geom, ST_PointOnSurface(b.geom))
                ORDER BY d.id LIMIT 1)) AS district_id
            FROM territory_building b
            LEFT JOIN territory_parcel p ON p.id = b.parcel_id
            LEFT JOIN territory_block bl ON bl.id = p.block_id
            WHERE b.residents > 0
        )
        SELECT district_id, GROUPING(district_id), sum(residents) FROM b
        GROUP BY GROUPING SETS ((district_id), ())
        """
    )
    out: dict[int | None, int] = {}
    for district_id, whole, n in rows:
        if whole:
            out[None] = int(n or 0)
        elif district_id is not None:
            out[district_id] = int(n or 0)
    out.setdefault(None, 0)
    return out


def capacity(
    zones: ZoneSet,
    *,
    level: str = "district",
    district: str | None = None,
    page: int = 1,
    page_size: int = 100,
) -> dict[str, Any]:
    """Capacity of the city, and per district / block / parcel (``level``; blocks and
    parcels paged), optionally limited to one district (its code)."""
    if level not in ("city", "district", "block", "parcel"):
        raise ValueError(f"unknown level {level!r}")
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    run = capacity_run(zones)
    config = analysis_config_for(zones.as_of)
    population = _population()
    city_row = fetch_all(
        sql.SQL("SELECT {} FROM planning_capacity_parcel c WHERE c.run_id = %s").format(_SUMS),
        [run["id"]],
    )
    result: dict[str, Any] = {
        "analysis": "capacity",
        "as_of": zones.as_of.isoformat(),
        "scenario": zones.is_scenario,
        "level": level,
        "district": district,
        "run": run,
        "configuration": config.as_dict(),
        "rule": RULE,
        "units": {"area": "m2", "floor_area": "m2 (gross, above ground)"},
        "city": {**_figures(city_row[0] if city_row else None), "population": population[None]},
    }
    if level == "district":
        rows = fetch_all(_DISTRICT_SQL, [run["id"], district, district])
        result["districts"] = [
            {
                "code": r[1],
                "name": r[2],
                **(_figures(r[3:]) if r[3] else _figures(None)),
                "population": population.get(r[0], 0),
            }
            for r in rows
        ]
    elif level == "block":
        result["blocks"] = _page(
            _BLOCK_SQL, [run["id"], district, district], page, page_size, _block_dict
        )
    elif level == "parcel":
        result["parcels"] = _page(
            _PARCEL_SQL,
            [run["id"], district, district],
            page,
            page_size,
            _parcel_dict,
        )
    return result


_DISTRICT_SQL = sql.SQL("""
    SELECT d.id, d.code, d.name, {sums}
    FROM territory_district d
    LEFT JOIN planning_capacity_parcel c ON c.district_id = d.id AND c.run_id = %s
    WHERE (%s::text IS NULL OR d.code = %s)
    GROUP BY d.id, d.code, d.name ORDER BY d.code
""").format(sums=_SUMS)

_BLOCK_SQL = sql.SQL("""
    SELECT bl.code, d.code, d.name, {sums}
    FROM planning_capacity_parcel c
    JOIN territory_block bl ON bl.id = c.block_id
    JOIN territory_district d ON d.id = bl.district_id
    WHERE c.run_id = %s AND (%s::text IS NULL OR d.code = %s)
    GROUP BY bl.code, d.code, d.name ORDER BY bl.code
""").format(sums=_SUMS)


def _block_dict(r: tuple) -> dict[str, Any]:
    return {"code": r[0], "district": r[1], "district_name": r[2], **_figures(r[3:])}


def capacity_blocks(zones: ZoneSet, district: str | None = None) -> list[dict[str, Any]]:
    """Every block with capacity (optionally of one district) — for CSV."""
    run = capacity_run(zones)
    return [_block_dict(r) for r in fetch_all(_BLOCK_SQL, [run["id"], district, district])]


_PARCEL_FROM = """SELECT p.identifier, d.code, bl.code, c.basis, c.symbols, c.area,
    c.max_floor_area, c.existing_floor_area, c.remaining_floor_area, c.residential_floor_area,
    c.dwellings, c.residents, c.unknown_area
    FROM planning_capacity_parcel c
    JOIN territory_parcel p ON p.id = c.parcel_id
    LEFT JOIN territory_district d ON d.id = c.district_id
    LEFT JOIN territory_block bl ON bl.id = c.block_id"""
#: the parcels of a run (optionally of one district), for a page
_PARCEL_SQL = sql.SQL(
    _PARCEL_FROM
    + """
    WHERE c.run_id = %s AND (%s::text IS NULL OR d.code = %s)
    ORDER BY p.identifier"""
)
#: the next batch of the parcels of a run (keyset: identifiers after the last one read)
_PARCEL_BATCH_SQL = sql.SQL(
    _PARCEL_FROM
    + """
    WHERE c.run_id = %s AND p.identifier > %s AND (%s::text IS NULL OR d.code = %s)
    ORDER BY p.identifier LIMIT 5000"""
)

PARCEL_FIELDS = (
    "identifier", "district", "block", "basis", "symbols", "area", "max_floor_area",
    "existing_floor_area", "remaining_floor_area", "residential_floor_area",
    "potential_dwellings", "potential_residents", "complete", "unknown_area",
)  # fmt: skip


def _parcel_dict(r: tuple) -> dict[str, Any]:
    """One parcel's row; figures are null when no binding part sets a maximum intensity, and
    those of the known parts (a lower bound) with ``complete`` false when some do not."""
    return {
        "identifier": r[0],
        "district": r[1],
        "block": r[2],
        "basis": r[3],
        "symbols": r[4],
        "area": r1(r[5]),
        "max_floor_area": r1(r[6]),
        "existing_floor_area": r1(r[7]),
        "remaining_floor_area": r1(r[8]),
        "residential_floor_area": r1(r[9]),
        "potential_dwellings": None if r[10] is None else int(r[10]),
        "potential_residents": None if r[11] is None else round(float(r[11]), 1),
        "complete": not r[12],
        "unknown_area": r1(r[12]),
    }


def _page(
    query: sql.Composable,
    params: list[Any],
    page: int,
    size: int,
    convert: Callable[[tuple[Any, ...]], dict[str, Any]],
) -> dict[str, Any]:
    count = fetch_value(sql.SQL("SELECT count(*) FROM ({}) q").format(query), params)
    rows = fetch_all(
        sql.SQL("{} LIMIT %s OFFSET %s").format(query), [*params, size, (page - 1) * size]
    )
    pages = max(1, math.ceil(count / size))
    return {
        "count": count,
        "page": page,
        "page_size": size,
        "pages": pages,
        "items": [convert(r) for r in rows],
    }


def capacity_parcel_rows(zones: ZoneSet, district: str | None = None) -> Iterator[dict[str, Any]]:
    """Every parcel of the run (optionally of one district), read in keyset batches — for CSV.
    The run is computed (if needed) now; the rows are read as they are consumed."""
    return _parcel_batches(capacity_run(zones)["id"], district)


def _parcel_batches(run_id: int, district: str | None) -> Iterator[dict[str, Any]]:
    last = ""
    while True:
        rows = fetch_all(_PARCEL_BATCH_SQL, [run_id, last, district, district])
        if not rows:
            return
        for r in rows:
            yield _parcel_dict(r)
        last = rows[-1][0]


# --- housing balance ------------------------------------------------------------------------


def housing_balance(
    summary: dict[str, Any], forecast_population: int, forecast_year: int
) -> dict[str, Any]:
    """Needed vs potential dwellings for a forecast of the city's population (see module)."""
    config = analysis_config_for(dt.date.fromisoformat(summary["as_of"]))
    persons = config.persons_per_dwelling
    margin = config.demand_margin

    def balance(current: int, forecast: Decimal, potential: int) -> dict[str, Any]:
        growth = forecast - current
        needed = math.ceil(max(growth, Decimal(0)) * (1 + margin) / persons)
        return {
            "population": current,
            "forecast_population": int(forecast.to_integral_value()),
            "population_change": int(growth.to_integral_value()),
            "needed_dwellings": needed,
            "potential_dwellings": potential,
            "balance_dwellings": potential - needed,
            "sufficient": potential >= needed,
            "coverage_of_need": share(potential, needed, 3) if needed else None,
        }

    city = summary["city"]
    city_pop = int(city["population"])
    out: dict[str, Any] = {
        "forecast_year": forecast_year,
        "forecast_population": forecast_population,
        "persons_per_dwelling": float(persons),
        "demand_margin": float(margin),
        "method": (
            "Zapotrzebowanie = (prognoza ludności − obecna liczba mieszkańców) × (1 + margines) "
            "÷ liczba osób na mieszkanie; prognoza dla miasta rozdzielona na dzielnice "
            "proporcjonalnie do obecnej liczby mieszkańców."
        ),
        "city": balance(city_pop, Decimal(forecast_population), int(city["potential_dwellings"])),
    }
    if "districts" in summary:
        out["districts"] = [
            {
                "code": d["code"],
                "name": d["name"],
                **balance(
                    int(d["population"]),
                    Decimal(forecast_population) * d["population"] / city_pop
                    if city_pop
                    else Decimal(0),
                    int(d["potential_dwellings"]),
                ),
            }
            for d in summary["districts"]
        ]
    return out
