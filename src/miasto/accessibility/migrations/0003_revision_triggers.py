"""Tile-cache revisions: writes to the results bump the table revision (see core.tilecache)."""

from django.db import migrations

TABLES = ("accessibility_result", "accessibility_standard")


class Migration(migrations.Migration):
    dependencies = [
        ("accessibility", "0002_seed_standards"),
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
