"""The pieces of the subscriptions' areas (``AreaPiece``), kept by triggers."""

import django.contrib.gis.db.models.fields
from django.db import migrations, models


PIECES = """
CREATE FUNCTION alerts_area_pieces_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM alerts_areapiece WHERE subscription_id = OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO alerts_areapiece (subscription_id, geom)
        SELECT NEW.id, piece FROM ST_Subdivide(NEW.geom, 64) AS piece;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER alerts_area_pieces
AFTER INSERT OR DELETE OR UPDATE OF geom ON alerts_subscription
FOR EACH ROW EXECUTE FUNCTION alerts_area_pieces_sync();
INSERT INTO alerts_areapiece (subscription_id, geom)
SELECT s.id, piece FROM alerts_subscription s, ST_Subdivide(s.geom, 64) AS piece;
"""
NO_PIECES = """
DROP TRIGGER alerts_area_pieces ON alerts_subscription;
DROP FUNCTION alerts_area_pieces_sync();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('alerts', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='AreaPiece',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subscription_id', models.BigIntegerField(db_index=True)),
                ('geom', django.contrib.gis.db.models.fields.GeometryField(srid=2180)),
            ],
            options={
                'default_permissions': (),
            },
        ),
        migrations.RunSQL(PIECES, NO_PIECES),
    ]
