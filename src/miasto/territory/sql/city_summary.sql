-- The city's name, TERYT, CRS84 bbox and centre, area, counts per spine layer, population.
SELECT json_build_object(
    'name', c.name,
    'teryt', c.teryt,
    'voivodeship', c.voivodeship,
    'fictional', c.fictional,
    'bbox', json_build_array(
        round(ST_XMin(b)::numeric, 6), round(ST_YMin(b)::numeric, 6),
        round(ST_XMax(b)::numeric, 6), round(ST_YMax(b)::numeric, 6)),
    'center', json_build_array(
        round(ST_X(ctr)::numeric, 6), round(ST_Y(ctr)::numeric, 6)),
    'area_km2', round((ST_Area(c.geom) / 1e6)::numeric, 2),
    'counts', json_build_object(
        'districts', (SELECT count(*) FROM territory_district),
        'precincts', (SELECT count(*) FROM territory_precinct),
        'parcels', (SELECT count(*) FROM territory_parcel),
        'buildings', (SELECT count(*) FROM territory_building),
        'addresses', (SELECT count(*) FROM territory_address),
        'streets', (SELECT count(*) FROM territory_street),
        'services', (SELECT count(*) FROM territory_publicservice),
        'constraints', (SELECT count(*) FROM territory_constraint),
        'org_units', (SELECT count(*) FROM territory_orgunit)
    ),
    'population', (SELECT COALESCE(sum(residents), 0) FROM territory_building),
    'dwellings', (SELECT COALESCE(sum(dwellings), 0) FROM territory_building)
)
FROM (
    SELECT c.*, ST_Transform(ST_Envelope(c.geom), 4326)::box2d AS b,
           ST_Transform(ST_PointOnSurface(c.geom), 4326) AS ctr
    FROM territory_city c ORDER BY c.id LIMIT 1
) c
