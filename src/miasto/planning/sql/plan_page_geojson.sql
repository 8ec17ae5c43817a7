-- The plan page's map as one JSON object (planning.selectors.plan_page_geojson): zones,
-- building lines and OUZ/OZS/OSD areas of the plan in force on as_of (the current ones when
-- as_of is NULL) as FeatureCollections, and the plan's boundary; all in CRS84.
-- Parameters: plan (id), as_of (date or NULL).
SELECT json_build_object(
    'zones', (
        SELECT json_build_object('type', 'FeatureCollection', 'features',
            COALESCE(json_agg(json_build_object('type', 'Feature', 'id', z.id,
                'geometry', ST_AsGeoJSON(ST_Transform(z.geom, 4326), 6)::json,
                'properties', json_build_object('id', z.id, 'designation', z.designation,
                                                'symbol', z.symbol, 'name', z.name))
                ORDER BY z.designation, z.id), '[]'::json))
        FROM planning_zone z
        WHERE z.plan_id = %(plan)s AND (
            (%(as_of)s::date IS NULL AND z.valid_to IS NULL)
            OR (z.valid_from <= %(as_of)s::date
                AND (z.valid_to IS NULL OR z.valid_to > %(as_of)s::date)))),
    'lines', (
        SELECT json_build_object('type', 'FeatureCollection', 'features',
            COALESCE(json_agg(json_build_object('type', 'Feature', 'id', b.id,
                'geometry', ST_AsGeoJSON(ST_Transform(b.geom, 4326), 6)::json,
                'properties', json_build_object('id', b.id, 'kind', b.kind, 'zone', b.zone_id))
                ORDER BY b.id), '[]'::json))
        FROM planning_buildingline b
        WHERE b.plan_id = %(plan)s AND (
            (%(as_of)s::date IS NULL AND b.valid_to IS NULL)
            OR (b.valid_from <= %(as_of)s::date
                AND (b.valid_to IS NULL OR b.valid_to > %(as_of)s::date)))),
    'specials', (
        SELECT json_build_object('type', 'FeatureCollection', 'features',
            COALESCE(json_agg(json_build_object('type', 'Feature', 'id', s.id,
                'geometry', ST_AsGeoJSON(ST_Transform(s.geom, 4326), 6)::json,
                'properties', json_build_object('id', s.id, 'kind', s.kind,
                                                'designation', s.designation))
                ORDER BY s.kind, s.id), '[]'::json))
        FROM planning_specialarea s
        WHERE s.plan_id = %(plan)s AND (
            (%(as_of)s::date IS NULL AND s.valid_to IS NULL)
            OR (s.valid_from <= %(as_of)s::date
                AND (s.valid_to IS NULL OR s.valid_to > %(as_of)s::date)))),
    'boundary', (SELECT ST_AsGeoJSON(ST_Transform(p.geom, 4326), 6)::json
                 FROM planning_plan p WHERE p.id = %(plan)s)
)::text
