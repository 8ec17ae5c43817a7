"""Result tables of the capacity analysis (raw SQL, not Django models) and table revisions.

``planning_capacity_run`` — one computation of the per-parcel capacity for a zone set (a date
or a scenario), a configuration and the revisions of the input tables; its key makes a run
reusable until an input changes. ``planning_capacity_parcel`` — one row per parcel with
building capacity, written by one ``INSERT … SELECT`` (see
:mod:`miasto.planning.analyses.capacity`); pages, CSV and the map tile layer read it.

Writes to plans and zones bump their revision (``core_tablerevision``), as the spine's tables
do, so a run keyed by revisions is never stale.
"""

from django.db import migrations

TABLES = """
CREATE TABLE planning_capacity_run (
    id bigserial PRIMARY KEY,
    key text NOT NULL UNIQUE,
    as_of date NOT NULL,
    scenario boolean NOT NULL DEFAULT false,
    zoneset jsonb NOT NULL DEFAULT '{}'::jsonb,
    configuration text NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    duration_s double precision,
    parcels integer
);
CREATE TABLE planning_capacity_parcel (
    run_id bigint NOT NULL REFERENCES planning_capacity_run (id) ON DELETE CASCADE,
    parcel_id integer NOT NULL,
    district_id integer,
    block_id integer,
    basis text NOT NULL,
    symbols text NOT NULL DEFAULT '',
    area double precision NOT NULL,
    max_floor_area double precision NOT NULL,
    existing_floor_area double precision NOT NULL,
    remaining_floor_area double precision NOT NULL,
    residential_floor_area double precision NOT NULL,
    dwellings integer NOT NULL,
    residents double precision NOT NULL,
    PRIMARY KEY (run_id, parcel_id)
);
CREATE INDEX planning_capacity_parcel_district ON planning_capacity_parcel (run_id, district_id);
CREATE INDEX planning_capacity_parcel_block ON planning_capacity_parcel (run_id, block_id);
CREATE INDEX planning_capacity_parcel_parcel ON planning_capacity_parcel (parcel_id);
"""

DROP = "DROP TABLE IF EXISTS planning_capacity_parcel; DROP TABLE IF EXISTS planning_capacity_run;"

REVISED = ("planning_plan", "planning_zone", "planning_capacity_run", "planning_capacity_parcel")


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0003_scenario"),
        ("territory", "0007_revision_triggers"),
    ]

    operations = [
        migrations.RunSQL(TABLES, DROP),
        *[
            migrations.RunSQL(
                f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION miasto_bump_revision()",
                f"DROP TRIGGER IF EXISTS {table}_revision ON {table}",
            )
            for table in REVISED
        ],
    ]
