WITH a AS (
    SELECT a.id, a.label, a.geom, row_number() OVER (ORDER BY a.id) AS n,
           count(*) OVER () AS total
    FROM territory_address a JOIN territory_building b ON b.id = a.building_id
    WHERE b.use IN ('multi_family', 'mixed')
)
SELECT row_number() OVER (ORDER BY id) AS lp,
       CASE WHEN n % 3 = 0 THEN 'lokal interwencyjny' ELSE 'mieszkanie chronione' END AS rodzaj,
       (1 + n % 4)::integer AS miejsca, label AS adres, geom
FROM a WHERE n % GREATEST(1, LEAST(60, total / 5)) = 0 ORDER BY id
