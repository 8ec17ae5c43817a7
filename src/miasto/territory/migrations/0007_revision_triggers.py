"""Statement triggers that bump ``core.TableRevision`` on every write to a mapped table.

Revisions come from one sequence, started at the creation time in microseconds, so they never
repeat — not between statements of one transaction, nor after a database is dropped and created
again under the same name (the tile cache on disk would otherwise serve old tiles).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION miasto_bump_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_tablerevision ("table", revision)
    VALUES (TG_TABLE_NAME, nextval('miasto_revision'))
    ON CONFLICT ("table") DO UPDATE SET revision = EXCLUDED.revision;
    RETURN NULL;
END $$
"""

TABLES = [
    "territory_district", "territory_parcel", "territory_building", "territory_street",
    "territory_roadsegment", "territory_publicservice", "territory_constraint",
]  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("territory", "0006_search_keys"), ("core", "0003_table_revision")]

    operations = [
        migrations.RunSQL(
            [
                "CREATE SEQUENCE IF NOT EXISTS miasto_revision",
                "SELECT setval('miasto_revision', "
                "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint)",
            ],
            "DROP SEQUENCE IF EXISTS miasto_revision",
        ),
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS miasto_bump_revision() CASCADE"),
        *[
            migrations.RunSQL(
                f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION miasto_bump_revision()",
                f"DROP TRIGGER IF EXISTS {table}_revision ON {table}",
            )
            for table in TABLES
        ],
    ]
