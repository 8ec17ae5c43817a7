"""Trigram indexes for search (addresses, streets, parcel identifiers)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]

    operations = [
        migrations.RunSQL(
            [
                "CREATE INDEX address_label_trgm ON territory_address "
                "USING gin (miasto_norm(label) gin_trgm_ops)",
                "CREATE INDEX street_name_trgm ON territory_street "
                "USING gin (miasto_norm(name) gin_trgm_ops)",
                "CREATE INDEX parcel_identifier_trgm ON territory_parcel "
                "USING gin (identifier gin_trgm_ops)",
                "CREATE INDEX parcel_number_idx ON territory_parcel (number)",
            ],
            [
                "DROP INDEX IF EXISTS address_label_trgm",
                "DROP INDEX IF EXISTS street_name_trgm",
                "DROP INDEX IF EXISTS parcel_identifier_trgm",
                "DROP INDEX IF EXISTS parcel_number_idx",
            ],
        )
    ]
