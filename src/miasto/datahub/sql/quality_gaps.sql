-- The gaps between the parcels of {table}: the holes of their union above the tolerance
-- (parameter 1, m²), largest first, as (area, x, y of a point inside).
SELECT round(ST_Area(r)::numeric, 2), ST_X(ST_PointOnSurface(r)), ST_Y(ST_PointOnSurface(r))
FROM (
    SELECT ST_MakePolygon(ST_InteriorRingN(p, generate_series(1, ST_NumInteriorRings(p)))) r
    FROM (SELECT (ST_Dump(ST_Union(geom))).geom p FROM {table} WHERE geom IS NOT NULL) u
) h
WHERE ST_Area(r) > %s
ORDER BY 1 DESC
