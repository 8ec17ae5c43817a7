"""Which unit handles a report: by its category and its place, in one SQL statement.

Rules (:class:`miasto.problems.models.RoutingRule`) name a category (or none: every category),
optionally a district or a drawn area, and a unit. The most specific rule covering the point
wins — an area before a district before the whole city, a rule for the category before one for
every category, then the lower priority; with no rule the category's own unit handles it. The
same statement finds the district the point lies in (for statistics by district) and whether
the point is inside the city at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from miasto.core import db

ROUTE_SQL = """
WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), %(srid)s) AS g)
SELECT
  COALESCE((
    SELECT r.unit_id FROM problems_routingrule r
    LEFT JOIN territory_district d ON d.id = r.district_id
    WHERE (r.service_id = s.id OR r.service_id IS NULL)
      AND (r.area IS NULL OR ST_Covers(r.area, pt.g))
      AND (r.district_id IS NULL OR ST_Covers(d.geom, pt.g))
    ORDER BY (r.area IS NOT NULL) DESC, (r.district_id IS NOT NULL) DESC,
             (r.service_id IS NOT NULL) DESC, r.priority, r.id
    LIMIT 1), s.unit_id) AS unit_id,
  (SELECT d.id FROM territory_district d WHERE ST_Covers(d.geom, pt.g) ORDER BY d.id LIMIT 1)
    AS district_id,
  EXISTS (SELECT 1 FROM territory_city c WHERE ST_Covers(c.geom, pt.g)) AS in_city
FROM problems_service s, pt
WHERE s.id = %(service)s
"""


#: the same for many reports at once (a batch import, the demo): one statement, so PostGIS
#: prepares the city's and districts' polygons once for every point
ROUTE_MANY_SQL = """
SELECT p.n,
  COALESCE((
    SELECT r.unit_id FROM problems_routingrule r
    LEFT JOIN territory_district d ON d.id = r.district_id
    WHERE (r.service_id = s.id OR r.service_id IS NULL)
      AND (r.area IS NULL OR ST_Covers(r.area, p.g))
      AND (r.district_id IS NULL OR ST_Covers(d.geom, p.g))
    ORDER BY (r.area IS NOT NULL) DESC, (r.district_id IS NOT NULL) DESC,
             (r.service_id IS NOT NULL) DESC, r.priority, r.id
    LIMIT 1), s.unit_id) AS unit_id,
  (SELECT d.id FROM territory_district d WHERE ST_Covers(d.geom, p.g) ORDER BY d.id LIMIT 1),
  EXISTS (SELECT 1 FROM territory_city c WHERE ST_Covers(c.geom, p.g))
FROM (SELECT n, service, ST_SetSRID(ST_MakePoint(x, y), %(srid)s) AS g
      FROM unnest(%(service)s::bigint[], %(x)s::float8[], %(y)s::float8[])
           WITH ORDINALITY AS u(service, x, y, n)) p
JOIN problems_service s ON s.id = p.service
ORDER BY p.n
"""


@dataclass(frozen=True)
class Route:
    unit_id: int
    district_id: int | None
    in_city: bool


def route(service_id: int, x: float, y: float) -> Route | None:
    """The unit, district and whether the point (EPSG:2180) is in the city; None: no such
    category."""
    row = db.fetch_one(
        ROUTE_SQL, {"x": x, "y": y, "srid": int(settings.MIASTO_SRID), "service": service_id}
    )
    if row is None:
        return None
    return Route(unit_id=row[0], district_id=row[1], in_city=bool(row[2]))


def route_many(points: list[tuple[int, float, float]]) -> list[Route | None]:
    """:func:`route` for many (category id, x, y) at once, in their order."""
    if not points:
        return []
    services, xs, ys = (list(column) for column in zip(*points, strict=True))
    rows = db.fetch_all(
        ROUTE_MANY_SQL,
        {"srid": int(settings.MIASTO_SRID), "service": services, "x": xs, "y": ys},
    )
    found = {n: Route(unit_id=u, district_id=d, in_city=bool(c)) for n, u, d, c in rows}
    return [found.get(n) for n in range(1, len(points) + 1)]
