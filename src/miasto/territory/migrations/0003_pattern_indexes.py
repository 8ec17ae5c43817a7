"""Prefix-search indexes for parcel identifiers and numbers (text_pattern_ops)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("territory", "0002_search_indexes")]

    operations = [
        migrations.RunSQL(
            [
                "DROP INDEX IF EXISTS parcel_number_idx",
                "CREATE INDEX parcel_number_pattern ON territory_parcel (number text_pattern_ops)",
                "CREATE INDEX parcel_identifier_pattern ON territory_parcel "
                "(identifier text_pattern_ops)",
            ],
            [
                "DROP INDEX IF EXISTS parcel_number_pattern",
                "DROP INDEX IF EXISTS parcel_identifier_pattern",
                "CREATE INDEX parcel_number_idx ON territory_parcel (number)",
            ],
        )
    ]
