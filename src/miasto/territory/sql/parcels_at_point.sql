-- GeoJSON features (CRS84) of the parcels containing the point (x, y, its SRID, storage SRID).
SELECT COALESCE(json_agg(json_build_object(
    'type', 'Feature',
    'id', p.identifier,
    'geometry', ST_AsGeoJSON(ST_Transform(p.geom, 4326), 7)::json,
    'properties', json_build_object(
        'identifier', p.identifier,
        'area', p.area,
        'precinct', pr.unit || '.' || pr.code,
        'precinct_name', pr.name,
        'district', d.name,
        'url', '/api/v1/parcels/' || p.identifier
    )
) ORDER BY p.identifier), '[]'::json)
FROM territory_parcel p
JOIN territory_precinct pr ON pr.id = p.precinct_id
LEFT JOIN territory_district d ON d.id = pr.district_id
WHERE ST_Intersects(p.geom, ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), %s))
