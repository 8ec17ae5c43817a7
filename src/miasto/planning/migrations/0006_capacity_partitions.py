"""``planning_capacity_parcel`` partitioned by run: one partition per stored capacity run.

A run's 720 000 rows (the 1 M-parcel city) went in by one ``INSERT`` through a foreign-key
check per row and four indexes kept up row by row: 16 s of a 60 s budget. Now a run fills a
bare table of its own in parcel order and attaches it as a partition (its indexes built once,
in bulk); dropping an old run drops its partition instead of deleting its rows. The stored
runs are a cache, so the existing ones are dropped here and computed again when asked for.
"""

from django.db import migrations

# the columns after ``run_id``, and the indexes and trigger: the same before and after
COLUMNS = """
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
"""
INDEXES = """
CREATE INDEX planning_capacity_parcel_district ON planning_capacity_parcel (run_id, district_id);
CREATE INDEX planning_capacity_parcel_block ON planning_capacity_parcel (run_id, block_id);
CREATE INDEX planning_capacity_parcel_parcel ON planning_capacity_parcel (parcel_id);
CREATE TRIGGER planning_capacity_parcel_revision
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON planning_capacity_parcel
    FOR EACH STATEMENT EXECUTE FUNCTION miasto_bump_revision();
"""

FORWARD = f"""
DELETE FROM planning_capacity_run;
DROP TABLE planning_capacity_parcel;
CREATE TABLE planning_capacity_parcel (
    run_id bigint NOT NULL,  -- planning_capacity_run.id; the partition goes with the run
{COLUMNS}) PARTITION BY LIST (run_id);
{INDEXES}"""

BACKWARD = f"""
DELETE FROM planning_capacity_run;
DROP TABLE planning_capacity_parcel;
CREATE TABLE planning_capacity_parcel (
    run_id bigint NOT NULL REFERENCES planning_capacity_run (id) ON DELETE CASCADE,
{COLUMNS});
{INDEXES}"""


class Migration(migrations.Migration):
    dependencies = [("planning", "0005_zone_pieces")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
