"""The zones' stored pieces on the 1 mm precision grid: ``planning_zone_piece`` is cut by
``miasto_pieces`` (``ST_Subdivide``, each piece made valid and reduced to the grid by
OverlayNG — see migration ``core.0004_safe_overlay``).

Pieces cut as they were keep every sliver of the zone: a general-plan zone of the large demo
city (a district minus the road areas) has a spike 31 m long folded back onto itself (its width
below the resolution of floating point), whose tip lies on a road parcel's edge; GEOS's relate threw ``side location conflict`` on that
piece and the parcel's, and the capacity analysis stopped. On the grid the spike is gone (the
surveyed coordinates, on a 1 cm grid, stay as they are; the points ``ST_Subdivide`` adds move by
at most 0.7 mm). The existing pieces are cut again.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION planning_zone_pieces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM planning_zone_piece WHERE zone_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.geom IS NOT NULL AND NOT ST_IsEmpty(NEW.geom) THEN
        INSERT INTO planning_zone_piece (zone_id, size, geom)
        SELECT NEW.id, s.size, g
        FROM (VALUES (32), (256)) s (size)
        CROSS JOIN LATERAL miasto_pieces(NEW.geom, s.size) AS g;
    END IF;
    RETURN NULL;
END $$;
"""

FORWARD = (
    FUNCTION
    + """
TRUNCATE planning_zone_piece;
INSERT INTO planning_zone_piece (zone_id, size, geom)
SELECT z.id, s.size, g
FROM planning_zone z
CROSS JOIN (VALUES (32), (256)) s (size)
CROSS JOIN LATERAL miasto_pieces(z.geom, s.size) AS g
WHERE NOT ST_IsEmpty(z.geom);
ANALYZE planning_zone_piece;
"""
)

BACKWARD = """
CREATE OR REPLACE FUNCTION planning_zone_pieces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM planning_zone_piece WHERE zone_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.geom IS NOT NULL AND NOT ST_IsEmpty(NEW.geom) THEN
        INSERT INTO planning_zone_piece (zone_id, size, geom)
        SELECT NEW.id, s.size,
               CASE WHEN ST_IsValid(g) THEN g ELSE ST_CollectionExtract(ST_MakeValid(g), 3) END
        FROM (VALUES (32), (256)) s (size)
        CROSS JOIN LATERAL ST_Subdivide(NEW.geom, s.size) AS g;
    END IF;
    RETURN NULL;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("planning", "0007_restorable_zone_trigger"), ("core", "0004_safe_overlay")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
