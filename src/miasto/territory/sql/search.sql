-- Search suggestions, best first, with what the map needs (a CRS84 point to mark, a box to
-- fit, the parcel to open). Filled by territory.search: the found rows of each kind the query
-- may be (kind, rank, ord, label, detail, parcel, pt, bb — one row per object at its best rank).
-- rank: 0 exact identifier, 1 exact name or address, 2 beginning, 3 similar (typo).
WITH found (kind, rank, ord, label, detail, parcel, pt, bb) AS ({found})
SELECT kind AS type, label, detail, parcel,
       json_build_array(round(ST_X(p)::numeric, 6), round(ST_Y(p)::numeric, 6)) AS point,
       CASE WHEN box IS NOT NULL THEN json_build_array(
           round(ST_XMin(box)::numeric, 6), round(ST_YMin(box)::numeric, 6),
           round(ST_XMax(box)::numeric, 6), round(ST_YMax(box)::numeric, 6)) END AS bbox,
       rank
FROM (
    SELECT f.*, ST_Transform(f.pt, 4326) AS p, ST_Transform(f.bb, 4326)::box2d AS box
    FROM (
        SELECT *, CASE WHEN rank <= 1  -- exact: an address before a street named so, an area
            -- named so before a parcel numbered so in an area (Łęgi 2: the precinct)
            THEN array_position(ARRAY['address', 'street', 'district', 'precinct', 'parcel'], kind)
            ELSE array_position(ARRAY['street', 'district', 'address', 'parcel', 'precinct'], kind)
            END AS kind_order
        FROM found
        ORDER BY rank, ord, kind_order, length(label), label
        LIMIT %(limit)s
    ) f
) r
ORDER BY rank, ord, kind_order, length(label), label
