"""Zone pieces kept with the zones: ``planning_zone_piece`` holds each zone cut by
``ST_Subdivide`` into pieces of at most 32 and at most 256 vertices (column ``size``).

The analyses measure parcels and buildings against small pieces (a general plan's zone or a
local plan's road area has thousands of vertices and holes); cutting every zone again on every
run cost ≈ 9 s at 28 000 zones. A row trigger keeps the pieces in step with ``planning_zone``
(insert, a new geometry, delete), so a run reads them ready-made and cuts only the zones a
scenario clips. Invalid pieces (rare, from cutting) are made valid as the analyses did.
"""

from django.db import migrations

FORWARD = """
CREATE TABLE planning_zone_piece (
    zone_id integer NOT NULL,  -- no foreign key: Django's flush truncates planning_zone
    size smallint NOT NULL,
    geom geometry(Geometry, 2180) NOT NULL
);
CREATE INDEX planning_zone_piece_zone ON planning_zone_piece (zone_id, size);

CREATE FUNCTION planning_zone_pieces() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER planning_zone_pieces_ins AFTER INSERT ON planning_zone
    FOR EACH ROW EXECUTE FUNCTION planning_zone_pieces();
CREATE TRIGGER planning_zone_pieces_upd AFTER UPDATE OF geom ON planning_zone
    FOR EACH ROW WHEN (OLD.geom IS DISTINCT FROM NEW.geom) EXECUTE FUNCTION planning_zone_pieces();
CREATE TRIGGER planning_zone_pieces_del AFTER DELETE ON planning_zone
    FOR EACH ROW EXECUTE FUNCTION planning_zone_pieces();

CREATE FUNCTION planning_zone_pieces_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE planning_zone_piece;
    RETURN NULL;
END $$;
CREATE TRIGGER planning_zone_pieces_trunc AFTER TRUNCATE ON planning_zone
    FOR EACH STATEMENT EXECUTE FUNCTION planning_zone_pieces_truncate();

INSERT INTO planning_zone_piece (zone_id, size, geom)
SELECT z.id, s.size,
       CASE WHEN ST_IsValid(g) THEN g ELSE ST_CollectionExtract(ST_MakeValid(g), 3) END
FROM planning_zone z
CROSS JOIN (VALUES (32), (256)) s (size)
CROSS JOIN LATERAL ST_Subdivide(z.geom, s.size) AS g
WHERE NOT ST_IsEmpty(z.geom);
CREATE INDEX planning_zone_piece_geom ON planning_zone_piece USING gist (geom);
ANALYZE planning_zone_piece;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS planning_zone_pieces_ins ON planning_zone;
DROP TRIGGER IF EXISTS planning_zone_pieces_upd ON planning_zone;
DROP TRIGGER IF EXISTS planning_zone_pieces_del ON planning_zone;
DROP TRIGGER IF EXISTS planning_zone_pieces_trunc ON planning_zone;
DROP FUNCTION IF EXISTS planning_zone_pieces();
DROP FUNCTION IF EXISTS planning_zone_pieces_truncate();
DROP TABLE IF EXISTS planning_zone_piece;
"""


class Migration(migrations.Migration):
    dependencies = [("planning", "0004_analysis_tables")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
