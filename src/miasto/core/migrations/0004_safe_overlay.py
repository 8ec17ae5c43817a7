"""Overlay functions that do not give up on valid-but-fragile geometries, and the cutting of
geometries into pieces on a fixed precision grid (see :mod:`miasto.core.overlay`).

GEOS's relate (``ST_Intersects``, ``ST_Covers``, ``ST_Relate`` when the geometry is not
prepared) throws ``TopologyException: side location conflict`` on valid geometries with nearly
coincident edges — a zone with a zone-thin spike whose tip lies on a road parcel's edge stopped
the capacity analysis of the large demo city. ``miasto_*`` wrap the PostGIS function in an
exception block and, on a GEOS error, answer by a method that cannot fail there:

- ``miasto_intersects``: PostGIS's own distance (``ST_DWithin(a, b, 0)``: exact, no GEOS);
- ``miasto_covers``, ``miasto_relate``: the same predicate on both geometries reduced to the
  grid (OverlayNG's precision reduction drops the spikes and near-coincident vertices);
- ``miasto_intersection``, ``miasto_difference``: the overlay snap-rounded on the grid
  (``gridSize``, OverlayNG: robust for valid input).

A GEOS error the fallback cannot mend is raised as it is. An exception block is a
subtransaction, which PostgreSQL cannot start anywhere in a parallel query — not even in its
leader ("cannot start subtransactions during a parallel operation") — so they are PARALLEL
UNSAFE (a statement using them runs serially): batch steps run the plain functions in
parallel first and these only when that failed (:func:`miasto.core.overlay.execute_overlay`).

``miasto_pieces(g, n)``: ``ST_Subdivide`` into pieces of at most about ``n`` vertices, each
valid and on the 1 mm grid (:data:`miasto.core.overlay.GRID`), empty ones dropped — the form
the analyses' stored pieces keep.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION miasto_intersects(a geometry, b geometry) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
BEGIN
    RETURN ST_Intersects(a, b);
EXCEPTION WHEN internal_error THEN
    RETURN ST_DWithin(a, b, 0);
END $$;

CREATE FUNCTION miasto_covers(a geometry, b geometry) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
BEGIN
    RETURN ST_Covers(a, b);
EXCEPTION WHEN internal_error THEN
    RETURN ST_Covers(ST_ReducePrecision(a, 0.001), ST_ReducePrecision(b, 0.001));
END $$;

CREATE FUNCTION miasto_relate(a geometry, b geometry, pattern text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
BEGIN
    RETURN ST_Relate(a, b, pattern);
EXCEPTION WHEN internal_error THEN
    RETURN ST_Relate(ST_ReducePrecision(a, 0.001), ST_ReducePrecision(b, 0.001), pattern);
END $$;

CREATE FUNCTION miasto_intersection(a geometry, b geometry) RETURNS geometry
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
BEGIN
    RETURN ST_Intersection(a, b);
EXCEPTION WHEN internal_error THEN
    RETURN ST_Intersection(a, b, 0.001);
END $$;

CREATE FUNCTION miasto_difference(a geometry, b geometry) RETURNS geometry
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE AS $$
BEGIN
    RETURN ST_Difference(a, b);
EXCEPTION WHEN internal_error THEN
    RETURN ST_Difference(a, b, 0.001);
END $$;

CREATE FUNCTION miasto_pieces(g geometry, max_vertices integer) RETURNS SETOF geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT p FROM (
        SELECT ST_ReducePrecision(
                   CASE WHEN ST_IsValid(s) THEN s ELSE ST_CollectionExtract(ST_MakeValid(s), 3)
                   END, 0.001) AS p
        FROM ST_Subdivide(g, max_vertices) AS s
    ) x
    WHERE NOT ST_IsEmpty(p)
$$;
"""

BACKWARD = """
DROP FUNCTION IF EXISTS miasto_intersects(geometry, geometry);
DROP FUNCTION IF EXISTS miasto_covers(geometry, geometry);
DROP FUNCTION IF EXISTS miasto_relate(geometry, geometry, text);
DROP FUNCTION IF EXISTS miasto_intersection(geometry, geometry);
DROP FUNCTION IF EXISTS miasto_difference(geometry, geometry);
DROP FUNCTION IF EXISTS miasto_pieces(geometry, integer);
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0003_table_revision")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
