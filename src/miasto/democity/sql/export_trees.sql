WITH seg AS (
    SELECT id, geom FROM territory_roadsegment
    WHERE road_class IN ('L', 'D') AND ST_Length(geom) > 60
),
side AS (
    SELECT id, s, ST_GeometryN(ST_OffsetCurve(geom, 7 * s), 1) AS g
    FROM seg, (VALUES (1), (-1)) v(s)
),
pts AS (
    SELECT id, s, (ST_Dump(ST_LineInterpolatePoints(g, LEAST(0.5, 25 / ST_Length(g))))).geom AS geom
    FROM side WHERE GeometryType(g) = 'LINESTRING' AND ST_Length(g) > 50
),
n AS (SELECT row_number() OVER (ORDER BY id, s, ST_X(geom), ST_Y(geom)) AS n, geom FROM pts)
SELECT 'DR-' || lpad(n::text, 6, '0') AS nr_inw,
       (ARRAY['lipa drobnolistna', 'klon zwyczajny', 'kasztanowiec biały', 'jesion wyniosły',
              'dąb szypułkowy', 'robinia akacjowa', 'platan klonolistny', 'grab pospolity',
              'jarząb szwedzki', 'wiąz szypułkowy'])[1 + ((n * 7 + n / 13) % 10)] AS gatunek,
       (40 + (n * 37) % 180)::integer AS obwod_cm,
       round((4 + (n * 13) % 140 / 10.0)::numeric, 1) AS wysokosc_m,
       (ARRAY['dobry', 'dobry', 'dobry', 'zadowalający', 'zadowalający', 'zły',
              'do usunięcia'])[1 + ((n * 11 + n / 7) % 7)] AS stan,
       (2023 - (n * 17) % 40)::integer AS rok_nasadzenia, geom
FROM n ORDER BY n
