"""Search in every form people type (issue 14).

- ``name_norm`` on streets, precincts and districts: the name normalised (``miasto_norm``:
  lower case, no diacritics — the immutable wrapper of ``unaccent``), a stored generated
  column. ``miasto_norm`` is an SQL function that cannot be inlined (``unaccent`` is only
  STABLE), ≈25 µs a call: comparing district and precinct names with a query, or rechecking
  the trigram index's candidates for a typo, called it for every row — 14 ms for 56 precincts
  on the 1 M-parcel city. The column is computed when a name is written and read after.
  It is not a model field: Django never writes it (every insert names its columns), the
  search reads it (``territory.search``).
- the street name's trigram (words inside a name, typos) and pattern (beginnings) indexes on
  ``name_norm`` instead of on ``miasto_norm(name)``;
- ``parcel_precinct_number``: ``(precinct_id, number text_pattern_ops)``, so ``0036.196`` and
  ``196 Łęgi`` read the precinct's parcels from that number on, in index order, with a limit;
- ``address_street_number``: ``(street_id, upper(number) text_pattern_ops)``, so ``Długa 1``
  reads the street's house numbers from 1 on, not all of a street's 2 500 addresses.
"""

from django.db import migrations

NAME_NORM = (
    "ALTER TABLE {table} ADD COLUMN name_norm text "
    "GENERATED ALWAYS AS (public.miasto_norm(name)) STORED"
)


class Migration(migrations.Migration):
    dependencies = [("territory", "0012_service_kind_without_choices")]

    operations = [
        *(
            migrations.RunSQL(
                NAME_NORM.format(table=table),
                "ALTER TABLE {table} DROP COLUMN name_norm".format(table=table),
            )
            for table in ("territory_street", "territory_precinct", "territory_district")
        ),
        migrations.RunSQL(
            [
                "DROP INDEX IF EXISTS street_name_trgm",
                "DROP INDEX IF EXISTS street_name_pattern",
                "CREATE INDEX street_name_norm_trgm ON territory_street "
                "USING gin (name_norm gin_trgm_ops)",
                "CREATE INDEX street_name_norm_pattern ON territory_street "
                "(name_norm text_pattern_ops)",
            ],
            [
                "DROP INDEX IF EXISTS street_name_norm_trgm",
                "DROP INDEX IF EXISTS street_name_norm_pattern",
                "CREATE INDEX street_name_trgm ON territory_street "
                "USING gin (miasto_norm(name) gin_trgm_ops)",
                "CREATE INDEX street_name_pattern ON territory_street "
                "(miasto_norm(name) text_pattern_ops)",
            ],
        ),
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
