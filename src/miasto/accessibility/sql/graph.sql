-- The walking graph as temporary tables dropped on commit: walkable segments (acc_seg), their
-- distinct exact endpoints as vertices (acc_vertex), the segments as edges costing their length
-- (acc_edge). Parameter: srid.
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
