"""Definitions ``pg_restore`` can make again, so that a backup restores (``miasto restore``).

``pg_dump`` writes every definition for an empty ``search_path``; two of the spine's did not
survive that, and no backup could be restored:

- ``miasto_address_key`` called ``miasto_norm`` unqualified, so the index
  ``address_key_pattern`` on it failed to build: now ``public.miasto_norm``, the same result
  (the index stays as it is);
- the trigger ``territory_parcel_pieces_upd`` fired ``WHEN (OLD.geom IS DISTINCT FROM
  NEW.geom)``, which PostgreSQL prints without the schema of PostGIS's ``=`` ("operator is not
  unique"): now ``NOT (OLD.geom = NEW.geom)``, printed ``OPERATOR(public.=)`` — the same test,
  the column being NOT NULL.
"""

from django.db import migrations

KEY = r"""
CREATE OR REPLACE FUNCTION miasto_address_key(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.miasto_norm(regexp_replace($1, '^(ul\.|al\.|pl\.|os\.|rondo) ', '')) $$
"""

TRIGGER = """
DROP TRIGGER territory_parcel_pieces_upd ON territory_parcel;
CREATE TRIGGER territory_parcel_pieces_upd AFTER UPDATE OF geom ON territory_parcel
    FOR EACH ROW WHEN ((ST_NPoints(OLD.geom) > 128 OR ST_NPoints(NEW.geom) > 128)
                       AND {changed})
    EXECUTE FUNCTION territory_parcel_pieces();
"""


class Migration(migrations.Migration):
    dependencies = [("territory", "0010_building_point")]

    operations = [
        migrations.RunSQL(KEY, KEY.replace("public.miasto_norm", "miasto_norm")),
        migrations.RunSQL(
            TRIGGER.format(changed="NOT (OLD.geom = NEW.geom)"),
            TRIGGER.format(changed="OLD.geom IS DISTINCT FROM NEW.geom"),
        ),
    ]
