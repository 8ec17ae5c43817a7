-- The heat map of a map question: a square grid over its places (cells of the given metres
-- in EPSG:2180), each cell with the number of places touching it (a route or area counts in
-- every cell it crosses) and their mean score (ratings). GeoJSON in WGS 84.
WITH p AS (
    SELECT geom, score FROM surveys_place WHERE question_id = %(question)s
),
cells AS (
    SELECT g.geom, count(*) AS n, round(avg(p.score), 2) AS mean
    FROM ST_SquareGrid(%(cell)s, (SELECT ST_SetSRID(ST_Extent(geom), %(srid)s) FROM p)) AS g
    JOIN p ON ST_Intersects(g.geom, p.geom)
    GROUP BY g.geom
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'cell', %(cell)s,
    'max', coalesce((SELECT max(n) FROM cells), 0),
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'geometry', ST_AsGeoJSON(ST_Transform(cells.geom, 4326), 6)::json,
        'properties', json_build_object('count', cells.n, 'mean', cells.mean)
    ) ORDER BY cells.n DESC), '[]'::json)
)
FROM cells
