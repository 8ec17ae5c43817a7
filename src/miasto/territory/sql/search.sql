-- Search suggestions: the hits of each kind (id, rank, ord), one row per object at its best
-- rank, with what the map needs (a CRS84 point to mark, a box to fit, the parcel to open).
-- Fields filled by territory.search: the hits of parcels, addresses, streets, precincts and
-- districts (each a SELECT of id, rank, ord) and the road class's translated label.
-- rank: 0 exact identifier, 1 exact name or address, 2 beginning, 3 similar (typo).
WITH parcel_hits AS ({parcels}),
address_hits AS ({addresses}),
street_hits AS ({streets}),
precinct_hits AS ({precincts}),
district_hits AS ({districts}),
hits AS (
    SELECT DISTINCT ON (kind, id) kind, id, rank, ord FROM (
        SELECT 'parcel' AS kind, id, rank, ord FROM parcel_hits
        UNION ALL SELECT 'address', id, rank, ord FROM address_hits
        UNION ALL SELECT 'street', id, rank, ord FROM street_hits
        UNION ALL SELECT 'precinct', id, rank, ord FROM precinct_hits
        UNION ALL SELECT 'district', id, rank, ord FROM district_hits
    ) h
    ORDER BY kind, id, rank, ord
),
found AS (
    SELECT h.kind, h.rank, h.ord, p.identifier AS label,
           concat_ws(', ', pr.name, d.name, round(p.area)::text || ' m²') AS detail,
           p.identifier AS parcel, ST_PointOnSurface(p.geom) AS pt, ST_Envelope(p.geom) AS bb
    FROM hits h
    JOIN territory_parcel p ON h.kind = 'parcel' AND p.id = h.id
    JOIN territory_precinct pr ON pr.id = p.precinct_id
    LEFT JOIN territory_district d ON d.id = pr.district_id
    UNION ALL
    SELECT h.kind, h.rank, h.ord, a.label, concat_ws(', ', a.postcode, d.name),
           p.identifier, a.geom, NULL::geometry
    FROM hits h
    JOIN territory_address a ON h.kind = 'address' AND a.id = h.id
    LEFT JOIN territory_parcel p ON p.id = a.parcel_id
    LEFT JOIN territory_precinct pr ON pr.id = p.precinct_id
    LEFT JOIN territory_district d ON d.id = pr.district_id
    UNION ALL
    SELECT h.kind, h.rank, h.ord, s.kind || ' ' || s.name, {road_class},
           NULL, ST_ClosestPoint(s.geom, ST_Centroid(s.geom)), ST_Envelope(s.geom)
    FROM hits h
    JOIN territory_street s ON h.kind = 'street' AND s.id = h.id
    UNION ALL
    SELECT h.kind, h.rank, h.ord, pr.name,
           concat_ws(', ', %(precinct_word)s || ' ' || pr.unit || '.' || pr.code, d.name),
           NULL, ST_PointOnSurface(pr.geom), ST_Envelope(pr.geom)
    FROM hits h
    JOIN territory_precinct pr ON h.kind = 'precinct' AND pr.id = h.id
    LEFT JOIN territory_district d ON d.id = pr.district_id
    UNION ALL
    SELECT h.kind, h.rank, h.ord, d.name, NULL::text, NULL, ST_PointOnSurface(d.geom),
           ST_Envelope(d.geom)
    FROM hits h
    JOIN territory_district d ON h.kind = 'district' AND d.id = h.id
)
SELECT kind AS type, label, detail, parcel,
       json_build_array(round(ST_X(p)::numeric, 6), round(ST_Y(p)::numeric, 6)) AS point,
       CASE WHEN box IS NOT NULL THEN json_build_array(
           round(ST_XMin(box)::numeric, 6), round(ST_YMin(box)::numeric, 6),
           round(ST_XMax(box)::numeric, 6), round(ST_YMax(box)::numeric, 6)) END AS bbox,
       rank
FROM (
    SELECT f.*, ST_Transform(f.pt, 4326) AS p, ST_Transform(f.bb, 4326)::box2d AS box
    FROM (
        SELECT *, CASE WHEN rank <= 1  -- exact: an address before a street named so
            THEN array_position(ARRAY['address', 'street', 'district', 'parcel', 'precinct'], kind)
            ELSE array_position(ARRAY['street', 'district', 'address', 'parcel', 'precinct'], kind)
            END AS kind_order
        FROM found
        ORDER BY rank, ord, kind_order, length(label), label
        LIMIT %(limit)s
    ) f
) r
ORDER BY rank, ord, kind_order, length(label), label
