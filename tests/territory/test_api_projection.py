"""Points that PROJ cannot take into the storage CRS answer 400, not 500 (found by the
OpenAPI fuzzing in tests/opendata/test_fuzz.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {"lon": "174.17", "lat": "-2.05"},
        {"x": "-4.7e16", "y": "0", "crs": "EPSG:2180"},
        {"x": "1e300", "y": "1e300", "crs": "EPSG:3857"},
    ],
)
def test_unprojectable_point_is_400(client, parcel, params):
    response = client.get("/api/v1/parcels", params)
    assert response.status_code in (400, 404), response.content
    body = response.json()
    assert body["error"] in ("invalid_parameter", "not_found") and body["message"]


def test_point_inside_still_found(client, parcel):
    response = client.get("/api/v1/parcels", {"x": "497010", "y": "400710", "crs": "EPSG:2180"})
    assert response.status_code in (200, 404)
