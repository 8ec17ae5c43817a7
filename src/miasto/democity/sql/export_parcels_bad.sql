WITH p AS (
    SELECT identifier, area, land_use, geom, row_number() OVER (ORDER BY id) AS n
    FROM territory_parcel
    WHERE precinct_id = (SELECT precinct_id FROM territory_parcel
                         GROUP BY precinct_id ORDER BY count(*) DESC, precinct_id LIMIT 1)
)
SELECT identifier, area, land_use,
       CASE WHEN n % 8 = 1 THEN ST_Multi(ST_Buffer(geom, 3, 'join=mitre'))::geometry(MultiPolygon, {srid})
            ELSE geom END AS geom
FROM p
UNION ALL
SELECT identifier, area, land_use, geom FROM p WHERE n = 2
