-- Network distances from the services (acc_dd, one pgr_drivingDistance call), then every
-- (parcel, service, distance) candidate (acc_cand): through either end of the parcel's edge, or
-- along the edge it shares with a service. Composed in: equicost.
-- Parameters: edges (the edge query), search (the distance searched).
CREATE TEMP TABLE acc_dd ON COMMIT DROP AS
SELECT from_v, node, agg_cost FROM pgr_drivingDistance(
    %(edges)s, ARRAY(SELECT svid FROM acc_svc), %(search)s,
    directed => true, equicost => {equicost});
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
