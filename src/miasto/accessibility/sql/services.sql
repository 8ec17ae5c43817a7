-- A standard's services as virtual vertices (acc_svc) with one-way edges into the network
-- (acc_svc_edge): to both ends of the nearest edge and, for areas, to every vertex within the
-- entrance distance. Composed in: area_filter. Parameters: base, kinds, min_area, entrance.
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
