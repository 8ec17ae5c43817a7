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

from miasto.accessibility.models import Run, Standard
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


def _prepare(cursor: Any, say: Progress) -> dict[str, int]:
    """The graph and the parcels' attachments, as temporary tables dropped on commit."""
    srid = int(settings.MIASTO_SRID)
    uses = [str(u) for u in Building.RESIDENTIAL_USES]
    say(2, "sieć dróg")
    cursor.execute(
        """
        DROP TABLE IF EXISTS acc_seg, acc_vertex, acc_edge, acc_parcel, acc_svc, acc_svc_edge,
            acc_dd, acc_cand;
        CREATE TEMP TABLE acc_seg ON COMMIT DROP AS
        SELECT id, geom, ST_Length(geom) AS len,
               ST_X(ST_StartPoint(geom)) AS sx, ST_Y(ST_StartPoint(geom)) AS sy,
               ST_X(ST_EndPoint(geom)) AS ex, ST_Y(ST_EndPoint(geom)) AS ey
        FROM territory_roadsegment WHERE walkable AND ST_Length(geom) > 0;
        CREATE TEMP TABLE acc_vertex ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY x, y) AS vid, x, y,
               ST_SetSRID(ST_MakePoint(x, y), %(srid)s) AS geom
        FROM (SELECT sx AS x, sy AS y FROM acc_seg UNION SELECT ex, ey FROM acc_seg) v;
        CREATE INDEX ON acc_vertex (x, y);
        CREATE INDEX ON acc_vertex USING gist (geom);
        ANALYZE acc_vertex;
        CREATE TEMP TABLE acc_edge ON COMMIT DROP AS
        SELECT s.id, a.vid AS source, b.vid AS target, s.len AS cost, s.geom
        FROM acc_seg s
        JOIN acc_vertex a ON a.x = s.sx AND a.y = s.sy
        JOIN acc_vertex b ON b.x = s.ex AND b.y = s.ey;
        CREATE INDEX ON acc_edge USING gist (geom);
        ANALYZE acc_edge;
        """,
        {"srid": srid},
    )
    say(5, "działki mieszkaniowe")
    cursor.execute(
        """
        CREATE TEMP TABLE acc_parcel ON COMMIT DROP AS
        SELECT p.id AS parcel_id, p.precinct_id, r.residents, e.id AS edge, e.source, e.target,
               e.cost AS len,
               ST_LineLocatePoint(e.geom, ST_ClosestPoint(e.geom, p.geom)) AS frac,
               ST_Distance(p.geom, e.geom) AS access
        FROM (
            SELECT parcel_id, sum(residents)::bigint AS residents FROM territory_building
            WHERE use = ANY(%(uses)s) AND parcel_id IS NOT NULL GROUP BY parcel_id
        ) r
        JOIN territory_parcel p ON p.id = r.parcel_id
        CROSS JOIN LATERAL (
            SELECT id, source, target, cost, geom FROM acc_edge ORDER BY geom <-> p.geom LIMIT 1
        ) e;
        CREATE INDEX ON acc_parcel (source);
        CREATE INDEX ON acc_parcel (target);
        CREATE INDEX ON acc_parcel (edge);
        ANALYZE acc_parcel;
        """,
        {"uses": uses},
    )
    cursor.execute("SELECT (SELECT count(*) FROM acc_vertex), (SELECT count(*) FROM acc_parcel)")
    vertices, parcels = cursor.fetchone()
    return {"vertices": int(vertices), "residential_parcels": int(parcels)}


def _attach_services(cursor: Any, standard: Standard) -> int:
    """Services of this standard as virtual vertices with one-way edges into the network."""
    min_area = float(standard.min_area_ha or 0) * 10_000
    area_filter = ""
    if standard.aggregate == "single_area":
        area_filter = "AND ST_Area(s.area_geom) >= %(min_area)s"
    cursor.execute(
        f"""
        DROP TABLE IF EXISTS acc_svc, acc_svc_edge;
        CREATE TEMP TABLE acc_svc ON COMMIT DROP AS
        SELECT s.id, %(base)s + s.id AS svid, COALESCE(ST_Area(s.area_geom), 0) AS area,
               COALESCE(ST_Boundary(s.area_geom), s.geom) AS src, s.area_geom,
               e.id AS edge, e.source, e.target, e.cost AS len,
               ST_LineLocatePoint(e.geom,
                   ST_ClosestPoint(e.geom, COALESCE(s.area_geom, s.geom))) AS frac,
               ST_Distance(COALESCE(s.area_geom, s.geom), e.geom) AS access
        FROM territory_publicservice s
        CROSS JOIN LATERAL (
            SELECT id, source, target, cost, geom FROM acc_edge
            ORDER BY geom <-> COALESCE(s.area_geom, s.geom) LIMIT 1
        ) e
        WHERE s.kind = ANY(%(kinds)s) {area_filter};
        CREATE TEMP TABLE acc_svc_edge ON COMMIT DROP AS
        SELECT svid, source AS vid, access + frac * len AS cost FROM acc_svc
        UNION ALL
        SELECT svid, target, access + (1 - frac) * len FROM acc_svc
        UNION ALL
        SELECT s.svid, v.vid, ST_Distance(v.geom, s.area_geom)
        FROM acc_svc s JOIN acc_vertex v ON ST_DWithin(v.geom, s.area_geom, %(entrance)s)
        WHERE s.area_geom IS NOT NULL;
        """,
        {
            "base": SERVICE_VID,
            "kinds": list(standard.service_kinds),
            "min_area": min_area,
            "entrance": AREA_ENTRANCE_M,
        },
    )
    cursor.execute("SELECT count(*) FROM acc_svc")
    return int(cursor.fetchone()[0])


EDGES_SQL = (
    "SELECT id, source, target, cost, cost AS reverse_cost FROM acc_edge "
    "UNION ALL SELECT -row_number() OVER (), svid, vid, cost, -1 FROM acc_svc_edge"
)


def _compute_standard(cursor: Any, standard: Standard, run: Run) -> dict[str, Any]:
    services = _attach_services(cursor, standard)
    cursor.execute("DELETE FROM accessibility_result WHERE standard_id = %s", [standard.pk])
    limit = standard.distance_m * REPORT_FACTOR
    params = {
        "std": standard.pk,
        "run": run.pk,
        "limit": float(standard.distance_m),
        "search": limit,
        "edges": EDGES_SQL,
        "base": SERVICE_VID,
        "min_area": float(standard.min_area_ha or 0) * 10_000,
    }
    if services == 0:
        cursor.execute(
            """
            INSERT INTO accessibility_result (standard_id, parcel_id, run_id, met)
            SELECT %(std)s, parcel_id, %(run)s, false FROM acc_parcel
            """,
            params,
        )
        return {"services": 0}
    equicost = standard.aggregate != "sum_area"
    cursor.execute(
        f"""
        CREATE TEMP TABLE acc_dd ON COMMIT DROP AS
        SELECT from_v, node, agg_cost FROM pgr_drivingDistance(
            %(edges)s, ARRAY(SELECT svid FROM acc_svc), %(search)s,
            directed => true, equicost => {"true" if equicost else "false"});
        CREATE INDEX ON acc_dd (node);
        ANALYZE acc_dd;
        CREATE TEMP TABLE acc_cand ON COMMIT DROP AS
        SELECT p.parcel_id, d.from_v AS svid, d.agg_cost + p.frac * p.len + p.access AS dist
        FROM acc_parcel p JOIN acc_dd d ON d.node = p.source
        UNION ALL
        SELECT p.parcel_id, d.from_v, d.agg_cost + (1 - p.frac) * p.len + p.access
        FROM acc_parcel p JOIN acc_dd d ON d.node = p.target
        UNION ALL
        SELECT p.parcel_id, s.svid, abs(p.frac - s.frac) * p.len + p.access + s.access
        FROM acc_parcel p JOIN acc_svc s ON s.edge = p.edge;
        """,
        params,
    )
    if equicost:
        best = """
            SELECT DISTINCT ON (parcel_id) parcel_id, svid, dist
            FROM acc_cand ORDER BY parcel_id, dist
        """
        met = "b.dist <= %(limit)s"
    else:
        best = """
            SELECT parcel_id, min(nearest) AS svid,
                   min(dist) FILTER (WHERE cum >= %(min_area)s) AS dist
            FROM (
                SELECT parcel_id, dist,
                       first_value(svid) OVER w AS nearest,
                       sum(a.area) OVER (w ROWS UNBOUNDED PRECEDING) AS cum
                FROM (
                    SELECT parcel_id, svid, min(dist) AS dist FROM acc_cand
                    GROUP BY parcel_id, svid
                ) pairs JOIN acc_svc a USING (svid)
                WINDOW w AS (PARTITION BY parcel_id ORDER BY dist, svid)
            ) c GROUP BY parcel_id
        """
        met = "b.dist <= %(limit)s"
    cursor.execute(
        f"""
        INSERT INTO accessibility_result
            (standard_id, parcel_id, run_id, met, distance_m, service_id)
        SELECT %(std)s, p.parcel_id, %(run)s, COALESCE({met}, false), round(b.dist::numeric, 1),
               b.svid - %(base)s
        FROM acc_parcel p LEFT JOIN ({best}) b USING (parcel_id);
        DROP TABLE acc_dd, acc_cand;
        """,
        params,
    )
    return {"services": services}


def _store_shares(cursor: Any, standard: Standard, run: Run) -> dict[str, Any]:
    cursor.execute("DELETE FROM accessibility_share WHERE standard_id = %s", [standard.pk])
    cursor.execute(
        """
        INSERT INTO accessibility_share
            (run_id, standard_id, district_id, parcels, parcels_met, residents, residents_met)
        SELECT %(run)s, %(std)s, pr.district_id, count(*), count(*) FILTER (WHERE r.met),
               COALESCE(sum(p.residents), 0), COALESCE(sum(p.residents) FILTER (WHERE r.met), 0)
        FROM accessibility_result r
        JOIN acc_parcel p USING (parcel_id)
        LEFT JOIN territory_precinct pr ON pr.id = p.precinct_id
        WHERE r.standard_id = %(std)s
        GROUP BY GROUPING SETS ((pr.district_id), ())
        HAVING GROUPING(pr.district_id) = 1 OR pr.district_id IS NOT NULL
        RETURNING district_id, parcels, parcels_met, residents, residents_met
        """,
        {"run": run.pk, "std": standard.pk},
    )
    for district, parcels, parcels_met, residents, residents_met in cursor.fetchall():
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
        with connection.cursor() as cursor:
            # a long batch job: parallel plans do help here (unlike for web requests)
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 2")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            stats.update(_prepare(cursor, say))
            for i, standard in enumerate(standards):
                say(10 + 85 * i / max(len(standards), 1), standard.name)
                t0 = time.monotonic()
                info = _compute_standard(cursor, standard, run)
                info.update(_store_shares(cursor, standard, run))
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
    autovacuum comes by, the parcel report's index lookups wade through the dead ones (measured
    at 1 M parcels: 1.2 → 4.6 ms per report after three computations). Not possible inside an
    outer transaction (tests, a caller's atomic block): then autovacuum does it."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) accessibility_result, accessibility_share")
