"""The trigger ``planning_zone_pieces_upd`` in a form ``pg_restore`` can make again.

``WHEN (OLD.geom IS DISTINCT FROM NEW.geom)`` is printed by ``pg_dump`` without the schema of
PostGIS's ``=``, and failed under the empty ``search_path`` of a restore ("operator is not
unique"), so no backup could be restored (``miasto restore``). ``NOT (OLD.geom = NEW.geom)`` is
printed ``OPERATOR(public.=)``: the same test, the column being NOT NULL.
"""

from django.db import migrations

TRIGGER = """
DROP TRIGGER planning_zone_pieces_upd ON planning_zone;
CREATE TRIGGER planning_zone_pieces_upd AFTER UPDATE OF geom ON planning_zone
    FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION planning_zone_pieces();
"""


class Migration(migrations.Migration):
    dependencies = [("planning", "0006_capacity_partitions")]

    operations = [
        migrations.RunSQL(
            TRIGGER.format(changed="NOT (OLD.geom = NEW.geom)"),
            TRIGGER.format(changed="OLD.geom IS DISTINCT FROM NEW.geom"),
        )
    ]
