-- Every residential parcel attached to its nearest edge (acc_parcel): the access distance from
-- the parcel boundary to the edge, and where along the edge it arrives (frac).
-- Parameter: uses (the residential building uses).
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
