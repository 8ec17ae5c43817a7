"""Coverage of the city by local plans (MPZP and other plan areas), over time.

For each :class:`~miasto.planning.zoneset.ZoneSet` (one per date of a series, and possibly a
scenario): the area of the city and of each district covered by zones of category
``plan_area``, and the residents of the buildings whose point-on-surface lies in them.

How (set-based, all dates in one statement after a few small inserts):

- each zone set's plan areas go to a temporary table; identical zones (same id, same
  geometry) of different dates are measured once, on their pieces of at most 256 vertices;
  the costly steps are unlogged tables made on parallel workers;
- area of a date = Σ area(piece ∩ unit) over the zones in force on that date − Σ area of the
  pairwise overlaps of zones of different plans in force on that date (the zones of one plan
  never overlap; exact when no point lies in three plan areas at once);
- a building counts for a unit (city, district) where its point-on-surface lies, and as
  covered on a date when that point lies in any plan area of that date (buildings are grouped
  by the set of plan areas they lie in, so a series of dates multiplies the sets, not the
  buildings);
- the overlays are written with the safe ``miasto_*`` functions and run with the plain ones
  unless GEOS throws (:func:`~miasto.core.overlay.execute_overlay`); pieces cut now are on the
  1 mm grid like the stored ones (``miasto_pieces``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from psycopg import sql

from miasto.core.db import execute, fetch_all, fetch_value
from miasto.core.overlay import execute_overlay
from miasto.core.sql import as_text
from miasto.planning.analyses.common import districts, r1, share
from miasto.planning.analyses.config import analysis_config_for
from miasto.planning.statuses import ENACTED_STATUSES
from miasto.planning.zoneset import ZoneSet

CITY_UNIT = 0  # the unit id of the whole city (districts use their ids)
MAX_DATES = 100

_SETUP = [
    # a caller's outer transaction (a scenario comparison, tests) keeps ON COMMIT DROP tables
    "DROP TABLE IF EXISTS an_cov_zone, an_cov_key",
    # (date, zone variant) keys, and each zone variant's geometry once: the same zone is in
    # force on many dates, so its geometry is neither copied nor sorted per date
    """CREATE TEMP TABLE an_cov_key (d int, id int, scenario bool, h text) ON COMMIT DROP""",
    """CREATE TEMP TABLE an_cov_zone (id int, plan_id int, scenario bool, h text,
       clipped bool, geom geometry) ON COMMIT DROP""",
    "CREATE INDEX ON an_cov_zone (id)",
]

# ``h`` tells the variants of one zone apart: a scenario's draft clips the zones in force it
# covers, so only a zone set with drafts needs the digest of each geometry
_INSERT = sql.SQL("""
WITH z AS MATERIALIZED (
    SELECT z.id, z.plan_id, z.scenario, {h} AS h, z.clipped,
           CASE WHEN z.clipped THEN z.geom END AS geom  -- else: the zone's stored pieces
    FROM ({zs}) z WHERE z.category = 'plan_area' AND NOT ST_IsEmpty(z.geom)
), k AS (
    INSERT INTO an_cov_key (d, id, scenario, h) SELECT %(an_d)s, id, scenario, h FROM z
)
INSERT INTO an_cov_zone (id, plan_id, scenario, h, clipped, geom)
SELECT z.id, z.plan_id, z.scenario, z.h, z.clipped, z.geom FROM z
WHERE NOT EXISTS (SELECT 1 FROM an_cov_zone x
                  WHERE x.id = z.id AND x.scenario = z.scenario AND x.h = z.h)
""")
#: ``h`` of a zone set with drafts, and without
_DIGEST = sql.SQL("md5(ST_AsBinary(z.geom))")
_NO_DIGEST = sql.SQL("''")

# The costly steps are UNLOGGED tables named for the computation (``an_cov_<random>_…``), made
# by CREATE
# TABLE AS so that they run on parallel workers (temporary tables are invisible to them);
# dropped at the end, or with the transaction of a failed computation.
_SETTINGS = (
    sql.SQL("SET LOCAL jit = off"),  # compiling these plans costs more than running them
    sql.SQL("SET LOCAL work_mem = '64MB'"),
    sql.SQL("SET LOCAL min_parallel_table_scan_size = '256kB'"),  # the pieces drive the joins
    # rows passed up from the workers are cheap next to a serial hash join of the buildings
    # with the parcels (docs/planning.md, "Why the analyses are shaped as they are")
    sql.SQL("SET LOCAL parallel_tuple_cost = 0.01"),
)
# In the statements, ``{piece}``, ``{unit}``… name the computation's tables (see _run_tables).
_PREPARE = [
    # pieces of at most 256 vertices: ready-made (planning_zone_piece) unless clipped
    sql.SQL("""CREATE UNLOGGED TABLE {piece} AS
       SELECT z.id, z.plan_id, z.scenario, z.h, pc.geom
       FROM an_cov_zone z
       JOIN planning_zone_piece pc ON pc.zone_id = z.id AND pc.size = 256
       WHERE NOT z.clipped
       UNION ALL
       SELECT id, plan_id, scenario, h, miasto_pieces(geom, 256) FROM an_cov_zone
       WHERE clipped"""),
    sql.SQL("CREATE INDEX ON {piece} USING gist (geom)"),
    sql.SQL("ANALYZE {piece}"),
    sql.SQL("""CREATE UNLOGGED TABLE {unit} AS
       SELECT %(city_unit)s AS unit, miasto_pieces(c.geom, 256) AS geom
       FROM (SELECT geom FROM territory_city ORDER BY id LIMIT 1) c
       UNION ALL
       SELECT d.id, miasto_pieces(d.geom, 256) FROM territory_district d"""),
    sql.SQL("CREATE INDEX ON {unit} USING gist (geom)"),
    sql.SQL("ANALYZE {unit}"),
    # residential buildings and their district: through parcel → block, else by location
    # (the building's stored point-on-surface, ``geom_point``)
    sql.SQL("""CREATE UNLOGGED TABLE {bld} AS
       SELECT b.id, b.residents, bl.district_id AS unit
       FROM territory_building b
       LEFT JOIN territory_parcel p ON p.id = b.parcel_id
       LEFT JOIN territory_block bl ON bl.id = p.block_id
       WHERE b.residents > 0"""),
    sql.SQL("""UPDATE {bld} x SET unit = (
           SELECT u.unit FROM {unit} u, territory_building b
           WHERE b.id = x.id AND u.unit <> %(city_unit)s
             AND u.geom && b.geom_point AND ST_Intersects(u.geom, b.geom_point)
           ORDER BY u.unit LIMIT 1)
       WHERE x.unit IS NULL"""),
    # buildings in each plan area (piece-driven: the piece is prepared once for its buildings)
    sql.SQL("""CREATE UNLOGGED TABLE {bld_key} AS
       SELECT DISTINCT b.id, p.id AS zid, p.scenario, p.h
       FROM {piece} p
       JOIN territory_building b ON b.geom_point && p.geom
            AND ST_Intersects(p.geom, b.geom_point)
       WHERE b.residents > 0"""),
    # area of each zone variant's pieces per unit, measured inside the join (OFFSET 0), so
    # each unit stays prepared
    sql.SQL("""CREATE UNLOGGED TABLE {piece_area} AS
       SELECT id, scenario, h, unit, sum(a) AS a FROM (
           SELECT p.id, p.scenario, p.h, u.unit,
                  CASE WHEN miasto_covers(u.geom, p.geom) THEN ST_Area(p.geom)
                       ELSE ST_Area(miasto_intersection(p.geom, u.geom)) END AS a
           FROM {unit} u
           JOIN {piece} p ON p.geom && u.geom AND miasto_intersects(u.geom, p.geom)
           OFFSET 0
       ) x GROUP BY 1, 2, 3, 4"""),
    # pairwise overlaps of zones of different plans, per unit
    sql.SQL("""CREATE UNLOGGED TABLE {overlap} AS
       SELECT id1, s1, h1, id2, s2, h2, unit, sum(a) AS a FROM (
           SELECT a.id AS id1, a.scenario AS s1, a.h AS h1, b.id AS id2, b.scenario AS s2,
                  b.h AS h2, u.unit,
                  ST_Area(miasto_intersection(miasto_intersection(a.geom, b.geom), u.geom)) AS a
           FROM {piece} a
           JOIN {piece} b ON b.geom && a.geom AND a.id < b.id AND a.plan_id <> b.plan_id
                AND miasto_intersects(a.geom, b.geom)
                AND miasto_relate(a.geom, b.geom, '2********')
           JOIN {unit} u ON u.geom && a.geom AND u.geom && b.geom
           OFFSET 0
       ) x GROUP BY 1, 2, 3, 4, 5, 6, 7"""),
    sql.SQL("ANALYZE an_cov_key"),
    sql.SQL("ANALYZE {bld_key}"),
]
_STEP_TABLES = ("piece", "unit", "bld", "bld_key", "piece_area", "overlap")

_RESULT = sql.SQL("""
WITH covered_area AS (
    SELECT k.d, pa.unit, sum(pa.a) AS a
    FROM an_cov_key k JOIN {piece_area} pa USING (id, scenario, h)
    GROUP BY 1, 2
),
overlap_area AS (
    SELECT k1.d, o.unit, sum(o.a) AS a
    FROM {overlap} o
    JOIN an_cov_key k1 ON k1.id = o.id1 AND k1.scenario = o.s1 AND k1.h = o.h1
    JOIN an_cov_key k2 ON k2.d = k1.d AND k2.id = o.id2 AND k2.scenario = o.s2
         AND k2.h = o.h2
    GROUP BY 1, 2
),
-- buildings grouped by the set of zone variants they lie in (a few ten thousand sets for
-- 600 000 buildings): a set is covered on a date when one of its variants is in force then,
-- so the dates multiply the sets, not the buildings
bld_set AS (
    SELECT s.vs, b.unit, sum(b.residents) AS n
    FROM (SELECT id, array_agg(zid || '/' || scenario || '/' || h ORDER BY zid, scenario, h)
                 AS vs
          FROM {bld_key} GROUP BY id) s
    JOIN {bld} b ON b.id = s.id
    GROUP BY 1, 2
),
set_date AS (
    SELECT DISTINCT k.d, s.vs, s.unit, s.n
    FROM bld_set s CROSS JOIN LATERAL unnest(s.vs) AS v
    JOIN (SELECT d, id || '/' || scenario || '/' || h AS v FROM an_cov_key) k ON k.v = v.v
),
covered_pop AS (
    SELECT d, unit, GROUPING(unit) AS whole, sum(n) AS n
    FROM set_date GROUP BY GROUPING SETS ((d, unit), (d))
),
pop AS (
    SELECT unit, GROUPING(unit) AS whole, sum(residents) AS n
    FROM {bld} GROUP BY GROUPING SETS ((unit), ())
)
SELECT 'area' AS what, c.d, c.unit, c.a - COALESCE(o.a, 0)
FROM covered_area c LEFT JOIN overlap_area o USING (d, unit)
UNION ALL
SELECT 'covered_population', d, CASE WHEN whole = 1 THEN %(city_unit)s ELSE unit END, n
FROM covered_pop WHERE whole = 1 OR unit IS NOT NULL
UNION ALL
SELECT 'population', NULL, CASE WHEN whole = 1 THEN %(city_unit)s ELSE unit END, n
FROM pop WHERE whole = 1 OR unit IS NOT NULL
UNION ALL
SELECT 'unit_area', NULL, %(city_unit)s, ST_Area(geom)
FROM (SELECT geom FROM territory_city ORDER BY id LIMIT 1) c
UNION ALL
SELECT 'unit_area', NULL, d.id, ST_Area(d.geom) FROM territory_district d
""")


def first_plan_date() -> dt.date | None:
    """The day the first local plan (not a POG) came into force, if any did."""
    return fetch_value(
        "SELECT min(valid_from) FROM planning_plan WHERE kind <> 'pog' AND status = ANY(%s)",
        [sorted(str(s) for s in ENACTED_STATUSES)],
    )


def series_dates(
    start: dt.date | None = None, end: dt.date | None = None, step_years: int | None = None
) -> list[dt.date]:
    """``start``, every ``step_years`` years after it, and ``end`` (today by default).

    The default start is 1 January of the year the first local plan came into force.
    """
    end = end or dt.date.today()
    if start is None:
        first = first_plan_date()
        start = dt.date(first.year, 1, 1) if first else end
    step = step_years or analysis_config_for(end).coverage_step_years
    dates: list[dt.date] = []
    year = start.year
    while True:
        day = _same_day(start, year)
        if day >= end or len(dates) >= MAX_DATES:
            break
        dates.append(day)
        year += step
    dates.append(end)
    return dates


def _same_day(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def coverage(zone_sets: Sequence[ZoneSet] | ZoneSet) -> dict[str, Any]:
    """Coverage by plan areas for each zone set (a date of the series, or a scenario)."""
    if isinstance(zone_sets, ZoneSet):
        zone_sets = [zone_sets]
    zone_sets = list(zone_sets)
    figures = _Figures.of(_coverage_rows(zone_sets))
    units = districts()
    series = [
        {
            "date": zs.as_of.isoformat(),
            "scenario": zs.is_scenario,
            "city": figures.of_unit(i, CITY_UNIT),
            "districts": [
                {"code": u["code"], "name": u["name"], **figures.of_unit(i, u["id"])} for u in units
            ],
        }
        for i, zs in enumerate(zone_sets)
    ]
    config = analysis_config_for(zone_sets[-1].as_of if zone_sets else None)
    return {
        "analysis": "coverage",
        "category": "plan_area",
        "units": {"area": "m2", "share": "fraction"},
        "configuration": config.key,
        "dates": [s["date"] for s in series],
        "series": series,
    }


def _run_tables() -> dict[str, sql.Identifier]:
    """The step tables of one computation (``an_cov_<random>_<step>``) by step name."""
    t = f"an_cov_{secrets.token_hex(6)}"
    return {name: sql.Identifier(f"{t}_{name}") for name in _STEP_TABLES}


def _coverage_rows(zone_sets: list[ZoneSet]) -> list[tuple[Any, ...]]:
    """The rows of the result statement (``what, date index, unit, value``) for the zone
    sets, in one transaction: their plan areas, the step tables, the result."""
    with transaction.atomic():
        for setup in _SETUP:
            execute(setup)
        for i, zs in enumerate(zone_sets):
            h = _DIGEST if zs.drafts else _NO_DIGEST
            execute(_INSERT.format(zs=zs.query, h=h), {**zs.params(), "an_d": i})
        tables = _run_tables()
        params = {"city_unit": CITY_UNIT}
        workers = int(getattr(settings, "MIASTO_BATCH_PARALLEL_WORKERS", 2))
        # a batch computation may use both cores (the web's settings turn parallel query off)
        execute(
            sql.SQL("SET LOCAL max_parallel_workers_per_gather = {}").format(sql.Literal(workers))
        )
        for setting in _SETTINGS:
            execute(setting)
        with connection.cursor() as cursor:
            for statement in _PREPARE:
                execute_overlay(
                    cursor, as_text(statement.format(**tables)), params,
                    what=_("plan areas in the districts"),
                )  # fmt: skip
        rows = fetch_all(_RESULT.format(**tables), params)
        execute(
            sql.SQL("DROP TABLE {}").format(sql.SQL(", ").join(tables[n] for n in _STEP_TABLES))
        )
    return rows


@dataclass
class _Figures:
    """The result rows by kind: unit areas, populations, covered area and population by
    (date index, unit)."""

    unit_area: dict[int, float] = field(default_factory=dict)
    population: dict[int, int] = field(default_factory=dict)
    covered: dict[tuple[int, int], float] = field(default_factory=dict)
    covered_pop: dict[tuple[int, int], int] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: list[tuple[Any, ...]]) -> _Figures:
        figures = cls()
        for what, d, unit, value in rows:
            if what == "unit_area":
                figures.unit_area[unit] = float(value or 0)
            elif what == "population":
                figures.population[unit] = int(value or 0)
            elif what == "area":
                figures.covered[(d, unit)] = float(value or 0)
            else:
                figures.covered_pop[(d, unit)] = int(value or 0)
        return figures

    def of_unit(self, d: int, unit: int) -> dict[str, Any]:
        """The figures of ``unit`` on the ``d``-th zone set."""
        area = self.unit_area.get(unit)
        cov = min(self.covered.get((d, unit), 0.0), area) if area is not None else 0.0
        pop = self.population.get(unit, 0)
        cpop = self.covered_pop.get((d, unit), 0)
        return {
            "area": r1(area),
            "covered_area": r1(cov),
            "area_share": share(cov, area),
            "population": pop,
            "covered_population": cpop,
            "population_share": share(cpop, pop),
        }


def coverage_series(
    start: dt.date | None = None,
    end: dt.date | None = None,
    step_years: int | None = None,
    scenario: ZoneSet | None = None,
) -> dict[str, Any]:
    """Coverage of the plans in force on each date of :func:`series_dates`; with a scenario,
    one more entry for the scenario's zone set (``"scenario": true``)."""
    zone_sets = [ZoneSet(as_of=d) for d in series_dates(start, end, step_years)]
    if scenario is not None:
        zone_sets.append(scenario)
    return coverage(zone_sets)
