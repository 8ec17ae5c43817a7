"""Datasets of the data hub for the open data tests: a dataset with a ready current version
whose features sit in their own table, as an import leaves them."""

from __future__ import annotations

import datetime as dt

import factory
from django.db import connection
from django.utils import timezone

from miasto.datahub.models import Dataset, DatasetVersion
from tests.territory import factories as tf


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset

    slug = factory.Sequence(lambda n: f"zbior-{n}")
    title_pl = factory.Sequence(lambda n: f"Zbiór {n}")
    title_en = factory.Sequence(lambda n: f"Dataset {n}")
    description_pl = "Opis zbioru."
    keywords = factory.LazyFunction(lambda: ["drzewa", "zieleń"])
    theme = "ENVI"
    owner = factory.SubFactory(tf.OrgUnitFactory)
    contact_name = "Biuro danych"
    contact_email = "dane@miasto.example"
    licence = "CC-BY-4.0"
    frequency = "ANNUAL"
    access = "public"
    temporal_start = dt.date(2020, 1, 1)
    temporal_end = dt.date(2025, 12, 31)


def ready_version(dataset: Dataset, number: int = 1) -> DatasetVersion:
    """A ready, current version with two points in its own table."""
    version = DatasetVersion.objects.create(
        dataset=dataset, number=number, status="ready", is_current=True,
        source_name="drzewa.gpkg", format="gpkg", source_crs="EPSG:2180", feature_count=2,
        geometry_type="Point", attributes=[{"name": "species", "type": "String"}],
        finished_at=timezone.now(), quality={"summary": {"invalid": 0}}, quality_score=99.0,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {version.table_name} (fid serial PRIMARY KEY, species text, "
            f"geom geometry(Point, 2180))"
        )
        cursor.execute(
            f"INSERT INTO {version.table_name} (species, geom) VALUES "
            "('lipa', ST_SetSRID(ST_MakePoint(500010, 403710), 2180)), "
            "('dąb', ST_SetSRID(ST_MakePoint(500020, 403720), 2180))"
        )
    return version
