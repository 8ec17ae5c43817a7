-- The map's side panel of one parcel as JSON text. Composed in: use_label and kind_label
-- (the translated labels of the choices); the parameter: the parcel identifier.
SELECT json_build_object(
    'identifier', p.identifier,
    'number', p.number,
    'area', p.area,
    'geometry_area', round(ST_Area(p.geom)::numeric, 1),
    'land_use', p.land_use,
    'precinct', json_build_object(
        'identifier', pr.unit || '.' || pr.code, 'code', pr.code, 'name', pr.name),
    'district', CASE WHEN d.id IS NULL THEN NULL
                ELSE json_build_object('code', d.code, 'name', d.name) END,
    'block', bl.code,
    'addresses', COALESCE((
        SELECT json_agg(json_build_object('label', a.label, 'postcode', a.postcode)
                        ORDER BY a.label)
        FROM territory_address a WHERE a.parcel_id = p.id), '[]'::json),
    'buildings', COALESCE((
        SELECT json_agg(json_build_object(
            'identifier', b.identifier, 'use', b.use, 'use_label', {use_label},
            'storeys', b.storeys, 'height', b.height, 'dwellings', b.dwellings,
            'residents', b.residents, 'year_built', b.year_built,
            'footprint_area', round(ST_Area(b.geom)::numeric, 1)
        ) ORDER BY b.identifier)
        FROM territory_building b WHERE b.parcel_id = p.id), '[]'::json),
    'constraints', COALESCE((
        SELECT json_agg(json_build_object(
            'kind', c.kind, 'kind_label', {kind_label}, 'name', c.name,
            'legal_basis', c.legal_basis,
            'share', round((ST_Area(ST_Intersection(c.geom, p.geom))
                            / NULLIF(ST_Area(p.geom), 0))::numeric, 3)
        ) ORDER BY c.kind, c.name)
        FROM territory_constraint c
        WHERE c.geom && p.geom AND ST_Intersects(c.geom, p.geom)
          AND NOT ST_Touches(c.geom, p.geom)), '[]'::json),
    'geometry', ST_AsGeoJSON(ST_Transform(p.geom, 4326), 7)::json,
    'bbox', json_build_array(
        round(ST_XMin(bb)::numeric, 6), round(ST_YMin(bb)::numeric, 6),
        round(ST_XMax(bb)::numeric, 6), round(ST_YMax(bb)::numeric, 6)),
    'centroid', json_build_array(round(ST_X(ctr)::numeric, 6), round(ST_Y(ctr)::numeric, 6))
)::text
FROM (
    SELECT p.*, ST_Transform(ST_Envelope(p.geom), 4326)::box2d AS bb,
           ST_Transform(ST_PointOnSurface(p.geom), 4326) AS ctr
    FROM territory_parcel p WHERE p.identifier = %s
) p
JOIN territory_precinct pr ON pr.id = p.precinct_id
LEFT JOIN territory_district d ON d.id = pr.district_id
LEFT JOIN territory_block bl ON bl.id = p.block_id
