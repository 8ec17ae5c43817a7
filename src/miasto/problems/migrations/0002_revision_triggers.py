"""Tile-cache revisions: writes to reports and categories bump the table revision (see
core.tilecache), so the reports' vector tiles are never stale."""

from django.db import migrations

TABLES = ("problems_report", "problems_service")


class Migration(migrations.Migration):
    dependencies = [
        ("problems", "0001_initial"),
        ("territory", "0007_revision_triggers"),
    ]
    operations = [
        migrations.RunSQL(
            f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION miasto_bump_revision()",
            f"DROP TRIGGER IF EXISTS {table}_revision ON {table}",
        )
        for table in TABLES
    ]
