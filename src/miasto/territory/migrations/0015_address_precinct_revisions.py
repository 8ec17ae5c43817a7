"""Revisions for addresses and precincts too (the triggers of ``0007_revision_triggers``), so
that every spine collection of the OGC API keeps its count between writes
(``Collection.tracked``)."""

from django.db import migrations

TABLES = ["territory_address", "territory_precinct"]


class Migration(migrations.Migration):
    dependencies = [("territory", "0014_lonlat_copies")]

    operations = [
        migrations.RunSQL(
            f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION miasto_bump_revision()",
            f"DROP TRIGGER IF EXISTS {table}_revision ON {table}",
        )
        for table in TABLES
    ]
