"""Bulk computation of the accessibility standards with pgRouting, set-based, in one transaction.

1. The walking graph is built from ``territory_roadsegment`` (walkable segments): vertices are
   the distinct exact segment endpoints, an edge's cost is its length, both directions.
2. Every residential parcel (one with a residential building) is attached to its nearest edge:
   the access distance is measured from the parcel *boundary* to the nearest point of the
   network, then along the edge to either end vertex.
3. Every service is a virtual start vertex with one-way edges into the network: to both ends of
   its nearest edge (costs: distance from the service — or a green area's boundary — plus the
   way along the edge) and, for areas, to every network vertex within
   :data:`AREA_ENTRANCE_M` of the polygon (a park is entered from any street along it).
4. One ``pgr_drivingDistance`` call per standard, from all its service vertices, limited to
   :data:`REPORT_FACTOR` × the standard's distance (distances are reported a little beyond the
   limit, so a parcel 1 600 m away shows 1 600 m, not "none"). ``nearest`` and ``single_area``
   use ``equicost`` (each vertex keeps its nearest service); ``sum_area`` keeps every
   (service, vertex) pair and sums the areas reachable in order of distance: the stored
   distance is the one at which the areas reach the minimum.
5. Results replace the standard's previous rows; shares per district and city are stored too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql

from miasto.accessibility.models import Run, Standard
from miasto.core.db import execute, fetch_all, fetch_one, fetch_value, load_sql
from miasto.territory.models import Building

#: Distances are searched up to this multiple of the standard's distance.
REPORT_FACTOR = 2.0
#: A green area is entered from every network vertex this close to its boundary (m).
AREA_ENTRANCE_M = 30.0
#: Virtual vertex ids of services: this offset + the service id (far above real vertex ids).
SERVICE_VID = 10**12

Progress = Callable[[float, str], None]


def _noop(_p: float, _m: str) -> None:
    return None


def _statement(name: str) -> str:
    return load_sql("miasto.accessibility", name)


def _prepare(say: Progress) -> dict[str, int]:
    """The graph and the parcels' attachments, as temporary tables dropped on commit."""
    say(2, "sieć dróg")
    execute(_statement("graph"), {"srid": int(settings.MIASTO_SRID)})
    say(5, "działki mieszkaniowe")
    execute(_statement("parcels"), {"uses": [str(u) for u in Building.RESIDENTIAL_USES]})
    vertices, parcels = fetch_one(
        "SELECT (SELECT count(*) FROM acc_vertex), (SELECT count(*) FROM acc_parcel)"
    ) or (0, 0)
    return {"vertices": int(vertices), "residential_parcels": int(parcels)}


def _attach_services(standard: Standard) -> int:
    """Services of this standard as virtual vertices with one-way edges into the network."""
    area_filter = sql.SQL("")
    if standard.aggregate == "single_area":
        area_filter = sql.SQL("AND ST_Area(s.area_geom) >= %(min_area)s")
    execute(
        sql.SQL(_statement("services")).format(area_filter=area_filter),
        {
            "base": SERVICE_VID,
            "kinds": list(standard.service_kinds),
            "min_area": float(standard.min_area_ha or 0) * 10_000,
            "entrance": AREA_ENTRANCE_M,
        },
    )
    return int(fetch_value("SELECT count(*) FROM acc_svc"))


EDGES_SQL = (
    "SELECT id, source, target, cost, cost AS reverse_cost FROM acc_edge "
    "UNION ALL SELECT -row_number() OVER (), svid, vid, cost, -1 FROM acc_svc_edge"
)

#: ``nearest`` and ``single_area``: each parcel's nearest service (equicost keeps one per vertex)
BEST_NEAREST = sql.SQL("""
    SELECT DISTINCT ON (parcel_id) parcel_id, svid, dist
    FROM acc_cand ORDER BY parcel_id, dist
""")

RESULTS = sql.SQL("""
    INSERT INTO accessibility_result
        (standard_id, parcel_id, run_id, met, distance_m, service_id)
    SELECT %(std)s, p.parcel_id, %(run)s, COALESCE(b.dist <= %(limit)s, false),
           round(b.dist::numeric, 1), b.svid - %(base)s
    FROM acc_parcel p LEFT JOIN ({best}) b USING (parcel_id);
    DROP TABLE acc_dd, acc_cand;
""")


def _compute_standard(standard: Standard, run: Run) -> dict[str, Any]:
    services = _attach_services(standard)
    execute("DELETE FROM accessibility_result WHERE standard_id = %s", [standard.pk])
    params = {
        "std": standard.pk,
        "run": run.pk,
        "limit": float(standard.distance_m),
        "search": standard.distance_m * REPORT_FACTOR,
        "edges": EDGES_SQL,
        "base": SERVICE_VID,
        "min_area": float(standard.min_area_ha or 0) * 10_000,
    }
    if services == 0:
        execute(
            """
            INSERT INTO accessibility_result (standard_id, parcel_id, run_id, met)
            SELECT %(std)s, parcel_id, %(run)s, false FROM acc_parcel
            """,
            params,
        )
        return {"services": 0}
    equicost = standard.aggregate != "sum_area"
    execute(sql.SQL(_statement("candidates")).format(equicost=sql.Literal(equicost)), params)
    best = BEST_NEAREST if equicost else sql.SQL(_statement("best_sum_area"))
    execute(RESULTS.format(best=best), params)
    return {"services": services}


def _store_shares(standard: Standard, run: Run) -> dict[str, Any]:
    execute("DELETE FROM accessibility_share WHERE standard_id = %s", [standard.pk])
    rows = fetch_all(_statement("shares"), {"run": run.pk, "std": standard.pk})
    for district, parcels, parcels_met, residents, residents_met in rows:
        if district is None:
            return {
                "parcels": parcels,
                "parcels_met": parcels_met,
                "residents": residents,
                "residents_met": residents_met,
            }
    return {"parcels": 0, "parcels_met": 0, "residents": 0, "residents_met": 0}


def standard_config(standard: Standard) -> dict[str, Any]:
    return {
        "code": standard.code,
        "version": standard.version,
        "distance_m": standard.distance_m,
        "min_area_ha": float(standard.min_area_ha) if standard.min_area_ha is not None else None,
        "aggregate": standard.aggregate,
        "service_kinds": list(standard.service_kinds),
        "legal_basis": standard.legal_basis,
    }


def accessibility_compute(
    *, codes: Iterable[str] | None = None, progress: Progress | None = None
) -> Run:
    """Compute the active standards (or only ``codes``) for every residential parcel.

    Atomic: the previous results of the computed standards are replaced only when all succeed.
    """
    say = progress or _noop
    standards = list(Standard.objects.active())
    if codes is not None:
        wanted = set(codes)
        unknown = wanted - {s.code for s in standards}
        if unknown:
            raise ValueError("Nieznany lub nieaktywny standard: " + ", ".join(sorted(unknown)))
        standards = [s for s in standards if s.code in wanted]
    started = time.monotonic()
    with transaction.atomic():
        run = Run.objects.create(config=[standard_config(s) for s in standards])
        stats: dict[str, Any] = {"standards": {}}
        # a long batch job: parallel plans do help here (unlike for web requests)
        execute("SET LOCAL max_parallel_workers_per_gather = 2")
        execute("SET LOCAL work_mem = '256MB'")
        stats.update(_prepare(say))
        for i, standard in enumerate(standards):
            say(10 + 85 * i / max(len(standards), 1), standard.name)
            t0 = time.monotonic()
            info = _compute_standard(standard, run)
            info.update(_store_shares(standard, run))
            info["seconds"] = round(time.monotonic() - t0, 2)
            stats["standards"][standard.code] = info
        run.duration_s = round(time.monotonic() - started, 2)
        run.finished_at = timezone.now()
        run.status = Run.Status.DONE
        run.stats = stats
        run.save(update_fields=["duration_s", "finished_at", "status", "stats"])
    _vacuum_results()
    say(100, "gotowe")
    return run


def _vacuum_results() -> None:
    """Reclaim the replaced results at once: a computation replaces millions of rows, and until
    autovacuum comes by, the parcel report's index lookups wade through the dead ones (see
    docs/architecture.md, "Why the queries are shaped as they are"). Not possible inside an
    outer transaction (tests, a caller's atomic block): then autovacuum does it."""
    if connection.in_atomic_block:
        return
    execute("VACUUM (ANALYZE) accessibility_result, accessibility_share")
