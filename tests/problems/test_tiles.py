"""The reports' vector tiles: one point per report at street zooms, clusters with ``count``
below zoom 15 (each report counted once; a cluster of one carries the report's properties)."""

from __future__ import annotations

import math
from typing import Any

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point

from tests.problems.factories import X, Y, make_report, pothole_service

pytestmark = pytest.mark.django_db


def tile_of(x: float, y: float, z: int) -> tuple[int, int]:
    lon, lat = Point(x, y, srid=2180).transform(4326, clone=True).coords
    n = 2**z
    return (
        int((lon + 180) / 360 * n),
        int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n),
    )


def features(client: Any, z: int, x: float, y: float) -> list[dict[str, Any]]:
    tx, ty = tile_of(x, y, z)
    answer = client.get(f"/tiles/problem-reports/{z}/{tx}/{ty}.mvt")
    assert answer.status_code == 200
    return mapbox_vector_tile.decode(answer.content).get("problem-reports", {}).get("features", [])


def test_reports_cluster_below_zoom_15(client: Any, settings: Any) -> None:
    settings.MIASTO_TILE_CACHE_DIR = ""
    service = pothole_service()
    near = [make_report(service, dx=d, dy=d) for d in (0.0, 3.0, 6.0)]
    far = make_report(service, dx=3000.0, dy=0.0)
    at15 = features(client, 15, X, Y)
    assert sorted(f["properties"]["id"] for f in at15) == sorted(r.pk for r in near)
    at12 = features(client, 12, X, Y)
    counts = sorted(f["properties"]["count"] for f in at12)
    assert counts == [1, 3]  # three reports a few metres apart are one cluster
    cluster = next(f for f in at12 if f["properties"]["count"] == 3)
    assert "id" not in cluster["properties"]  # a cluster of several is not one report
    single = next(f for f in at12 if f["properties"]["count"] == 1)
    assert single["properties"]["id"] == far.pk
    assert single["properties"]["status"] == "open"
    # every report is in exactly one tile of the zoom: the four tiles around them add up to 4
    tx, ty = tile_of(X, Y, 12)
    total = 0
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            answer = client.get(f"/tiles/problem-reports/12/{tx + dx}/{ty + dy}.mvt")
            layer = mapbox_vector_tile.decode(answer.content).get("problem-reports")
            total += sum(f["properties"]["count"] for f in (layer or {}).get("features", []))
    assert total == 4
