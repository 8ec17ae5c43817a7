"""Building capacity (*chłonność*) of the parcels and the housing balance.

Per parcel, for the zones of a :class:`~miasto.planning.zoneset.ZoneSet` — the same rule as
the totals of the parcel planning report (:mod:`miasto.planning.report`):

- the parts of the parcel in each zone are measured; a part counts only if it is at least
  ``report_min_area`` m² and ``report_min_share`` of the parcel (catalogue in force);
- the binding zones are the local-plan areas (``plan_area``) when any cover the parcel,
  otherwise the general-plan (POG) zones (``basis``);
- allowed above-ground floor area = Σ part area × max intensity of the binding zones;
  existing floor area = Σ footprint × storeys of the parcel's buildings; remaining = allowed −
  existing, not below 0. Only parcels whose binding zones allow some floor area are kept;
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
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from miasto.core.tilecache import revision_token
from miasto.planning.analyses.common import fetch_all, r1, share
from miasto.planning.analyses.config import AnalysisConfig, analysis_config_for
from miasto.planning.catalogue import catalogue_for
from miasto.planning.zoneset import ZoneSet

#: tables whose changes make a stored run stale
INPUT_TABLES = ("planning_plan", "planning_zone", "territory_parcel", "territory_building")
#: runs kept (the newest); older ones are deleted when a new one is written
KEEP_RUNS = 12
MAX_PAGE_SIZE = 1000

RULE = (
    "Chłonność działki: suma (powierzchnia części działki w terenie × maksymalna intensywność "
    "zabudowy) terenów wiążących — terenów planów miejscowych, a gdzie ich brak stref planu "
    "ogólnego — minus istniejąca powierzchnia całkowita budynków (powierzchnia zabudowy × "
    "liczba kondygnacji), nie mniej niż 0."
)

#: vertices per zone piece: small pieces stay out of TOAST and are prepared cheaply
PIECE_VERTICES = 32  # one of the sizes kept in planning_zone_piece (32, 256)

_PIECES = [
    "SET LOCAL jit = off",  # compiling these plans costs more than running them
    # (left over when an outer transaction holds on: ON COMMIT DROP has not dropped them yet)
    "DROP TABLE IF EXISTS an_cap_piece, an_cap_part, an_cap_bound, an_cap_kept, "
    "an_cap_allowed, an_cap_existing",
    # small pieces (stored inline, below the TOAST threshold): compared and prepared cheaply
    """CREATE TEMP TABLE an_cap_piece (id int, category text, symbol text,
           max_intensity numeric, res_share numeric, geom geometry) ON COMMIT DROP""",
    # pieces: ready-made (planning_zone_piece) for the stored zones, cut now for the zones a
    # scenario's draft clips
    f"""INSERT INTO an_cap_piece
       WITH z AS MATERIALIZED (
           SELECT z.id, z.category, z.symbol, z.max_intensity, z.clipped,
                  CASE WHEN z.symbol = ANY(%(res_symbols)s)
                            OR z.land_use_classes ?| %(res_classes)s
                       THEN COALESCE((%(res_share)s::jsonb ->> z.symbol)::numeric, 1)
                       ELSE 0 END AS res_share,
                  CASE WHEN z.clipped THEN z.geom END AS geom
           FROM ({{zs}}) z WHERE NOT ST_IsEmpty(z.geom)
       )
       SELECT z.id, z.category, z.symbol, z.max_intensity, z.res_share, pc.geom
       FROM z JOIN planning_zone_piece pc ON pc.zone_id = z.id AND pc.size = {PIECE_VERTICES}
       WHERE NOT z.clipped
       UNION ALL
       SELECT id, category, symbol, max_intensity, res_share,
              CASE WHEN ST_IsValid(g) THEN g ELSE ST_CollectionExtract(ST_MakeValid(g), 3)
              END
       FROM (SELECT z.*, ST_Subdivide(z.geom, {PIECE_VERTICES}) AS g FROM z
             WHERE z.clipped) s""",
    "CREATE INDEX ON an_cap_piece USING gist (geom)",
    "ANALYZE an_cap_piece",
]

# Parts of parcels in the zones of one category, in two passes:
# 1. parcels inside one piece (most of them): piece-driven, each piece prepared once for the
#    parcels it touches — the part is the whole parcel, no overlay needed;
# 2. the other parcels (across zone edges or piece cuts): parcel-driven, the overlay measured
#    with each piece they meet. (Zones of one category overlap only in faulty data; a parcel
#    inside a piece is then counted in that zone only.)
# General-plan zones are measured only for the parcels that no local-plan area binds.
_PART_INSIDE = """
INSERT INTO an_cap_part (parcel_id, zone_id, category, a)
SELECT p.id, k.id, k.category, ST_Area(p.geom)
FROM an_cap_piece k
JOIN territory_parcel p ON p.geom && k.geom AND ST_Covers(k.geom, p.geom)
WHERE k.category = %(category)s {skip}
"""
#: vertices above which a parcel is measured in pieces
PARCEL_PIECE_VERTICES = 128

_PART_ACROSS = """
INSERT INTO an_cap_part (parcel_id, zone_id, category, a)
SELECT parcel_id, zone_id, %(category)s, sum(a) FROM (
    SELECT p.id AS parcel_id, k.id AS zone_id, ST_Area(ST_Intersection(pp.g, k.geom)) AS a
    FROM territory_parcel p
    -- a large parcel (a road parcel of a whole precinct: thousands of vertices) is measured
    -- in pieces, or its overlay with each of the hundreds of zone pieces it meets dominates
    CROSS JOIN LATERAL (
        SELECT p.geom AS g WHERE ST_NPoints(p.geom) <= {big}
        UNION ALL SELECT ST_Subdivide(p.geom, {big}) WHERE ST_NPoints(p.geom) > {big}
    ) pp
    JOIN an_cap_piece k ON k.geom && pp.g AND k.category = %(category)s
         AND ST_Intersects(k.geom, pp.g)
    WHERE NOT EXISTS (SELECT 1 FROM an_cap_part x
                      WHERE x.parcel_id = p.id AND x.category = %(category)s) {skip}
    OFFSET 0
) y GROUP BY 1, 2
"""
_SKIP_BOUND = "AND NOT EXISTS (SELECT 1 FROM an_cap_bound b WHERE b.parcel_id = p.id)"
# a part counts only if it is not a sliver (as in the parcel planning report)
_NOT_SLIVER = "part.a >= %(min_area)s AND part.a >= %(min_share)s * ST_Area(p.geom)"

# Each step is a temporary table with fresh statistics, so the planner joins the big tables
# by hash instead of guessing one row per step.
_STEPS: list[str | tuple[str, str]] = [
    """CREATE TEMP TABLE an_cap_part (parcel_id int, zone_id int, category text, a float8)
       ON COMMIT DROP""",
    ("plan_area", _PART_INSIDE.format(skip="")),
    "ANALYZE an_cap_part",
    ("plan_area", _PART_ACROSS.format(skip="", big=PARCEL_PIECE_VERTICES)),
    f"""CREATE TEMP TABLE an_cap_bound ON COMMIT DROP AS
       SELECT DISTINCT part.parcel_id FROM an_cap_part part
       JOIN territory_parcel p ON p.id = part.parcel_id WHERE {_NOT_SLIVER}""",
    "ANALYZE an_cap_bound",
    ("pog_zone", _PART_INSIDE.format(skip=_SKIP_BOUND)),
    "ANALYZE an_cap_part",
    ("pog_zone", _PART_ACROSS.format(skip=_SKIP_BOUND, big=PARCEL_PIECE_VERTICES)),
    "ANALYZE an_cap_part",
    f"""CREATE TEMP TABLE an_cap_kept ON COMMIT DROP AS
       SELECT part.parcel_id, part.a, z.category, z.symbol, z.max_intensity, z.res_share
       FROM an_cap_part part
       JOIN (SELECT DISTINCT ON (id) id, category, symbol, max_intensity, res_share
             FROM an_cap_piece ORDER BY id) z ON z.id = part.zone_id
       JOIN territory_parcel p ON p.id = part.parcel_id
       WHERE {_NOT_SLIVER}""",
    "ANALYZE an_cap_kept",
    """CREATE TEMP TABLE an_cap_allowed ON COMMIT DROP AS
       WITH basis AS (
           SELECT parcel_id, CASE WHEN bool_or(category = 'plan_area') THEN 'plan_area'
                                  ELSE 'pog_zone' END AS b
           FROM an_cap_kept GROUP BY parcel_id
       )
       SELECT k.parcel_id, b.b AS basis,
              string_agg(DISTINCT k.symbol, ', ' ORDER BY k.symbol) AS symbols,
              sum(k.a) AS area,
              sum(k.a * k.max_intensity) AS max_floor,
              sum(k.a * k.max_intensity * k.res_share) AS res_floor
       FROM an_cap_kept k JOIN basis b ON b.parcel_id = k.parcel_id AND b.b = k.category
       GROUP BY k.parcel_id, b.b
       HAVING sum(k.a * k.max_intensity) > 0""",
    "ANALYZE an_cap_allowed",
    """CREATE TEMP TABLE an_cap_existing ON COMMIT DROP AS
       SELECT b.parcel_id, sum(ST_Area(b.geom) * b.storeys) AS floor
       FROM territory_building b JOIN an_cap_allowed a ON a.parcel_id = b.parcel_id
       GROUP BY b.parcel_id""",
    "ANALYZE an_cap_existing",
]

_INSERT = """
WITH figures AS (
    SELECT a.*, COALESCE(e.floor, 0) AS existing,
           GREATEST(a.max_floor - COALESCE(e.floor, 0), 0) AS remaining
    FROM an_cap_allowed a LEFT JOIN an_cap_existing e ON e.parcel_id = a.parcel_id
),
housing AS (
    SELECT f.*, f.remaining * f.res_floor / f.max_floor AS res_remaining
    FROM figures f
)
INSERT INTO planning_capacity_parcel (
    run_id, parcel_id, district_id, block_id, basis, symbols, area, max_floor_area,
    existing_floor_area, remaining_floor_area, residential_floor_area, dwellings, residents)
SELECT %(run)s, h.parcel_id,
       COALESCE(bl.district_id, (
           SELECT d.id FROM territory_district d
           WHERE d.geom && p.geom AND ST_Intersects(d.geom, ST_PointOnSurface(p.geom))
           ORDER BY d.id LIMIT 1)),
       p.block_id, h.basis, h.symbols, h.area, h.max_floor, h.existing, h.remaining,
       h.res_remaining,
       floor(h.res_remaining * %(usable_to_gross)s / %(usable_per_dwelling)s)::int,
       floor(h.res_remaining * %(usable_to_gross)s / %(usable_per_dwelling)s)
           * %(persons)s
FROM housing h
JOIN territory_parcel p ON p.id = h.parcel_id
LEFT JOIN territory_block bl ON bl.id = p.block_id
"""


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
    with transaction.atomic(), connection.cursor() as cursor:
        # one computation per key at a time; the others wait and then find it
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"capacity:{key}"])
        found = _find_run(key)
        if found:
            return found
        started = time.monotonic()
        cursor.execute(
            """INSERT INTO planning_capacity_run (key, as_of, scenario, zoneset, configuration)
               VALUES (%s, %s, %s, %s::jsonb, %s) RETURNING id""",
            [key, zones.as_of, zones.is_scenario, json.dumps(_zoneset_json(zones)), config.key],
        )
        run_id = cursor.fetchone()[0]
        catalogue = catalogue_for(zones.as_of)
        params = {
            **zones.params(),
            "res_symbols": list(config.residential_symbols),
            "res_classes": list(config.residential_classes),
            "res_share": json.dumps({k: str(v) for k, v in config.residential_share.items()}),
        }
        for sql in _PIECES:
            sql = sql.format(zs=zones.sql)
            cursor.execute(sql, params if "%(" in sql else None)
        slivers = {"min_area": catalogue.report_min_area, "min_share": catalogue.report_min_share}
        for step in _STEPS:
            if isinstance(step, tuple):
                cursor.execute(step[1], {"category": step[0]})
            else:
                cursor.execute(step, slivers if "%(" in step else None)
        cursor.execute(
            _INSERT,
            {
                "run": run_id,
                "usable_to_gross": config.usable_to_gross,
                "usable_per_dwelling": config.usable_area_per_dwelling,
                "persons": config.persons_per_dwelling,
            },
        )
        count = cursor.rowcount
        cursor.execute(
            "UPDATE planning_capacity_run SET duration_s = %s, parcels = %s WHERE id = %s",
            [round(time.monotonic() - started, 3), count, run_id],
        )
        cursor.execute(
            """DELETE FROM planning_capacity_run WHERE id NOT IN (
                   SELECT id FROM planning_capacity_run ORDER BY computed_at DESC, id DESC
                   LIMIT %s)""",
            [KEEP_RUNS],
        )
    found = _find_run(key)
    assert found is not None
    return found


def capacity_stored(zones: ZoneSet) -> bool:
    """Whether a run for this zone set is stored and current (reading it takes ≈ 1 s; a
    computation takes minutes at a million parcels, so callers on the web start a job)."""
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

_SUMS = """
    count(c.parcel_id) AS parcels, sum(c.area) AS area, sum(c.max_floor_area) AS max_floor,
    sum(c.existing_floor_area) AS existing, sum(c.remaining_floor_area) AS remaining,
    sum(c.residential_floor_area) AS residential, sum(c.dwellings) AS dwellings,
    sum(c.residents) AS residents"""

_FIGURES = (
    "parcels", "area", "max_floor_area", "existing_floor_area", "remaining_floor_area",
    "residential_floor_area", "potential_dwellings", "potential_residents",
)  # fmt: skip


def _figures(row: tuple | None) -> dict[str, Any]:
    if row is None:
        row = (0, 0, 0, 0, 0, 0, 0, 0)
    parcels, area, max_floor, existing, remaining, residential, dwellings, residents = row
    return {
        "parcels": int(parcels or 0),
        "area": r1(area or 0),
        "max_floor_area": r1(max_floor or 0),
        "existing_floor_area": r1(existing or 0),
        "remaining_floor_area": r1(remaining or 0),
        "residential_floor_area": r1(residential or 0),
        "potential_dwellings": int(dwellings or 0),
        "potential_residents": int(round(float(residents or 0))),
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
    city_row = fetch_all(f"SELECT {_SUMS} FROM planning_capacity_parcel c WHERE c.run_id = %s",
                         [run["id"]])  # fmt: skip
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
        rows = fetch_all(
            f"""
            SELECT d.id, d.code, d.name, {_SUMS}
            FROM territory_district d
            LEFT JOIN planning_capacity_parcel c ON c.district_id = d.id AND c.run_id = %s
            WHERE (%s::text IS NULL OR d.code = %s)
            GROUP BY d.id, d.code, d.name ORDER BY d.code
            """,
            [run["id"], district, district],
        )
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
            f"""
            SELECT {_PARCEL_COLUMNS}
            FROM planning_capacity_parcel c
            JOIN territory_parcel p ON p.id = c.parcel_id
            LEFT JOIN territory_district d ON d.id = c.district_id
            LEFT JOIN territory_block bl ON bl.id = c.block_id
            WHERE c.run_id = %s AND (%s::text IS NULL OR d.code = %s)
            ORDER BY p.identifier
            """,
            [run["id"], district, district],
            page,
            page_size,
            _parcel_dict,
        )
    return result


_BLOCK_SQL = f"""
    SELECT bl.code, d.code, d.name, {_SUMS}
    FROM planning_capacity_parcel c
    JOIN territory_block bl ON bl.id = c.block_id
    JOIN territory_district d ON d.id = bl.district_id
    WHERE c.run_id = %s AND (%s::text IS NULL OR d.code = %s)
    GROUP BY bl.code, d.code, d.name ORDER BY bl.code
"""


def _block_dict(r: tuple) -> dict[str, Any]:
    return {"code": r[0], "district": r[1], "district_name": r[2], **_figures(r[3:])}


def capacity_blocks(zones: ZoneSet, district: str | None = None) -> list[dict[str, Any]]:
    """Every block with capacity (optionally of one district) — for CSV."""
    run = capacity_run(zones)
    return [_block_dict(r) for r in fetch_all(_BLOCK_SQL, [run["id"], district, district])]


_PARCEL_COLUMNS = """p.identifier, d.code, bl.code, c.basis, c.symbols, c.area, c.max_floor_area,
    c.existing_floor_area, c.remaining_floor_area, c.residential_floor_area, c.dwellings,
    c.residents"""

PARCEL_FIELDS = (
    "identifier", "district", "block", "basis", "symbols", "area", "max_floor_area",
    "existing_floor_area", "remaining_floor_area", "residential_floor_area",
    "potential_dwellings", "potential_residents",
)  # fmt: skip


def _parcel_dict(r: tuple) -> dict[str, Any]:
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
        "potential_dwellings": int(r[10]),
        "potential_residents": round(float(r[11]), 1),
    }


def _page(sql: str, params: list[Any], page: int, size: int, convert) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    count = fetch_all(f"SELECT count(*) FROM ({sql}) q", params)[0][0]
    rows = fetch_all(f"{sql} LIMIT %s OFFSET %s", [*params, size, (page - 1) * size])
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
        rows = fetch_all(
            f"""
            SELECT {_PARCEL_COLUMNS}
            FROM planning_capacity_parcel c
            JOIN territory_parcel p ON p.id = c.parcel_id
            LEFT JOIN territory_district d ON d.id = c.district_id
            LEFT JOIN territory_block bl ON bl.id = c.block_id
            WHERE c.run_id = %s AND p.identifier > %s AND (%s::text IS NULL OR d.code = %s)
            ORDER BY p.identifier LIMIT 5000
            """,
            [run_id, last, district, district],
        )
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
