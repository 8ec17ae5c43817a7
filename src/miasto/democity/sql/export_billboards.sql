WITH seg AS (
    SELECT id, geom FROM territory_roadsegment
    WHERE road_class IN ('GP', 'G', 'Z') AND ST_Length(geom) > 100
),
pts AS (
    SELECT id, (ST_Dump(ST_LineInterpolatePoints(ST_GeometryN(ST_OffsetCurve(geom, 14), 1), 0.5))).geom AS p
    FROM seg WHERE GeometryType(ST_OffsetCurve(geom, 14)) = 'LINESTRING' AND id % 3 = 0
),
n AS (SELECT row_number() OVER (ORDER BY id) AS n, p FROM pts),
base AS (
    SELECT n, 'TR/2019/' || lpad(n::text, 4, '0') AS nr_ewid,
           (ARRAY['wolnostojący', 'na ogrodzeniu', 'na elewacji',
                  'siatka wielkoformatowa'])[1 + ((n) % 4)] AS rodzaj,
           CASE WHEN n % 9 = 4 THEN NULL
                ELSE (ARRAY['Reklamex sp. z o.o.', 'Billboard Polska S.A.', 'P.H.U. Nośnik',
                            'osoba fizyczna'])[1 + ((n / 3) % 4)] END AS wlasciciel,
           CASE WHEN n % 7 = 3 THEN NULL ELSE (ARRAY[12, 18, 24, 48])[1 + n % 4] END AS pow_m2,
           CASE WHEN n % 11 = 5 THEN '' ELSE (ARRAY['tak', 'nie', 'brak danych'])[1 + n % 3] END
               AS podswietl,
           CASE WHEN n % 23 = 11 THEN
                    ST_MakePolygon(ST_MakeLine(ARRAY[ST_Translate(p, -3, -1), ST_Translate(p, 3, 1),
                        ST_Translate(p, 3, -1), ST_Translate(p, -3, 1), ST_Translate(p, -3, -1)]))
                WHEN n IN (17, 29) THEN
                    ST_Expand(ST_Translate(p, (SELECT ST_XMax(geom) - ST_X(p) + 6000 FROM territory_city), 0), 3, 1)
                ELSE ST_Expand(p, 3, 1) END AS geom
    FROM n
)
SELECT nr_ewid, rodzaj, wlasciciel, pow_m2, podswietl, geom FROM base
UNION ALL
SELECT nr_ewid, rodzaj, wlasciciel, pow_m2, podswietl, geom FROM base WHERE n % 31 = 2
