"""Pieces of the large parcels: ``territory_parcel_piece`` holds each parcel of more than 128
vertices cut by ``ST_Subdivide`` into pieces of at most 128 vertices.

A road parcel of a whole precinct has thousands of vertices and hundreds of holes; overlaying it
whole with each zone it meets dominated the capacity analysis, and cutting the 64 such parcels
of the 1 M-parcel city again on every run cost ≈ 14 s. Row triggers keep the pieces in step
with ``territory_parcel`` (their ``WHEN`` conditions skip the small parcels without calling a
function, so a bulk load of small parcels pays almost nothing); the analyses read them ready-
made. The threshold is :data:`miasto.territory.selectors.PARCEL_PIECE_VERTICES`.
"""

from django.db import migrations

FORWARD = """
CREATE TABLE territory_parcel_piece (
    parcel_id integer NOT NULL,  -- no foreign key: Django's flush truncates territory_parcel
    geom geometry(Geometry, 2180) NOT NULL
);
CREATE INDEX territory_parcel_piece_parcel ON territory_parcel_piece (parcel_id);

CREATE FUNCTION territory_parcel_pieces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM territory_parcel_piece WHERE parcel_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND ST_NPoints(NEW.geom) > 128 THEN
        INSERT INTO territory_parcel_piece (parcel_id, geom)
        SELECT NEW.id, g FROM ST_Subdivide(NEW.geom, 128) AS g;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER territory_parcel_pieces_ins AFTER INSERT ON territory_parcel
    FOR EACH ROW WHEN (ST_NPoints(NEW.geom) > 128)
    EXECUTE FUNCTION territory_parcel_pieces();
CREATE TRIGGER territory_parcel_pieces_upd AFTER UPDATE OF geom ON territory_parcel
    FOR EACH ROW WHEN ((ST_NPoints(OLD.geom) > 128 OR ST_NPoints(NEW.geom) > 128)
                       AND OLD.geom IS DISTINCT FROM NEW.geom)
    EXECUTE FUNCTION territory_parcel_pieces();
CREATE TRIGGER territory_parcel_pieces_del AFTER DELETE ON territory_parcel
    FOR EACH ROW WHEN (ST_NPoints(OLD.geom) > 128)
    EXECUTE FUNCTION territory_parcel_pieces();

CREATE FUNCTION territory_parcel_pieces_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE territory_parcel_piece;
    RETURN NULL;
END $$;
CREATE TRIGGER territory_parcel_pieces_trunc AFTER TRUNCATE ON territory_parcel
    FOR EACH STATEMENT EXECUTE FUNCTION territory_parcel_pieces_truncate();

INSERT INTO territory_parcel_piece (parcel_id, geom)
SELECT p.id, g FROM territory_parcel p CROSS JOIN LATERAL ST_Subdivide(p.geom, 128) AS g
WHERE ST_NPoints(p.geom) > 128;
CREATE INDEX territory_parcel_piece_geom ON territory_parcel_piece USING gist (geom);
ANALYZE territory_parcel_piece;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS territory_parcel_pieces_ins ON territory_parcel;
DROP TRIGGER IF EXISTS territory_parcel_pieces_upd ON territory_parcel;
DROP TRIGGER IF EXISTS territory_parcel_pieces_del ON territory_parcel;
DROP TRIGGER IF EXISTS territory_parcel_pieces_trunc ON territory_parcel;
DROP FUNCTION IF EXISTS territory_parcel_pieces();
DROP FUNCTION IF EXISTS territory_parcel_pieces_truncate();
DROP TABLE IF EXISTS territory_parcel_piece;
"""


class Migration(migrations.Migration):
    dependencies = [("territory", "0008_geometry_validity_message")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
