"""Search in every form people type (issue 14): parcel numbers per precinct, area names.

- ``parcel_precinct_number``: ``(precinct_id, number text_pattern_ops)``, so ``0036.196`` and
  ``196 Łęgi`` read the precinct's parcels from that number on, in index order, with a limit;
- ``address_street_number``: ``(street_id, upper(number) text_pattern_ops)``, so ``Długa 1``
  reads the street's house numbers from 1 on, not all of a street's 2 500 addresses;
- ``miasto_area_key(text)``: a district's or precinct's name normalised (``miasto_norm``: lower
  case, no diacritics — the immutable wrapper of ``unaccent``) without "osiedle" in front, so
  ``os. Słoneczne`` and ``Słoneczne`` find "Osiedle Słoneczne". Schema-qualified, so that a
  backup restores (see 0011).
"""

from django.db import migrations

AREA_KEY = r"""
CREATE OR REPLACE FUNCTION miasto_area_key(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT regexp_replace(public.miasto_norm($1), '^osiedle ', '') $$
"""


class Migration(migrations.Migration):
    dependencies = [("territory", "0011_restorable_definitions")]

    operations = [
        migrations.RunSQL(AREA_KEY, "DROP FUNCTION IF EXISTS miasto_area_key(text)"),
        migrations.RunSQL(
            "CREATE INDEX parcel_precinct_number ON territory_parcel "
            "(precinct_id, number text_pattern_ops)",
            "DROP INDEX IF EXISTS parcel_precinct_number",
        ),
        migrations.RunSQL(
            "CREATE INDEX address_street_number ON territory_address "
            "(street_id, upper(number) text_pattern_ops)",
            "DROP INDEX IF EXISTS address_street_number",
        ),
    ]
