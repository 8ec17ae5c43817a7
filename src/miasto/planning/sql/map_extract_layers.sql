-- The layers of a map extract (planning.mapsvg.map_extract), in one statement: every layer
-- clipped to the window (x0 y0 x1 y1, storage CRS srid) and moved to paper millimetres
-- (ST_Affine by k, tx, ty) as ST_AsSVG path data; zones and building lines in force on as_of
-- in plans of the given statuses; label points of zones and parcels in paper millimetres;
-- each zone's area on the parcels (m², for the map's description in words).
-- Each layer keeps only the parts of its own dimension (ST_CollectionExtract): a clip at the
-- window edge can leave a GEOMETRYCOLLECTION, which ST_AsSVG would write with semicolons.
WITH w AS (SELECT ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, %(srid)s) AS box),
subj AS (SELECT id, identifier, number, geom FROM territory_parcel
         WHERE identifier = ANY(%(ids)s)),
inforce AS (
    SELECT z.* FROM planning_zone z JOIN planning_plan pl ON pl.id = z.plan_id, w
    WHERE z.geom && w.box AND pl.status = ANY(%(statuses)s)
      AND z.valid_from <= %(as_of)s AND (z.valid_to IS NULL OR z.valid_to > %(as_of)s)
),
su AS (SELECT ST_Union(geom) AS geom FROM subj),
-- the binding zones, as in the parcel report: the local plans' areas where they cover the
-- parcels, the general plan's zones on the rest — drawn cut away under the local plans' areas
-- when the parcels are bound by both
cover AS (
    SELECT ST_UnaryUnion(ST_Collect(ST_Intersection(z.geom, w.box))) AS g
    FROM inforce z, w WHERE z.category = 'plan_area' AND ST_Intersects(z.geom, w.box)
),
basis AS (
    SELECT EXISTS (
               SELECT 1 FROM inforce z JOIN subj s ON z.geom && s.geom
               WHERE z.category = 'plan_area' AND ST_Intersects(z.geom, s.geom)) AS plan,
           cover.g IS NULL OR ST_Area(ST_Difference(su.geom, cover.g)) >= 1 AS rest
    FROM cover, su
),
drawn AS (
    SELECT z.id, z.designation, z.symbol,
           CASE WHEN z.category = 'pog_zone' AND basis.plan
                THEN ST_Difference(ST_Intersection(z.geom, w.box), cover.g)
                ELSE ST_Intersection(z.geom, w.box) END AS g
    FROM inforce z, w, basis, cover
    WHERE ST_Intersects(z.geom, w.box)
      AND CASE WHEN z.category = 'plan_area' THEN basis.plan
               ELSE NOT basis.plan OR basis.rest END
)
SELECT json_build_object(
  'zones', COALESCE((SELECT json_agg(json_build_object(
        'designation', z.designation, 'symbol', z.symbol,
        'svg', ST_AsSVG(ST_Affine(z.g, %(k)s, 0, 0, %(k)s, %(tx)s, %(ty)s), 0, 2),
        'lx', round(((ST_X(z.lp) - %(x0)s) * %(k)s)::numeric, 2),
        'ly', round(((%(y1)s - ST_Y(z.lp)) * %(k)s)::numeric, 2),
        'paper_area', ST_Area(z.g) * %(k2)s,
        'parcel_area', round(z.pa::numeric))
        ORDER BY z.designation, z.id)
      FROM (SELECT zz.*, ST_Area(ST_Intersection(zz.g, su.geom)) AS pa, CASE WHEN ST_Area(ST_Intersection(zz.g, su.geom)) >= 1
                              THEN ST_PointOnSurface(ST_Intersection(zz.g, su.geom))
                              ELSE ST_PointOnSurface(zz.g) END AS lp
            FROM (SELECT d.id, d.designation, d.symbol, ST_CollectionExtract(d.g, 3) AS g
                  FROM drawn d) zz, su
            WHERE NOT ST_IsEmpty(zz.g)) z), '[]'::json),
  'constraints', COALESCE((SELECT json_agg(json_build_object(
        'kind', c.kind, 'svg', ST_AsSVG(ST_Affine(c.g, %(k)s, 0, 0, %(k)s, %(tx)s, %(ty)s), 0, 2))
        ORDER BY c.kind, c.id)
      FROM (SELECT c.id, c.kind, ST_CollectionExtract(ST_ClipByBox2D(c.geom, w.box::box2d), 3) AS g
            FROM territory_constraint c, w WHERE c.geom && w.box) c
      WHERE NOT ST_IsEmpty(c.g)), '[]'::json),
  'parcels', COALESCE((SELECT json_agg(json_build_object(
        'number', p.number, 'subject', p.subject,
        'svg', ST_AsSVG(ST_Affine(p.g, %(k)s, 0, 0, %(k)s, %(tx)s, %(ty)s), 0, 2),
        'lx', round(((ST_X(ST_PointOnSurface(p.g)) - %(x0)s) * %(k)s)::numeric, 2),
        'ly', round(((%(y1)s - ST_Y(ST_PointOnSurface(p.g))) * %(k)s)::numeric, 2),
        'paper_area', ST_Area(p.g) * %(k2)s)
        ORDER BY p.subject, p.id)
      FROM (SELECT p.id, p.number, p.id IN (SELECT id FROM subj) AS subject,
                   ST_CollectionExtract(ST_ClipByBox2D(p.geom, w.box::box2d), 3) AS g
            FROM territory_parcel p, w WHERE p.geom && w.box) p
      WHERE NOT ST_IsEmpty(p.g)), '[]'::json),
  'buildings', COALESCE((SELECT json_agg(json_build_object(
        'use', b.use, 'svg', ST_AsSVG(ST_Affine(b.g, %(k)s, 0, 0, %(k)s, %(tx)s, %(ty)s), 0, 2))
        ORDER BY b.id)
      FROM (SELECT b.id, b.use, ST_CollectionExtract(ST_ClipByBox2D(b.geom, w.box::box2d), 3) AS g
            FROM territory_building b, w WHERE b.geom && w.box) b
      WHERE NOT ST_IsEmpty(b.g)), '[]'::json),
  'lines', COALESCE((SELECT json_agg(json_build_object(
        'kind', l.kind, 'svg', ST_AsSVG(ST_Affine(l.g, %(k)s, 0, 0, %(k)s, %(tx)s, %(ty)s), 0, 2))
        ORDER BY l.kind, l.id)
      FROM (SELECT bl.id, bl.kind, ST_CollectionExtract(ST_Intersection(bl.geom, w.box), 2) AS g
            FROM planning_buildingline bl
            JOIN planning_plan pl ON pl.id = bl.plan_id
            LEFT JOIN planning_zone z ON z.id = bl.zone_id, w
            WHERE bl.geom && w.box AND pl.status = ANY(%(statuses)s)
              AND COALESCE(bl.valid_from, z.valid_from, pl.valid_from) <= %(as_of)s
              AND COALESCE(bl.valid_to, z.valid_to, pl.valid_to, 'infinity'::date)
                  > %(as_of)s) l
      WHERE NOT ST_IsEmpty(l.g)), '[]'::json)
)::text
