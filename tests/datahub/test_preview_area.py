"""The area a dataset's map preview opens on: all of a small dataset, a sample of about
PREVIEW_FEATURES features of a large one (around a feature, never an empty corner)."""

from __future__ import annotations

import pytest
from django.db import connection

from miasto.datahub.selectors import preview_area

pytestmark = pytest.mark.django_db


def points_table(name: str, count: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {name} (fid serial PRIMARY KEY, geom geometry(Point, 2180))")
        cursor.execute(
            f"INSERT INTO {name} (geom) SELECT ST_SetSRID(ST_MakePoint("
            "500000 + (g::bigint * 7919) %% 10000, 380000 + (g::bigint * 104729) %% 10000), 2180) "
            "FROM generate_series(1, %s) g",
            [count],
        )
        cursor.execute(f"CREATE INDEX ON {name} USING gist (geom)")
    return name


def count_in(name: str, bbox: list[float]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {name} WHERE geom && "
            "ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, 4326), 2180)",
            bbox,
        )
        return int(cursor.fetchone()[0])


def test_a_small_dataset_is_shown_whole():
    name = points_table("preview_small", 300)
    area = preview_area(name, target=200)
    assert area is not None and not area.sampled
    assert area.bbox == area.extent
    assert count_in(name, area.bbox) == 300


def test_a_large_dataset_opens_on_a_sample():
    name = points_table("preview_large", 50_000)
    area = preview_area(name, target=200)
    assert area is not None and area.sampled
    inside = count_in(name, area.bbox)
    assert 20 <= inside <= 400  # about the target, at most twice
    west, south, east, north = area.extent
    assert west <= area.bbox[0] < area.bbox[2] <= east + 0.01
    assert south <= area.bbox[1] < area.bbox[3] <= north + 0.01


def test_an_empty_table_has_no_preview():
    name = points_table("preview_empty", 0)
    assert preview_area(name) is None
