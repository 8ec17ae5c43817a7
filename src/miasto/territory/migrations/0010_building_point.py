"""A stored point-on-surface of each building (``geom_point``), with a GiST index.

Analyses place a building (and its residents) where its point-on-surface lies: the coverage of
the city by local plans tests ≈ 600 000 residential buildings against the plan areas. Computing
the points and indexing them on every run cost ≈ 3 s of its 10 s budget; PostgreSQL now keeps
them with the building (a generated column, never written by the application and unknown to
the Django model, like ``geom_merc``).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("territory", "0009_parcel_pieces")]

    operations = [
        migrations.RunSQL(
            [
                "ALTER TABLE territory_building ADD COLUMN geom_point geometry(Point, 2180) "
                "GENERATED ALWAYS AS (ST_PointOnSurface(geom)) STORED",
                "CREATE INDEX territory_building_geom_point ON territory_building "
                "USING gist (geom_point)",
                "ANALYZE territory_building",
            ],
            ["ALTER TABLE territory_building DROP COLUMN geom_point"],
        )
    ]
