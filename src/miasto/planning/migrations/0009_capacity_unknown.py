"""Capacity with unknowns: a part of a parcel in an area without a maximum intensity is
unknown, not 0 (``unknown_area``), and a parcel with no known part keeps null figures.

The stored runs are a cache: they are dropped here (with their partitions) and computed again
when asked for, by the rule that also counts the general plan's zones on the part of a parcel
no local plan covers.
"""

from django.db import migrations

DROP_RUNS = """
DELETE FROM planning_capacity_run;
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'planning_capacity_parcel'::regclass LOOP
        EXECUTE format('DROP TABLE %I', r.relname);
    END LOOP;
END $$;
"""

FORWARD = DROP_RUNS + """
ALTER TABLE planning_capacity_parcel
    ADD COLUMN unknown_area double precision NOT NULL DEFAULT 0,
    ALTER COLUMN max_floor_area DROP NOT NULL,
    ALTER COLUMN remaining_floor_area DROP NOT NULL,
    ALTER COLUMN residential_floor_area DROP NOT NULL,
    ALTER COLUMN dwellings DROP NOT NULL,
    ALTER COLUMN residents DROP NOT NULL;
"""

BACKWARD = DROP_RUNS + """
ALTER TABLE planning_capacity_parcel
    DROP COLUMN unknown_area,
    ALTER COLUMN max_floor_area SET NOT NULL,
    ALTER COLUMN remaining_floor_area SET NOT NULL,
    ALTER COLUMN residential_floor_area SET NOT NULL,
    ALTER COLUMN dwellings SET NOT NULL,
    ALTER COLUMN residents SET NOT NULL;
"""


class Migration(migrations.Migration):
    dependencies = [("planning", "0008_zone_pieces_on_grid")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
